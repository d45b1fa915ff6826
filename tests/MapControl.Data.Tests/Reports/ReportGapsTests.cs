using MapControl.Core.Coverage;
using MapControl.Data.Analysis;
using MapControl.Data.Reports;
using MapControl.Data.Tests.PostGis;

namespace MapControl.Data.Tests.Reports;

/// <summary>
/// The monthly report's gaps and overlaps (the check without incidents, then the gaps' incidents of 12 months counted from those in
/// the gaps' boxes) equal <c>coverage-check --from-db</c>'s — CoverageCheck over AnalysisSource's input with every incident of the
/// 12 months — on PostGIS: same gaps, same incident counts and risk, same ranking.
/// </summary>
public sealed class ReportGapsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2025, 7, 1, 0, 0, 0, TimeSpan.FromHours(8));

    // Zone Z1 with D1 west and D2 east and a 0.01° strip between them; zone Z2 with no jurisdiction (a gap touching nobody).
    private const string Fixture = """
        INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁护卫部', '#e41a1c'), ('D2', '河口护卫部', '#377eb8');
        INSERT INTO oil_zone (code, name, geom) VALUES
          ('Z1', '东营油区', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.70, 37.50, 4326))),
          ('Z2', '北区', ST_Multi(ST_MakeEnvelope(118.80, 37.35, 118.86, 37.40, 4326)));
        INSERT INTO jurisdiction (department_code, geom, valid_from, valid_to, edited_by, reason) VALUES
          ('D1', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.55, 37.50, 4326)), '2024-01-01Z', NULL, 'planner', 'initial'),
          ('D2', ST_Multi(ST_MakeEnvelope(118.56, 37.35, 118.70, 37.50, 4326)), '2024-01-01Z', NULL, 'planner', 'initial');
        INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code) VALUES
          ('W1', ST_SetSRID(ST_MakePoint(118.555, 37.40), 4326), 'oil', 'producing', true, 'Z1');
        SELECT ensure_incident_partitions('2023-01-01Z', '2026-01-01Z');
        INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status)
        SELECT 'G' || n, 'casing_theft', t, t, 'patrol', ST_SetSRID(ST_MakePoint(x, y), 4326), 0, 'closed'
        FROM (VALUES
          (1, '2025-03-01Z'::timestamptz, 118.555, 37.41), (2, '2025-04-01Z', 118.552, 37.45), (3, '2025-06-30Z', 118.558, 37.36),
          (4, '2025-05-01Z', 118.55, 37.42),    -- on the strip's edge (D1's boundary): not inside the gap
          (5, '2025-05-01Z', 118.50, 37.42),    -- inside D1
          (6, '2024-06-01Z', 118.555, 37.42),   -- in the strip, before the 12 months
          (7, '2025-07-02Z', 118.555, 37.43),   -- in the strip, after the month's end
          (8, '2025-01-01Z', 118.83, 37.37), (9, '2025-02-01Z', 118.84, 37.38), (10, '2025-02-02Z', 118.81, 37.36),
          (11, '2025-02-03Z', 118.83, 37.41)    -- north of Z2: in no gap
        ) v(n, t, x, y);
        """;

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await using var cmd = database.DataSource.CreateCommand(Fixture);
        await cmd.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReportGaps_equal_theCoverageCheck_withEveryIncident()
    {
        var expected = CoverageCheck.Run(await new AnalysisSource(database.DataSource).LoadCoverageInputAsync(AsOf), new CoverageOptions());
        var report = await CoverageGaps.CheckAsync(database.DataSource, AsOf, new CoverageOptions(), CancellationToken.None);

        expected.Gaps.Should().HaveCount(2);
        expected.Gaps.Select(g => g.Incidents).Should().BeEquivalentTo([3, 3], "three in the strip, three in Z2");
        report.Gaps.Select(g => (g.AreaM2, g.WidthM, string.Join(",", g.Departments), g.Wells, g.KeyWells, g.Incidents, g.RiskScore))
            .Should().Equal(expected.Gaps.Select(g => (g.AreaM2, g.WidthM, string.Join(",", g.Departments), g.Wells, g.KeyWells, g.Incidents, g.RiskScore)));
        report.Overlaps.Should().HaveCount(expected.Overlaps.Count);
        (report.FrameAreaM2, report.CoveredAreaM2).Should().Be((expected.FrameAreaM2, expected.CoveredAreaM2));
    }
}
