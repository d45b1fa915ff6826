using NetTopologySuite.Geometries;

namespace MapControl.Core.Grids;

/// <summary>How the hexagons of a <see cref="HexGrid"/> stand: a flat edge on top, or a corner on top.</summary>
public enum HexOrientation
{
    /// <summary>Flat top and bottom edges; cells of one axial q form a column (corners at 0°, 60°, …, 300°).</summary>
    FlatTop,

    /// <summary>A corner at the top; cells of one axial r form a row (corners at 30°, 90°, …, 330°).</summary>
    PointyTop,
}

/// <summary>A hexagonal cell in axial coordinates (q, r); the implied third cube coordinate is s = −q − r.</summary>
public readonly record struct HexCell(int Q, int R)
{
    /// <summary>The third cube coordinate, −q − r.</summary>
    public int S => -Q - R;

    /// <summary>A stable text id "q,r" (e.g. for GeoJSON properties).</summary>
    public string Id => FormattableString.Invariant($"{Q},{R}");

    /// <inheritdoc/>
    public override string ToString() => Id;
}

/// <summary>
/// A regular hexagon tiling of a metric plane. <c>Size</c> is the circumradius s (centre to corner = edge length);
/// a cell's area is 3√3/2·s², the distance between neighbouring centres is √3·s, and cell (0,0) is centred on the
/// origin. Axial coordinates follow the usual cube/axial scheme: with y pointing north, a flat-topped grid has
/// centre (x, y) = (3/2·s·q, √3·s·(r + q/2)), a pointy-topped grid (√3·s·(q + r/2), 3/2·s·r).
/// <see cref="CellAt(double, double)"/> returns the cell whose hexagon contains the point (the nearest centre — hexagons are the
/// Voronoi cells of their centres); a point exactly on a shared edge or corner goes deterministically to one of
/// the cells that share it.
/// </summary>
public sealed class HexGrid
{
    private static readonly double Sqrt3 = Math.Sqrt(3.0);

    private static readonly HexCell[] Directions =
        [new(1, 0), new(1, -1), new(0, -1), new(-1, 0), new(-1, 1), new(0, 1)];

    // Centres and corners lie on a lattice: x = originX + i·_unitX, y = originY + j·_unitY with integers i, j
    // (flat-top: _unitX = s/2, _unitY = √3·s/2; pointy-top the other way round), so neighbouring cells share
    // bit-identical corners and a union of cells has no slivers.
    private static readonly int[] FlatCornerI = [2, 1, -1, -2, -1, 1];
    private static readonly int[] FlatCornerJ = [0, 1, 1, 0, -1, -1];
    private static readonly int[] PointyCornerI = [1, 0, -1, -1, 0, 1];
    private static readonly int[] PointyCornerJ = [1, 2, 1, -1, -2, -1];
    private readonly double[] _cornerDx = new double[6];
    private readonly double[] _cornerDy = new double[6];
    private readonly double _unitX;
    private readonly double _unitY;

    /// <summary>A grid of hexagons with circumradius <paramref name="size"/> metres, cell (0,0) centred on the origin.</summary>
    /// <param name="size">Circumradius = edge length, in the plane's units (metres); must be positive and finite.</param>
    /// <param name="orientation">Flat-topped (default) or pointy-topped.</param>
    /// <param name="originX">X of the centre of cell (0,0).</param>
    /// <param name="originY">Y of the centre of cell (0,0).</param>
    public HexGrid(double size, HexOrientation orientation = HexOrientation.FlatTop, double originX = 0, double originY = 0)
    {
        if (!(size > 0) || double.IsInfinity(size))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Hexagon size must be positive and finite.");
        }

        Size = size;
        Orientation = orientation;
        OriginX = originX;
        OriginY = originY;
        _unitX = orientation == HexOrientation.FlatTop ? size / 2.0 : Sqrt3 * size / 2.0;
        _unitY = orientation == HexOrientation.FlatTop ? Sqrt3 * size / 2.0 : size / 2.0;
        for (var i = 0; i < 6; i++)
        {
            _cornerDx[i] = _unitX * (orientation == HexOrientation.FlatTop ? FlatCornerI[i] : PointyCornerI[i]);
            _cornerDy[i] = _unitY * (orientation == HexOrientation.FlatTop ? FlatCornerJ[i] : PointyCornerJ[i]);
        }
    }

    /// <summary>Circumradius s = edge length (metres).</summary>
    public double Size { get; }

    /// <summary>Flat-topped or pointy-topped.</summary>
    public HexOrientation Orientation { get; }

    /// <summary>X of the centre of cell (0,0).</summary>
    public double OriginX { get; }

    /// <summary>Y of the centre of cell (0,0).</summary>
    public double OriginY { get; }

    /// <summary>Area of one cell, 3√3/2·s².</summary>
    public double CellArea => 1.5 * Sqrt3 * Size * Size;

    /// <summary>Inradius (centre to edge midpoint), √3/2·s.</summary>
    public double Inradius => Sqrt3 / 2.0 * Size;

    /// <summary>Distance between the centres of two neighbouring cells, √3·s.</summary>
    public double NeighbourSpacing => Sqrt3 * Size;

    /// <summary>The centre of a cell.</summary>
    public (double X, double Y) Centre(HexCell cell)
    {
        var (i, j) = CentreLattice(cell);
        return (OriginX + _unitX * i, OriginY + _unitY * j);
    }

    /// <summary>The cell whose hexagon contains the point (x, y).</summary>
    public HexCell CellAt(double x, double y)
    {
        var px = (x - OriginX) / Size;
        var py = (y - OriginY) / Size;
        double fq, fr;
        if (Orientation == HexOrientation.FlatTop)
        {
            fq = 2.0 / 3.0 * px;
            fr = -1.0 / 3.0 * px + Sqrt3 / 3.0 * py;
        }
        else
        {
            fq = Sqrt3 / 3.0 * px - 1.0 / 3.0 * py;
            fr = 2.0 / 3.0 * py;
        }

        return CubeRound(fq, fr);
    }

    /// <summary>The cell containing a point geometry's coordinate.</summary>
    public HexCell CellAt(Coordinate c) => CellAt(c.X, c.Y);

    /// <summary>The six corners of a cell, counter-clockwise, starting at 0° (flat-top) or 30° (pointy-top).</summary>
    public IReadOnlyList<(double X, double Y)> Corners(HexCell cell)
    {
        var corners = new (double X, double Y)[6];
        for (var i = 0; i < 6; i++)
        {
            corners[i] = Corner(cell, i);
        }

        return corners;
    }

    /// <summary>The cell as a closed, counter-clockwise polygon in the grid's plane (SRID of the factory); neighbours share identical corners.</summary>
    public Polygon Polygon(HexCell cell, GeometryFactory? factory = null)
    {
        factory ??= NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory();
        var ring = new Coordinate[7];
        for (var i = 0; i < 6; i++)
        {
            var (x, y) = Corner(cell, i);
            ring[i] = new Coordinate(x, y);
        }

        ring[6] = ring[0].Copy();
        return factory.CreatePolygon(ring);
    }

    /// <summary>The envelope of a cell's hexagon.</summary>
    public Envelope CellEnvelope(HexCell cell)
    {
        var (cx, cy) = Centre(cell);
        return Orientation == HexOrientation.FlatTop
            ? new Envelope(cx - Size, cx + Size, cy - Inradius, cy + Inradius)
            : new Envelope(cx - Inradius, cx + Inradius, cy - Size, cy + Size);
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

    private (long I, long J) CentreLattice(HexCell cell) =>
        Orientation == HexOrientation.FlatTop
            ? (3L * cell.Q, 2L * cell.R + cell.Q)
            : (2L * cell.Q + cell.R, 3L * cell.R);

    private (double X, double Y) Corner(HexCell cell, int k)
    {
        var (i, j) = CentreLattice(cell);
        var flat = Orientation == HexOrientation.FlatTop;
        return (OriginX + _unitX * (i + (flat ? FlatCornerI[k] : PointyCornerI[k])),
            OriginY + _unitY * (j + (flat ? FlatCornerJ[k] : PointyCornerJ[k])));
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
