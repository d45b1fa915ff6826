using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// The per-department-day cache of patrol coverage on PostGIS: a window's reduced days come as cached department-day parts
/// that give the coverage of the raw fixes; a second request computes nothing; a GPS fix written into one department-day
/// sends the day back to raw fixes at once and, once reduced again, recomputes that department-day only.
/// </summary>
public sealed class PatrolDayCacheTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 14, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateOnly Today = ChinaTime.DateOf(Now);
    private static readonly PatrolCoverageOptions Options = new(BlankStripWidthM: 0, Projection: MetricProjection.Dongying);

    private GpsRetention Retention => new(database.DataSource);

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await SeedLoader.LoadAsync(database.DataSource, Dataset() with { GpsFixes = [] });
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await GpsPointRepository.CopyAsync(connection, GpsRetentionTests.Fixes());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Cached_department_days_give_the_raw_coverage_and_a_GPS_write_into_one_recomputes_only_it()
    {
        var source = new AnalysisSource(database.DataSource);
        var (from, to) = (Now.AddDays(-4), Now);
        var raw = PatrolCoverage.Compute(await source.LoadPatrolInputAsync(from, to), Options);
        await Retention.ReduceCompletedDaysAsync(Now);
        var cache = new PatrolDayCache();

        // Days 3 and 2 back are reduced and whole in the window: 2 departments × 2 days, computed once.
        var first = await source.LoadPatrolInputCachedAsync(from, to, cache, Options);
        first.Parts.Should().HaveCount(4);
        first.Tracks.Should().BeEmpty();
        first.Fixes.Should().HaveCount(4800, "today stays raw");
        cache.Computed.Should().Be(4);
        var cached = PatrolCoverage.Compute(first, Options);
        foreach (var department in cached.Departments)
        {
            var expected = raw.Departments.Single(d => d.DepartmentCode == department.DepartmentCode);
            department.CoverageRatio.Should().BeApproximately(expected.CoverageRatio, 0.001, department.DepartmentCode);
            department.OwnTrackCount.Should().Be(expected.OwnTrackCount);
            department.OwnPatrolLengthM.Should().BeApproximately(expected.OwnPatrolLengthM, 1e-6);
            department.KeyWells.Select(w => (w.Code, w.Visited)).Should().Equal(expected.KeyWells.Select(w => (w.Code, w.Visited)));
        }

        // The same window again: nothing computed, the same answer.
        var again = PatrolCoverage.Compute(await source.LoadPatrolInputCachedAsync(from, to, cache, Options), Options);
        cache.Computed.Should().Be(4);
        cache.Reused.Should().Be(4);
        again.Departments.Select(d => d.CoveredAreaM2).Should().Equal(cached.Departments.Select(d => d.CoveredAreaM2));

        // U1 (D1) drives a new 3 km leg on the evening of day 3, between two of its legs (1 km apart, so 400 m of each gap was
        // uncovered): a GPS write into department-day (D1, day 3).
        var projection = MetricProjection.Dongying;
        var evening = ChinaTime.StartOf(Today.AddDays(-3)).AddHours(20);
        var late = Enumerable.Range(0, 300).Select(s =>
        {
            var (lon, lat) = projection.Inverse(496_000 + s * 10.0, -3_500);
            return new GpsFix("U1", evening.AddSeconds(s), lon, lat);
        }).ToList();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
            await GpsPointRepository.CopyAsync(connection, late);
        var d1 = cached.Departments.Single(d => d.DepartmentCode == "D1").CoveredAreaM2;

        // At once: day 3 is no longer reduced, so it comes as raw fixes (the new leg counts), not from the cache.
        var unmarked = await source.LoadPatrolInputCachedAsync(from, to, cache, Options);
        unmarked.Parts.Should().HaveCount(2).And.OnlyContain(p => p.Day == Today.AddDays(-2));
        var withLate = PatrolCoverage.Compute(unmarked, Options);
        withLate.Departments.Single(d => d.DepartmentCode == "D1").CoveredAreaM2.Should().BeGreaterThan(d1 + 1e6, "a 3 km leg fills ~3 km × 400 m of the gap between two legs");

        // Reduced again: only (D1, day 3) is computed anew; (D2, day 3) and day 2 come from the cache.
        await Retention.ReduceCompletedDaysAsync(Now);
        var computed = cache.Computed;
        var rereduced = PatrolCoverage.Compute(await source.LoadPatrolInputCachedAsync(from, to, cache, Options), Options);
        (cache.Computed - computed).Should().Be(1);
        rereduced.Departments.Single(d => d.DepartmentCode == "D1").CoveredAreaM2
            .Should().BeApproximately(withLate.Departments.Single(d => d.DepartmentCode == "D1").CoveredAreaM2, d1 * 0.002);
        rereduced.Departments.Single(d => d.DepartmentCode == "D2").CoveredAreaM2
            .Should().Be(cached.Departments.Single(d => d.DepartmentCode == "D2").CoveredAreaM2);
    }
}
