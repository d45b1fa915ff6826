using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MapControl.Web.Tests.E2E;

/// <summary>
/// The analyst's heat layer drawn from the weighted 100 m grid (docs/DEFINITIONS.md "Analyst endpoints stream; heat layer grid;
/// clustered incidents bounded"): the readout counts the incidents, and screenshots at 1600 × 1000 show the picture.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AnalystHeatBrowserTests(OneMapBrowserFixture app, ITestOutputHelper output)
{
    /// <summary>A new 1600 × 1000 context signed in as the analyst, on the analyst view with the hot-spot layer off.</summary>
    private async Task<IPage> AnalystWithoutHotSpotsAsync()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => output.WriteLine("page error: " + e);
        await page.GotoAsync(app.BaseUrl + "/");
        await page.FillAsync("[data-testid=username]", "analyst");
        await page.FillAsync("[data-testid=password]", "mapcontrol-demo");
        await page.ClickAsync("[data-testid=signin-submit]");
        await page.WaitForSelectorAsync("[data-testid=map][data-count-jurisdictions='3']", new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=rail-analyst]");
        await page.WaitForSelectorAsync("[data-testid=analyst-panel]");
        await page.UncheckAsync("[data-testid=toggle-hotspots]");
        return page;
    }

    [Fact]
    public async Task Analyst_heat_layer_of_a_year_counts_the_incidents_and_draws()
    {
        var page = await AnalystWithoutHotSpotsAsync();
        await page.UncheckAsync("[data-testid=toggle-incidents]");
        await page.CheckAsync("[data-testid=toggle-heat]");
        await page.ClickAsync("[data-testid=preset-year]");
        await page.WaitForFunctionAsync("() => { const v = Number(document.querySelector('[data-testid=map]').getAttribute('data-count-heat')); return v >= 1240 && v <= 1260; }");
        var count = int.Parse(await page.GetAttributeAsync("[data-testid=map]", "data-count-heat") ?? "0", CultureInfo.InvariantCulture);
        count.Should().BeInRange(1240, 1260, "the readout counts the year's incidents (one every 7 hours), not the grid's cells");
        await page.WaitForTimeoutAsync(1500);
        await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, "analyst-heat-year.png") });

        // Zoomed in past the heat's full-intensity zoom (14), its entry in the layer list stays enabled: it still draws.
        var heatEntry = page.Locator(".leaflet-control-layers-overlays label").Filter(new() { HasText = "热力图" }).Locator("input");
        (await heatEntry.CountAsync()).Should().Be(1, "the heat layer has one entry in the layer list");
        var zoomedIn = 0;
        for (; zoomedIn < 9 && await page.GetAttributeAsync(".leaflet-control-zoom-in", "aria-disabled") != "true"; zoomedIn++)
        {
            await page.ClickAsync(".leaflet-control-zoom-in");
            await page.WaitForTimeoutAsync(400);
        }

        (await page.GetAttributeAsync(".leaflet-control-zoom-in", "aria-disabled")).Should().Be("true", "zoomed in to the map's maximum, 18, past the heat's 14");
        (await heatEntry.IsDisabledAsync()).Should().BeFalse("leaflet.heat's maxZoom is an intensity setting, not where the layer shows");
        for (var i = 0; i < zoomedIn; i++)
        {
            await page.ClickAsync(".leaflet-control-zoom-out");
            await page.WaitForTimeoutAsync(400);
        }

        await page.CheckAsync("[data-testid=toggle-incidents]");
        await page.WaitForSelectorAsync(".mc-cluster", new() { State = WaitForSelectorState.Attached });
        await page.WaitForTimeoutAsync(1500);
        await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, "analyst-heat-clusters-year.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Analyst_clustered_incidents_beyond_the_bound_come_as_counted_cells()
    {
        await using (var cmd = app.Database.DataSource.CreateCommand("""
            INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code)
            SELECT 'BOUND' || i, (ARRAY['casing_theft', 'pipeline_tapping'])[1 + i % 2], now() - i * interval '8 minutes', NULL, 'patrol',
                   ST_SetSRID(ST_MakePoint(118.40 + 0.2 * ((i * 0.6180339887) - floor(i * 0.6180339887)),
                                           37.40 + 0.1 * ((i * 0.7548776662) - floor(i * 0.7548776662))), 4326), 0, 'open', 'D1'
            FROM generate_series(1, 60000) i
            """))
            await cmd.ExecuteNonQueryAsync();
        try
        {
            var page = await AnalystWithoutHotSpotsAsync();
            await page.ClickAsync("[data-testid=preset-year]");
            // 60,000 new incidents within the year: the year holds more than the bound: hexagon cells with counts,
            // and a cluster disc adds up its cells' counts (a disc of over 1,000 is possible only so: there are under 1,000 cells).
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mc-cluster')].some(e => Number(e.textContent) > 1000)");
            await page.WaitForTimeoutAsync(1500);
            await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, "analyst-clusters-bounded-year.png") });
            await page.Context.CloseAsync();
        }
        finally
        {
            await using var cmd = app.Database.DataSource.CreateCommand("DELETE FROM incident WHERE code LIKE 'BOUND%'");
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
