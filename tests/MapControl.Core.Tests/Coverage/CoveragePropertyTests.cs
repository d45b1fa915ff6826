using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Tests.Coverage;

public sealed class CoveragePropertyTests
{
    private static readonly CoverageOptions AllReported = new() { MinAreaM2 = 0, Projection = CoverageTestGeometry.Local };

    /// <summary>All reported, on a 10 nm grid: floating-point overlays of the results then agree to 1e-6 m².</summary>
    private static readonly CoverageOptions FineGrid = AllReported with { GridM = 1e-8 };

    /// <summary>A seeded 5 × 4 grid of 1 km cells; some cells shrunk (gaps), some grown (overlaps), one removed.</summary>
    private static CoverageInput Mutated(int seed)
    {
        var (frame, cells) = SyntheticCoverage.Grid(5, 4, 1000, 25, 30, seed);
        var random = new Random(seed);
        var mutated = new List<Geometry>();
        for (var i = 0; i < cells.Count; i++)
        {
            var roll = random.NextDouble();
            if (roll < 0.05) continue;
            Geometry cell = cells[i];
            if (roll < 0.25) cell = cell.Buffer(-(0.3 + random.NextDouble() * 20));
            else if (roll < 0.45) cell = cell.Buffer(0.3 + random.NextDouble() * 20);
            mutated.Add(cell);
        }
        return SyntheticCoverage.Input(frame, mutated);
    }

    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Run_randomCoverage_frameAreaIsCoveredAreaPlusGaps(int seed)
    {
        var input = Mutated(seed);
        var analysis = CoverageCheck.Analyse(input, AllReported);
        var frame = analysis.Coverage.Frame;
        var union = OverlayNGRobust.Union(analysis.Coverage.Items.Select(i => i.Geometry));
        var covered = OverlayNGRobust.Overlay(frame, union, SpatialFunction.Intersection).Area;

        var gaps = analysis.Report.Gaps.Sum(g => g.AreaM2);

        (covered + gaps).Should().BeApproximately(frame.Area, 1e-6 * frame.Area);
        analysis.Report.FrameAreaM2.Should().BeApproximately(frame.Area, 1e-9 * frame.Area);
        analysis.Report.Gaps.Should().NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Run_randomCoverage_gapsDoNotIntersectAnyItemInterior(int seed)
    {
        var analysis = CoverageCheck.Analyse(Mutated(seed), FineGrid);

        foreach (var gap in analysis.GapsMetric)
        {
            foreach (var item in analysis.Coverage.Items.Where(i => i.Geometry.EnvelopeInternal.Intersects(gap.EnvelopeInternal)))
            {
                OverlayNGRobust.Overlay(gap, item.Geometry, SpatialFunction.Intersection).Area.Should().BeLessThan(1e-6);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Run_randomCoverage_overlapsLieInsideAtLeastTwoItems(int seed)
    {
        var analysis = CoverageCheck.Analyse(Mutated(seed), FineGrid);

        analysis.OverlapsMetric.Should().NotBeEmpty();
        foreach (var overlap in analysis.OverlapsMetric)
        {
            // Pieces of a merged overlap can lie in different pairs; each point of it lies in ≥ 2 items, so Σ covered ≥ 2 × area.
            var coveredTwice = analysis.Coverage.Items.Sum(i => OverlayNGRobust.Overlay(overlap, i.Geometry, SpatialFunction.Intersection).Area);
            coveredTwice.Should().BeGreaterThanOrEqualTo(2 * overlap.Area * (1 - 1e-6));
        }
    }
}
