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
}
