using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using static MapControl.Core.Tests.Patrol.PatrolTestData;

namespace MapControl.Core.Tests.Patrol;

public sealed class BlankStripsTests
{
    private const double D = 200;
    private const double L = 1000;
    private static readonly PatrolCoverageOptions Options = new(RadiusM: 100, BlankStripWidthM: D, Projection: Projection);
    private static readonly PatrolUnit[] Units = [new("a1", "A", "A one", "ka1"), new("b1", "B", "B one", "kb1")];

    private static readonly Dictionary<string, Geometry> TwoSquares = new()
    {
        ["B"] = Square(L, 0, L),
        ["A"] = Square(0, 0, L),
    };

    private static PatrolCoverageReport Run(IReadOnlyDictionary<string, Geometry> jurisdictions, IEnumerable<GpsFix> fixes, PatrolCoverageOptions? options = null) =>
        PatrolCoverage.Compute(new PatrolCoverageInput(jurisdictions, fixes.ToList(), Units, []), options ?? Options);

    [Fact]
    public void Compute_twoSquaresSharingEdgeNoPatrols_stripIsTwoDTimesL()
    {
        var strip = Run(TwoSquares, []).BlankStrips.Should().ContainSingle().Subject;

        strip.DepartmentA.Should().Be("A");
        strip.DepartmentB.Should().Be("B");
        strip.AreaM2.Should().BeApproximately(2 * D * L, 2 * D * L * 0.01);
        strip.BandAreaM2.Should().BeApproximately(strip.AreaM2, 1e-6);
        strip.UncoveredShare.Should().BeApproximately(1, 1e-9);
        strip.BoundaryLengthM.Should().BeApproximately(L, L * 0.01);
        var envelope = Metric(strip.Geometry).EnvelopeInternal;
        envelope.MinX.Should().BeApproximately(L - D, 1e-3);
        envelope.MaxX.Should().BeApproximately(L + D, 1e-3);
    }

    [Fact]
    public void Compute_zeroTolerance_exactSharedEdgeGivesExactLength()
    {
        var strip = Run(TwoSquares, [], Options with { NeighbourToleranceM = 0 }).BlankStrips.Should().ContainSingle().Subject;

        strip.BoundaryLengthM.Should().BeApproximately(L, 1e-3);
        strip.AreaM2.Should().BeApproximately(2 * D * L, 1e-2);
    }

    [Fact]
    public void Compute_patrolAlongBoundary_stripShrinksToOuterBands()
    {
        // A track along the whole shared edge covers |x − L| ≤ r: what is left are two bands of width d − r.
        var report = Run(TwoSquares, Line("a1", L, -300, L, L + 300));

        var strip = report.BlankStrips.Should().ContainSingle().Subject;
        strip.AreaM2.Should().BeApproximately(2 * (D - 100) * L, 2 * (D - 100) * L * 0.01);
        strip.UncoveredShare.Should().BeApproximately(0.5, 0.01);
        strip.Geometry.NumGeometries.Should().Be(2);
    }

    [Fact]
    public void Compute_patrolWiderThanBand_noStripLeft()
    {
        var report = Run(TwoSquares, Line("b1", L, -300, L, L + 300), Options with { RadiusM = 300 });

        report.BlankStrips.Should().ContainSingle().Which.AreaM2.Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Compute_squaresApartOrTouchingAtCorner_noPair()
    {
        var apart = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, L), ["B"] = Square(L + 50, 0, L) };
        var corner = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, L), ["B"] = Square(L, L, L) };

        Run(apart, []).BlankStrips.Should().BeEmpty();
        Run(corner, []).BlankStrips.Should().BeEmpty();
    }

    [Fact]
    public void Compute_smallGapWithinTolerance_stillNeighbours()
    {
        var nearly = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, L), ["B"] = Square(L + 0.5, 0, L) };

        var strip = Run(nearly, []).BlankStrips.Should().ContainSingle().Subject;

        strip.BoundaryLengthM.Should().BeApproximately(L, L * 0.01);
        strip.AreaM2.Should().BeApproximately(2 * D * L, 2 * D * L * 0.01);
    }

    [Fact]
    public void Compute_publicEntryPoint_matchesReport()
    {
        var coverage = Run(TwoSquares, Line("a1", L, -300, L, L + 300)).Coverage;

        var strips = BlankStrips.Compute(TwoSquares, coverage, D, projection: Projection);

        strips.Should().ContainSingle().Which.AreaM2.Should().BeApproximately(2 * (D - 100) * L, 2 * (D - 100) * L * 0.01);
    }
}
