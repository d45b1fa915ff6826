using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Crs;

public sealed class VertexMapTests
{
    private static readonly GeometryFactory Factory = new();

    [Fact]
    public void Of_MapsEachProjectedVertexToItsSource_AndNothingElse()
    {
        var lonLat = (Polygon)Factory.CreatePolygon([new(118.1, 37.1), new(118.2, 37.1), new(118.2, 37.2), new(118.1, 37.1)]);
        var projection = MetricProjection.CentredOn(118.15, 37.15);
        var metric = projection.Forward(lonLat);

        var map = VertexMap.Of(metric, lonLat);

        Assert.NotNull(map);
        for (var i = 0; i < metric.Coordinates.Length; i++)
        {
            var found = map.Find(metric.Coordinates[i].X, metric.Coordinates[i].Y);
            Assert.NotNull(found);
            Assert.Equal(lonLat.Coordinates[i].X, found.X);
            Assert.Equal(lonLat.Coordinates[i].Y, found.Y);
            // The source's own object (the closing vertex repeats the first: the first is kept).
            Assert.Same(lonLat.Coordinates[i == metric.Coordinates.Length - 1 ? 0 : i], found);
        }

        Assert.Null(map.Find(metric.Coordinates[0].X + 1e-9, metric.Coordinates[0].Y));
        Assert.Null(map.Find(0, 0));
    }

    [Fact]
    public void Of_DifferentVertexCounts_IsNull()
    {
        var a = Factory.CreateLineString([new(0, 0), new(1, 1)]);
        var b = Factory.CreateLineString([new(0, 0), new(1, 1), new(2, 2)]);
        Assert.Null(VertexMap.Of(a, b));
    }

    [Fact]
    public void Inverse_WithMap_TakesKnownVerticesExactly_AndProjectsTheOthers()
    {
        var projection = MetricProjection.CentredOn(118.15, 37.15);
        var lonLat = (Polygon)Factory.CreatePolygon([new(118.1, 37.1), new(118.2, 37.1), new(118.2, 37.2), new(118.1, 37.1)]);
        var metric = projection.Forward(lonLat);
        var map = VertexMap.Of(metric, lonLat)!;
        // A new vertex (the middle of an edge) besides the known ones.
        var c = metric.Coordinates;
        var mid = new Coordinate((c[0].X + c[1].X) / 2, (c[0].Y + c[1].Y) / 2);
        var line = new GeometryFactory(new PrecisionModel(), MetricProjection.LocalSrid).CreateLineString([c[0], mid, c[1]]);

        var back = MetricProjection.Inverse(line, projection.CreateInverseTransform(), map);

        Assert.Equal(lonLat.Coordinates[0], back.Coordinates[0]);
        Assert.Equal(lonLat.Coordinates[1], back.Coordinates[2]);
        var (lon, lat) = projection.Inverse(mid.X, mid.Y);
        Assert.Equal(lon, back.Coordinates[1].X, 9);
        Assert.Equal(lat, back.Coordinates[1].Y, 9);
        Assert.Equal(4326, back.SRID);
    }
}
