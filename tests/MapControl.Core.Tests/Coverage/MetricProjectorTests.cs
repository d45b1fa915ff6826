using FluentAssertions;
using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Coverage;

public sealed class MetricProjectorTests
{
    private static readonly WKTReader Reader = new();

    [Theory]
    [InlineData("POLYGON ((118.40 37.40, 118.47 37.40, 118.47 37.46, 118.40 37.46, 118.40 37.40))")]
    [InlineData("MULTIPOLYGON (((118.40 37.40, 118.41 37.40, 118.41 37.41, 118.40 37.40)), ((118.6 37.5, 118.61 37.5, 118.6 37.52, 118.6 37.5)))")]
    [InlineData("POLYGON ((118.40 37.40, 118.47 37.40, 118.47 37.46, 118.40 37.46, 118.40 37.40), (118.42 37.42, 118.42 37.43, 118.43 37.43, 118.42 37.42))")]
    public void Project_matchesDensifyThenForward(string wkt)
    {
        var lonLat = Reader.Read(wkt);
        var projection = MetricProjection.CentredOn(118.5, 37.45);
        var expected = projection.Forward(LonLatDensifier.Densify(lonLat, 0.002));

        var projector = new MetricProjector(projection, 0.002);
        var actual = projector.Project(lonLat, grid: null);

        actual.NumPoints.Should().Be(expected.NumPoints);
        var a = actual.Coordinates;
        var e = expected.Coordinates;
        for (var i = 0; i < a.Length; i++)
        {
            a[i].X.Should().BeApproximately(e[i].X, 1e-6);
            a[i].Y.Should().BeApproximately(e[i].Y, 1e-6);
        }
        actual.SRID.Should().Be(MetricProjection.LocalSrid);
    }

    [Fact]
    public void Project_onGrid_roundsEveryCoordinateToTheGrid()
    {
        var lonLat = Reader.Read("POLYGON ((118.40 37.40, 118.47 37.40, 118.47 37.46, 118.40 37.46, 118.40 37.40))");
        var grid = new PrecisionModel(1000.0);
        var projected = new MetricProjector(MetricProjection.CentredOn(118.5, 37.45), 0.002).Project(lonLat, grid);
        projected.Coordinates.Should().OnlyContain(c => c.X == grid.MakePrecise(c.X) && c.Y == grid.MakePrecise(c.Y));
        projected.NumPoints.Should().BeGreaterThan(100, "edges of 0.06-0.07° are densified at 0.002°");
    }
}
