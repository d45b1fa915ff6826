using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MapControl.Web.Tests.E2E;

/// <summary>The planner's import preview in Chromium: a GBK ledger (a title line above its header) is uploaded, previewed, its mapping edited, then imported.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportPreviewBrowserTests(OneMapBrowserFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Planner_uploads_a_gbk_ledger_sees_encoding_rejections_and_unknown_labels_maps_a_column_and_imports()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        var page = await app.NewPageAsync();
        page.PageError += (_, e) => output.WriteLine("page error: " + e);
        await page.GotoAsync(app.BaseUrl + "/");
        await page.FillAsync("[data-testid=username]", "planner");
        await page.FillAsync("[data-testid=password]", "mapcontrol-demo");
        await page.ClickAsync("[data-testid=signin-submit]");
        await page.WaitForSelectorAsync("[data-testid=map][data-count-jurisdictions='3']", new() { Timeout = 60_000, State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=rail-planner]");
        try { await page.WaitForSelectorAsync("[data-testid=import-preview]", new() { State = WaitForSelectorState.Attached }); }
        catch (TimeoutException)
        {
            await Shot(page, "failed-import-preview");
            output.WriteLine(app.AppLog);
            throw;
        }

        // The time column is headed 报警时间, which no header rule knows: every row is refused until it is mapped.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var ledger = Encoding.GetEncoding(936).GetBytes(
            "东营护卫中心2025年3月案件台账,,,,,\r\n" +
            "案件编号,报警时间,案件类型,发现方式,经度,纬度\r\n" +
            "GBK-1,2025/3/1 8:05,套管油被盗,巡逻,118.52,37.42\r\n" +
            "GBK-2,2025年3月2日 22时10分,破坏电缆,群众举报,118.53,37.43\r\n" +
            "GBK-3,2025-03-03 07:00,破坏电缆,视频,118.54,37.44\r\n");
        await page.SetInputFilesAsync("[data-testid=import-file]", new FilePayload { Name = "台账.csv", MimeType = "text/csv", Buffer = ledger });

        await page.WaitForSelectorAsync("[data-testid=import-encoding]:has-text('GB18030')", new() { Timeout = 30_000 });
        (await page.TextContentAsync("[data-testid=import-encoding]"))!.Should().Contain("1 title row above the header skipped", "the ledger's title line is not the header");
        (await page.TextContentAsync("[data-testid=import-rows]"))!.Should().Contain("套管油被盗", "the first rows are shown decoded");
        await page.WaitForSelectorAsync("[data-testid=rejected-row]");
        (await page.Locator("[data-testid=rejected-row]").CountAsync()).Should().Be(3);
        (await page.TextContentAsync("[data-testid=rejected-row] >> nth=0"))!.Should().Contain("missing occurred_at");
        (await page.IsDisabledAsync("[data-testid=import-commit]")).Should().BeTrue("a file with rejected rows is not imported");
        await Shot(page, "import-preview-rejected");

        await page.SelectOptionAsync("[data-testid=map-occurred_at]", "报警时间");
        await page.WaitForSelectorAsync("[data-testid=rejected-row]", new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
        (await page.TextContentAsync("[data-testid=import-unmapped]"))!.Should().Contain("破坏电缆").And.Contain("×2");
        (await page.TextContentAsync("[data-testid=import-summary]"))!.Should().Contain("3");
        await Shot(page, "import-preview");

        await page.ClickAsync("[data-testid=import-commit]");
        await page.WaitForSelectorAsync("[data-testid=import-result]", new() { Timeout = 30_000 });
        (await app.Database.ScalarAsync<string>(
            "SELECT string_agg(code || '=' || kind || '@' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || (CASE WHEN discovered_at IS NULL THEN '' ELSE '!' END), ' ' ORDER BY code) FROM incident WHERE code LIKE 'GBK-%'"))
            .Should().Be("GBK-1=casing_theft@2025-03-01 00:05 GBK-2=破坏电缆@2025-03-02 14:10 GBK-3=破坏电缆@2025-03-02 23:00",
                "China-time ledger times, the unknown label kept as written, no discovery time invented");
        (await app.Database.ScalarAsync<bool>("SELECT NOT mapped FROM incident_kind WHERE code = '破坏电缆'")).Should().BeTrue();
        await page.Context.CloseAsync();
        await app.Database.ReloadAsync(keepUsers: true);
        await using var undo = app.Database.DataSource.CreateCommand("DELETE FROM incident_kind WHERE NOT mapped");
        await undo.ExecuteNonQueryAsync();
    }

    private static async Task Shot(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, name + ".png") });
}
