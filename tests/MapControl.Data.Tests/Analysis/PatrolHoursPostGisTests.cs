using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis;
using MapControl.Data.Tests.PostGis;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.Analysis;

/// <summary>Patrol hours loaded through AnalysisSource agree with the same definition written directly in PostGIS SQL.</summary>
public sealed class PatrolHoursPostGisTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    /// <summary>D1's jurisdiction is redrawn (118.5–118.61 → 118.5–118.56) in the middle of the window.</summary>
    private static readonly DateTimeOffset RedrawAt = T0.AddHours(27);
    private static readonly DateTimeOffset From = T0.AddHours(-6);
    private static readonly DateTimeOffset To = T0.AddHours(36);

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        var d1Old = JurisdictionA with { Version = new VersionInfo(T0.AddYears(-4), RedrawAt, "seed", "initial") };
        var d1New = new Jurisdiction(0, "D1",
            Wkt<NetTopologySuite.Geometries.MultiPolygon>("MULTIPOLYGON (((118.5 37.4, 118.56 37.4, 118.56 37.5, 118.5 37.5, 118.5 37.4)))"),
            new VersionInfo(RedrawAt, null, "seed", "redraw"));
        await SeedLoader.LoadAsync(database.DataSource, Dataset() with
        {
            Jurisdictions = [d1Old, d1New, JurisdictionB],
            GpsFixes = Fixes(),
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Two units wandering (U1 partly outside both jurisdictions, U2 inside them, both across the D1/D2 overlap)
    /// from 12 h before T0 to <paramref name="days"/> days after: steps of 30 s – 4 min and at most ~1.1 km, with 11–30 min pauses and ~3.5 km jumps
    /// now and then (never near the 10 min / 2 km thresholds, so the metric and geodesic distances give the same breaks).
    /// </summary>
    internal static List<GpsFix> Fixes(int days = 2)
    {
        var random = new Random(42);
        var fixes = new List<GpsFix>();
        // U1 roams wide (in and out of the jurisdictions); U2 stays inside 118.52–118.68 × 37.41–37.49 (D1, the overlap, D2).
        foreach (var (unit, west, east, south, north) in new[] { ("U1", 118.45, 118.75, 37.37, 37.53), ("U2", 118.52, 118.68, 37.41, 37.49) })
        {
            var t = T0.AddHours(-12);
            double lon = 118.6, lat = 37.45;
            while (t < T0.AddDays(days))
            {
                fixes.Add(new GpsFix(unit, t, Math.Round(lon, 6), Math.Round(lat, 6)));
                var roll = random.NextDouble();
                t = t.AddSeconds(roll < 0.03 ? random.Next(11 * 60, 30 * 60) : random.Next(30, 240));
                if (roll > 0.98) lon += lon + 0.04 <= east ? 0.04 : -0.04;
                lon = Math.Clamp(lon + (random.NextDouble() - 0.5) * 0.016, west, east);
                lat = Math.Clamp(lat + (random.NextDouble() - 0.5) * 0.016, south, north);
            }
        }
        return fixes;
    }

    private const string PostGisHoursSql = """
        WITH f AS (
            SELECT recorded_at AS t1, geom AS g1,
                   lag(recorded_at) OVER w AS t0, lag(geom) OVER w AS g0
              FROM gps_point
             WHERE recorded_at >= $1 AND recorded_at < $2
            WINDOW w AS (PARTITION BY unit_code ORDER BY recorded_at)
        ), i AS (
            SELECT row_number() OVER () AS id, t0, extract(epoch FROM t1 - t0) / 3600.0 AS hours,
                   ST_SetSRID(ST_MakePoint((ST_X(g0) + ST_X(g1)) / 2, (ST_Y(g0) + ST_Y(g1)) / 2), 4326) AS mid
              FROM f
             WHERE t0 IS NOT NULL AND t1 - t0 <= interval '10 minutes' AND ST_Distance(g0::geography, g1::geography) <= 2000
               AND ((t0 AT TIME ZONE 'UTC') + interval '8 hours')::date = ((t1 AT TIME ZONE 'UTC') + interval '8 hours')::date
        ), d AS (
            -- the incident-attribution rule: one department per midpoint, the smallest code where several cover it
            SELECT DISTINCT ON (i.id) i.id, i.t0, i.hours, j.department_code
              FROM i JOIN jurisdiction j
                ON j.valid_from <= i.t0 AND (j.valid_to IS NULL OR i.t0 < j.valid_to) AND ST_Covers(j.geom, i.mid)
             ORDER BY i.id, j.department_code COLLATE "C"
        )
        SELECT department_code, ((t0 AT TIME ZONE 'UTC') + interval '8 hours')::date, sum(hours)::float8
          FROM d GROUP BY 1, 2 ORDER BY 1, 2
        """;

    private async Task<List<PatrolHours>> PostGisHoursAsync()
    {
        await using var command = database.DataSource.CreateCommand(PostGisHoursSql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = From.UtcDateTime });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = To.UtcDateTime });
        var list = new List<PatrolHours>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            list.Add(new PatrolHours(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetDouble(2)));
        return list;
    }

    [Fact]
    public async Task LoadKpiInputAsync_patrolHours_agreeWithPostGisSql()
    {
        var input = await new AnalysisSource(database.DataSource).LoadKpiInputAsync(From, To);
        var expected = await PostGisHoursAsync();

        // The data exercise every rule: time breaks, distance breaks, midpoints outside both jurisdictions, D1 before and after its
        // redraw, and the midnight CST break (an interval across it, short and near enough to count otherwise, inside a jurisdiction).
        var counts = await database.ScalarAsync<string>($"""
            WITH f AS (SELECT recorded_at AS t1, geom AS g1, lag(recorded_at) OVER w AS t0, lag(geom) OVER w AS g0 FROM gps_point
                       WINDOW w AS (PARTITION BY unit_code ORDER BY recorded_at))
            SELECT concat_ws(',',
                count(*) FILTER (WHERE t1 - t0 > interval '10 minutes') > 0,
                count(*) FILTER (WHERE ST_Distance(g0::geography, g1::geography) > 2000) > 0,
                count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM jurisdiction j WHERE ST_Covers(j.geom, ST_Centroid(ST_MakeLine(g0, g1))))) > 0,
                count(*) FILTER (WHERE ST_X(g0) BETWEEN 118.56 AND 118.6 AND t0 < '{RedrawAt.UtcDateTime:O}') > 0,
                count(*) FILTER (WHERE ST_X(g0) BETWEEN 118.56 AND 118.6 AND t0 >= '{RedrawAt.UtcDateTime:O}') > 0,
                count(*) FILTER (WHERE t1 - t0 <= interval '10 minutes' AND ST_Distance(g0::geography, g1::geography) <= 2000
                                   AND ((t0 AT TIME ZONE 'UTC') + interval '8 hours')::date <> ((t1 AT TIME ZONE 'UTC') + interval '8 hours')::date
                                   AND EXISTS (SELECT 1 FROM jurisdiction j WHERE ST_Covers(j.geom, ST_Centroid(ST_MakeLine(g0, g1))))) > 0)
              FROM f WHERE t0 IS NOT NULL
            """);
        counts.Should().Be("t,t,t,t,t,t");
        expected.Select(h => h.DepartmentCode).Distinct().Should().BeEquivalentTo(["D1", "D2"], "the walk reaches both departments");
        expected.Select(h => h.Date).Distinct().Should().HaveCountGreaterThan(1, "the window crosses midnight CST");
        input.PatrolHours.Select(h => (h.DepartmentCode, h.Date)).Should().Equal(expected.Select(h => (h.DepartmentCode, h.Date)));
        for (var i = 0; i < expected.Count; i++)
            input.PatrolHours[i].Hours.Should().BeApproximately(expected[i].Hours, 1e-6, $"{expected[i].DepartmentCode} on {expected[i].Date}");
    }

    [Fact]
    public async Task LoadKpiInputAsync_kpiRows_casesPerPatrolHour()
    {
        var input = await new AnalysisSource(database.DataSource).LoadKpiInputAsync(From, To);
        var expected = await PostGisHoursAsync();

        var report = KpiCalculator.Compute(input, new KpiOptions { From = From, To = To });

        var centre = report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Centre);
        centre.PatrolHours.Should().BeApproximately(expected.Sum(h => h.Hours), 1e-6, "the centre row sums the departments' hours");
        var d2 = report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == "D2");
        d2.Cases.Should().Be(1, "I2 lies in D2 at T0");
        d2.CasesPerPatrolHour.Should().BeApproximately(1 / expected.Where(h => h.DepartmentCode == "D2").Sum(h => h.Hours), 1e-9);
    }
}
