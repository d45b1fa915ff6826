using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// GPS retention on PostGIS (migration 0007): completed China days reduced to daily tracks, raw fixes older than the
/// retention removed (whole partitions dropped), late fixes making a day be reduced again, and patrol coverage reading
/// reduced days from the daily tracks.
/// </summary>
public sealed class GpsRetentionTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    /// <summary>"Now": 14:00 China time on 4 December 2026.</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 14, 0, 0, TimeSpan.FromHours(8));

    private static readonly DateOnly Today = ChinaTime.DateOf(Now);

    /// <summary>Days (before today) with fixes: two older than 90 days (August 2026), two recent ones.</summary>
    private static readonly int[] DaysBack = [120, 119, 3, 2];

    private GpsRetention Retention => new(database.DataSource);

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await SeedLoader.LoadAsync(database.DataSource, Dataset() with { GpsFixes = [] });
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await GpsPointRepository.CopyAsync(connection, Fixes());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// U1 (D1) and U2 (D2) each drive from 08:00 China time: a 1 Hz zig-zag route of 2,400 fixes with ±3 m jitter, on
    /// every day of <see cref="DaysBack"/> and today until 10:00.
    /// </summary>
    internal static List<GpsFix> Fixes()
    {
        var random = new Random(90);
        var projection = MetricProjection.Dongying;
        var fixes = new List<GpsFix>();
        foreach (var back in DaysBack.Append(0))
        {
            var start = ChinaTime.StartOf(Today.AddDays(-back)).AddHours(8);
            foreach (var (unit, x0) in new[] { ("U1", 496_000.0), ("U2", 508_000.0) })
            {
                for (var s = 0; s < 2400; s++)
                {
                    // Legs of 5 km, alternately east and west, each 1 km north of the last (a jump the track rule breaks at), at 10 m/s.
                    var leg = s / 500;
                    var along = (s % 500) * 10.0;
                    var x = x0 + (leg % 2 == 0 ? along : 5000 - along) + random.NextDouble() * 6 - 3;
                    var y = -4000 + leg * 1000.0 + random.NextDouble() * 6 - 3;
                    var (lon, lat) = projection.Inverse(x, y);
                    fixes.Add(new GpsFix(unit, start.AddSeconds(s), lon, lat));
                }
            }
        }

        return fixes;
    }

    private static (DateTimeOffset From, DateTimeOffset To) DayOf(int back) =>
        (ChinaTime.StartOf(Today.AddDays(-back)), ChinaTime.StartOf(Today.AddDays(1 - back)));

    [Fact]
    public async Task RunAsync_reducesCompletedDays_dropsRawFixesOlderThanTheRetention()
    {
        const string augustVersion = "SELECT coalesce(max(version), 0) FROM data_change_day WHERE table_name = 'gps_point' AND day = '2026-08-15'";
        var augustBefore = await database.ScalarAsync<long>(augustVersion);
        var result = await Retention.RunAsync(Now, rawRetentionDays: 90);

        result.DaysReduced.Should().Be(4, "every completed day with fixes, not today");
        (await database.ScalarAsync<long>(augustVersion)).Should().BeGreaterThan(augustBefore,
            "no trigger sees a dropped partition, so the drop changes the versions of its days itself");
        var reduced = await Retention.ReducedDaysAsync(Today.AddDays(-200), Today);
        reduced.Should().BeEquivalentTo(DaysBack.Select(b => Today.AddDays(-b)));
        result.PartitionsDropped.Should().BeGreaterThanOrEqualTo(1, "August 2026 (and older, empty months) lie wholly before the cutoff");
        (await database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'gps_point_2026_08'")).Should().Be(0);
        (await database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('gps_point_2026_09', 'gps_point_2026_12')"))
            .Should().Be(2, "September holds days younger than 90 days; December is the current month");
        var gps = new GpsPointRepository(database.DataSource);
        foreach (var back in new[] { 120, 119 })
            (await gps.GetByWindowAsync(DayOf(back).From, DayOf(back).To)).Should().BeEmpty($"raw fixes {back} days old are gone");
        foreach (var back in new[] { 3, 2, 0 })
            (await gps.GetByWindowAsync(DayOf(back).From, DayOf(back).To)).Should().HaveCount(4800, $"raw fixes {back} days old are kept");

        // The old days survive as their daily tracks: Core's reduction of the same fixes, vertex for vertex.
        var expected = DailyTracks.Reduce(Fixes().Where(f => ChinaTime.DateOf(f.Time) == Today.AddDays(-120)).ToList(), [UnitA, UnitB],
            GpsRetention.Projection);
        var stored = await Retention.DailyTracksAsync([Today.AddDays(-120)]);
        stored.Should().HaveCount(2).And.HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            stored[i].UnitCode.Should().Be(expected[i].UnitCode);
            stored[i].DepartmentCode.Should().Be(expected[i].UnitCode == "U1" ? "D1" : "D2");
            stored[i].PointCount.Should().Be(2400);
            stored[i].SimplifiedM.Should().Be(5);
            stored[i].Geometry.NumPoints.Should().BeLessThan(240, "straight legs with ±3 m jitter keep a few vertices per leg, not 2,400");
            stored[i].Geometry.EqualsExact(expected[i].Geometry, 1e-9).Should().BeTrue();
        }

        var again = await Retention.RunAsync(Now, rawRetentionDays: 90);
        again.Should().Be(new GpsRetentionResult(0, 0, 0, 0), "a second pass finds nothing to do");
    }

    [Fact]
    public async Task LateFix_forAReducedDay_unmarksIt_andTheNextPassReducesItAgain()
    {
        await Retention.ReduceCompletedDaysAsync(Now);
        var day = Today.AddDays(-3);
        (await Retention.ReducedDaysAsync(day, day)).Should().Contain(day);

        var late = new GpsFix("U1", DayOf(3).From.AddHours(20), 118.52, 37.42);
        (await new GpsPointRepository(database.DataSource).InsertAsync(late)).Should().BeTrue();

        (await Retention.ReducedDaysAsync(day, day)).Should().BeEmpty("the late fix unmarks its day only");
        (await Retention.ReducedDaysAsync(Today.AddDays(-2), Today.AddDays(-2))).Should().HaveCount(1);
        (await Retention.ReduceCompletedDaysAsync(Now)).Days.Should().Be(1);
        var tracks = await Retention.DailyTracksAsync([day]);
        tracks.Should().HaveCount(3, "the late fix is a track of its own (hours after the day's drive)");
        tracks.Sum(t => t.PointCount).Should().Be(4801);
    }

    [Fact]
    public async Task LoadPatrolInputAsync_reducedWholeDays_comeAsDailyTracks_withTheCoverageOfTheRawFixes()
    {
        var source = new AnalysisSource(database.DataSource);
        var (from, to) = (Now.AddDays(-4), Now);
        var options = new PatrolCoverageOptions(BlankStripWidthM: 0, Projection: MetricProjection.Dongying);
        var rawInput = await source.LoadPatrolInputAsync(from, to);
        rawInput.Tracks.Should().BeEmpty();
        var raw = PatrolCoverage.Compute(rawInput, options);

        await Retention.ReduceCompletedDaysAsync(Now);
        var input = await source.LoadPatrolInputAsync(from, to);

        input.Tracks.Should().HaveCount(4, "days 3 and 2 lie wholly in the window: one track per unit and day");
        input.Fixes.Should().HaveCount(4800, "today stays raw");
        var reduced = PatrolCoverage.Compute(input, options);
        foreach (var department in reduced.Departments)
        {
            var before = raw.Departments.Single(d => d.DepartmentCode == department.DepartmentCode);
            department.CoverageRatio.Should().BeApproximately(before.CoverageRatio, 0.001, department.DepartmentCode);
            department.OwnTrackCount.Should().Be(before.OwnTrackCount);
            department.OwnPatrolLengthM.Should().BeApproximately(before.OwnPatrolLengthM, 1e-6);
        }
    }
}
