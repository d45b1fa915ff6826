using MapControl.Core.Coverage;
using MapControl.Core.Hotspots;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis;
using MapControl.Data.Tests.PostGis;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.Analysis;

/// <summary>AnalysisSource loads from a real PostGIS what the Core analyses take; answers checked against PostGIS itself.</summary>
public sealed class AnalysisSourceTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await SeedLoader.LoadAsync(database.DataSource, Dataset());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private AnalysisSource Source => new(database.DataSource);

    [Fact]
    public async Task LoadCoverageInputAsync_overlap_of_D1_D2_matches_PostGIS_geography_area()
    {
        var input = await Source.LoadCoverageInputAsync(T0.AddDays(10));

        input.Items.Select(i => i.Owner).Should().BeEquivalentTo(["D1", "D2"]);
        input.Wells.Should().HaveCount(2);
        input.Incidents.Should().HaveCount(3, "I2–I4 lie in the 12 months before T0 + 10 days, I1 (T0 − 1 year) before them");
        var report = CoverageCheck.Run(input);

        report.Gaps.Should().BeEmpty();
        var overlap = report.Overlaps.Should().ContainSingle().Subject;
        overlap.Departments.Should().Equal("D1", "D2");
        var expected = await database.ScalarAsync<double>(
            "SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography) FROM jurisdiction a, jurisdiction b WHERE a.department_code = 'D1' AND b.department_code = 'D2'");
        overlap.AreaM2.Should().BeApproximately(expected, expected * 0.001);
        var frame = await database.ScalarAsync<double>("SELECT ST_Area(ST_Union(geom)::geography) FROM oil_zone");
        report.FrameAreaM2.Should().BeApproximately(frame, frame * 0.001);
    }

    [Fact]
    public async Task LoadHotSpotIncidentsAsync_window_then_kind()
    {
        var window = new IncidentFilter { From = T0.AddDays(-1), To = T0.AddDays(10) };

        (await Source.LoadHotSpotIncidentsAsync(window)).Should().HaveCount(3);
        (await Source.LoadHotSpotIncidentsAsync(window with { Kinds = [IncidentKind.PipelineTapping] })).Should().ContainSingle()
            .Which.Kind.Should().Be(IncidentKind.PipelineTapping);
        (await Source.LoadHotSpotIncidentsAsync(IncidentFilter.All)).Should().HaveCount(4);
    }

    [Fact]
    public async Task LoadPatrolInputAsync_fixes_of_the_window_only()
    {
        var input = await Source.LoadPatrolInputAsync(T0, T0.AddDays(1));

        input.Fixes.Should().HaveCount(2).And.OnlyContain(f => f.UnitCode == "U1");
        input.Jurisdictions.Keys.Should().BeEquivalentTo(["D1", "D2"]);
        input.Units.Should().HaveCount(2);
        input.KeyWells.Should().ContainSingle().Which.Code.Should().Be("W1");
        var report = PatrolCoverage.Compute(input, new PatrolCoverageOptions(RadiusM: 2000, SimplifyToleranceM: 0, RepeatToleranceM: 0));
        report.Tracks.Should().ContainSingle();
        report.Departments.Single(d => d.DepartmentCode == "D1").KeyWells.Single().Visited.Should().BeTrue();
    }

    [Fact]
    public async Task LoadKpiInputAsync_counts_cases_and_last_year()
    {
        var from = T0.AddDays(-1);
        var input = await Source.LoadKpiInputAsync(from, T0.AddDays(10));

        input.Cases.Select(i => i.OccurredAt).Should().BeEquivalentTo([T0.AddYears(-1), T0, T0.AddDays(3), T0.AddDays(4)], "I1–I4, in their light form");
        var report = KpiCalculator.Compute(input, new KpiOptions { From = from, To = T0.AddDays(10) });
        var centre = report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Centre);
        centre.Cases.Should().Be(3);
        centre.CasesLastYear.Should().Be(1);
    }

    [Fact]
    public async Task Incident_window_query_prunes_partitions_by_time()
    {
        await using var command = database.DataSource.CreateCommand(
            "EXPLAIN SELECT code FROM incident WHERE occurred_at >= $1 AND occurred_at < $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = T0.UtcDateTime });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = T0.AddDays(10).UtcDateTime });
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        var partitions = await database.ScalarAsync<long>("SELECT count(*) FROM pg_inherits WHERE inhparent = 'incident'::regclass");

        partitions.Should().BeGreaterThan(1);
        plan.Count(l => l.Contains(" on incident", StringComparison.Ordinal)).Should().BeLessThan((int)partitions, string.Join('\n', plan));
    }
}
