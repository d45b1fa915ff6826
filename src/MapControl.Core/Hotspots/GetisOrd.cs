namespace MapControl.Core.Hotspots;

/// <summary>The Getis-Ord Gi* statistic of one hexagon cell.</summary>
/// <param name="NeighbourhoodSize">Σj wij: cells of the neighbourhood (the cell included) that lie in the study area.</param>
public sealed record GiStar(HexCell Cell, int Count, double Z, double P, int NeighbourhoodSize);

/// <summary>
/// Getis-Ord Gi* over hexagon counts with binary weights and a fixed-distance neighbourhood of k rings (k = 1: the cell
/// and its six neighbours). The study area is every cell that is non-empty or lies within k rings of a non-empty cell;
/// n, the mean x̄ and the standard deviation S = √(Σx²/n − x̄²) are taken over the study area, and a neighbourhood only
/// counts cells of the study area. Gi* = (Σj wij xj − x̄ Σj wij) / (S √[(n Σj wij² − (Σj wij)²)/(n−1)]).
/// </summary>
public static class GetisOrd
{
    /// <summary>Gi* z-score and two-sided p-value of every cell of the study area, ordered by (r, q).</summary>
    public static IReadOnlyList<GiStar> Compute(IReadOnlyDictionary<HexCell, int> counts, int rings = 1)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var packed = HexBinner.NewCounts();
        foreach (var (cell, count) in counts)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(counts), count, $"Negative count in cell {cell}.");
            if (count > 0) packed[cell.Pack()] = count;
        }
        return Compute(packed, rings);
    }

    /// <summary>Gi* over counts keyed by packed cells (<see cref="HexCell.Pack"/>); zero counts are ignored.</summary>
    internal static IReadOnlyList<GiStar> Compute(Dictionary<long, int> counts, int rings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rings);
        var offsets = HexBins.DiskOffsets(rings);

        // Study area: non-empty cells and everything within k rings of them (value 0 where empty).
        var study = new Dictionary<long, int>(counts.Count * 4, PackedCellComparer.Instance);
        foreach (var (key, count) in counts)
        {
            if (count <= 0) continue;
            var cell = HexCell.Unpack(key);
            foreach (var (dq, dr) in offsets)
                study.TryAdd(new HexCell(cell.Q + dq, cell.R + dr).Pack(), 0);
            study[key] = count;
        }

        var n = study.Count;
        var results = new List<GiStar>(n);
        if (n == 0) return results;

        double sum = 0, sumSq = 0;
        foreach (var x in study.Values) { sum += x; sumSq += (double)x * x; }
        var mean = sum / n;
        var s = Math.Sqrt(Math.Max(0.0, sumSq / n - mean * mean));

        foreach (var (key, count) in study)
        {
            var cell = HexCell.Unpack(key);
            double wSum = 0, wx = 0;
            foreach (var (dq, dr) in offsets)
            {
                if (!study.TryGetValue(new HexCell(cell.Q + dq, cell.R + dr).Pack(), out var xj)) continue;
                wSum += 1;
                wx += xj;
            }
            // Binary weights: Σ wij² = Σ wij.
            var variance = (n * wSum - wSum * wSum) / (n - 1.0);
            double z = 0;
            if (s > 0 && n > 1 && variance > 0) z = (wx - mean * wSum) / (s * Math.Sqrt(variance));
            results.Add(new GiStar(cell, count, z, NormalDistribution.TwoSidedP(z), (int)wSum));
        }
        results.Sort((a, b) => a.Cell.R != b.Cell.R ? a.Cell.R.CompareTo(b.Cell.R) : a.Cell.Q.CompareTo(b.Cell.Q));
        return results;
    }
}
