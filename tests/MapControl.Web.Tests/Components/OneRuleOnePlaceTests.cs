namespace MapControl.Web.Tests.Components;

/// <summary>Rules the browser needs come from Core through the options the server passes, not from copies in the JavaScript.</summary>
public sealed class OneRuleOnePlaceTests
{
    private static string Source(params string[] parts) =>
        File.ReadAllText(Path.Combine([E2E.OneMapBrowserFixture.RepositoryRoot, "src", "MapControl.Web", .. parts]));

    [Fact]
    public void The_editor_takes_the_shared_vertex_distance_from_cores_vertex_snap()
    {
        var js = Source("wwwroot", "js", "map-editing.js");
        js.Should().NotMatchRegex(@"(?m)^\s*const\s+\w+\s*=\s*0?\.\d+\s*;", "the editor holds no distance of its own");
        js.Should().Contain("options.sharedVertexM");
        var map = Source("Components", "Map", "LeafletMap.razor.cs");
        System.Text.RegularExpressions.Regex.Matches(map, @"sharedVertexM = MapControl\.Core\.Redraw\.VertexSnap\.ToleranceM").Count
            .Should().Be(2, "both ways of starting an edit pass Core's distance");
    }

    private static readonly System.Text.RegularExpressions.Regex ColourLiteral = new(@"(?<![\w&])#[0-9a-fA-F]{3,8}\b|rgba?\(");

    [Theory]
    [InlineData("wwwroot", "app.css")]
    [InlineData("Components", "Map", "LeafletMap.razor.js")]
    [InlineData("wwwroot", "js", "map-editing.js")]
    [InlineData("Components", "Shell", "MapLayers.cs")]
    [InlineData("Components", "Views", "PlannerPanel.razor")]
    [InlineData("Components", "Views", "MonthlyChart.razor")]
    public void Colours_live_only_in_the_palette(params string[] path)
    {
        var text = Source(path);
        // Comments and the JS colour check's pattern are not colours.
        var code = System.Text.RegularExpressions.Regex.Replace(text, @"/\*.*?\*/|//[^\n]*|@\*.*?\*@", "", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Replace("/^#[0-9a-fA-F]{3,8}$/", "");
        ColourLiteral.Matches(code).Select(m => m.Value).Should().BeEmpty($"{string.Join('/', path)} takes its colours from Palette.cs");
    }

    [Fact]
    public void Every_css_variable_of_app_css_is_emitted_from_the_palette()
    {
        var used = System.Text.RegularExpressions.Regex.Matches(Source("wwwroot", "app.css"), @"var\(--mc-([a-z0-9-]+)\)").Select(m => m.Groups[1].Value).Distinct().ToList();
        used.Should().NotBeEmpty();
        used.Should().OnlyContain(v => MapControl.Web.Components.Shell.Palette.Css.ContainsKey(v));
        MapControl.Web.Components.Shell.Palette.CssVariables().Should().StartWith(":root{--mc-");
        Source("Components", "App.razor").Should().Contain("Palette.CssVariables()");
    }
}
