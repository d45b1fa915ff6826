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

    [GeneratedRegex(@"W\d+-\d+")]
    private static partial Regex WellCode();
}
