using FluentAssertions;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Spatial;

public sealed class FastValidityTests
{
    private static readonly WKTReader Reader = new();

    private static Geometry Wkt(string wkt) => Reader.Read(wkt);

    [Theory]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")]
    [InlineData("POLYGON ((0 0, 0 10, 10 10, 10 0, 0 0))")] // clockwise
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2), (6 6, 8 6, 8 8, 6 8, 6 6))")]
    [InlineData("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((2 0, 3 0, 3 1, 2 1, 2 0)))")]
    [InlineData("POLYGON ((0 0, 4 0, 4 4, 3 4, 3 1, 1 1, 1 4, 0 4, 0 0))")] // concave U
    public void ValidPolygons_areCertainlyValid(string wkt)
    {
        var geometry = Wkt(wkt);
        geometry.IsValid.Should().BeTrue("the case itself is valid");
        FastValidity.IsCertainlyValid(geometry).Should().BeTrue();
    }

    [Theory]
    [InlineData("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")] // bow-tie
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (12 2, 14 2, 14 4, 12 4, 12 2))")] // hole outside the shell
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 8 2, 8 8, 2 8, 2 2), (3 3, 4 3, 4 4, 3 4, 3 3))")] // nested holes
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 0, 4 2, 2 4, 0 0))")] // hole touching the shell: valid, but left to NTS
    [InlineData("POLYGON ((0 0, 10 0, 20 0, 10 0, 10 10, 0 0))")] // spike back along an edge
    [InlineData("POLYGON ((0 0, 10 0, 10 0, 10 10, 0 10, 0 0))")] // repeated point: valid, but left to NTS
    [InlineData("POLYGON ((0 0, 10 0, 5 0, 0 0))")] // collapsed
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 5 0, 0 10, 0 0))")] // ring touching itself at a vertex in an edge
    [InlineData("MULTIPOLYGON (((0 0, 2 0, 2 2, 0 2, 0 0)), ((1 1, 3 1, 3 3, 1 3, 1 1)))")] // overlapping parts
    [InlineData("MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((2 2, 3 2, 3 3, 2 3, 2 2)))")] // part inside a part
    [InlineData("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((1 0, 2 0, 2 1, 1 1, 1 0)))")] // parts sharing an edge
    [InlineData("POINT (1 1)")]
    [InlineData("POLYGON EMPTY")]
    public void InvalidOrUndecided_isNotCertainlyValid(string wkt)
    {
        FastValidity.IsCertainlyValid(Wkt(wkt)).Should().BeFalse();
    }

    [Fact]
    public void NeverSaysValidWhenNtsSaysInvalid_onRandomRings()
    {
        // Random star-ish and random-walk rings: many self-intersect, many do not. Whenever the fast test says valid, NTS must agree,
        // and it should decide most of the simple ones.
        var random = new Random(20261129);
        var factory = new GeometryFactory();
        int saidValid = 0, ntsValid = 0;
        for (var round = 0; round < 2000; round++)
        {
            var n = random.Next(3, 60);
            var coordinates = new Coordinate[n + 1];
            var star = random.NextDouble() < 0.5;
            for (var i = 0; i < n; i++)
            {
                var angle = star ? 2 * Math.PI * i / n : random.NextDouble() * 2 * Math.PI;
                var radius = 1 + random.NextDouble() * (star ? 3 : 1);
                coordinates[i] = new Coordinate(Math.Round(radius * Math.Cos(angle), 2), Math.Round(radius * Math.Sin(angle), 2));
            }
            coordinates[n] = coordinates[0].Copy();
            Polygon polygon;
            try
            {
                polygon = factory.CreatePolygon(coordinates);
            }
            catch (ArgumentException)
            {
                continue;
            }
            var valid = polygon.IsValid;
            if (valid) ntsValid++;
            if (FastValidity.IsCertainlyValid(polygon))
            {
                saidValid++;
                valid.Should().BeTrue($"fast validity accepted {polygon}");
            }
        }
        ntsValid.Should().BeGreaterThan(100);
        saidValid.Should().BeGreaterThan(ntsValid * 9 / 10, "simple rings without touching or repeated points are decided quickly");
    }

    [Fact]
    public void LongRingWithOneCrossingFarApart_isFound()
    {
        // 4,000-vertex zig-zag ring whose last edge crosses its first one: the crossing pair sits in one grid cell.
        var points = new List<Coordinate>();
        for (var i = 0; i <= 2000; i++) points.Add(new Coordinate(i, i % 2 == 0 ? 0 : 0.5));
        for (var i = 2000; i >= 0; i--) points.Add(new Coordinate(i, i % 2 == 0 ? 10 : 9.5));
        points.Add(new Coordinate(0.5, -1)); // crosses the first edge (0,0)-(1,0.5)
        points.Add(points[0].Copy());
        var polygon = new GeometryFactory().CreatePolygon(points.ToArray());
        polygon.IsValid.Should().BeFalse();
        FastValidity.IsCertainlyValid(polygon).Should().BeFalse();
        points.RemoveAt(points.Count - 2);
        FastValidity.IsCertainlyValid(new GeometryFactory().CreatePolygon(points.ToArray())).Should().BeTrue();
    }
}
