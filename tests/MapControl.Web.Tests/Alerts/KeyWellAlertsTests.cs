using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using MapControl.Web.Tests.OneMap;

namespace MapControl.Web.Tests.Alerts;

/// <summary>
/// <c>key_well_unvisited</c> against PostGIS: on the one-map fixture (two days of GPS, 20 key wells) the engine opens one alert per
/// department, naming exactly the key wells that PostGIS finds without a fix within 300 m in the last 24 hours.
/// </summary>
public sealed partial class KeyWellAlertsTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    /// <summary>
    /// The oracle: per department (the lowest code among the current areas holding the well, as the engine attributes), the key
    /// wells with no fix within the department's radius (geodesic) in the last 24 hours.
    /// </summary>
    private async Task<Dictionary<string, HashSet<string>>> OverdueAsync(double d1RadiusM) =>
        (await database.ScalarAsync<string>($"""
            WITH area AS (
                SELECT department_code, geom FROM jurisdiction WHERE valid_to IS NULL
                UNION ALL SELECT department_code, geom FROM patrol_zone WHERE valid_to IS NULL),
            attributed AS (
                SELECT w.code, w.geom, (SELECT min(a.department_code) FROM area a WHERE ST_Intersects(a.geom, w.geom)) AS department
                FROM well w WHERE w.is_key),
            kw AS (
                SELECT code, department FROM attributed w WHERE department IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM gps_point g WHERE g.recorded_at >= now() - interval '24 hours'
                      AND ST_DWithin(g.geom::geography, w.geom::geography, CASE WHEN department = 'D1' THEN {d1RadiusM} ELSE 300 END)))
            SELECT string_agg(department || ':' || codes, ';' ORDER BY department) FROM (
                SELECT department, string_agg(code, ',' ORDER BY code) AS codes FROM kw GROUP BY department) d
            """) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(x => x.Split(':')[0], x => x.Split(':')[1].Split(',').ToHashSet());

    [Theory]
    [InlineData(300)]
    [InlineData(1500)]
    public async Task One_alert_per_department_names_the_key_wells_without_a_fix_within_its_radius_for_24_hours(double d1RadiusM)
    {
        await database.ReloadAsync(keepUsers: true);
        var expected = await OverdueAsync(d1RadiusM);
        expected.Should().NotBeEmpty("the fixture leaves key wells unvisited");
        if (d1RadiusM == 300)
            expected.Values.Sum(v => v.Count).Should().BeGreaterThan(expected.Count, "some department has more than one: the grouping is tested");
        else
        {
            // D1's own radius (stored before the server starts) is the one its wells are judged with.
            expected.GetValueOrDefault("D1", []).Should().NotBeEquivalentTo((await OverdueAsync(300)).GetValueOrDefault("D1", []), "the radius matters");
            await using var threshold = database.DataSource.CreateCommand(
                $"INSERT INTO alert_threshold (department_code, name, value) VALUES ('D1', 'key_well_radius_m', {d1RadiusM})");
            await threshold.ExecuteNonQueryAsync();
        }

        await using var factory = OneMapWeb.Factory(database.ConnectionString, b => b.UseSetting("MapControl:Reports:Schedule", "false"));
        using var client = factory.CreateClient(); // starts the app: the engine runs the rules of absence at once, then every 20 s
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && (count = await database.ScalarAsync<long>("SELECT count(*) FROM alert WHERE kind = 'key_well_unvisited'")) < expected.Count)
            await Task.Delay(500);
        await Task.Delay(TimeSpan.FromSeconds(25)); // another tick: nothing more opens for the same cause
        var alerts = (await database.ScalarAsync<string>(
            "SELECT string_agg(department_code || '|' || cause || '|' || well_code || '|' || text_en, E'\\n' ORDER BY department_code) FROM alert WHERE kind = 'key_well_unvisited'"))!
            .Split('\n').Select(l => l.Split('|')).ToList();

        alerts.Select(a => a[0]).Should().Equal(expected.Keys.Order(StringComparer.Ordinal), "one alert per department with overdue key wells");
        foreach (var a in alerts)
        {
            var (department, cause, well, text) = (a[0], a[1], a[2], a[3]);
            cause.Should().Be("key_well_unvisited:" + department);
            var named = WellCode().Matches(text).Select(m => m.Value).ToHashSet();
            named.Should().BeEquivalentTo(expected[department], text);
            expected[department].Should().Contain(well, "the alert's well is one of them (the most overdue)");
            if (expected[department].Count > 1) text.Should().StartWith($"{expected[department].Count} key wells");
        }
    }

    /// <summary>
    /// A live fix visits a key well within the radius of the well's department, whichever department the unit belongs to: D1's
    /// radius is 1500 m, D2's the default 300 m. A D2 unit 1000 m from a D1 key well visits it; a D1 unit 1000 m from a D2 key
    /// well does not (measuring with the visiting unit's radius would give both answers the other way round).
    /// </summary>
    [Fact]
    public async Task A_live_fix_visits_a_key_well_within_the_radius_of_the_wells_department_whoever_the_unit_is()
    {
        await database.ReloadAsync(keepUsers: true);
        await using (var threshold = database.DataSource.CreateCommand("INSERT INTO alert_threshold (department_code, name, value) VALUES ('D1', 'key_well_radius_m', 1500)"))
            await threshold.ExecuteNonQueryAsync();
        // One key well inside each department's jurisdiction only (not in the planted gap or overlap).
        var d1Well = await database.ScalarAsync<string>(
            "SELECT code FROM well WHERE is_key AND ST_X(geom) BETWEEN 118.41 AND 118.47 ORDER BY code LIMIT 1");
        var d2Well = await database.ScalarAsync<string>(
            "SELECT code FROM well WHERE is_key AND ST_X(geom) BETWEEN 118.49 AND 118.54 ORDER BY code LIMIT 1");
        async Task<(double Lon, double Lat)> NorthOf(string well, double metres) =>
            (await database.ScalarAsync<string>($"SELECT ST_X(p)::text || ' ' || ST_Y(p)::text FROM (SELECT ST_Project(geom::geography, {metres}, 0)::geometry AS p FROM well WHERE code = '{well}') s"))
            .Split(' ').Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray() switch { var a => (a[0], a[1]) };
        var nearD1 = await NorthOf(d1Well, 1000);
        var nearD2 = await NorthOf(d2Well, 1000);

        await using var factory = OneMapWeb.Factory(database.ConnectionString, b => b.UseSetting("MapControl:Reports:Schedule", "false"));
        using var client = factory.CreateClient();
        var engine = factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<MapControl.Web.Live.AlertEngine>().Single();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!engine.KeyWellsRead && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(200);
        engine.KeyWellsRead.Should().BeTrue("the engine reads the key wells at start");

        var users = new MapControl.Data.PostGis.Repositories.UserRepository(database.DataSource);
        if (await users.GetAsync("integration-kw") is null)
            await users.AddAsync(new MapControl.Core.Model.User("integration-kw", "integration-kw", MapControl.Core.Model.Role.Commander, null), "secret-password-1");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await users.CreateApiTokenAsync("integration-kw"));
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        string Fix(string device, (double Lon, double Lat) p) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $$"""{"id":"{{device}}","lat":{{p.Lat}},"lon":{{p.Lon}},"timestamp":{{at.ToUnixTimeSeconds()}},"speed_kmh":20}""");
        var ingest = await client.PostAsync("/ingest/ndjson", new StringContent(Fix("dev-u2", nearD1) + "\n" + Fix("dev-u1", nearD2) + "\n"));
        ingest.IsSuccessStatusCode.Should().BeTrue(await ingest.Content.ReadAsStringAsync());

        clock.Restart();
        while (engine.LastVisit(d1Well) != at && clock.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(200);
        engine.LastVisit(d1Well).Should().Be(at, $"U2 (D2) 1000 m from {d1Well} is within D1's 1500 m");
        engine.LastVisit(d2Well).Should().NotBe(at, $"U1 (D1) 1000 m from {d2Well} is beyond D2's 300 m");
    }

    [GeneratedRegex(@"W\d+-\d+")]
    private static partial Regex WellCode();
}
