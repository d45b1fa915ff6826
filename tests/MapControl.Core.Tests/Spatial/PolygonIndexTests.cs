using FluentAssertions;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Spatial;

public sealed class PolygonIndexTests
{
    private static readonly WKTReader Reader = new();

    private static Geometry Wkt(string wkt) => Reader.Read(wkt);

    [Fact]
    public void Locate_pointsInsideSquares_returnsTheirIndex()
    {
        var index = PolygonIndex.Build([
            Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"),
            Wkt("POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"),
        ]);

        index.Count.Should().Be(2);
        index.Locate(5, 5).Should().Be(0);
        index.Locate(15, 5).Should().Be(1);
        index.Locate(25, 5).Should().Be(-1);
        index.Locate(5, -0.001).Should().Be(-1);
        index.Locate(-1e-9, 5).Should().Be(-1);
    }

    [Fact]
    public void Locate_pointOnSharedEdgeOrVertex_returnsLowerIndex()
    {
        var index = PolygonIndex.Build([
            Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"),
            Wkt("POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"),
        ]);

        index.Locate(10, 5).Should().Be(0);
        index.Locate(10, 10).Should().Be(0);
        index.Locate(20, 10).Should().Be(1, "the far corner is on polygon 1's boundary");
        index.Locate(15, 0).Should().Be(1, "a point on a horizontal edge is covered");
    }

    [Fact]
    public void Locate_pointInHole_isNotInPolygonButInIsland()
    {
        var index = PolygonIndex.Build([
            Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (3 3, 7 3, 7 7, 3 7, 3 3))"),
            Wkt("POLYGON ((4 4, 6 4, 6 6, 4 6, 4 4))"),
        ]);

        index.Locate(1, 1).Should().Be(0);
        index.Locate(3.5, 3.5).Should().Be(-1);
        index.Locate(5, 5).Should().Be(1);
        index.Locate(3, 5).Should().Be(0, "the hole's rim belongs to the polygon");
    }

    [Fact]
    public void Locate_multiPolygonAndSkippedEntries_keepIndices()
    {
        var index = PolygonIndex.Build([
            Wkt("POLYGON EMPTY"),
            Wkt("LINESTRING (0 0, 100 100)"),
            Wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((50 50, 51 50, 51 51, 50 51, 50 50)))"),
        ]);

        index.Count.Should().Be(3);
        index.Locate(0.5, 0.5).Should().Be(2);
        index.Locate(50.5, 50.5).Should().Be(2);
        index.Locate(25, 25).Should().Be(-1, "a line is not an area and the point is between the parts");
    }

    [Fact]
    public void Locate_overlap_returnsLowestIndex()
    {
        var index = PolygonIndex.Build([
            Wkt("POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))"),
            Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"),
        ]);

        index.Locate(7, 5).Should().Be(0);
        index.Locate(2, 5).Should().Be(1);
    }

    [Fact]
    public void Locate_emptyIndex_returnsMinusOne()
    {
        PolygonIndex.Build([]).Locate(0, 0).Should().Be(-1);
    }

    [Fact]
    public void Locate_randomPointsInJaggedStars_agreesWithNtsCovers()
    {
        // Independent computation: NTS Geometry.Covers on every polygon, first match wins.
        var random = new Random(20261129);
        var factory = new GeometryFactory();
        var polygons = new List<Geometry>();
        for (var k = 0; k < 12; k++)
        {
            double cx = random.NextDouble() * 100, cy = random.NextDouble() * 100;
            var ring = new Coordinate[401];
            for (var i = 0; i < 400; i++)
            {
                var a = 2 * Math.PI * i / 400;
                var radius = 5 + 10 * random.NextDouble();
                ring[i] = new Coordinate(Math.Round(cx + radius * Math.Cos(a), 3), Math.Round(cy + radius * Math.Sin(a), 3));
            }

            ring[400] = ring[0].Copy();
            polygons.Add(factory.CreatePolygon(ring));
        }

        var index = PolygonIndex.Build(polygons);
        var mismatches = 0;
        for (var n = 0; n < 5_000; n++)
        {
            // Every fifth point is a polygon vertex, to exercise the boundary rules.
            Coordinate c = n % 5 == 0
                ? polygons[random.Next(polygons.Count)].Coordinates[random.Next(400)]
                : new Coordinate(Math.Round(random.NextDouble() * 120 - 10, 3), Math.Round(random.NextDouble() * 120 - 10, 3));
            var point = factory.CreatePoint(c);
            var expected = polygons.FindIndex(p => p.Covers(point));
            if (index.Locate(c.X, c.Y) != expected) mismatches++;
        }

        mismatches.Should().Be(0);
    }

    [Fact]
    public void LocateAll_largeBatch_equalsLocatePointByPoint()
    {
        var index = PolygonIndex.Build([
            Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))"),
            Wkt("POLYGON ((10 0, 20 0, 15 12, 10 0))"),
            Wkt("MULTIPOLYGON (((-5 -5, -1 -5, -1 -1, -5 -1, -5 -5)), ((3 3, 3.5 3, 3.5 3.5, 3 3)))"),
        ]);
        var random = new Random(7);
        var n = 200_000; // several chunks, so the parallel path runs
        var xs = new double[n];
        var ys = new double[n];
        for (var i = 0; i < n; i++)
        {
            xs[i] = random.NextDouble() * 30 - 6;
            ys[i] = random.NextDouble() * 20 - 6;
        }
        var result = new int[n];

        index.LocateAll(xs, ys, result);

        for (var i = 0; i < n; i++) result[i].Should().Be(index.Locate(xs[i], ys[i]));
        result.Should().Contain([-1, 0, 1, 2]);
    }

    [Fact]
    public void LocateAll_mismatchedLengths_throws()
    {
        var index = PolygonIndex.Build([Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")]);
        var act = () => index.LocateAll(new double[3], new double[2], new int[3]);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Locate_edgesAndPointsExactlyOnBucketBorders_agreesWithNtsCovers()
    {
        // 16 unit squares over [0,4]²: 16 polygons give 64 × 64 buckets of 1/16, so every vertex and every axis-parallel
        // edge lies exactly on bucket borders; probe points on a 1/32 lattice hit borders, edges and vertices.
        var polygons = new List<Geometry>();
        for (var y = 0; y < 4; y++)
        for (var x = 0; x < 4; x++)
        {
            // Some squares lose their north-west corner to a diagonal cut: a triangular gap with a diagonal edge.
            polygons.Add((x + y) % 3 == 0
                ? Wkt($"POLYGON (({x} {y}, {x + 1} {y}, {x + 1} {y + 1}, {x + 0.5} {y + 1}, {x} {y + 0.5}, {x} {y}))")
                : Wkt($"POLYGON (({x} {y}, {x + 1} {y}, {x + 1} {y + 1}, {x} {y + 1}, {x} {y}))"));
        }
        var index = PolygonIndex.Build(polygons);
        var locators = polygons.Select(p => new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(p)).ToArray();
        for (var i = -2; i <= 130; i++)
        for (var j = -2; j <= 130; j++)
        {
            var c = new Coordinate(i / 32.0, j / 32.0);
            var expected = Array.FindIndex(locators, l => l.Locate(c) != Location.Exterior);
            index.Locate(c.X, c.Y).Should().Be(expected, $"point {c}");
        }
    }
}
