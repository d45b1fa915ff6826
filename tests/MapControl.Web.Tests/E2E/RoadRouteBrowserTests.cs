using System.Net.Http.Json;
using MapControl.Core.Model;
using MapControl.Data.Routing;
using Microsoft.Playwright;
using NetTopologySuite.Geometries;
using Xunit.Abstractions;

namespace MapControl.Web.Tests.E2E;

/// <summary>End-to-end: with a road network, the candidate list says "by road" and the dispatched unit's dashed line follows the roads.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RoadRouteBrowserTests(OneMapBrowserFixture app, ITestOutputHelper output)
{
    private static RoadLine Road(string name, params double[] xy) => new(name, "field",
        new GeometryFactory(new PrecisionModel(), 4326).CreateLineString(
            Enumerable.Range(0, xy.Length / 2).Select(i => new Coordinate(xy[2 * i], xy[2 * i + 1])).ToArray()));

    private async Task SetRoadsAsync(params RoadLine[] roads)
    {
        await using var connection = await app.Database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await RoadNetwork.ReplaceAsync(connection, roads);
        await tx.CommitAsync();
    }

    [Fact]
    public async Task A_dispatched_units_way_follows_the_roads_on_the_map()
    {
        var users = new MapControl.Data.PostGis.Repositories.UserRepository(app.Database.DataSource);
        if (await users.GetAsync("video-platform") is null)
            await users.AddAsync(new User("video-platform", "视频平台", Role.Integration, null), "video-secret-1");
        var videoToken = await users.CreateApiTokenAsync("video-platform");
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        long? id = null;
        // In D2's area: a north road, a south road and a link at their west ends.
        await SetRoadsAsync(Road("north", 118.50, 37.47, 118.54, 37.47), Road("link", 118.50, 37.47, 118.50, 37.44), Road("south", 118.50, 37.44, 118.54, 37.44));
        try
        {
            var page = await app.NewPageAsync();
            page.PageError += (_, e) => output.WriteLine("page error: " + e);
            await page.GotoAsync(app.BaseUrl + "/");
            await page.FillAsync("[data-testid=username]", "commander");
            await page.FillAsync("[data-testid=password]", "mapcontrol-demo");
            await page.ClickAsync("[data-testid=signin-submit]");
            await page.WaitForSelectorAsync("[data-unit=U2]", new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });

            (await http.GetAsync($"/ingest/osmand?id=dev-u2&lat=37.47&lon=118.52&timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}")).EnsureSuccessStatusCode();
            await page.WaitForSelectorAsync("[data-unit=U2][data-lon='118.52']", new() { State = WaitForSelectorState.Attached, Timeout = 5_000 });
            using var post = new HttpRequestMessage(HttpMethod.Post, "/ingest/events")
            {
                Content = JsonContent.Create(new { kind = "道路测试", at = DateTimeOffset.UtcNow.ToString("O"), lon = 118.53, lat = 37.44 }),
            };
            post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", videoToken);
            var posted = await (await http.SendAsync(post)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            id = posted.GetProperty("alertId").GetInt64();

            var row = page.Locator($"[data-testid=alert-row][data-alert-id='{id}']");
            await row.WaitForAsync(new() { Timeout = 5_000 });
            await row.Locator("[data-testid=alert-dispatch]").ClickAsync();
            var candidate = row.Locator("[data-testid=candidate-row][data-unit=U2]");
            await candidate.WaitForAsync();
            (await candidate.GetAttributeAsync("data-method")).Should().Be("road");
            (await candidate.TextContentAsync()).Should().Contain("沿路");
            await candidate.ClickAsync();
            // The map lists its ways as "alert:method:points": U2 → (118.50, 37.47) → (118.50, 37.44) → the alert on the south road.
            await page.WaitForSelectorAsync($"[data-testid=map][data-live-route-ways~='{id}:road:4']", new() { State = WaitForSelectorState.Attached, Timeout = 5_000 });

            // The unit moves 880 m west along the north road: the way is computed again from there, still by road.
            (await http.GetAsync($"/ingest/osmand?id=dev-u2&lat=37.47&lon=118.51&timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1}")).EnsureSuccessStatusCode();
            await page.WaitForSelectorAsync("[data-unit=U2][data-lon='118.51']", new() { State = WaitForSelectorState.Attached, Timeout = 5_000 });
            await page.WaitForSelectorAsync($"[data-testid=map][data-live-route-ways~='{id}:road:4']", new() { State = WaitForSelectorState.Attached, Timeout = 5_000 });
            await page.Context.CloseAsync();
        }
        finally
        {
            await SetRoadsAsync();
            if (id is { } alertId)
            {
                await using var close = app.Database.DataSource.CreateCommand(
                    $"UPDATE alert SET status = 'closed', closed_at = now(), outcome = 'other' WHERE id = {alertId} AND status <> 'closed'");
                await close.ExecuteNonQueryAsync();
            }
        }
    }
}
