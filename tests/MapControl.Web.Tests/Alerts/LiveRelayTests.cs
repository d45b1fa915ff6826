using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.Alerts;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Live;
using MapControl.Web.Tests.OneMap;
using Microsoft.Extensions.DependencyInjection;

namespace MapControl.Web.Tests.Alerts;

/// <summary>
/// Two web nodes on one database (as behind a load balancer with sticky sessions): a fix ingested through one node and a
/// camera event posted to it reach the live feed of the other through PostgreSQL LISTEN/NOTIFY (migration 0010), and the
/// storing node does not get its own fix back.
/// </summary>
public sealed class LiveRelayTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private static async Task<T> Eventually<T>(Func<T?> probe, string what) where T : class
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (probe() is { } found) return found;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"{what} did not arrive within 15 s");
    }

    [Fact]
    public async Task A_fix_and_an_alert_stored_through_one_node_reach_the_live_feed_of_another()
    {
        await database.ReloadAsync(keepUsers: true);
        var unit = (await database.ScalarAsync<string>("SELECT code || '|' || device_key FROM patrol_unit WHERE device_key IS NOT NULL ORDER BY code LIMIT 1")).Split('|');
        await using var nodeA = OneMapWeb.Factory(database.ConnectionString);
        await using var nodeB = OneMapWeb.Factory(database.ConnectionString);
        using var clientA = nodeA.CreateClient();
        nodeB.CreateClient().Dispose();
        await nodeA.Services.GetRequiredService<LiveRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(15));
        await nodeB.Services.GetRequiredService<LiveRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(15));
        nodeA.Services.GetRequiredService<LiveNotifications>().Node.Should().NotBe(nodeB.Services.GetRequiredService<LiveNotifications>().Node);

        var seenByA = new ConcurrentQueue<LiveUpdate>();
        var seenByB = new ConcurrentQueue<LiveUpdate>();
        using var subA = nodeA.Services.GetRequiredService<LiveFeed>().Subscribe(seenByA.Enqueue);
        using var subB = nodeB.Services.GetRequiredService<LiveFeed>().Subscribe(seenByB.Enqueue);

        var at = DateTimeOffset.UtcNow.AddSeconds(-3);
        var at0 = DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());
        var ingest = await clientA.GetAsync(string.Create(CultureInfo.InvariantCulture,
            $"/ingest/osmand?id={unit[1]}&lat=37.4012&lon=118.4513&timestamp={at.ToUnixTimeSeconds()}&speed=12&bearing=90"));
        ingest.StatusCode.Should().Be(HttpStatusCode.OK);

        // The unit may have a later fix of the fixture (stamped when the database was loaded): the update is found by its new point.
        var moved = await Eventually(() => seenByB.SelectMany(u => u.Units).FirstOrDefault(u => u.Code == unit[0] && u.Trail.Any(f => f.Time == at0)),
            "the fix on node B");
        var fix = moved.Trail.Single(f => f.Time == at0);
        fix.Lat.Should().BeApproximately(37.4012, 1e-9);
        fix.Lon.Should().BeApproximately(118.4513, 1e-9);
        moved.Append.Should().BeTrue("an update carries the new points only");
        await Task.Delay(LiveRelay.Gather * 5);
        seenByA.SelectMany(u => u.Units).Count(u => u.Code == unit[0] && u.Trail.Any(f => f.Time == at0)).Should().Be(1,
            "node A pushed its fix once and does not get it back through the database");

        // A fix written by another program (the CLI, a script) reaches both nodes.
        var late = at0.AddSeconds(1);
        await using (var cmd = database.DataSource.CreateCommand(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO gps_point (unit_code, department_code, recorded_at, geom) SELECT code, department_code, '{late:O}', ST_SetSRID(ST_MakePoint(118.4514, 37.4013), 4326) FROM patrol_unit WHERE code = '{unit[0]}'")))
            await cmd.ExecuteNonQueryAsync();
        await Eventually(() => seenByA.SelectMany(u => u.Units).FirstOrDefault(u => u.Code == unit[0] && u.Trail.Any(f => f.Time == late)), "the script's fix on node A");
        await Eventually(() => seenByB.SelectMany(u => u.Units).FirstOrDefault(u => u.Code == unit[0] && u.Trail.Any(f => f.Time == late)), "the script's fix on node B");

        // A camera event posted to node A: the alert appears on node B.
        var users = new UserRepository(database.DataSource);
        if (await users.GetAsync("video-relay") is null) await users.AddAsync(new User("video-relay", "video", Role.Integration, null), "secret-password-1");
        clientA.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await users.CreateApiTokenAsync("video-relay"));
        var camera = await database.ScalarAsync<string>("SELECT code FROM camera ORDER BY code LIMIT 1");
        var posted = await clientA.PostAsJsonAsync("/ingest/events", new { camera, kind = "intrusion", at = DateTimeOffset.UtcNow.ToString("O") });
        posted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alertId").GetInt64();
        var alert = await Eventually(() => seenByB.SelectMany(u => u.Alerts).FirstOrDefault(a => a.Id == id), "the alert on node B");
        alert.CameraCode.Should().Be(camera);
    }

    [Theory]
    [InlineData("""{"kind":"alert","id":42,"by":"node-b"}""", "AlertNotice { Id = 42 }")]
    [InlineData("""{"kind":"alert","id":42,"by":"node-a"}""", null)]
    [InlineData("""{"kind":"gps","by":"psql","units":[["U1",1796378400.123456,1796378405],["U2",1796378401,1796378402]]}""",
        "U1 2026-12-04T10:00:00.1234560+00:00 2026-12-04T10:00:05.0000000+00:00; U2 2026-12-04T10:00:01.0000000+00:00 2026-12-04T10:00:02.0000000+00:00")]
    [InlineData("""{"kind":"gps","by":"psql","from":1796378400,"to":1796378405}""", "any 2026-12-04T10:00:00.0000000+00:00 2026-12-04T10:00:05.0000000+00:00")]
    [InlineData("""{"kind":"gps","by":"psql","units":[["U1"]]}""", null)]
    [InlineData("not json", null)]
    [InlineData("""{"kind":"other"}""", null)]
    public void Parse_reads_the_triggers_payloads_and_skips_the_nodes_own(string payload, string? expected)
    {
        var notice = LiveNotifications.Parse(payload, "node-a");
        var text = notice switch
        {
            null => null,
            FixesNotice { Units: { } units } => string.Join("; ", units.Select(u => $"{u.Unit} {u.From:O} {u.To:O}")),
            FixesNotice f => $"any {f.From:O} {f.To:O}",
            _ => notice.ToString(),
        };
        text.Should().Be(expected);
    }

    [Fact]
    public async Task The_trigger_announces_fixes_of_the_trails_span()
    {
        var span = await database.ScalarAsync<TimeSpan>(
            "SELECT substring(pg_get_triggerdef(oid) FROM 'live_notify_fixes\\(''([^'']*)''\\)')::interval FROM pg_trigger WHERE tgname = 'gps_point_live'");
        span.Should().Be(LiveFeed.TrailSpan);
    }
}
