using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MapControl.Web.Tests.E2E;

/// <summary>
/// End-to-end (issue 12, items 4–6): each role lands on its view, the department choice filters the lists and layers, the
/// analysis layers leave with their view, the layout fits a desk (1600×1000, 1280×800: nothing wraps) and a phone (390×844:
/// the map fills the screen); screenshots of each role at each size go to &lt;role&gt;-&lt;size&gt;.png in
/// <see cref="OneMapBrowserFixture.ScreenshotFolder"/>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OneMapViewsBrowserTests(OneMapBrowserFixture app, ITestOutputHelper output)
{
    private const string Password = "mapcontrol-demo";

    private static readonly (int W, int H)[] Sizes = [(1600, 1000), (1280, 800), (390, 844)];

    private async Task<IPage> SignInAsync(string user, int width = 1600, int height = 1000)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN", ViewportSize = new ViewportSize { Width = width, Height = height }, AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => output.WriteLine("page error: " + e);
        page.Console += (_, m) => { if (m.Type == "error") output.WriteLine("browser error: " + m.Text); };
        await page.GotoAsync(app.BaseUrl + "/");
        await page.FillAsync("[data-testid=username]", user);
        await page.FillAsync("[data-testid=password]", Password);
        await page.ClickAsync("[data-testid=signin-submit]");
        await page.WaitForSelectorAsync("[data-testid=map][data-count-jurisdictions='3']", new() { Timeout = 60_000, State = WaitForSelectorState.Attached });
        return page;
    }

    private static async Task<string> Attr(IPage page, string name) => await page.GetAttributeAsync("[data-testid=map]", name) ?? "";

    private static async Task WaitAttrAsync(IPage page, string name, Func<string, bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string value;
        while (!condition(value = await Attr(page, name)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name}='{value}': {because}");
            await Task.Delay(150);
        }
    }

    private static string[] Visible(string v) => v.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("commander", "commander")]
    [InlineData("analyst", "analyst")]
    [InlineData("planner", "planner")]
    [InlineData("admin", "commander")]
    public async Task Each_role_lands_on_its_view(string user, string view)
    {
        var page = await SignInAsync(user);
        (await page.GetAttributeAsync("[data-testid=shell]", "data-view")).Should().Be(view);
        (await page.GetAttributeAsync($"[data-testid=rail-{view}]", "class")).Should().Contain("active");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Choosing_a_department_zooms_to_it_and_filters_the_gap_list_the_well_lists_and_the_gaps_layer()
    {
        var page = await SignInAsync("commander");
        await page.WaitForSelectorAsync("[data-testid=gap-row]", new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync("[data-testid=well-row]", new() { Timeout = 60_000 });
        await WaitAttrAsync(page, "data-count-gaps", v => v.Length > 0, "the gaps layer loaded");
        var allGaps = int.Parse(await Attr(page, "data-count-gaps"), CultureInfo.InvariantCulture);
        var allWells = await page.Locator("[data-testid=well-row]").CountAsync();
        var departments = (await page.Locator("[data-testid=well-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.department)")).Distinct().ToArray();
        output.WriteLine($"centre: {allGaps} gaps on the map, {allWells} well rows from {string.Join(",", departments)}");
        departments.Length.Should().BeGreaterThan(1, "the fixture has key wells in more than one department");
        // The department with the most listed wells; the gaps it borders, from the centre's gap layer (departments of each gap).
        var code = (await page.Locator("[data-testid=well-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.department)"))
            .GroupBy(d => d).OrderByDescending(g => g.Count()).First().Key;
        var name = await app.Database.ScalarAsync<string>($"SELECT name FROM department WHERE code = '{code}'");
        var gapsJson = System.Text.Json.JsonDocument.Parse(await (await page.APIRequest.GetAsync(app.BaseUrl + "/api/layers/gaps")).TextAsync());
        var expected = gapsJson.RootElement.GetProperty("features").EnumerateArray()
            .Count(f => f.GetProperty("properties").GetProperty("departments").EnumerateArray().Any(d => d.GetString() == code));
        output.WriteLine($"{code} ({name}) borders {expected} of {allGaps} gaps");
        var centre = await Attr(page, "data-center");
        double wellLon = double.NaN, wellLat = double.NaN;
        bool NearWell(string c)
        {
            var p = c.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            return Math.Abs(p[0] - wellLon) < 0.003 && Math.Abs(p[1] - wellLat) < 0.003; // the well's fly box is ±0.004° × ±0.003°
        }

        await page.SelectOptionAsync("[data-testid=department]", code);
        await WaitAttrAsync(page, "data-count-jurisdictions", v => v == "1", "only the department's jurisdiction");
        await WaitAttrAsync(page, "data-center", v => v != centre, "the map zooms to the department");
        await WaitAttrAsync(page, "data-count-gaps", v => v == expected.ToString(CultureInfo.InvariantCulture), "the gaps layer keeps the department's gaps only");
        var gapTexts = await page.Locator("[data-testid=gap-row]").AllTextContentsAsync();
        gapTexts.Should().OnlyContain(t => t.Contains(name), "every listed gap borders " + name);
        gapTexts.Count.Should().BeLessThanOrEqualTo(expected);
        (await page.Locator("[data-testid=well-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.department)"))
            .Should().NotBeEmpty().And.OnlyContain(d => d == code, "the unpatrolled and unwatched key wells of the department only");
        (await page.Locator("[data-testid=well-row]").CountAsync()).Should().BeLessThan(allWells);

        // Search by well code in the first list, and fly to a well: it is marked in the list and on the map.
        var first = page.Locator("[data-testid=unpatrolled24] [data-testid=well-row]").First;
        var wellCode = await first.GetAttributeAsync("data-code");
        await page.FillAsync("[data-testid=unpatrolled24-search]", wellCode!);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=unpatrolled24] [data-testid=well-row]').length >= 1");
        (await page.Locator("[data-testid=unpatrolled24] [data-testid=well-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.code)"))
            .Should().OnlyContain(c => c.Contains(wellCode!, StringComparison.OrdinalIgnoreCase));
        var clicked = page.Locator("[data-testid=unpatrolled24] [data-testid=well-row]").First;
        wellCode = await clicked.GetAttributeAsync("data-code");
        var well = await app.Database.ScalarAsync<string>($"SELECT ST_X(geom)::text || ',' || ST_Y(geom)::text FROM well WHERE code = '{wellCode!.Replace("'", "''")}'");
        (wellLon, wellLat) = (double.Parse(well.Split(',')[0], CultureInfo.InvariantCulture), double.Parse(well.Split(',')[1], CultureInfo.InvariantCulture));
        await clicked.ClickAsync();
        await WaitAttrAsync(page, "data-highlight", v => v == "true", "the well is highlighted");
        await page.WaitForSelectorAsync("[data-testid=unpatrolled24] [data-testid=well-row].selected", new() { Timeout = 15_000 });
        (await page.Locator("[data-testid=unpatrolled24] [data-testid=well-row].selected").CountAsync()).Should().Be(1);
        // The flight ends at the well (a late department fit does not take the view away) and the highlight is still there,
        // also after the overlays of the new view were loaded again (moveend reloads the dynamic ones).
        await WaitAttrAsync(page, "data-center", v => NearWell(v), "the view ends at the flown-to well " + wellCode);
        await page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=map]').hasAttribute('data-moving')");
        await Task.Delay(2500); // anything late (a department fit, a reload of an overlay) would happen now
        (await Attr(page, "data-highlight")).Should().Be("true", "the highlight survives the end of the flight");
        NearWell(await Attr(page, "data-center")).Should().BeTrue("the view stays at the well: " + await Attr(page, "data-center"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, "commander-department-D2.png") });

        // Back to the whole centre and, before its layers are loaded again, fly to the well at once: the centre's zoom-out
        // yields to the user's flight and the highlight stays.
        await page.SelectOptionAsync("[data-testid=department]", "");
        await page.Locator("[data-testid=unpatrolled24] [data-testid=well-row]").First.ClickAsync();
        await WaitAttrAsync(page, "data-count-gaps", v => v == allGaps.ToString(CultureInfo.InvariantCulture), "all gaps again");
        await page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=map]').hasAttribute('data-moving')");
        await Task.Delay(2500);
        (await Attr(page, "data-highlight")).Should().Be("true", "the highlight survives the centre's reload");
        NearWell(await Attr(page, "data-center")).Should().BeTrue("the centre's zoom-out does not take the view from the well: " + await Attr(page, "data-center"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_analysis_layers_leave_with_the_analysis_view()
    {
        var page = await SignInAsync("analyst");
        await page.WaitForSelectorAsync("[data-testid=analyst-panel]");
        await WaitAttrAsync(page, "data-visible", v => Visible(v).Contains("hotspots") && Visible(v).Contains("incidents-clustered"), "Gi* cells and clustered incidents by default");
        Visible(await Attr(page, "data-visible")).Should().NotContain(["incidents", "key-wells", "gaps", "heat"], "Analysis opens on a quiet frame");
        await page.CheckAsync("[data-testid=toggle-heat]");
        await WaitAttrAsync(page, "data-visible", v => Visible(v).Contains("heat"), "the heat layer is on");
        await page.WaitForFunctionAsync("() => (document.querySelector('[data-testid=legend]')?.textContent ?? '').includes('核密度热力图')", null, new() { Timeout = 15_000 });
        (await page.TextContentAsync("[data-testid=legend]")).Should().Contain("核密度热力图").And.Contain("热点 (Gi*)");

        // Language switch inside Analysis: the layer titles and the legend follow.
        await page.SelectOptionAsync("[data-testid=language]", "en");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=legend]').textContent.includes('Kernel density')");
        (await page.TextContentAsync("[data-testid=legend]")).Should().Contain("Hot spots (Gi*)").And.NotContain("核密度");
        await page.SelectOptionAsync("[data-testid=language]", "zh-CN");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=legend]').textContent.includes('核密度热力图')");
        (await page.TextContentAsync("[data-testid=legend]")).Should().Contain("热点 (Gi*)").And.NotContain("Kernel density");

        await page.ClickAsync("[data-testid=rail-commander]");
        await page.WaitForSelectorAsync("[data-testid=commander-panel]");
        await WaitAttrAsync(page, "data-visible", v => Visible(v).Contains("gaps"), "Command's defaults");
        await Task.Delay(2000); // a late answer of an analysis request must not bring a layer back
        Visible(await Attr(page, "data-visible")).Should().NotContain(["heat", "hotspots", "incidents-clustered", "yoy"]);
        (await Attr(page, "data-count-heat")).Should().BeEmpty();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_cursor_readout_shows_gauss_kruger_zone_20_from_core()
    {
        var page = await SignInAsync("commander");
        var box = (await page.Locator("[data-testid=map]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(box.X + box.Width / 2 + 5, box.Y + box.Height / 2 + 5);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=coords-gk]').textContent.startsWith('CGCS2000 GK 20')");
        var lon = double.Parse((await page.GetAttributeAsync("[data-testid=coords]", "data-lon"))!, CultureInfo.InvariantCulture);
        var lat = double.Parse((await page.GetAttributeAsync("[data-testid=coords]", "data-lat"))!, CultureInfo.InvariantCulture);
        var gk = MapControl.Core.Crs.GaussKrugerReadout.Of(lon, lat)!.Value;
        (await page.TextContentAsync("[data-testid=coords-gk]")).Should().Be(string.Create(CultureInfo.InvariantCulture, $"CGCS2000 GK 20: X {gk.X:0.0} Y {gk.Y:0.0}"));

        // Measure: three clicks give a length and an area; Core's figures for the clicked points.
        await page.ClickAsync("[data-testid=measure]");
        foreach (var (dx, dy) in new[] { (-100, 0), (100, 0), (100, 100) })
            await page.Mouse.ClickAsync(box.X + box.Width / 2 + dx, box.Y + box.Height / 2 + dy);
        await WaitAttrAsync(page, "data-measure", v => v.Contains("km²") || v.Contains("m²"), "length and area");
        output.WriteLine("measure: " + await Attr(page, "data-measure"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_role_at_every_size_fits_phone_shows_the_map_and_the_top_bar_is_one_line()
    {
        foreach (var role in new[] { "commander", "analyst", "planner" })
        {
            foreach (var (w, h) in Sizes)
            {
                var page = await SignInAsync(role, w, h);
                var panel = role switch { "commander" => "commander-panel", "analyst" => "analyst-panel", _ => "version-row" };
                await page.WaitForSelectorAsync($"[data-testid={panel}]", new() { Timeout = 60_000 });
                if (role == "commander") await page.WaitForSelectorAsync("[data-testid=gap-row]", new() { Timeout = 60_000 });
                if (role == "analyst") await WaitAttrAsync(page, "data-visible", v => Visible(v).Contains("hotspots"), "Gi* cells drawn");
                await Task.Delay(1500);
                var map = (await page.Locator("[data-testid=map]").BoundingBoxAsync())!;
                var top = (await page.Locator("[data-testid=topbar]").BoundingBoxAsync())!;
                output.WriteLine($"{role} {w}×{h}: map {map.Width:0}×{map.Height:0}, top bar height {top.Height:0}");
                map.Width.Should().BeGreaterThan(300, $"{role} at {w}×{h}: the map is shown");
                map.Height.Should().BeGreaterThan(300, $"{role} at {w}×{h}: the map is shown");
                if (w >= 1280)
                {
                    // One line: the bar is no taller than its 44 px line plus padding, and its first and last controls share the line.
                    top.Height.Should().BeLessThanOrEqualTo(52, $"{role} at {w}×{h}: the top bar is one line");
                    var signout = (await page.Locator("[data-testid=signout]").BoundingBoxAsync())!;
                    var department = (await page.Locator("[data-testid=department]").BoundingBoxAsync())!;
                    signout.Height.Should().BeLessThan(30, "'Sign out' does not wrap");
                    (signout.Y + signout.Height / 2).Should().BeApproximately(department.Y + department.Height / 2, 4, "one row");
                    (signout.X + signout.Width).Should().BeLessThanOrEqualTo(w, "the top bar does not run off the screen");
                    var legend = await page.Locator("[data-testid=legend]").BoundingBoxAsync();
                    if (legend is not null) (legend.Y + legend.Height).Should().BeLessThanOrEqualTo(h, "the legend fits");
                }
                else
                {
                    map.Width.Should().BeGreaterThanOrEqualTo(w - 1, "the map fills the phone's width");
                    var signoutPhone = (await page.Locator("[data-testid=signout]").BoundingBoxAsync())!;
                    (signoutPhone.X + signoutPhone.Width).Should().BeLessThanOrEqualTo(w, "the phone's top bar fits its width");
                    (await page.Locator("[data-testid=rail]").IsVisibleAsync()).Should().BeFalse("the rail is a menu on a phone");
                }
                await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, $"{role}-{w}x{h}.png") });
                if (w < 700)
                {
                    await page.ClickAsync("[data-testid=menu]");
                    await page.Locator("[data-testid=rail]").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 5_000 }); // the menu opens the views
                    await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, $"{role}-{w}x{h}-menu.png") });
                }
                await page.Context.CloseAsync();
            }
        }
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(1600, 1000)]
    public async Task In_english_the_top_bar_is_one_line_too(int width, int height)
    {
        var page = await SignInAsync("commander", width, height);
        await page.SelectOptionAsync("[data-testid=language]", "en");
        await page.WaitForSelectorAsync("[data-testid=signout]:has-text('Sign out')");
        await page.WaitForSelectorAsync("[data-testid=gap-row]", new() { Timeout = 60_000 });
        await Task.Delay(800);
        var top = (await page.Locator("[data-testid=topbar]").BoundingBoxAsync())!;
        var signout = (await page.Locator("[data-testid=signout]").BoundingBoxAsync())!;
        var department = (await page.Locator("[data-testid=department]").BoundingBoxAsync())!;
        top.Height.Should().BeLessThanOrEqualTo(52);
        signout.Height.Should().BeLessThan(30, "'Sign out' does not wrap");
        (signout.X + signout.Width).Should().BeLessThanOrEqualTo(width, "nothing runs off the screen");
        (signout.Y + signout.Height / 2).Should().BeApproximately(department.Y + department.Height / 2, 4);
        await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, $"commander-en-{width}x{height}.png") });
        await page.Context.CloseAsync();
    }
}
