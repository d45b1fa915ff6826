using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Tests.Patrol;

/// <summary>
/// <see cref="CellOutline"/> (the union of a subdivision's cells traced as rings) against NetTopologySuite's union of the same
/// cells: random quadtree cell sets with cut cells at metric coordinates (rounding in the cells' corners), cells touching at one
/// corner only (kept apart: separate shells, separate holes), a hole touching its shell at a point, a cut cell touching a larger
/// cell at one point, and the uncovered cells of a real <see cref="CoverageField"/> subdivision.
/// </summary>
public sealed class CellOutlineTests
{
    private static readonly GeometryFactory Factory = new();

    private static Polygon ToPolygon(double[] ring)
    {
        var n = ring.Length / 2;
        var coordinates = new Coordinate[n + 1];
        for (var i = 0; i < n; i++) coordinates[i] = new Coordinate(ring[2 * i], ring[2 * i + 1]);
        coordinates[n] = coordinates[0].Copy();
        return Factory.CreatePolygon(CoordinateArrays.RemoveRepeatedPoints(coordinates));
    }

    private static double Snap(double v, double origin, double unit)
    {
        var g = origin + Math.Round((v - origin) / unit) * unit;
        return Math.Abs(v - g) <= 1e-6 * unit ? g : v;
    }

    private static double[] Square(double x0, double y0, double x1, double y1) => [x0, y0, x1, y0, x1, y1, x0, y1];

    /// <summary>The traced union is valid and the same point set as NetTopologySuite's union of the cells.</summary>
    private static Geometry AssertSameAsUnion(List<double[]> cells, double originX, double originY, double unit)
    {
        var traced = CellOutline.Trace(cells, originX, originY, unit, Factory);
        Assert.NotNull(traced);
        Assert.True(traced.IsValid, "the traced union is not valid");
        var polygons = cells.Select(ToPolygon).Where(p => p.Area > 1e-3).ToArray();
        var union = OverlayNGRobust.Union(Factory.BuildGeometry(polygons));
        var sum = polygons.Sum(p => p.Area);
        Assert.Equal(sum, traced.Area, Math.Max(1e-6, sum * 1e-9));
        var difference = OverlayNGRobust.Overlay(traced, union, NetTopologySuite.Operation.Overlay.SpatialFunction.SymDifference).Area;
        Assert.InRange(difference, 0, Math.Max(1e-6, sum * 1e-9));
        // The same pieces as the union of the cells with their corners snapped to the grid (the cells' own union can fall apart
        // along sides that differ in the last bits).
        var snapped = cells.Select(c => ToPolygon(c.Select((v, i) => Snap(v, i % 2 == 0 ? originX : originY, unit)).ToArray())).Where(p => p.Area > 1e-3).ToArray();
        var exact = OverlayNGRobust.Union(Factory.BuildGeometry(snapped));
        Assert.Equal(exact.NumGeometries, traced.NumGeometries);
        Assert.Equal(((Geometry)exact).Boundary.Length, traced.Boundary.Length, 1e-6 * traced.Boundary.Length);
        return traced;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Random_quadtree_cells_trace_to_their_union(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 25; round++)
        {
            // A root square at projected coordinates whose corners come out of halving, as in the subdivision (not exact multiples).
            var half = 32 * 16 / 2 * (1 + 1e-9) + 1e-6;
            double cx = 4_123_456.789 + random.NextDouble(), cy = 612_345.321 + random.NextDouble();
            var unit = 2 * half / 16;
            var cells = new List<double[]>();
            Node(cx, cy, half);
            if (cells.Count == 0) continue;
            AssertSameAsUnion(cells, cx - half, cy - half, unit);

            void Node(double x, double y, double h)
            {
                var roll = random.NextDouble();
                var small = 2 * h <= 4 * unit * (1 + 1e-9);
                if (roll < 0.25) cells.Add(Square(x - h, y - h, x + h, y + h));
                else if (roll < 0.4) { }
                else if (small && roll < 0.6)
                {
                    // A cut cell: the square's part beyond a random straight edge.
                    var angle = random.NextDouble() * 2 * Math.PI;
                    double nx = Math.Cos(angle), ny = Math.Sin(angle);
                    var c = nx * x + ny * y + (random.NextDouble() * 2 - 1) * h;
                    var part = CoverageField.Clip(Square(x - h, y - h, x + h, y + h), -nx, -ny, -c);
                    if (part.Length > 0) cells.Add(part);
                }
                else if (2 * h > unit * (1 + 1e-9))
                {
                    var q = h / 2;
                    Node(x - q, y - q, q);
                    Node(x + q, y - q, q);
                    Node(x - q, y + q, q);
                    Node(x + q, y + q, q);
                }
                else cells.Add(Square(x - h, y - h, x + h, y + h));
            }
        }
    }

    [Fact]
    public void Cells_touching_at_a_corner_only_stay_separate_polygons()
    {
        var cells = new List<double[]>();
        for (var i = 0; i < 6; i++)
            for (var j = 0; j < 6; j++)
                if ((i + j) % 2 == 0) cells.Add(Square(i, j, i + 1, j + 1));
        var traced = AssertSameAsUnion(cells, 0, 0, 1);
        Assert.Equal(18, traced.NumGeometries);
    }

    [Fact]
    public void Holes_touching_at_a_corner_are_two_holes()
    {
        var cells = new List<double[]>();
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 4; j++)
                if ((i, j) is not (1, 1) and not (2, 2)) cells.Add(Square(i, j, i + 1, j + 1));
        var traced = AssertSameAsUnion(cells, 0, 0, 1);
        var polygon = Assert.IsType<Polygon>(traced);
        Assert.Equal(2, polygon.NumInteriorRings);
        Assert.Equal(14, polygon.Area, 9);
    }

    [Fact]
    public void A_hole_touching_its_shell_at_a_point_stays_a_hole()
    {
        // A 3 × 3 block without its centre and without its north-east corner cell: the hole touches the notch at (2, 2).
        var cells = new List<double[]>();
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                if ((i, j) is not (1, 1) and not (2, 2)) cells.Add(Square(i, j, i + 1, j + 1));
        var traced = AssertSameAsUnion(cells, 0, 0, 1);
        Assert.Equal(7, traced.Area, 9);
    }

    [Fact]
    public void A_cut_cell_touching_a_larger_cell_at_one_point_is_its_own_polygon()
    {
        // The cut's end (1, 0) lies inside the large cell's top side.
        List<double[]> cells = [Square(0, -4, 4, 0), [1, 0, 1.3, 1, 1, 1]];
        var traced = AssertSameAsUnion(cells, 0, 0, 1);
        Assert.Equal(2, traced.NumGeometries);
        Assert.Equal(16.15, traced.Area, 9);
    }

    [Fact]
    public void Large_and_small_cells_side_by_side_have_no_inner_edges()
    {
        // A 2 × 2 cell beside two 1 × 1 cells and a cut cell: one polygon, its outline only.
        List<double[]> cells = [Square(0, 0, 2, 2), Square(2, 0, 3, 1), Square(2, 1, 3, 2), [3, 0, 4, 0, 3, 1]];
        var traced = AssertSameAsUnion(cells, 0, 0, 1);
        var polygon = Assert.IsType<Polygon>(traced);
        Assert.Equal(5, polygon.Shell.NumPoints - 1);
    }

    [Fact]
    public void The_uncovered_cells_of_a_subdivision_trace_to_their_union()
    {
        var random = new Random(7);
        var lines = new List<(Coordinate[] Line, int Owner)>();
        for (var k = 0; k < 12; k++)
        {
            double x = 500_000 + random.NextDouble() * 6000, y = 3_000_000 + random.NextDouble() * 6000, heading = random.NextDouble() * 6.3;
            var line = new Coordinate[30];
            for (var i = 0; i < line.Length; i++)
            {
                line[i] = new Coordinate(x, y);
                heading += (random.NextDouble() - 0.5) * 1.5;
                x += 200 * Math.Cos(heading);
                y += 200 * Math.Sin(heading);
            }

            lines.Add((line, k % 2));
        }

        var field = new CoverageField(lines, 300);
        var shell = Enumerable.Range(0, 200).Select(k =>
        {
            var a = 2 * Math.PI * k / 200;
            var radius = 3500 + 400 * Math.Sin(5 * a);
            return new Coordinate(503_000 + radius * Math.Cos(a), 3_003_000 + radius * Math.Sin(a));
        }).ToList();
        shell.Add(shell[0].Copy());
        var hole = new[] { new Coordinate(502_500, 3_002_500), new Coordinate(502_500, 3_003_300), new Coordinate(503_300, 3_003_300), new Coordinate(503_300, 3_002_500), new Coordinate(502_500, 3_002_500) };
        var jurisdiction = Factory.CreatePolygon(Factory.CreateLinearRing([.. shell]), [Factory.CreateLinearRing(hole)]);
        foreach (var display in new[] { 128.0, 32.0 })
        {
            var cells = new List<double[]>();
            field.Measure(jurisdiction, 0, cells, display);
            Assert.True(cells.Count > 50);
            var (x0, y0, unit) = field.Grid(jurisdiction);
            AssertSameAsUnion(cells, x0, y0, unit);
        }
    }
}
