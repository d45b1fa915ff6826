using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MapControl.Web.Tests.E2E;

/// <summary>
/// The admin's alert-threshold page in Chromium: the centre and every department with each threshold's value in effect and its
/// source; a department's value set, refused out of bounds and when not a number, and cleared again; names rendered as text; a
/// commander does not get the page. Screenshots at 1600×1000, 1280×800 and 390×844 (phone).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminAlertThresholdsBrowserTests(OneMapBrowserFixture app, ITestOutputHelper output)
{
    private const string Markup = "<b>测试</b>护卫部";

    private static async Task SignInAsync(IPage page, string baseUrl, string user)
    {
        await page.GotoAsync(baseUrl + "/");
        await page.FillAsync("[data-testid=username]", user);
        await page.FillAsync("[data-testid=password]", "mapcontrol-demo");
        await page.ClickAsync("[data-testid=signin-submit]");
    }

    private static ILocator Row(IPage page, string department, string name) =>
        page.Locator($"[data-testid=threshold-scope][data-department='{department}'] [data-testid=threshold-row][data-name='{name}']");

    [Fact]
    public async Task Admin_sets_a_departments_threshold_sees_its_source_is_told_its_bounds_and_clears_it()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        await using (var setup = app.Database.DataSource.CreateCommand($"""
            DELETE FROM alert_threshold;
            INSERT INTO department (code, name, colour) VALUES ('D9', '{Markup}', '#777777');
            INSERT INTO alert_threshold (department_code, name, value) VALUES (NULL, 'key_well_radius_m', 400);
            """)) await setup.ExecuteNonQueryAsync();

        var page = await app.NewPageAsync();
        page.PageError += (_, e) => output.WriteLine("page error: " + e);
        await page.SetViewportSizeAsync(1600, 1000);
        await SignInAsync(page, app.BaseUrl, "admin");
        try
        {
            // The one map's circuit is live (its Leaflet map exists) before the link is followed: a link followed while the
            // page is still prerendered is navigated by the browser, and the circuit that starts then renders the first page.
            await page.WaitForSelectorAsync(".leaflet-container", new() { Timeout = 60_000 });
            await page.ClickAsync("[data-testid=admin-thresholds-link]", new() { Timeout = 60_000 });
            // Rows with an enabled input: the live circuit has read the table (the prerendered rows are replaced then).
            await page.WaitForSelectorAsync("[data-testid=threshold-row] [data-testid=threshold-input]:not([disabled])", new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            await Shot(page, "failed-admin-thresholds");
            output.WriteLine(app.AppLog);
            throw;
        }

        (await page.Locator("[data-testid=threshold-scope]").CountAsync()).Should().Be(5, "the centre and four departments");
        var d9 = page.Locator("[data-testid=threshold-scope][data-department='D9'] [data-testid=threshold-scope-name]");
        (await d9.TextContentAsync()).Should().Contain(Markup, "a department's name is rendered as text");
        (await d9.Locator("b").CountAsync()).Should().Be(0, "never as HTML");
        (await Row(page, "", "key_well_radius_m").GetAttributeAsync("data-source")).Should().Be("centre");
        (await Row(page, "D1", "key_well_radius_m").GetAttributeAsync("data-source")).Should().Be("centre", "D1 inherits the centre's value");
        (await Row(page, "D1", "key_well_radius_m").Locator("[data-testid=threshold-value]").TextContentAsync()).Should().Be("400 m");
        (await Row(page, "D1", "outside_zone_minutes").GetAttributeAsync("data-source")).Should().Be("default");

        var row = Row(page, "D1", "outside_zone_minutes");
        // The prerendered page's inputs are disabled until its circuit is live (slow on a loaded machine), so nothing typed is lost.
        // On a loaded machine a value typed while the page re-renders can still miss the server: it is typed afresh (cleared
        // first, so the change event fires) until the server has it; the page's message is logged for each miss.
        var stored = row.Locator("xpath=self::*[@data-source='department']");
        for (var attempt = 0; attempt < 6 && await stored.CountAsync() == 0; attempt++)
        {
            await row.Locator("[data-testid=threshold-input]:not([disabled])").FillAsync("", new() { Timeout = 90_000 });
            await row.Locator("[data-testid=threshold-input]:not([disabled])").FillAsync("5", new() { Timeout = 30_000 });
            await row.Locator("[data-testid=threshold-set]:not([disabled])").ClickAsync(new() { Timeout = 60_000 });
            try { await stored.WaitForAsync(new() { Timeout = 10_000 }); }
            catch (TimeoutException)
            {
                output.WriteLine($"attempt {attempt}: {string.Join(" | ", await page.Locator("[data-testid=threshold-message]").AllTextContentsAsync())}");
            }
        }
        if (await stored.CountAsync() == 0) output.WriteLine(app.AppLog[Math.Max(0, app.AppLog.Length - 6000)..]);
        await page.WaitForSelectorAsync("[data-testid=threshold-scope][data-department='D1'] [data-testid=threshold-row][data-name='outside_zone_minutes'][data-source='department']",
            new() { Timeout = 30_000 });
        (await row.Locator("[data-testid=threshold-value]").TextContentAsync()).Should().Be("5 min");
        (await app.Database.ScalarAsync<double>("SELECT value FROM alert_threshold WHERE department_code = 'D1' AND name = 'outside_zone_minutes'")).Should().Be(5);
        (await Row(page, "D2", "outside_zone_minutes").GetAttributeAsync("data-source")).Should().Be("default", "other departments keep theirs");
        await Shot(page, "admin-thresholds-1600");

        await row.Locator("[data-testid=threshold-input]").FillAsync("45");
        await row.Locator("[data-testid=threshold-set]:not([disabled])").ClickAsync(new() { Timeout = 60_000 });
        var message = page.Locator("[data-testid=threshold-scope][data-department='D1'] [data-testid=threshold-message].mc-error");
        await message.WaitForAsync(new() { Timeout = 30_000 });
        (await message.TextContentAsync()).Should().Contain("from 1 to 30 min");
        await row.Locator("[data-testid=threshold-input]").FillAsync("十分钟");
        await row.Locator("[data-testid=threshold-set]:not([disabled])").ClickAsync(new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync("[data-testid=threshold-message].mc-error:has-text('十分钟')", new() { Timeout = 30_000 });
        (await app.Database.ScalarAsync<double>("SELECT value FROM alert_threshold WHERE department_code = 'D1' AND name = 'outside_zone_minutes'"))
            .Should().Be(5, "a refused value changes nothing");

        await page.SetViewportSizeAsync(1280, 800);
        await Shot(page, "admin-thresholds-1280");
        await page.SetViewportSizeAsync(390, 844);
        await Shot(page, "admin-thresholds-phone");
        await page.SetViewportSizeAsync(1600, 1000);

        await row.Locator("[data-testid=threshold-clear]:not([disabled])").ClickAsync(new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync("[data-testid=threshold-scope][data-department='D1'] [data-testid=threshold-row][data-name='outside_zone_minutes'][data-source='default']",
            new() { Timeout = 30_000 });
        (await row.Locator("[data-testid=threshold-clear]").IsDisabledAsync()).Should().BeTrue("nothing of its own to clear");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM alert_threshold WHERE department_code = 'D1'")).Should().Be(0);
        (await app.Database.ScalarAsync<string>("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE entity = 'alert_threshold' AND actor = 'admin'"))
            .Should().Be("set_threshold,clear_threshold");
        await page.Context.CloseAsync();

        // A commander reaches neither the link nor the page.
        var commander = await app.NewPageAsync();
        await SignInAsync(commander, app.BaseUrl, "commander");
        await commander.WaitForSelectorAsync("[data-testid=user]", new() { Timeout = 60_000 });
        (await commander.Locator("[data-testid=admin-thresholds-link]").CountAsync()).Should().Be(0);
        await commander.GotoAsync(app.BaseUrl + "/admin/alert-thresholds");
        await commander.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await commander.Locator("[data-testid=threshold-row]").CountAsync()).Should().Be(0);
        await commander.Context.CloseAsync();

        await app.Database.ReloadAsync(keepUsers: true);
        await using var undo = app.Database.DataSource.CreateCommand("DELETE FROM alert_threshold; DELETE FROM department WHERE code = 'D9'");
        await undo.ExecuteNonQueryAsync();
    }

    private static async Task Shot(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, name + ".png"), FullPage = false });
}
