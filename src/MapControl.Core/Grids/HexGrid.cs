using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MapControl.Core.Grids;

/// <summary>A hexagonal cell in axial coordinates (q, r); the implied third cube coordinate is s = −q − r.</summary>
public readonly record struct HexCell(int Q, int R)
{
    /// <summary>The third cube coordinate, −q − r.</summary>
    public int S => -Q - R;

    /// <summary>A stable text id "q,r" (e.g. for GeoJSON properties).</summary>
    public string Id => FormattableString.Invariant($"{Q},{R}");

    /// <summary>Grid steps to <paramref name="other"/> (hexagonal distance).</summary>
    public int DistanceTo(HexCell other) => HexGrid.Distance(this, other);

    /// <summary>(q, r) packed into one long: a cheap dictionary key for millions of cells.</summary>
    public long Pack() => ((long)Q << 32) | (uint)R;

    /// <summary>The cell of a <see cref="Pack"/> key.</summary>
    public static HexCell Unpack(long key) => new((int)(key >> 32), (int)(key & 0xFFFFFFFFL));

    /// <inheritdoc/>
    public override string ToString() => Id;
}

/// <summary>
/// The one hexagon grid of MapControl's analyses: Gi* hot spots, year-over-year change per cell and patrol
/// frequency/recency cells all bin with it, so cells of the same size from any analysis are the same cells (same
/// <see cref="HexCell.Id"/>, same polygon). The grid is fixed except for its size:
/// <list type="bullet">
/// <item>plane: <see cref="Projection"/>, the Dongying transverse Mercator (<see cref="MetricProjection.Dongying"/>, WGS84,
/// central meridian 118.55°E, latitude of origin 37.45°N, scale 1) — never a projection centred on the data;</item>
/// <item>origin: cell (0,0) is centred on 118.55°E 37.45°N, i.e. plane (<see cref="OriginX"/>, <see cref="OriginY"/>);</item>
/// <item>orientation: pointy-top (a corner due north of the centre; the cells of one axial r form a row);</item>
/// <item>size: <c>Size</c> s is the circumradius in metres (centre to corner = edge length); a cell's area is 3√3/2·s²
/// and neighbouring centres are √3·s apart.</item>
/// </list>
/// Axial coordinates follow the usual cube/axial scheme: with y pointing north, the centre of (q, r) is
/// (OriginX + √3·s·(q + r/2), OriginY + 3/2·s·r). <see cref="CellAt(double, double)"/> returns the cell whose hexagon contains
/// the point (the nearest centre — hexagons are the Voronoi cells of their centres); a point exactly on a shared edge or
/// corner goes deterministically to one of the cells that share it.
/// </summary>
public sealed class HexGrid
{
    private static readonly double Sqrt3 = Math.Sqrt(3.0);

    private static readonly HexCell[] Directions =
        [new(1, 0), new(1, -1), new(0, -1), new(-1, 0), new(-1, 1), new(0, 1)];

    // Centres and corners lie on a lattice: x = OriginX + i·_unitX, y = OriginY + j·_unitY with integers i, j
    // (_unitX = √3·s/2, _unitY = s/2), so neighbouring cells share bit-identical corners and a union of cells has no slivers.
    // Corners counter-clockwise from 30°: 30°, 90°, 150°, 210°, 270°, 330°.
    private static readonly int[] CornerI = [1, 0, -1, -1, 0, 1];
    private static readonly int[] CornerJ = [1, 2, 1, -1, -2, -1];
    private static readonly GeometryFactory LonLatFactory = new(new PrecisionModel(), 4326);
    private readonly double[] _cornerDx = new double[6];
    private readonly double[] _cornerDy = new double[6];
    private readonly double _unitX;
    private readonly double _unitY;

    /// <summary>The analysis grid of hexagons with circumradius <paramref name="sizeM"/> metres.</summary>
    /// <param name="sizeM">Circumradius = edge length in metres; must be positive and finite.</param>
    public HexGrid(double sizeM)
    {
        if (!(sizeM > 0) || double.IsInfinity(sizeM))
        {
            throw new ArgumentOutOfRangeException(nameof(sizeM), sizeM, "Hexagon size must be positive and finite.");
        }

        Size = sizeM;
        _unitX = Sqrt3 * sizeM / 2.0;
        _unitY = sizeM / 2.0;
        for (var i = 0; i < 6; i++)
        {
            _cornerDx[i] = _unitX * CornerI[i];
            _cornerDy[i] = _unitY * CornerJ[i];
        }
    }

    /// <summary>The plane every hexagon lives in: the Dongying transverse Mercator.</summary>
    public static MetricProjection Projection => MetricProjection.Dongying;

    /// <summary>Plane x of the centre of cell (0,0): the central meridian, 118.55°E.</summary>
    public const double OriginX = MetricProjection.FalseEasting;

    /// <summary>Plane y of the centre of cell (0,0): the latitude of origin, 37.45°N.</summary>
    public const double OriginY = 0.0;

    /// <summary>Circumradius s = edge length (metres).</summary>
    public double Size { get; }

    /// <summary>Area of one cell, 3√3/2·s².</summary>
    public double CellArea => 1.5 * Sqrt3 * Size * Size;

    /// <summary>Inradius (centre to edge midpoint), √3/2·s.</summary>
    public double Inradius => Sqrt3 / 2.0 * Size;

    /// <summary>Distance between the centres of two neighbouring cells, √3·s.</summary>
    public double NeighbourSpacing => Sqrt3 * Size;

    /// <summary>The centre of a cell in the plane.</summary>
    public (double X, double Y) Centre(HexCell cell)
    {
        var (i, j) = CentreLattice(cell);
        return (OriginX + _unitX * i, OriginY + _unitY * j);
    }

    /// <summary>The cell whose hexagon contains the plane point (x, y).</summary>
    public HexCell CellAt(double x, double y)
    {
        var px = (x - OriginX) / Size;
        var py = (y - OriginY) / Size;
        var fq = Sqrt3 / 3.0 * px - 1.0 / 3.0 * py;
        var fr = 2.0 / 3.0 * py;
        return CubeRound(fq, fr);
    }

    /// <summary>The cell containing a plane coordinate.</summary>
    public HexCell CellAt(Coordinate c) => CellAt(c.X, c.Y);

    /// <summary>The cell containing a WGS84 lon/lat (projected with <see cref="Projection"/>).</summary>
    public HexCell CellAtLonLat(double lon, double lat)
    {
        var (x, y) = Projection.Forward(lon, lat);
        return CellAt(x, y);
    }

    /// <summary>The six corners of a cell in the plane, counter-clockwise, starting at 30°.</summary>
    public IReadOnlyList<(double X, double Y)> Corners(HexCell cell)
    {
        var corners = new (double X, double Y)[6];
        for (var i = 0; i < 6; i++)
        {
            corners[i] = Corner(cell, i);
        }

        return corners;
    }

    /// <summary>The cell as a closed, counter-clockwise polygon in the plane (SRID of the factory); neighbours share identical corners.</summary>
    public Polygon Polygon(HexCell cell, GeometryFactory? factory = null)
    {
        factory ??= NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(MetricProjection.LocalSrid);
        var ring = new Coordinate[7];
        for (var i = 0; i < 6; i++)
        {
            var (x, y) = Corner(cell, i);
            ring[i] = new Coordinate(x, y);
        }

        ring[6] = ring[0].Copy();
        return factory.CreatePolygon(ring);
    }

    /// <summary>
    /// The cell as a WGS84 lon/lat polygon (SRID 4326): its six corners projected back, joined by straight lon/lat edges.
    /// Every analysis draws its cells with this, so equal cells have equal polygons.
    /// </summary>
    public Polygon LonLatPolygon(HexCell cell)
    {
        var ring = new Coordinate[7];
        for (var i = 0; i < 6; i++)
        {
            var (x, y) = Corner(cell, i);
            var (lon, lat) = Projection.Inverse(x, y);
            ring[i] = new Coordinate(lon, lat);
        }

        ring[6] = ring[0].Copy();
        return LonLatFactory.CreatePolygon(ring);
    }

    /// <summary>The envelope of a cell's hexagon in the plane.</summary>
    public Envelope CellEnvelope(HexCell cell)
    {
        var (cx, cy) = Centre(cell);
        return new Envelope(cx - Inradius, cx + Inradius, cy - Size, cy + Size);
    }

    /// <summary>
    /// The cells whose centre lies in a lon/lat area (interior or boundary, tested in the plane), ordered by (r, q):
    /// the cells an area "has" when it is shown as hexagons.
    /// </summary>
    public IReadOnlyList<HexCell> CellsCentredIn(Geometry lonLat)
    {
        ArgumentNullException.ThrowIfNull(lonLat);
        if (lonLat.IsEmpty) return [];
        var metric = Projection.Forward(lonLat);
        var prepared = PreparedGeometryFactory.Prepare(metric);
        var result = new List<HexCell>();
        foreach (var cell in CellsIntersecting(metric.EnvelopeInternal))
        {
            var (cx, cy) = Centre(cell);
            if (prepared.Covers(metric.Factory.CreatePoint(new Coordinate(cx, cy)))) result.Add(cell);
        }

        result.Sort((a, b) => a.R != b.R ? a.R.CompareTo(b.R) : a.Q.CompareTo(b.Q));
        return result;
    }

    /// <summary>The six cells sharing an edge with <paramref name="cell"/>, counter-clockwise in axial direction order.</summary>
    public static IReadOnlyList<HexCell> Neighbours(HexCell cell)
    {
        var result = new HexCell[6];
        for (var i = 0; i < 6; i++)
        {
            result[i] = new HexCell(cell.Q + Directions[i].Q, cell.R + Directions[i].R);
        }

        return result;
    }

    /// <summary>Grid distance (number of steps between neighbours) of two cells.</summary>
    public static int Distance(HexCell a, HexCell b) =>
        (Math.Abs(a.Q - b.Q) + Math.Abs(a.R - b.R) + Math.Abs(a.S - b.S)) / 2;

    /// <summary>The cells at exactly grid distance <paramref name="radius"/> (6·radius cells; the cell itself for 0).</summary>
    public static IReadOnlyList<HexCell> Ring(HexCell centre, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        if (radius == 0)
        {
            return [centre];
        }

        var result = new List<HexCell>(6 * radius);
        var cell = new HexCell(centre.Q + Directions[4].Q * radius, centre.R + Directions[4].R * radius);
        for (var side = 0; side < 6; side++)
        {
            for (var step = 0; step < radius; step++)
            {
                result.Add(cell);
                cell = new HexCell(cell.Q + Directions[side].Q, cell.R + Directions[side].R);
            }
        }

        return result;
    }

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

    /// <summary>The cells within grid distance <paramref name="radius"/> (1 + 3·radius·(radius+1) cells, the centre first).</summary>
    public static IReadOnlyList<HexCell> Disk(HexCell centre, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var result = new List<HexCell>(1 + 3 * radius * (radius + 1));
        for (var k = 0; k <= radius; k++)
        {
            result.AddRange(Ring(centre, k));
        }

        return result;
    }

    /// <summary>Every cell whose hexagon intersects the envelope (interiors or boundaries).</summary>
    public IReadOnlyList<HexCell> CellsIntersecting(Envelope envelope)
    {
        var result = new List<HexCell>();
        if (envelope.IsNull)
        {
            return result;
        }

        // Bound the axial ranges by the cells at the envelope corners, widened by one ring, then filter exactly.
        var corners = new[]
        {
            CellAt(envelope.MinX, envelope.MinY), CellAt(envelope.MinX, envelope.MaxY),
            CellAt(envelope.MaxX, envelope.MinY), CellAt(envelope.MaxX, envelope.MaxY),
        };
        int qMin = corners.Min(c => c.Q) - 1, qMax = corners.Max(c => c.Q) + 1;
        int rMin = corners.Min(c => c.R) - 1, rMax = corners.Max(c => c.R) + 1;
        int sMin = corners.Min(c => c.S) - 1, sMax = corners.Max(c => c.S) + 1;
        var box = new Envelope(envelope);
        for (var q = qMin; q <= qMax; q++)
        {
            for (var r = Math.Max(rMin, -q - sMax); r <= Math.Min(rMax, -q - sMin); r++)
            {
                var cell = new HexCell(q, r);
                if (!CellEnvelope(cell).Intersects(box))
                {
                    continue;
                }

                if (HexagonIntersectsBox(cell, box))
                {
                    result.Add(cell);
                }
            }
        }

        return result;
    }

    private bool HexagonIntersectsBox(HexCell cell, Envelope box)
    {
        // Convex polygon vs axis-aligned box: separating axis test on the box axes (envelopes) and the hexagon's 3 edge normals.
        var (cx, cy) = Centre(cell);
        for (var i = 0; i < 3; i++)
        {
            // Edge normal between corners i and i+1 points at angle (corner angle + 30°).
            var ex = _cornerDx[(i + 1) % 6] - _cornerDx[i];
            var ey = _cornerDy[(i + 1) % 6] - _cornerDy[i];
            var nx = ey;
            var ny = -ex;
            double hMin = double.MaxValue, hMax = double.MinValue;
            for (var k = 0; k < 6; k++)
            {
                var p = (cx + _cornerDx[k]) * nx + (cy + _cornerDy[k]) * ny;
                hMin = Math.Min(hMin, p);
                hMax = Math.Max(hMax, p);
            }

            double bMin = double.MaxValue, bMax = double.MinValue;
            foreach (var (bx, by) in new[] { (box.MinX, box.MinY), (box.MinX, box.MaxY), (box.MaxX, box.MinY), (box.MaxX, box.MaxY) })
            {
                var p = bx * nx + by * ny;
                bMin = Math.Min(bMin, p);
                bMax = Math.Max(bMax, p);
            }

            if (bMax < hMin || bMin > hMax)
            {
                return false;
            }
        }

        return true;
    }

    private static (long I, long J) CentreLattice(HexCell cell) => (2L * cell.Q + cell.R, 3L * cell.R);

    private (double X, double Y) Corner(HexCell cell, int k)
    {
        var (i, j) = CentreLattice(cell);
        return (OriginX + _unitX * (i + CornerI[k]), OriginY + _unitY * (j + CornerJ[k]));
    }

    private static HexCell CubeRound(double fq, double fr)
    {
        var fs = -fq - fr;
        var q = Math.Round(fq, MidpointRounding.AwayFromZero);
        var r = Math.Round(fr, MidpointRounding.AwayFromZero);
        var s = Math.Round(fs, MidpointRounding.AwayFromZero);
        var dq = Math.Abs(q - fq);
        var dr = Math.Abs(r - fr);
        var ds = Math.Abs(s - fs);
        if (dq > dr && dq > ds)
        {
            q = -r - s;
        }
        else if (dr > ds)
        {
            r = -q - s;
        }

        return new HexCell((int)q, (int)r);
    }
}
