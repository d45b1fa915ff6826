using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Tests.Patrol;

/// <summary>
/// <see cref="CoverageField"/> (coverage areas by subdivision with distance bounds) against exact figures (a capsule's area
/// π r² + 2 r L, a square wholly covered) and against NetTopologySuite's buffer union and overlay with 64 segments per quarter
/// circle (the exact definition to within 10⁻⁵ of a disc's area): jurisdictions with a hole, MultiPolygons, thin ones, tracks
/// along J's boundary, many jittered repeat passes, own share of two departments.
/// </summary>
public sealed class CoverageFieldTests
{
    private static readonly GeometryFactory Factory = new();
    private const double R = 300;

    private static Polygon Box(double x0, double y0, double x1, double y1) =>
        Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    /// <summary>Exact reference: |J ∩ ∪ buffers| with 64 segments per quarter circle, and the same for the owner's lines.</summary>
    private static (double Covered, double Own) Reference(Geometry jurisdiction, IReadOnlyList<(Coordinate[] Line, int Owner)> lines, int own)
    {
        double Area(IEnumerable<Coordinate[]> selected)
        {
            var geometries = selected.Select(l => l.Length == 1 ? (Geometry)Factory.CreatePoint(l[0]) : Factory.CreateLineString(l)).ToArray();
            if (geometries.Length == 0) return 0;
            var buffer = BufferOp.Buffer(Factory.BuildGeometry(geometries), R, new BufferParameters(64));
            return OverlayNGRobust.Overlay(jurisdiction, buffer, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection).Area;
        }

        return (Area(lines.Select(l => l.Line)), Area(lines.Where(l => l.Owner == own).Select(l => l.Line)));
    }

    private static void AssertNear(Geometry jurisdiction, IReadOnlyList<(Coordinate[] Line, int Owner)> lines, int own = 0, double ratioTolerance = 0.0002)
    {
        var field = new CoverageField(lines, R);
        var areas = field.Measure(jurisdiction, own);
        var (covered, ownCovered) = Reference(jurisdiction, lines, own);
        Assert.Equal(jurisdiction.Area, areas.Jurisdiction, jurisdiction.Area * 1e-9);
        Assert.InRange((areas.Covered - covered) / jurisdiction.Area, -ratioTolerance, ratioTolerance);
        Assert.InRange((areas.Own - ownCovered) / jurisdiction.Area, -ratioTolerance, ratioTolerance);
    }

    private static Coordinate[] RandomWalk(Random random, double x, double y, int steps, double step, double jitter)
    {
        var line = new Coordinate[steps + 1];
        var heading = random.NextDouble() * 2 * Math.PI;
        for (var k = 0; k <= steps; k++)
        {
            line[k] = new Coordinate(x + (random.NextDouble() * 2 - 1) * jitter, y + (random.NextDouble() * 2 - 1) * jitter);
            heading += (random.NextDouble() - 0.5) * 1.5;
            x += step * Math.Cos(heading);
            y += step * Math.Sin(heading);
        }

        return line;
    }

    [Fact]
    public void A_square_inside_a_capsule_is_covered_exactly()
    {
        var j = Box(0, 0, 100, 100);
        var areas = new CoverageField([([new(-50, 50), new(150, 50)], 0)], R).Measure(j, 0);
        Assert.Equal(10_000, areas.Covered, 1e-6);
        Assert.Equal(10_000, areas.Own, 1e-6);
    }

    [Fact]
    public void Nothing_covers_nothing()
    {
        var j = Box(0, 0, 1000, 500);
        var areas = new CoverageField([], R).Measure(j, 0);
        Assert.Equal(500_000, areas.Jurisdiction, 1e-6);
        Assert.Equal(0, areas.Covered);
        Assert.Equal(0, areas.Own);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(2345.6)]
    public void A_single_segment_covers_its_capsule(double length)
    {
        var j = Box(-5000, -5000, 5000, 5000);
        var angle = 0.3;
        var line = length == 0 ? new[] { new Coordinate(12.5, -7) }
            : [new(-length / 2 * Math.Cos(angle), -length / 2 * Math.Sin(angle)), new(length / 2 * Math.Cos(angle), length / 2 * Math.Sin(angle))];
        var areas = new CoverageField([(line, 0)], R).Measure(j, 0);
        var exact = Math.PI * R * R + 2 * R * length;
        // The straightened edge overshoots a circle's arc by about a³/(12 r) per leaf of side a (≤ 32 m), about π a²/6
        // over a whole disc's edge: 0.0004 of a 300 m disc.
        Assert.InRange(Math.Abs(areas.Covered - exact) / exact, 0, 4e-4);
        Assert.InRange(Math.Abs(areas.Own - exact) / exact, 0, 4e-4);
    }

    [Fact]
    public void Straight_edges_of_jittered_passes_are_measured_exactly()
    {
        // Jittered passes along two crossing roads (long segments: C's edge is straight everywhere in J, corners included): the
        // covered area is the union of two strips, exactly; own = the horizontal strip.
        var random = new Random(11);
        var lines = new List<(Coordinate[] Line, int Owner)>();
        double hLo = double.PositiveInfinity, hHi = double.NegativeInfinity, vLo = double.PositiveInfinity, vHi = double.NegativeInfinity;
        for (var k = 0; k < 40; k++)
        {
            var dy = random.NextDouble() * 4 - 2;
            var dx = random.NextDouble() * 4 - 2;
            lines.Add(([new(-5000, 500 + dy), new(0, 500 + dy), new(5000, 500 + dy)], 0));
            lines.Add(([new(500 + dx, -5000), new(500 + dx, 5000)], 1));
            (hLo, hHi, vLo, vHi) = (Math.Min(hLo, dy), Math.Max(hHi, dy), Math.Min(vLo, dx), Math.Max(vHi, dx));
        }

        var j = Box(0, 0, 1000, 1000);
        var areas = new CoverageField(lines, R).Measure(j, 0);
        double h = 2 * R + hHi - hLo, v = 2 * R + vHi - vLo;
        Assert.Equal(1000 * h + 1000 * v - h * v, areas.Covered, 1e-4);
        Assert.Equal(1000 * h, areas.Own, 1e-4);
    }

    [Fact]
    public void Another_department_does_not_count_as_own()
    {
        var j = Box(-5000, -5000, 5000, 5000);
        var areas = new CoverageField([([new(0, 0), new(1000, 0)], 1)], R).Measure(j, 0);
        Assert.InRange(areas.Covered, 700_000, 900_000);
        Assert.Equal(0, areas.Own);
        // An owner of −1 (no department) covers but is nobody's own.
        Assert.Equal(0, new CoverageField([([new(0, 0), new(1000, 0)], -1)], R).Measure(j, -1).Own);
    }

    [Fact]
    public void A_jurisdiction_with_a_hole_and_wandering_tracks_matches_the_buffer_overlay()
    {
        var random = new Random(7);
        var shell = new Coordinate[] { new(0, 0), new(6000, 0), new(6000, 2000), new(3000, 2500), new(6000, 5000), new(0, 5000), new(0, 0) };
        var hole = new Coordinate[] { new(1500, 1500), new(2500, 1500), new(2500, 3500), new(1500, 3500), new(1500, 1500) };
        var j = Factory.CreatePolygon(Factory.CreateLinearRing(shell), [Factory.CreateLinearRing(hole)]);
        var lines = Enumerable.Range(0, 6).Select(i => (RandomWalk(random, random.NextDouble() * 6000, random.NextDouble() * 5000, 30, 250, 3), i % 2)).ToList();
        AssertNear(j, lines);
        // The hole's orientation as given (clockwise or not) does not matter.
        AssertNear((Geometry)j.Reverse(), lines);
    }

    [Fact]
    public void A_multipolygon_and_a_thin_jurisdiction_match_the_buffer_overlay()
    {
        var random = new Random(11);
        var multi = Factory.CreateMultiPolygon([Box(0, 0, 2000, 2000), Box(3000, 500, 4000, 900), Box(5000, 0, 5020, 3000)]);
        var lines = Enumerable.Range(0, 8).Select(i => (RandomWalk(random, random.NextDouble() * 5000, random.NextDouble() * 3000, 20, 200, 2), i % 3)).ToList();
        AssertNear(multi, lines, own: 1);
        // A strip 20 m wide, 3 km long, crossed and followed by tracks.
        AssertNear(Box(5000, 0, 5020, 3000), [([new(4700, 100), new(5300, 2900)], 0), ([new(5330, 0), new(5330, 3000)], 1)], own: 1);
    }

    [Fact]
    public void Tracks_along_the_jurisdictions_boundary_match_the_buffer_overlay()
    {
        var random = new Random(3);
        var j = Factory.CreatePolygon(Enumerable.Range(0, 401).Select(k =>
        {
            var a = 2 * Math.PI * (k % 400) / 400;
            var rr = 2000 + (k % 400 == 0 ? 0 : (random.NextDouble() * 2 - 1) * 20);
            return new Coordinate(rr * Math.Cos(a), rr * Math.Sin(a));
        }).ToArray());
        var ring = j.ExteriorRing.Coordinates;
        // A unit driving the boundary itself, one 300 m outside it, one crossing.
        var outside = ring.Select(c => new Coordinate(c.X * 2300 / 2000, c.Y * 2300 / 2000)).ToArray();
        AssertNear(j, [(ring[..200], 0), (outside[100..300], 1), ([new(-3000, 10), new(3000, -10)], 0)]);
    }

    [Fact]
    public void Many_jittered_repeat_passes_measure_as_their_union()
    {
        var random = new Random(5);
        var j = Box(0, 0, 4000, 4000);
        var road = new[] { new Coordinate(200, 200), new Coordinate(2200, 400), new Coordinate(2400, 3000), new Coordinate(3800, 3600) };
        var lines = Enumerable.Range(0, 60).Select(i => (road.Select(c => new Coordinate(c.X + (random.NextDouble() * 4 - 2), c.Y + (random.NextDouble() * 4 - 2))).ToArray(), i % 4)).ToList();
        AssertNear(j, lines, own: 2);
    }

    [Fact]
    public void Clipping_a_non_convex_ring_keeps_its_area()
    {
        // A U shape clipped by x ≤ 5: two separate parts, joined by Sutherland–Hodgman along the clip line, area still right.
        double[] u = [0, 0, 10, 0, 10, 10, 8, 10, 8, 2, 2, 2, 2, 10, 0, 10];
        Assert.Equal(52, CoverageField.SignedArea(u), 1e-12);
        Assert.Equal(26, CoverageField.SignedArea(CoverageField.Clip(u, 1, 0, 5)), 1e-12);
        double[] top = CoverageField.Clip(u, 0, -1, -5);
        Assert.Equal(20, CoverageField.SignedArea(top), 1e-12);
    }
}
