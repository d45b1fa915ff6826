using MapControl.Core.Coverage;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Coverage;

public sealed class CoverageCheckInputTests
{
    private const string Frame = "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))";

    [Fact]
    public void Run_selfIntersectingBowTie_isRepairedAndReportedAsProblem()
    {
        // A's bow-tie (crossing at 118.495 37.405) repairs into two triangles; the other two triangles of the west half are gaps.
        var input = new CoverageInput(Wkt("POLYGON ((118.49 37.40, 118.51 37.40, 118.51 37.41, 118.49 37.41, 118.49 37.40))"),
        [
            Item("A", "POLYGON ((118.49 37.40, 118.50 37.41, 118.50 37.40, 118.49 37.41, 118.49 37.40))"),
            Item("B", "POLYGON ((118.50 37.40, 118.51 37.40, 118.51 37.41, 118.50 37.41, 118.50 37.40))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Problems.Should().ContainSingle().Which.Should().Match<CoverageProblem>(p => p.ItemIndex == 0 && p.Owner == "A" && p.Repaired);
        report.Gaps.Should().HaveCount(2);
        var westHalf = EllipsoidRectangleAreaM2(118.49, 37.40, 118.50, 37.41);
        report.Gaps.Sum(g => g.AreaM2).Should().BeApproximately(westHalf / 2, 0.001 * westHalf);
    }

    [Fact]
    public void Run_itemWithoutArea_isSkippedAndReported()
    {
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "LINESTRING (0 0, 1000 1000)"),
            ItemM("B", "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Problems.Should().ContainSingle().Which.Repaired.Should().BeFalse();
        report.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void Run_wellsAndIncidentsInGap_areCountedWithTheTwelveMonthWindow()
    {
        var asOf = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 900 0, 900 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1100 0, 2000 0, 2000 1000, 1100 1000, 1100 0))"),
        ])
        {
            Wells =
            [
                new WellPoint((NetTopologySuite.Geometries.Point)Metres("POINT (1000 100)"), true),
                new WellPoint((NetTopologySuite.Geometries.Point)Metres("POINT (1000 200)"), false),
                new WellPoint((NetTopologySuite.Geometries.Point)Metres("POINT (500 200)"), true),
            ],
            Incidents =
            [
                new CoverageIncident((NetTopologySuite.Geometries.Point)Metres("POINT (1000 300)"), asOf.AddMonths(-2)),
                new CoverageIncident((NetTopologySuite.Geometries.Point)Metres("POINT (1000 400)"), asOf.AddMonths(-13)),
                new CoverageIncident((NetTopologySuite.Geometries.Point)Metres("POINT (1500 400)"), asOf.AddMonths(-1)),
            ],
            AsOf = asOf,
        };

        var gap = CoverageCheck.Run(input).Gaps.Should().ContainSingle().Subject;

        gap.Wells.Should().Be(2);
        gap.KeyWells.Should().Be(1);
        gap.Incidents.Should().Be(1);
        gap.RiskScore.Should().BeApproximately(new GapRiskWeights().Score(1, 1, 2, gap.AreaM2), 1e-9);
    }

    [Fact]
    public void Score_eachTermIncreases_scoreIncreases()
    {
        var w = new GapRiskWeights();
        var baseline = w.Score(1, 1, 1, 10_000);

        w.Score(2, 1, 1, 10_000).Should().BeGreaterThan(baseline);
        w.Score(1, 2, 1, 10_000).Should().BeGreaterThan(baseline);
        w.Score(1, 1, 2, 10_000).Should().BeGreaterThan(baseline);
        w.Score(1, 1, 1, 20_000).Should().BeGreaterThan(baseline);
        w.Score(0, 0, 0, 0).Should().Be(0);
    }
}
