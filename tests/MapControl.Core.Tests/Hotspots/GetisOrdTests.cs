using MapControl.Core.Hotspots;

namespace MapControl.Core.Tests.Hotspots;

public sealed class GetisOrdTests
{
    private static readonly HexCell Centre = new(10, -4);

    /// <summary>Gi* written out from the formula for binary weights: Σw = Σw² = wSum.</summary>
    private static double GiByHand(double wx, double wSum, double n, double mean, double s) =>
        (wx - mean * wSum) / (s * Math.Sqrt((n * wSum - wSum * wSum) / (n - 1)));

    [Fact]
    public void Compute_hotCentreWithRingOfOnes_matchesHandComputation()
    {
        // Centre 10, its six neighbours 1 each → study area = centre + 2 rings = 19 cells (12 of them empty).
        var counts = new Dictionary<HexCell, int> { [Centre] = 10 };
        foreach (var neighbour in HexBins.Neighbours(Centre)) counts[neighbour] = 1;

        var gi = GetisOrd.Compute(counts);

        gi.Should().HaveCount(19);
        const double n = 19, sum = 16, sumSq = 106;
        var mean = sum / n;
        var s = Math.Sqrt(sumSq / n - mean * mean);
        // Centre: itself + 6 neighbours, Σwx = 10 + 6.
        var zCentre = GiByHand(16, 7, n, mean, s);
        zCentre.Should().BeApproximately(192 / Math.Sqrt(8204), 1e-12); // the same, simplified on paper
        gi.Single(g => g.Cell == Centre).Z.Should().BeApproximately(zCentre, 1e-12);
        gi.Single(g => g.Cell == Centre).P.Should().BeApproximately(0.034026, 1e-5);
        // First ring: itself 1 + centre 10 + two ring neighbours 1 + three empty outer cells; Σw = 7.
        foreach (var r1 in HexBins.Neighbours(Centre))
            gi.Single(g => g.Cell == r1).Z.Should().BeApproximately(GiByHand(13, 7, n, mean, s), 1e-12);
        // Second ring: "corner" cells touch 1 ring-one cell and have 3 neighbours outside the study area (Σw = 4);
        // "edge" cells touch 2 ring-one cells and have 2 outside (Σw = 5).
        var ring2 = gi.Where(g => g.Cell.DistanceTo(Centre) == 2).ToList();
        ring2.Should().HaveCount(12);
        ring2.Count(g => g.NeighbourhoodSize == 4).Should().Be(6);
        ring2.Where(g => g.NeighbourhoodSize == 4).Should().OnlyContain(g => Math.Abs(g.Z - GiByHand(1, 4, n, mean, s)) < 1e-12);
        ring2.Where(g => g.NeighbourhoodSize == 5).Should().OnlyContain(g => Math.Abs(g.Z - GiByHand(2, 5, n, mean, s)) < 1e-12);
        GiByHand(1, 4, n, mean, s).Should().BeApproximately(-45 / Math.Sqrt(5860), 1e-12);
    }

    [Fact]
    public void Compute_singleNonEmptyCell_centreIsZeroRingIsSymmetric()
    {
        // Study area = 7 cells; the centre's neighbourhood is the whole study area, so Σwx = Σx and x̄·Σw = Σx: z = 0.
        var gi = GetisOrd.Compute(new Dictionary<HexCell, int> { [Centre] = 5 });

        gi.Should().HaveCount(7);
        var centre = gi.Single(g => g.Cell == Centre);
        centre.Z.Should().BeApproximately(0, 1e-12);
        centre.P.Should().BeApproximately(1, 1e-7);
        var ring = gi.Where(g => g.Cell != Centre).Select(g => g.Z).ToList();
        ring.Should().OnlyContain(z => Math.Abs(z - ring[0]) < 1e-12);
        // Ring cell: itself, the centre, two ring neighbours → Σw = 4, Σwx = 5; n = 7, x̄ = 5/7, S = √(25/7 − 25/49).
        ring[0].Should().BeApproximately(GiByHand(5, 4, 7, 5.0 / 7, Math.Sqrt(25.0 / 7 - 25.0 / 49)), 1e-12);
    }

    [Fact]
    public void Compute_twoRings_neighbourhoodIsNineteenCells()
    {
        var counts = new Dictionary<HexCell, int> { [Centre] = 3, [new HexCell(30, 30)] = 1 };
        var gi = GetisOrd.Compute(counts, rings: 2);
        gi.Should().HaveCount(2 * 19);
        gi.Single(g => g.Cell == Centre).NeighbourhoodSize.Should().Be(19);
    }

    [Fact]
    public void Compute_empty_returnsNothing()
    {
        GetisOrd.Compute(new Dictionary<HexCell, int>()).Should().BeEmpty();
    }
}
