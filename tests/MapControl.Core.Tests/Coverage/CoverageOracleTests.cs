using MapControl.Core.Coverage;

namespace MapControl.Core.Tests.Coverage;

/// <summary>The edge-matching check against the old overlay-based worker (<see cref="LegacyCoverageWorker"/>) on a Voronoi coverage with planted gaps and overlaps.</summary>
public sealed class CoverageOracleTests
{
    [Fact]
    public void Run_voronoiWithPlantedGapsAndOverlaps_sameAreasAndOwnersAsOverlayOracle()
    {
        var input = CoveragePerfTests.Voronoi(40, 20_000, 300, shrink: [3, 17], grow: [8, 30], seed: 11);
        var options = new CoverageOptions { MinAreaM2 = 0 };

        var actual = CoverageCheck.Analyse(input, options).Report;
        var expected = LegacyCoverageWorker.Analyse(input, options).Report;

        actual.Gaps.Should().NotBeEmpty();
        actual.Overlaps.Should().NotBeEmpty();
        actual.Gaps.Select(g => g.AreaM2).Order().Should().Equal(expected.Gaps.Select(g => g.AreaM2).Order(),
            (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1.0, b));
        actual.Overlaps.Select(o => o.AreaM2).Order().Should().Equal(expected.Overlaps.Select(o => o.AreaM2).Order(),
            (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1.0, b));
        actual.Gaps.Select(g => string.Join(",", g.Departments)).Order()
            .Should().Equal(expected.Gaps.Select(g => string.Join(",", g.Departments)).Order());
        actual.Overlaps.Select(o => string.Join(",", o.Departments)).Order()
            .Should().Equal(expected.Overlaps.Select(o => string.Join(",", o.Departments)).Order());
        actual.CoveredAreaM2.Should().BeApproximately(expected.CoveredAreaM2, 1e-6 * expected.CoveredAreaM2);
        actual.InvalidEdges.Should().HaveCount(expected.InvalidEdges.Count);
    }
}
