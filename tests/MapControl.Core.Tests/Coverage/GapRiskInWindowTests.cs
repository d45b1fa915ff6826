using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Coverage;

/// <summary>Gap risk over a window: the check's counting rule with the window's incidents, the check's weights and ranking.</summary>
public sealed class GapRiskInWindowTests
{
    // Two gaps: a 20 m strip at x 1000–1020 (between A and B) and a 50 m strip at x 1980–2030 (between B and C).
    private static CoverageInput Input(IReadOnlyList<CoverageIncident> incidents) =>
        new(Metres("POLYGON ((0 0, 3000 0, 3000 1000, 0 1000, 0 0))"),
            [ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"), ItemM("B", "POLYGON ((1020 0, 1980 0, 1980 1000, 1020 1000, 1020 0))"),
             ItemM("C", "POLYGON ((2030 0, 3000 0, 3000 1000, 2030 1000, 2030 0))")])
        {
            Wells = [new WellPoint((Point)Metres("POINT (2000 500)"), true)],
            Incidents = incidents,
            AsOf = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
        };

    private static CoverageIncident At(double x, double y, int month) =>
        new((Point)Metres($"POINT ({x} {y})"), new DateTimeOffset(2026, month, 10, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Rescore_withTheChecksOwnIncidents_givesTheChecksCountsRiskAndOrder()
    {
        var incidents = new[] { At(1010, 100, 3), At(1010, 200, 4), At(1005, 900, 5), At(2010, 300, 6), At(500, 500, 7) };
        var report = CoverageCheck.Run(Input(incidents));
        var rescored = GapRiskInWindow.Rescore(report.Gaps, incidents.Select(i => i.Location), new CoverageOptions().Risk);
        rescored.Select(g => (g.Incidents, Math.Round(g.RiskScore, 9), g.AreaM2)).Should()
            .Equal(report.Gaps.Select(g => (g.Incidents, Math.Round(g.RiskScore, 9), g.AreaM2)), "the one counting rule and the one score");
    }

    [Fact]
    public void Rescore_overAWindow_countsOnlyItsIncidentsScoresAgainAndRanksAgain()
    {
        var all = new[] { At(1010, 100, 3), At(1010, 200, 3), At(1015, 900, 3), At(2010, 300, 11), At(500, 500, 11) };
        var report = CoverageCheck.Run(Input(all));
        report.Gaps[0].Departments.Should().Equal("A", "B"); // three incidents outweigh the key well in the 12 months
        var weights = new CoverageOptions().Risk;

        // November only: one incident in the B/C gap, none in the A/B gap; the outside one counts for no gap.
        var november = all.Where(i => i.OccurredAt.Month == 11).Select(i => i.Location);
        var rescored = GapRiskInWindow.Rescore(report.Gaps, november, weights);

        rescored.Select(g => string.Join("/", g.Departments)).Should().Equal("B/C", "A/B");
        rescored[0].Incidents.Should().Be(1);
        rescored[1].Incidents.Should().Be(0);
        rescored[0].RiskScore.Should().BeApproximately(weights.Score(1, 1, 1, rescored[0].AreaM2), 1e-9);
        rescored[1].RiskScore.Should().BeApproximately(weights.Score(0, 0, 0, rescored[1].AreaM2), 1e-9);
        rescored.Select(g => g.AreaM2).Should().BeEquivalentTo(report.Gaps.Select(g => g.AreaM2), "area, wells and key wells stay the check's");
    }
}
