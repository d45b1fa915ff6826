using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using Xunit.Abstractions;

namespace MapControl.Web.Tests.E2E;

/// <summary>
/// Issue 14's "Done when", checked as an independent checker would (docs/INTEROP.md "Checking live operations from outside"): the
/// built server runs as its own process on loopback and is spoken to over plain HTTP only — tokens from <c>/api/auth/token</c>,
/// camera events to <c>/ingest/events</c>, fixes by OsmAnd, Traccar JSON and NDJSON, and <c>/api/alerts</c> watched and driven
/// through ack → dispatch → close. The database is touched only to add users and units (what the CLI does) and to read the
/// incident a close wrote.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveOperationsHttpCheckTests(OneMapBrowserFixture app, ITestOutputHelper output)
{
    private static readonly TimeSpan AlertWithin = TimeSpan.FromSeconds(5);

    private HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A user (added as <c>mapcontrol users add</c> would) and its bearer token, fetched over HTTP.</summary>
    private async Task<string> TokenAsync(string user, Role role, string? department = null)
    {
        var users = new UserRepository(app.Database.DataSource);
        if (await users.GetAsync(user) is null) await users.AddAsync(new User(user, user, role, department), "check-password-1");
        using var http = Client();
        using var response = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = "check-password-1", label = "check" });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string because)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, because + ": " + text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", because);
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be((int)status, because);
        problem.TryGetProperty("detail", out var detail).Should().BeTrue(because + ": a problem says why");
        detail.GetString().Should().NotBeNullOrWhiteSpace(because);
        return problem;
    }

    private static async Task<long[]> IdsAsync(HttpClient client, string query = "") =>
        (await client.GetFromJsonAsync<JsonElement>("/api/alerts" + query)).EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToArray();

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Camera_events_over_http_open_alerts_idempotently_and_bad_input_is_told()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        var video = await TokenAsync("check-video", Role.Integration);
        var commanderToken = await TokenAsync("check-commander", Role.Commander);
        using var platform = Client(video);
        using var commander = Client(commanderToken);
        // A camera on a key well (the fixture puts one on every other key well), and the department whose jurisdiction holds it.
        var (camera, well) = await app.Database.ScalarAsync<string>("""
            SELECT c.code || '|' || c.well_code FROM camera c JOIN well w ON w.code = c.well_code
            WHERE w.is_key AND EXISTS (SELECT 1 FROM jurisdiction j WHERE j.valid_to IS NULL AND ST_Intersects(j.geom, c.geom)) ORDER BY c.code LIMIT 1
            """)
            is { } cw ? (cw.Split('|')[0], cw.Split('|')[1]) : throw new InvalidOperationException("no camera on a key well");
        var at = Iso(DateTimeOffset.UtcNow.AddMinutes(-1));

        var clock = Stopwatch.StartNew();
        using var first = await platform.PostAsJsonAsync("/ingest/events", new { camera, kind = "周界入侵", at });
        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var posted = await first.Content.ReadFromJsonAsync<JsonElement>();
        var id = posted.GetProperty("alertId").GetInt64();
        posted.GetProperty("newAlert").GetBoolean().Should().BeTrue();
        first.Headers.Location!.ToString().Should().Be($"/api/alerts/{id}");
        (await IdsAsync(commander, "?status=open")).Should().Contain(id);
        clock.Elapsed.Should().BeLessThan(AlertWithin, "the alert is listed as soon as the event is accepted");
        var alert = await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        (alert.GetProperty("kind").GetString(), alert.GetProperty("camera").GetString(), alert.GetProperty("well").GetString(), alert.GetProperty("status").GetString())
            .Should().Be(("video_event", camera, well, "open"));
        alert.GetProperty("textZh").GetString().Should().Contain("周界入侵");
        var department = alert.GetProperty("department").GetString()!;
        department.Should().MatchRegex("^D[123]$");

        // The same (camera, kind, at) again: the same alert, no new event — also when the time is written with another offset.
        var again = await (await platform.PostAsJsonAsync("/ingest/events", new { camera, kind = "周界入侵", at })).Content.ReadFromJsonAsync<JsonElement>();
        (again.GetProperty("alertId").GetInt64(), again.GetProperty("newEvent").GetBoolean()).Should().Be((id, false));
        var atChina = Iso(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(8)));
        var sameInstant = await (await platform.PostAsJsonAsync("/ingest/events", new { camera, kind = "周界入侵", at = atChina })).Content.ReadFromJsonAsync<JsonElement>();
        (sameInstant.GetProperty("alertId").GetInt64(), sameInstant.GetProperty("newEvent").GetBoolean()).Should().Be((id, false), atChina + " is the same instant");

        // Department users see their own department's alert only.
        var own = Client(await TokenAsync("check-commander-" + department, Role.Commander, department));
        var otherDepartment = department == "D1" ? "D2" : "D1";
        var other = Client(await TokenAsync("check-commander-" + otherDepartment, Role.Commander, otherDepartment));
        (await IdsAsync(own)).Should().Contain(id);
        (await IdsAsync(other)).Should().NotContain(id);
        await ProblemAsync(await other.GetAsync($"/api/alerts/{id}"), HttpStatusCode.NotFound, "another department's alert");
        await ProblemAsync(await other.GetAsync($"/api/alerts?department={department}"), HttpStatusCode.Forbidden, "another department's list");

        // An event with a position and no camera.
        using var byPosition = await platform.PostAsJsonAsync("/ingest/events", new { kind = "smoke", at, lon = 118.52, lat = 37.45 });
        byPosition.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var positioned = await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{(await byPosition.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alertId").GetInt64()}");
        (positioned.GetProperty("department").GetString(), positioned.GetProperty("camera").ValueKind).Should().Be(("D2", JsonValueKind.Null));

        // Refusals: each a problem that says why, and nothing stored.
        var events = await app.Database.ScalarAsync<long>("SELECT count(*) FROM video_event");
        await ProblemAsync(await platform.PostAsJsonAsync("/ingest/events", new { camera = "NO-SUCH-CAMERA", kind = "x", at }), HttpStatusCode.BadRequest, "unknown camera");
        await ProblemAsync(await platform.PostAsJsonAsync("/ingest/events", new { kind = "x", at }), HttpStatusCode.BadRequest, "neither camera nor position");
        await ProblemAsync(await platform.PostAsJsonAsync("/ingest/events", new { kind = "x", at, lon = 0.0, lat = 0.0 }), HttpStatusCode.BadRequest, "0,0");
        await ProblemAsync(await platform.PostAsJsonAsync("/ingest/events", new { camera, kind = "", at }), HttpStatusCode.BadRequest, "empty kind");
        await ProblemAsync(await platform.PostAsJsonAsync("/ingest/events", new { camera, kind = new string('k', 101), at }), HttpStatusCode.BadRequest, "long kind");
        foreach (var time in new[] { "yesterday", "2026-13-40T00:00:00Z", "", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), Iso(DateTimeOffset.UtcNow.AddHours(1)), Iso(DateTimeOffset.UtcNow.AddDays(-40)) })
            await ProblemAsync(await platform.PostAsJsonAsync("/ingest/events", new { camera, kind = "x", at = time }), HttpStatusCode.BadRequest, $"time '{time}'");
        await ProblemAsync(await platform.PostAsJsonAsync("/ingest/events", new { camera, kind = "x" }), HttpStatusCode.BadRequest, "no time");
        foreach (var body in new[] { "{\"camera\": ", "[1, 2]", "\"text\"", "null", "", "{\"camera\": 5, \"kind\": \"x\", \"at\": \"" + at + "\"}" })
            await ProblemAsync(await platform.PostAsync("/ingest/events", new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest,
                $"body '{body}'");
        await ProblemAsync(await platform.PostAsync("/ingest/events", new StringContent($"camera={camera}", Encoding.UTF8, "text/plain")),
            HttpStatusCode.BadRequest, "not JSON");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM video_event")).Should().Be(events);

        // Credentials: none or a bad token → 401; a token of a role that does not post events → 403.
        using var anonymous = Client();
        (await anonymous.PostAsJsonAsync("/ingest/events", new { camera, kind = "x", at })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var forged = Client("mct_not-a-token");
        (await forged.PostAsJsonAsync("/ingest/events", new { camera, kind = "x", at })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await commander.PostAsJsonAsync("/ingest/events", new { camera, kind = "x", at })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var analyst = Client(await TokenAsync("check-analyst", Role.Analyst));
        (await analyst.PostAsJsonAsync("/ingest/events", new { camera, kind = "x", at })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await platform.GetAsync("/api/alerts")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the video platform posts events only");
        own.Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task Units_added_while_the_server_runs_reporting_from_outside_their_area_for_15_minutes_open_alerts_within_5_s_by_every_protocol()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        using var commander = Client(await TokenAsync("check-commander", Role.Commander));
        using var d1 = Client(await TokenAsync("check-commander-D1", Role.Commander, "D1"));
        using var d3 = Client(await TokenAsync("check-commander-D3", Role.Commander, "D3"));
        // Three units of D1 (118.400–118.480), added now (the server is running), each reporting from deep in D3's area (118.58).
        await using (var units = app.Database.DataSource.CreateCommand(
            "INSERT INTO patrol_unit VALUES ('X1', 'D1', '纯梁机动一队', 'dev-x1'), ('X2', 'D1', '纯梁机动二队', 'dev-x2'), ('X3', 'D1', '纯梁机动三队', 'dev-x3')"))
            await units.ExecuteNonQueryAsync();
        var now = DateTimeOffset.UtcNow;
        static string Lon(int m) => (118.58 + m * 0.0002).ToString("0.0000", CultureInfo.InvariantCulture);
        using var device = Client();

        // X1: OsmAnd, one GET per fix (speed in knots), fix times spread over the last 15 minutes.
        for (var m = 15; m >= 0; m--)
            (await device.GetAsync($"/ingest/osmand?id=dev-x1&lat=37.45&lon={Lon(m)}&timestamp={now.AddMinutes(-m).ToUnixTimeSeconds()}&speed=10&bearing=90"))
                .StatusCode.Should().Be(HttpStatusCode.OK);
        var x1 = Stopwatch.StartNew();
        // X2: Traccar Client 7+ JSON, one POST per fix.
        for (var m = 15; m >= 0; m--)
        {
            var body = new { device_id = "dev-x2", location = new { timestamp = now.AddMinutes(-m).ToString("O"), coords = new { latitude = 37.46, longitude = double.Parse(Lon(m), CultureInfo.InvariantCulture), speed = 5.0, heading = 90.0 } } };
            (await device.PostAsJsonAsync("/ingest/osmand", body)).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        var x2 = Stopwatch.StartNew();
        // X3: NDJSON, one request with all 16 fixes.
        var ndjson = new StringBuilder();
        for (var m = 15; m >= 0; m--)
            ndjson.Append(CultureInfo.InvariantCulture, $$"""{"id":"dev-x3","lat":37.47,"lon":{{Lon(m)}},"timestamp":{{now.AddMinutes(-m).ToUnixTimeSeconds()}},"speed_kmh":20}""").Append('\n');
        var stored = await (await device.PostAsync("/ingest/ndjson", new StringContent(ndjson.ToString()))).Content.ReadFromJsonAsync<JsonElement>();
        stored.GetProperty("inserted").GetInt32().Should().Be(16);
        var x3 = Stopwatch.StartNew();

        var found = new Dictionary<string, (long Id, TimeSpan After)>();
        var clocks = new Dictionary<string, Stopwatch> { ["X1"] = x1, ["X2"] = x2, ["X3"] = x3 };
        while (found.Count < 3 && x1.Elapsed < AlertWithin + TimeSpan.FromSeconds(10))
        {
            foreach (var a in (await commander.GetFromJsonAsync<JsonElement>("/api/alerts?status=open")).EnumerateArray()
                         .Where(a => a.GetProperty("kind").GetString() == "outside_zone"))
            {
                var unit = a.GetProperty("unit").GetString()!;
                if (clocks.TryGetValue(unit, out var c) && !found.ContainsKey(unit)) found[unit] = (a.GetProperty("id").GetInt64(), c.Elapsed);
            }
            if (found.Count < 3) await Task.Delay(100);
        }
        foreach (var (unit, (_, after)) in found) output.WriteLine($"{unit}: alert listed {after.TotalMilliseconds:0} ms after its last fix was accepted");
        found.Keys.Should().BeEquivalentTo(["X1", "X2", "X3"], "every protocol's fixes are judged as they arrive");
        found.Values.Should().OnlyContain(f => f.After < AlertWithin, "each alert within 5 s of its last fix");

        foreach (var (unit, (id, _)) in found)
        {
            var alert = await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
            alert.GetProperty("department").GetString().Should().Be("D1", "the unit's department answers for it");
            alert.GetProperty("textZh").GetString().Should().Contain("孤岛护卫部", "it names the area the unit is in");
            (await IdsAsync(d1)).Should().Contain(id, "the unit's department sees it");
            (await IdsAsync(d3)).Should().NotContain(id, "the department whose area it is in does not");
            (await d3.GetAsync($"/api/alerts/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }
        // More fixes from outside: the cause is still open, no second alert.
        (await device.GetAsync($"/ingest/osmand?id=dev-x1&lat=37.45&lon=118.58&timestamp={now.AddSeconds(20).ToUnixTimeSeconds()}")).StatusCode.Should().Be(HttpStatusCode.OK);
        await Task.Delay(1500);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM alert WHERE kind = 'outside_zone' AND unit_code = 'X1'")).Should().Be(1);
    }

    [Fact]
    public async Task The_loop_over_http_allows_only_the_right_steps_and_close_as_incident_writes_the_incident()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        using var platform = Client(await TokenAsync("check-video", Role.Integration));
        using var commander = Client(await TokenAsync("check-commander", Role.Commander));
        using var analyst = Client(await TokenAsync("check-analyst", Role.Analyst));
        using var device = Client();
        var now = DateTimeOffset.UtcNow;
        // Fresh positions: U1 (D1) and U2 (D2) near their areas' west; a new unit X9 of D1 last reported 40 minutes ago (not available).
        await using (var unit = app.Database.DataSource.CreateCommand("INSERT INTO patrol_unit VALUES ('X9', 'D1', '纯梁备勤队', 'dev-x9')"))
            await unit.ExecuteNonQueryAsync();
        var fixes = await (await device.PostAsync("/ingest/ndjson", new StringContent($$"""
            {"id":"dev-u1","lat":37.45,"lon":118.42,"timestamp":{{now.AddSeconds(-30).ToUnixTimeSeconds()}}}
            {"id":"dev-u2","lat":37.45,"lon":118.50,"timestamp":{{now.AddSeconds(-30).ToUnixTimeSeconds()}}}
            {"id":"dev-x9","lat":37.45,"lon":118.43,"timestamp":{{now.AddMinutes(-40).ToUnixTimeSeconds()}}}
            """))).Content.ReadFromJsonAsync<JsonElement>();
        fixes.GetProperty("inserted").GetInt32().Should().Be(3);

        async Task<long> EventAsync(double lon, string kind)
        {
            using var r = await platform.PostAsJsonAsync("/ingest/events", new { kind, at = Iso(now.AddMinutes(-2)), lon, lat = 37.45 });
            r.StatusCode.Should().Be(HttpStatusCode.Accepted);
            return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alertId").GetInt64();
        }
        async Task<JsonElement> OkAsync(HttpResponseMessage r, string status)
        {
            r.StatusCode.Should().Be(HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
            var a = await r.Content.ReadFromJsonAsync<JsonElement>();
            a.GetProperty("status").GetString().Should().Be(status);
            return a;
        }

        var a = await EventAsync(118.43, "intrusion");
        var b = await EventAsync(118.44, "fence_cut");
        (await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{a}/candidates")).EnumerateArray().Select(c => c.GetProperty("unitCode").GetString())
            .Should().Contain("U1").And.NotContain("X9", "a unit without a recent position is not offered");

        await ProblemAsync(await analyst.PostAsync($"/api/alerts/{a}/ack", null), HttpStatusCode.Forbidden, "analysts do not act on alerts");
        await ProblemAsync(await commander.PostAsync("/api/alerts/999999/ack", null), HttpStatusCode.NotFound, "no such alert");
        var acked = await OkAsync(await commander.PostAsync($"/api/alerts/{a}/ack", null), "acknowledged");
        acked.GetProperty("acknowledgedBy").GetString().Should().Be("check-commander");
        await ProblemAsync(await commander.PostAsync($"/api/alerts/{a}/ack", null), HttpStatusCode.Conflict, "acknowledged twice");

        await ProblemAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/dispatch", new { unit = "NO-UNIT" }), HttpStatusCode.BadRequest, "unknown unit");
        await ProblemAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/dispatch", new { }), HttpStatusCode.BadRequest, "no unit");
        await ProblemAsync(await commander.PostAsync($"/api/alerts/{a}/dispatch", new StringContent("{\"unit\":", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "malformed body");
        var stale = await ProblemAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/dispatch", new { unit = "X9" }), HttpStatusCode.Conflict, "X9 has no recent position");
        stale.GetProperty("detail").GetString().Should().Contain("X9");
        var dispatched = await OkAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/dispatch", new { unit = "U1" }), "dispatched");
        dispatched.GetProperty("dispatchedUnit").GetString().Should().Be("U1");
        var busy = await ProblemAsync(await commander.PostAsJsonAsync($"/api/alerts/{b}/dispatch", new { unit = "U1" }), HttpStatusCode.Conflict,
            "U1 is on its way to another alert");
        busy.GetProperty("detail").GetString().Should().Contain($"alert {a}");
        await OkAsync(await commander.PostAsJsonAsync($"/api/alerts/{b}/dispatch", new { unit = "U2" }), "dispatched");
        await ProblemAsync(await commander.PostAsync($"/api/alerts/{a}/ack", null), HttpStatusCode.Conflict, "a dispatched alert is not acknowledged again");

        await ProblemAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/close", new { outcome = "solved" }), HttpStatusCode.BadRequest, "unknown outcome");
        await ProblemAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/close", new { outcome = "other", note = new string('n', 2001) }), HttpStatusCode.BadRequest, "long note");
        var closed = await OkAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/close", new { outcome = "incident", note = "两人拉走油管 <b>x</b>" }), "closed");
        (closed.GetProperty("outcome").GetString(), closed.GetProperty("incident").GetString()).Should().Be(("incident", $"AL-{a}"));
        (await app.Database.ScalarAsync<string>($"SELECT discovered_by || '|' || department_code || '|' || (discovered_at = (SELECT opened_at FROM alert WHERE id = {a})) FROM incident WHERE code = 'AL-{a}'"))
            .Should().Be("video|D1|true", "the incident is written with the alert's time and discovery");
        await ProblemAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/close", new { outcome = "other" }), HttpStatusCode.Conflict, "closing a closed alert");
        await ProblemAsync(await commander.PostAsync($"/api/alerts/{a}/ack", null), HttpStatusCode.Conflict, "acknowledging a closed alert");
        await ProblemAsync(await commander.PostAsJsonAsync($"/api/alerts/{a}/dispatch", new { unit = "U2" }), HttpStatusCode.Conflict, "dispatching to a closed alert");
        (await commander.GetFromJsonAsync<JsonElement>($"/api/alerts/{a}/candidates")).ValueKind.Should().Be(JsonValueKind.Array);
        // U1 is free again once its alert is closed.
        var c = await EventAsync(118.45, "smoke");
        await OkAsync(await commander.PostAsJsonAsync($"/api/alerts/{c}/dispatch", new { unit = "U1" }), "dispatched");

        // Each other outcome, from each state a close may start from.
        (await OkAsync(await commander.PostAsJsonAsync($"/api/alerts/{b}/close", new { outcome = "handed_to_police" }), "closed"))
            .GetProperty("outcome").GetString().Should().Be("handed_to_police");
        (await OkAsync(await commander.PostAsJsonAsync($"/api/alerts/{c}/close", new { outcome = "false_alarm", note = "风吹动围栏" }), "closed"))
            .GetProperty("incident").ValueKind.Should().Be(JsonValueKind.Null);
        var d = await EventAsync(118.46, "vehicle");
        (await OkAsync(await commander.PostAsJsonAsync($"/api/alerts/{d}/close", new { outcome = "other" }), "closed")).GetProperty("acknowledgedAt").ValueKind
            .Should().Be(JsonValueKind.Null, "an open alert may be closed directly");
        (await IdsAsync(commander, "?status=closed")).Should().Contain([a, b, c, d]);
        (await IdsAsync(commander, "?status=open")).Should().NotContain([a, b, c, d]);
        await ProblemAsync(await commander.GetAsync("/api/alerts?status=finished"), HttpStatusCode.BadRequest, "unknown status");
    }
}
