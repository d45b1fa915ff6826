using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Hotspots;

/// <summary>A pointy-top hexagon cell in axial coordinates (q, r); the third cube coordinate is s = −q − r.</summary>
public readonly record struct HexCell(int Q, int R)
{
    /// <summary>Hex distance (number of steps between cells).</summary>
    public int DistanceTo(HexCell other)
    {
        var dq = Q - other.Q;
        var dr = R - other.R;
        return (Math.Abs(dq) + Math.Abs(dr) + Math.Abs(dq + dr)) / 2;
    }

    /// <summary>The cell packed into one 64-bit key (q in the high half, r in the low half).</summary>
    public long Pack() => ((long)Q << 32) | (uint)R;

    /// <summary>The cell of a packed key.</summary>
    public static HexCell Unpack(long key) => new((int)(key >> 32), (int)(key & 0xFFFFFFFFL));

    /// <summary>"q,r".</summary>
    public override string ToString() => $"{Q},{R}";
}

/// <summary>
/// A grid of pointy-top hexagons of size s (centre-to-vertex distance in metres) over a metric plane, with cell
/// (0, 0) centred on the plane's origin. Cell width is √3·s, neighbouring centres are √3·s apart.
/// </summary>
public sealed class HexBins
{
    private static readonly double Sqrt3 = Math.Sqrt(3.0);
    private static readonly (int Dq, int Dr)[] Directions = [(1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)];

    /// <summary>A grid of hexagons of size <paramref name="sizeM"/> metres.</summary>
    public HexBins(double sizeM)
    {
        if (!(sizeM > 0) || double.IsInfinity(sizeM)) throw new ArgumentOutOfRangeException(nameof(sizeM), sizeM, "Hexagon size must be a positive number of metres.");
        Size = sizeM;
    }

    /// <summary>Centre-to-vertex distance in metres.</summary>
    public double Size { get; }

    /// <summary>Area of one cell in m² (3√3/2 · s²).</summary>
    public double CellArea => 1.5 * Sqrt3 * Size * Size;

    /// <summary>The cell containing the metric point (x, y), exact by cube rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HexCell CellOf(double x, double y)
    {
        var qf = (Sqrt3 / 3.0 * x - y / 3.0) / Size;
        var rf = 2.0 / 3.0 * y / Size;
        return CubeRound(qf, rf);
    }

    /// <summary>The metric centre of a cell.</summary>
    public (double X, double Y) Centre(HexCell cell) =>
        (Size * Sqrt3 * (cell.Q + cell.R / 2.0), Size * 1.5 * cell.R);

    /// <summary>The six metric vertices of a cell, counter-clockwise from the lower-right one, plus the closing vertex.</summary>
    public Coordinate[] Vertices(HexCell cell)
    {
        var (cx, cy) = Centre(cell);
        var ring = new Coordinate[7];
        for (var i = 0; i < 6; i++)
        {
            var angle = Math.PI / 180.0 * (60 * i - 30);
            ring[i] = new Coordinate(cx + Size * Math.Cos(angle), cy + Size * Math.Sin(angle));
        }
        ring[6] = ring[0].Copy();
        return ring;
    }

    /// <summary>The metric polygon of a cell.</summary>
    public Polygon Polygon(HexCell cell, GeometryFactory? factory = null) =>
        (factory ?? Default).CreatePolygon(Vertices(cell));

    /// <summary>The six cells sharing an edge with <paramref name="cell"/>.</summary>
    public static IReadOnlyList<HexCell> Neighbours(HexCell cell) =>
        Directions.Select(d => new HexCell(cell.Q + d.Dq, cell.R + d.Dr)).ToArray();

    /// <summary>All cells within <paramref name="rings"/> steps of <paramref name="cell"/>, the cell itself included (1 + 3k(k+1) cells).</summary>
    public static IReadOnlyList<HexCell> Disk(HexCell cell, int rings) =>
        DiskOffsets(rings).Select(o => new HexCell(cell.Q + o.Dq, cell.R + o.Dr)).ToArray();

    /// <summary>Axial offsets of every cell within <paramref name="rings"/> steps of the origin, (0, 0) first.</summary>
    internal static (int Dq, int Dr)[] DiskOffsets(int rings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rings);
        var offsets = new List<(int, int)> { (0, 0) };
        for (var dq = -rings; dq <= rings; dq++)
            for (var dr = Math.Max(-rings, -dq - rings); dr <= Math.Min(rings, -dq + rings); dr++)
                if (dq != 0 || dr != 0) offsets.Add((dq, dr));
        return offsets.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static HexCell CubeRound(double qf, double rf)
    {
        var sf = -qf - rf;
        var q = Math.Round(qf);
        var r = Math.Round(rf);
        var s = Math.Round(sf);
        var dq = Math.Abs(q - qf);
        var dr = Math.Abs(r - rf);
        var ds = Math.Abs(s - sf);
        if (dq > dr && dq > ds) q = -r - s;
        else if (dr > ds) r = -q - s;
        return new HexCell((int)q, (int)r);
    }

    private static readonly GeometryFactory Default = new(new PrecisionModel(), 0);
}
