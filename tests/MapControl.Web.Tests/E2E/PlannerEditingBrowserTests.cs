using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MapControl.Web.Tests.E2E;

/// <summary>
/// The planner's topological editing in Chromium: an untouched edit shows exactly zero change; dragging a vertex shared with a
/// neighbouring patrol zone moves both and the impact follows without a click; leaving the view with unsaved edits asks first.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlannerEditingBrowserTests(OneMapBrowserFixture app, ITestOutputHelper output)
{
    private async Task<IPage> PlannerAsync()
    {
        var page = await app.NewPageAsync("zh-CN");
        await page.SetViewportSizeAsync(1600, 1000);
        page.Console += (_, m) => { if (m.Type is "error" or "warning") output.WriteLine($"browser {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => output.WriteLine("page error: " + e);
        await page.GotoAsync(app.BaseUrl + "/");
        await page.FillAsync("[data-testid=username]", "planner");
        await page.FillAsync("[data-testid=password]", "mapcontrol-demo");
        await page.ClickAsync("[data-testid=signin-submit]");
        await page.WaitForSelectorAsync("[data-testid=map][data-map-ready]", new() { Timeout = 60_000, State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=rail-planner]");
        await page.WaitForSelectorAsync("[data-testid=version-row]");
        return page;
    }

    /// <summary>Edits patrol zone D1-P1, whose east edge D1-P2 shares (118.44 E).</summary>
    private static async Task StartEditingZoneAsync(IPage page)
    {
        await page.SelectOptionAsync("[data-testid=edit-target]", "patrol-zone");
        await page.WaitForSelectorAsync("[data-testid=edit-key] option[value='D1-P1']", new() { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("[data-testid=edit-key]", "D1-P1");
        await page.ClickAsync("[data-testid=start-edit]");
        await page.WaitForSelectorAsync("[data-testid=map][data-editing=true]", new() { State = WaitForSelectorState.Attached });
        await page.WaitForSelectorAsync("[data-testid=impact][data-stale=false] [data-testid=net-gap]", new() { Timeout = 60_000 });
        // The map zooms to the edited zone: its vertex handles are where they stay only once the move has ended.
        await page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=map]').hasAttribute('data-moving')");
    }

    private static async Task Shot(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, name + ".png") });

    private static double Delta(string? attr) => double.Parse(attr ?? "NaN", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Untouched_edit_shows_exactly_zero_change()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        var page = await PlannerAsync();
        await StartEditingZoneAsync(page);

        Delta(await page.GetAttributeAsync("[data-testid=net-gap]", "data-delta-m2")).Should().Be(0);
        Delta(await page.GetAttributeAsync("[data-testid=net-overlap]", "data-delta-m2")).Should().Be(0);
        (await page.Locator("[data-testid=no-change]").CountAsync()).Should().Be(1);
        await Shot(page, "planner-untouched");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Dragging_a_shared_vertex_moves_both_zones_and_the_impact_follows_without_a_click()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        var page = await PlannerAsync();
        await StartEditingZoneAsync(page);
        var firstRevision = await page.GetAttributeAsync("[data-testid=impact]", "data-revision");

        // The north-east corner of D1-P1 (118.44 E, 37.50 N) is also D1-P2's north-west corner: drag it south-west.
        var markers = page.Locator(".leaflet-marker-icon.marker-icon:not(.marker-icon-middle)");
        (await markers.CountAsync()).Should().BeGreaterThanOrEqualTo(4);
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < await markers.CountAsync(); i++) boxes.Add((await markers.Nth(i).BoundingBoxAsync())!);
        var ne = boxes.OrderByDescending(b => b.X - b.Y).First();
        var (x, y) = (ne.X + ne.Width / 2, ne.Y + ne.Height / 2);
        await page.Mouse.MoveAsync((float)x, (float)y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(x - 30), (float)(y + 40), new() { Steps = 10 });
        await page.Mouse.MoveAsync((float)(x - 60), (float)(y + 80), new() { Steps = 10 });
        await page.Mouse.UpAsync();

        await page.WaitForSelectorAsync("[data-testid=map][data-edit-moved*='纯梁二巡区']", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        (await page.TextContentAsync("[data-testid=edit-notice]")).Should().Contain("纯梁二巡区");
        // No click: the impact is recomputed for the new revision by itself.
        await page.WaitForFunctionAsync($"() => {{ const e = document.querySelector('[data-testid=impact]'); return e && e.dataset.stale === 'false' && e.dataset.revision !== '{firstRevision}'; }}",
            null, new() { Timeout = 30_000 });
        var gap = Delta(await page.GetAttributeAsync("[data-testid=net-gap]", "data-delta-m2"));
        var overlap = Delta(await page.GetAttributeAsync("[data-testid=net-overlap]", "data-delta-m2"));
        output.WriteLine($"after the drag: gap Δ {gap} m², overlap Δ {overlap} m²");
        gap.Should().BeGreaterThan(1000, "pulling the shared corner into the zone leaves a notch of D1's jurisdiction to no zone");
        overlap.Should().Be(0, "both zones moved together: no overlap between them");
        (await page.Locator("[data-testid=changes] tr[data-kind=gap][data-change=created]").CountAsync()).Should().BeGreaterThan(0);
        (await page.TextContentAsync("[data-testid=save-neighbours]")).Should().Contain("D1-P2");
        await Shot(page, "planner-shared-vertex");

        // Undo puts both back: zero change again.
        await page.ClickAsync("[data-testid=undo]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=net-gap]')?.dataset.deltaM2 === '0' && document.querySelector('[data-testid=impact]')?.dataset.stale === 'false'",
            null, new() { Timeout = 30_000 });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reapply_after_a_conflict_replays_only_my_moves_onto_the_neighbours_new_version()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        var page = await PlannerAsync();
        await StartEditingZoneAsync(page);
        // My edit: the corner D1-P1 shares with D1-P2 (118.44 E, 37.50 N) dragged south-west; D1-P2 follows.
        var markers = page.Locator(".leaflet-marker-icon.marker-icon:not(.marker-icon-middle)");
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < await markers.CountAsync(); i++) boxes.Add((await markers.Nth(i).BoundingBoxAsync())!);
        var ne = boxes.OrderByDescending(b => b.X - b.Y).First();
        var (x, y) = (ne.X + ne.Width / 2, ne.Y + ne.Height / 2);
        await page.Mouse.MoveAsync((float)x, (float)y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(x - 30), (float)(y + 40), new() { Steps = 10 });
        await page.Mouse.UpAsync();
        await page.WaitForSelectorAsync("[data-testid=map][data-edit-moved*='纯梁二巡区']", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await page.WaitForSelectorAsync("[data-testid=save-neighbours]", new() { Timeout = 30_000 });

        // Meanwhile another planner saves D1-P2 with its south-east corner moved (118.48 37.40 → 118.475 37.405).
        await app.Database.ScalarAsync<long>("UPDATE patrol_zone SET valid_to = now() WHERE code = 'D1-P2' AND valid_to IS NULL RETURNING id");
        await app.Database.ScalarAsync<long>(
            "INSERT INTO patrol_zone (code, department_code, name, geom, valid_from, edited_by, reason) VALUES ('D1-P2', 'D1', '纯梁二巡区', " +
            "ST_GeomFromText('POLYGON((118.44 37.40, 118.44 37.50, 118.48 37.50, 118.475 37.405, 118.44 37.40))', 4326), now(), 'other', 'south-east corner') RETURNING id");

        await page.FillAsync("[data-testid=reason]", "narrower north-east");
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForSelectorAsync("[data-testid=reapply]", new() { Timeout = 30_000 });
        var revision = await page.GetAttributeAsync("[data-testid=impact]", "data-revision");
        await page.ClickAsync("[data-testid=reapply]");
        try { await page.WaitForSelectorAsync("[data-testid=reapply]", new() { State = WaitForSelectorState.Detached, Timeout = 30_000 }); }
        catch (TimeoutException) { output.WriteLine(app.AppLog[Math.Max(0, app.AppLog.Length - 6000)..]); throw; }
        // The neighbours re-based in the editor bump its revision: the impact of the replayed edit, not the old one.
        await page.WaitForFunctionAsync($"() => {{ const e = document.querySelector('[data-testid=impact]'); return e && e.dataset.stale === 'false' && e.dataset.revision !== '{revision}'; }}",
            null, new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("[data-testid=save]:not([disabled])", new() { Timeout = 30_000 });
        output.WriteLine("after re-apply: " + await page.TextContentAsync("[data-testid=planner-panel]"));
        await page.ClickAsync("[data-testid=save]");
        try { await page.WaitForSelectorAsync("[data-testid=map]:not([data-editing])", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 }); }
        catch (TimeoutException) { output.WriteLine("message: " + string.Join(" | ", await page.Locator("[data-testid=planner-message]").AllTextContentsAsync())); throw; }

        // D1-P2 now: the other planner's corner kept, my shared vertex moved; D1-P1 saved with the same vertex.
        var p2 = "(SELECT geom FROM patrol_zone WHERE code = 'D1-P2' AND valid_to IS NULL)";
        var p1 = "(SELECT geom FROM patrol_zone WHERE code = 'D1-P1' AND valid_to IS NULL)";
        (await app.Database.ScalarAsync<string>("SELECT edited_by FROM patrol_zone WHERE code = 'D1-P2' AND valid_to IS NULL")).Should().Be("planner");
        (await app.Database.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM ST_DumpPoints({p2}) d WHERE ST_DWithin(d.geom::geography, ST_MakePoint(118.475, 37.405)::geography, 0.1))"))
            .Should().BeTrue("the other planner's south-east corner is not overwritten");
        (await app.Database.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM ST_DumpPoints({p2}) d WHERE ST_DWithin(d.geom::geography, ST_MakePoint(118.44, 37.50)::geography, 1))"))
            .Should().BeFalse("my move of the shared corner is re-applied");
        (await app.Database.ScalarAsync<bool>($"SELECT ST_Relate({p1}, {p2}, 'FF*F*****')")).Should().BeTrue("the zones still share their edge without overlapping");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM patrol_zone WHERE code = 'D1-P2'")).Should().Be(3);
        await Shot(page, "planner-reapply");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Leaving_the_view_with_unsaved_edits_asks_first()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        var page = await PlannerAsync();
        await StartEditingZoneAsync(page);
        var markers = page.Locator(".leaflet-marker-icon.marker-icon:not(.marker-icon-middle)");
        var box = (await markers.Nth(0).BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2 + 25, box.Y + box.Height / 2 - 25, new() { Steps = 10 });
        await page.Mouse.UpAsync();
        await page.WaitForSelectorAsync("[data-testid=map][data-edit-dirty=true]", new() { State = WaitForSelectorState.Attached });

        await page.ClickAsync("[data-testid=rail-commander]");
        await page.WaitForSelectorAsync("[data-testid=unsaved-guard]");
        (await page.Locator("[data-testid=planner-panel]").CountAsync()).Should().Be(1, "the view stays until the planner decides");
        await Shot(page, "planner-unsaved-guard");
        await page.ClickAsync("[data-testid=stay]");
        // The click is a round trip over the circuit: the guard goes when the server re-renders, not at once.
        await page.WaitForSelectorAsync("[data-testid=unsaved-guard]", new() { State = WaitForSelectorState.Detached, Timeout = 15_000 });
        (await page.Locator("[data-testid=planner-panel]").CountAsync()).Should().Be(1, "staying keeps the editor");
        (await page.GetAttributeAsync("[data-testid=map]", "data-editing")).Should().Be("true");

        await page.ClickAsync("[data-testid=rail-commander]");
        await page.ClickAsync("[data-testid=discard-leave]");
        await page.WaitForSelectorAsync("[data-testid=planner-panel]", new() { State = WaitForSelectorState.Detached });
        await page.WaitForSelectorAsync("[data-testid=map]:not([data-editing])", new() { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        await page.Context.CloseAsync();
    }
}
