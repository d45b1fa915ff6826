using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Tests.Spatial;

public sealed class IntersectionAreaTests
{
    private static readonly WKTReader Reader = new();
    private static readonly GeometryFactory Factory = new();

    private static double Overlay(Geometry a, Geometry b) => OverlayNGRobust.Overlay(a, b, SpatialFunction.Intersection).Area;

    [Theory]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((5 5, 15 5, 15 15, 5 15, 5 5))", 25)]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((20 0, 30 0, 30 10, 20 10, 20 0))", 0)]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))", 4)]
    [InlineData("POLYGON ((0 0, 0 10, 10 10, 10 0, 0 0))", "POLYGON ((5 -5, 15 -5, 15 5, 5 5, 5 -5))", 25)]
    public void Of_simpleCases_matchesTheExpectedArea(string a, string b, double expected)
    {
        IntersectionArea.Of(Reader.Read(a), Reader.Read(b)).Should().BeApproximately(expected, 1e-9);
        IntersectionArea.Of(Reader.Read(b), Reader.Read(a)).Should().BeApproximately(expected, 1e-9);
    }

    [Theory]
    // Shared edge, interiors on the same side (the lower square's top half overlaps) and on opposite sides (they only touch).
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((0 0, 10 0, 10 5, 0 5, 0 0))", 50)]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((0 10, 10 10, 10 20, 0 20, 0 10))", 0)]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", 100)]
    public void Of_sharedEdges_countedOnceWhenTheyBoundTheIntersection(string a, string b, double expected) =>
        IntersectionArea.Of(Reader.Read(a), Reader.Read(b)).Should().BeApproximately(expected, 1e-9);

    [Fact]
    public void Of_holes_areLeftOut()
    {
        var withHole = Reader.Read("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 8 2, 8 8, 2 8, 2 2))");
        var band = Reader.Read("POLYGON ((-1 4, 11 4, 11 6, -1 6, -1 4))");
        IntersectionArea.Of(withHole, band).Should().BeApproximately(Overlay(withHole, band), 1e-9).And.BeApproximately(8, 1e-9);
    }

    [Fact]
    public void Of_unionsOfBuffersAgainstJaggedPolygons_matchesOverlayNG()
    {
        var random = new Random(16);
        for (var n = 0; n < 40; n++)
        {
            // A jagged star-shaped "jurisdiction" (300 vertices) and a union of track buffers around it, in metres far from the origin.
            var x0 = 500_000 + random.NextDouble() * 1000;
            var y0 = 4_100_000 + random.NextDouble() * 1000;
            var ring = new Coordinate[301];
            for (var k = 0; k < 300; k++)
            {
                var angle = 2 * Math.PI * k / 300;
                var radius = 2000 + 400 * Math.Sin(5 * angle + n) + 30 * random.NextDouble();
                ring[k] = new Coordinate(x0 + radius * Math.Cos(angle), y0 + radius * Math.Sin(angle));
            }

            ring[300] = ring[0].Copy();
            var jurisdiction = Factory.CreatePolygon(ring);
            var buffers = Enumerable.Range(0, 8).Select(_ =>
            {
                var a = new Coordinate(x0 + (random.NextDouble() - 0.5) * 6000, y0 + (random.NextDouble() - 0.5) * 6000);
                var b = new Coordinate(x0 + (random.NextDouble() - 0.5) * 6000, y0 + (random.NextDouble() - 0.5) * 6000);
                return Factory.CreateLineString([a, b]).Buffer(100 + random.NextDouble() * 400, 8);
            }).ToList();
            var union = OverlayNGRobust.Union(Factory.BuildGeometry(buffers));

            var expected = Overlay(jurisdiction, union);
            IntersectionArea.Of(jurisdiction, union).Should().BeApproximately(expected, 1e-6 * Math.Max(1, expected), $"case {n}");
            IntersectionArea.Of(union, jurisdiction).Should().BeApproximately(expected, 1e-6 * Math.Max(1, expected), $"case {n}, swapped");
        }
    }
}
