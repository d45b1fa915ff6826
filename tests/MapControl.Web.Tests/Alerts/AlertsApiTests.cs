using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MapControl.Core.Alerts;
using MapControl.Core.Model;
using MapControl.Data.Alerts;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Tests.OneMap;

namespace MapControl.Web.Tests.Alerts;

/// <summary>
/// The alert loop against PostGIS through HTTP: a camera event posted by the video platform opens an alert (idempotent), a unit
/// reporting from outside its area for 15 minutes opens one within seconds, and a commander takes an alert through
/// ack → dispatch → close, the close as an incident writing the incident the KPIs read.
/// </summary>
public sealed class AlertsApiTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private static async Task<string> TokenAsync(OneMapDatabase db, string user, Role role, string? department = null)
    {
        var users = new UserRepository(db.DataSource);
        if (await users.GetAsync(user) is null) await users.AddAsync(new User(user, user, role, department), "secret-password-1");
        return await users.CreateApiTokenAsync(user);
    }

    private static HttpClient With(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<string> CameraAsync() => await database.ScalarAsync<string>("SELECT code FROM camera ORDER BY code LIMIT 1");

    [Fact]
    public async Task A_camera_event_opens_one_alert_repeats_join_it_and_the_same_event_is_idempotent()
    {
        await database.ReloadAsync(keepUsers: true);
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var video = With(factory.CreateClient(), await TokenAsync(database, "video", Role.Integration));
        var camera = await CameraAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");

        var first = await video.PostAsJsonAsync("/ingest/events", new { camera, kind = "intrusion", at });
        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alertId").GetInt64();
        var again = await (await video.PostAsJsonAsync("/ingest/events", new { camera, kind = "intrusion", at })).Content.ReadFromJsonAsync<JsonElement>();
        again.GetProperty("alertId").GetInt64().Should().Be(id);
        again.GetProperty("newEvent").GetBoolean().Should().BeFalse("the same (camera, kind, at) is one event");
        var later = await (await video.PostAsJsonAsync("/ingest/events", new { camera, kind = "intrusion", at = DateTimeOffset.UtcNow.ToString("O") }))
            .Content.ReadFromJsonAsync<JsonElement>();
        later.GetProperty("alertId").GetInt64().Should().Be(id, "the camera repeating its alarm joins the open alert");
        later.GetProperty("newEvent").GetBoolean().Should().BeTrue();

        (await database.ScalarAsync<long>("SELECT count(*) FROM alert WHERE kind = 'video_event'")).Should().Be(1);
        (await database.ScalarAsync<long>("SELECT count(*) FROM video_event")).Should().Be(2);
        var stored = await database.ScalarAsync<string>($"SELECT department_code || '|' || camera_code || '|' || coalesce(well_code, '') FROM alert WHERE id = {id}");
        stored.Should().StartWith("D").And.Contain(camera);

        (await video.PostAsJsonAsync("/ingest/events", new { camera = "NO-SUCH-CAM", kind = "intrusion", at })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await video.PostAsJsonAsync("/ingest/events", new { camera, kind = "", at })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await video.PostAsJsonAsync("/ingest/events", new { camera, kind = "x", at = "yesterday" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await video.PostAsJsonAsync("/ingest/events", new { kind = "smoke", at, lon = 118.43, lat = 37.44 })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await video.GetAsync("/api/layers/jurisdictions")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the integration role only posts events");

        using var analyst = With(factory.CreateClient(), await TokenAsync(database, "analyst-x", Role.Analyst));
        (await analyst.PostAsJsonAsync("/ingest/events", new { camera, kind = "intrusion", at })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var anonymous = factory.CreateClient();
        (await anonymous.PostAsJsonAsync("/ingest/events", new { camera, kind = "intrusion", at })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_commander_takes_an_alert_through_ack_dispatch_close_and_the_incident_is_written()
    {
        await database.ReloadAsync(keepUsers: true);
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var video = With(factory.CreateClient(), await TokenAsync(database, "video", Role.Integration));
        using var commander = With(factory.CreateClient(), await TokenAsync(database, "commander-x", Role.Commander));
        using var analyst = With(factory.CreateClient(), await TokenAsync(database, "analyst-x", Role.Analyst));
        var camera = await CameraAsync();
        var posted = await (await video.PostAsJsonAsync("/ingest/events", new { camera, kind = "intrusion", at = DateTimeOffset.UtcNow.AddMinutes(-2).ToString("O") }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = posted.GetProperty("alertId").GetInt64();
        var department = await database.ScalarAsync<string>($"SELECT department_code FROM alert WHERE id = {id}");
        var other = department == "D1" ? "D2" : "D1";
        using var otherCommander = With(factory.CreateClient(), await TokenAsync(database, "commander-" + other, Role.Commander, other));

        var open = await commander.GetFromJsonAsync<JsonElement>("/api/alerts?status=open");
        open.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).Should().Contain(id);
        (await otherCommander.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray().Should().NotContain(a => a.GetProperty("id").GetInt64() == id,
            "a department sees its own department's alerts");
        (await otherCommander.PostAsync($"/api/alerts/{id}/ack", null)).StatusCode.Should().Be(HttpStatusCode.NotFound,
            "another department's alert is answered as GET answers it, without telling that it exists");
        (await otherCommander.PostAsync($"/api/alerts/{id}/close", JsonContent.Create(new { outcome = "false_alarm" }))).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await otherCommander.PostAsync($"/api/alerts/{id + 1_000_000}/ack", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await analyst.PostAsync($"/api/alerts/{id}/ack", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        (await commander.PostAsync($"/api/alerts/{id}/ack", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await commander.PostAsync($"/api/alerts/{id}/ack", null)).StatusCode.Should().Be(HttpStatusCode.Conflict, "already acknowledged");

        var candidates = await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}/candidates");
        var unit = candidates.EnumerateArray().First().GetProperty("unitCode").GetString()!;
        (await commander.PostAsJsonAsync($"/api/alerts/{id}/dispatch", new { unit = "NO-UNIT" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var dispatched = await (await commander.PostAsJsonAsync($"/api/alerts/{id}/dispatch", new { unit })).Content.ReadFromJsonAsync<JsonElement>();
        dispatched.GetProperty("status").GetString().Should().Be("dispatched");
        dispatched.GetProperty("dispatchedUnit").GetString().Should().Be(unit);

        (await commander.PostAsJsonAsync($"/api/alerts/{id}/close", new { outcome = "maybe" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var closed = await (await commander.PostAsJsonAsync($"/api/alerts/{id}/close", new { outcome = "incident", note = "两人拉走油管" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        closed.GetProperty("status").GetString().Should().Be("closed");
        var incident = closed.GetProperty("incident").GetString()!;
        incident.Should().Be($"AL-{id}");
        (await database.ScalarAsync<string>($"SELECT discovered_by || '|' || department_code FROM incident WHERE code = '{incident}'"))
            .Should().Be("video|" + department, "discovered by the video alert, attributed by the one rule");
        (await database.ScalarAsync<bool>(
            $"SELECT i.discovered_at = a.opened_at FROM incident i JOIN alert a ON a.incident_code = i.code WHERE a.id = {id}")).Should().BeTrue();
        (await commander.PostAsJsonAsync($"/api/alerts/{id}/close", new { outcome = "other" })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var window = $"from={DateTimeOffset.UtcNow.AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}&to={DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}";
        var kpi = await commander.GetFromJsonAsync<JsonElement>("/api/alerts/kpi?" + window);
        var row = kpi.EnumerateArray().Single(r => r.GetProperty("departmentCode").GetString() == department);
        row.GetProperty("incidents").GetInt32().Should().Be(1);
        row.GetProperty("medianClosureMinutes").GetDouble().Should().BeGreaterThan(0);
        kpi[0].GetProperty("departmentCode").ValueKind.Should().Be(JsonValueKind.Null, "the centre first");
    }

    [Fact]
    public async Task A_unit_reporting_from_outside_its_area_for_15_minutes_opens_an_outside_zone_alert_within_seconds()
    {
        await database.ReloadAsync(keepUsers: true);
        // U9 belongs to D1 (118.400–118.480); it reports from deep in D3's area (118.58) for the last 15 minutes.
        await using (var unit = database.DataSource.CreateCommand("INSERT INTO patrol_unit VALUES ('U9', 'D1', '纯梁机动队', 'dev-u9')"))
            await unit.ExecuteNonQueryAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var commander = With(factory.CreateClient(), await TokenAsync(database, "commander-x", Role.Commander));
        var now = DateTimeOffset.UtcNow;
        var body = new StringBuilder();
        for (var m = 15; m >= 0; m--)
            body.AppendLine($$"""{"id":"dev-u9","lat":37.45,"lon":{{(118.58 + m * 0.0001).ToString(System.Globalization.CultureInfo.InvariantCulture)}},"timestamp":{{now.AddMinutes(-m).ToUnixTimeSeconds()}},"speed_kmh":20}""");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ingest = await commander.PostAsync("/ingest/ndjson", new StringContent(body.ToString()));
        (await ingest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted").GetInt32().Should().Be(16);

        JsonElement? alert = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(5) && alert is null)
        {
            var list = await commander.GetFromJsonAsync<JsonElement>("/api/alerts?status=open");
            alert = list.EnumerateArray().Where(a => a.GetProperty("kind").GetString() == "outside_zone" && a.GetProperty("unit").GetString() == "U9")
                .Cast<JsonElement?>().FirstOrDefault();
            if (alert is null) await Task.Delay(200);
        }
        alert.Should().NotBeNull("the rule runs as the fixes arrive (within 5 s)");
        alert!.Value.GetProperty("department").GetString().Should().Be("D1");
        alert.Value.GetProperty("textZh").GetString().Should().Contain("孤岛护卫部", "it names the neighbour whose area the unit is in");

        // Another 16 fixes outside: the same cause, the alert stays one.
        var more = new StringBuilder();
        for (var s = 1; s <= 16; s++)
            more.AppendLine($$"""{"id":"dev-u9","lat":37.45,"lon":118.58,"timestamp":{{now.AddSeconds(s).ToUnixTimeSeconds()}}}""");
        await commander.PostAsync("/ingest/ndjson", new StringContent(more.ToString()));
        await Task.Delay(1000);
        (await database.ScalarAsync<long>("SELECT count(*) FROM alert WHERE kind = 'outside_zone' AND unit_code = 'U9'")).Should().Be(1);

        // The commander closes it (a deliberate crossing); the unit stays there: the next fixes do not reopen it at once.
        var id = alert.Value.GetProperty("id").GetInt64();
        (await commander.PostAsJsonAsync($"/api/alerts/{id}/close", new { outcome = "false_alarm", note = "协查" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var after = new StringBuilder();
        for (var s = 17; s <= 40; s++)
            after.AppendLine($$"""{"id":"dev-u9","lat":37.45,"lon":118.58,"timestamp":{{now.AddSeconds(s).ToUnixTimeSeconds()}}}""");
        await commander.PostAsync("/ingest/ndjson", new StringContent(after.ToString()));
        await Task.Delay(1500);
        (await database.ScalarAsync<long>("SELECT count(*) FROM alert WHERE kind = 'outside_zone' AND unit_code = 'U9'"))
            .Should().Be(1, "closing restarts the 10 minutes: still outside 40 s after the close is no new alert");
    }

    [Fact]
    public async Task A_closed_alert_keeps_its_cause_quiet_for_the_rules_duration_after_the_close_and_events_are_never_held()
    {
        await database.ReloadAsync(keepUsers: true);
        var repository = new AlertRepository(database.DataSource);
        await TokenAsync(database, "admin-q", Role.Admin);
        var admin = new User("admin-q", "admin-q", Role.Admin, null);
        var now = DateTimeOffset.UtcNow;
        NewAlert Outside(DateTimeOffset asOf) => new(AlertKind.OutsideZone, "outside_zone:UQ", asOf.AddMinutes(-1), "D1", 118.58, 37.45, "在外", "outside")
        {
            Hold = TimeSpan.FromMinutes(10), AsOf = asOf,
        };

        var first = await repository.OpenAsync(Outside(now));
        first.Opened.Should().BeTrue();
        (await repository.CloseAsync(first.Alert.Id, AlertOutcome.FalseAlarm, null, admin)).Outcome.Should().Be(AlertStepOutcome.Done);

        var held = await repository.OpenAsync(Outside(now.AddMinutes(9)));
        held.Opened.Should().BeFalse("9 minutes after the close is less than the rule's 10");
        held.Alert.Id.Should().Be(first.Alert.Id, "the closed alert that holds the cause is given");
        held.Alert.Status.Should().Be(AlertStatus.Closed);

        var again = await repository.OpenAsync(Outside(now.AddMinutes(11)));
        again.Opened.Should().BeTrue("the condition has held 10 minutes since the close");
        again.Alert.Id.Should().NotBe(first.Alert.Id);

        var video = await repository.OpenAsync(AlertRules.VideoEvent(null, null, "intrusion", now, 118.5, 37.4, "D1"));
        (await repository.CloseAsync(video.Alert.Id, AlertOutcome.FalseAlarm, null, admin)).Outcome.Should().Be(AlertStepOutcome.Done);
        (await repository.OpenAsync(AlertRules.VideoEvent(null, null, "intrusion", now.AddSeconds(5), 118.5, 37.4, "D1")))
            .Opened.Should().BeTrue("a new camera alarm after a close is a new alert: events are not held");
    }

    [Fact]
    public async Task Candidates_are_ranked_by_road_when_the_network_reaches_them_and_the_way_follows_the_roads()
    {
        await database.ReloadAsync(keepUsers: true);
        await using (var units = database.DataSource.CreateCommand(
            "INSERT INTO patrol_unit VALUES ('W1', 'D1', '北路车', 'dev-w1'), ('W2', 'D1', '南路车', 'dev-w2')"))
            await units.ExecuteNonQueryAsync();
        // Two east–west roads 2.2 km apart joined only at their west ends (118.40): W1 on the north road is nearer the alert as the
        // crow flies (2 km) but 9 km away by road; W2, 2.7 km away and 555 m off the south road, is about 3.4 km away by road.
        static MapControl.Core.Model.RoadLine Road(string name, params double[] xy) => new(name, "field",
            new NetTopologySuite.Geometries.GeometryFactory(new NetTopologySuite.Geometries.PrecisionModel(), 4326).CreateLineString(
                Enumerable.Range(0, xy.Length / 2).Select(i => new NetTopologySuite.Geometries.Coordinate(xy[2 * i], xy[2 * i + 1])).ToArray()));
        async Task SetRoadsAsync(params MapControl.Core.Model.RoadLine[] roads)
        {
            await using var connection = await database.DataSource.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await MapControl.Data.Routing.RoadNetwork.ReplaceAsync(connection, roads);
            await tx.CommitAsync();
        }
        await SetRoadsAsync(Road("south", 118.40, 37.45, 118.47, 37.45), Road("north", 118.40, 37.47, 118.47, 37.47), Road("west", 118.40, 37.45, 118.40, 37.47));

        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var video = With(factory.CreateClient(), await TokenAsync(database, "video", Role.Integration));
        using var commander = With(factory.CreateClient(), await TokenAsync(database, "commander-x", Role.Commander));
        using var other = With(factory.CreateClient(), await TokenAsync(database, "commander-D2", Role.Commander, "D2"));
        var now = DateTimeOffset.UtcNow;
        var fixes = $$"""
            {"id":"dev-w1","lat":37.47,"lon":118.44,"timestamp":{{now.AddSeconds(-20).ToUnixTimeSeconds()}}}
            {"id":"dev-w2","lat":37.445,"lon":118.47,"timestamp":{{now.AddSeconds(-20).ToUnixTimeSeconds()}}}
            """;
        (await (await commander.PostAsync("/ingest/ndjson", new StringContent(fixes))).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("inserted").GetInt32().Should().Be(2);
        var posted = await (await video.PostAsJsonAsync("/ingest/events", new { kind = "smoke", at = now.AddMinutes(-1).ToString("O"), lon = 118.44, lat = 37.452 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = posted.GetProperty("alertId").GetInt64();

        var ranked = (await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}/candidates")).EnumerateArray()
            .Where(c => c.GetProperty("unitCode").GetString()!.StartsWith('W')).ToArray();
        ranked.Select(c => (c.GetProperty("unitCode").GetString(), c.GetProperty("method").GetString())).Should().Equal(("W2", "road"), ("W1", "road"));
        ranked[0].GetProperty("distanceM").GetDouble().Should().BeInRange(3_200, 3_600);
        ranked[1].GetProperty("distanceM").GetDouble().Should().BeInRange(8_800, 9_600);
        (await commander.GetAsync($"/api/alerts/{id}/candidates?take=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // Without a network: the straight line, and the API says so.
        await SetRoadsAsync();
        var straight = (await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}/candidates")).EnumerateArray()
            .Where(c => c.GetProperty("unitCode").GetString()!.StartsWith('W')).ToArray();
        straight.Select(c => (c.GetProperty("unitCode").GetString(), c.GetProperty("method").GetString())).Should().Equal(("W1", "straight_line"), ("W2", "straight_line"));

        await SetRoadsAsync(Road("south", 118.40, 37.45, 118.47, 37.45), Road("north", 118.40, 37.47, 118.47, 37.47), Road("west", 118.40, 37.45, 118.40, 37.47));
        (await commander.GetAsync($"/api/alerts/{id}/route")).StatusCode.Should().Be(HttpStatusCode.NotFound, "nobody is dispatched yet");
        (await commander.PostAsJsonAsync($"/api/alerts/{id}/dispatch", new { unit = "W1" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var route = await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}/route");
        route.GetProperty("method").GetString().Should().Be("road");
        var points = route.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => (c[0].GetDouble(), c[1].GetDouble())).ToArray();
        points.Should().Equal((118.44, 37.47), (118.40, 37.47), (118.40, 37.45), (118.44, 37.45), (118.44, 37.452));
        (await other.GetAsync($"/api/alerts/{id}/route")).StatusCode.Should().Be(HttpStatusCode.NotFound, "another department's alert");
    }
}
