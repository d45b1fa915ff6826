using MapControl.Core.Crs;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Kpi;

public sealed class CameraSectorTests
{
    private static readonly MetricProjection Projection = MetricProjection.Dongying;

    private static Camera CameraAt(double heading, double fov, double range) =>
        new("C1", new Point(118.6, 37.5) { SRID = 4326 }, heading, fov, range, null);

    private static (double Lon, double Lat) Offset(double east, double north)
    {
        var (x, y) = Projection.Forward(118.6, 37.5);
        return Projection.Inverse(x + east, y + north);
    }

    [Fact]
    public void Metric_quarterSector_areaAndShape()
    {
        var sector = CameraSector.Metric(CameraAt(90, 90, 200), Projection);
        sector.IsValid.Should().BeTrue();
        sector.Area.Should().BeApproximately(Math.PI * 200 * 200 / 4, Math.PI * 200 * 200 / 4 * 1e-4);
        var (cx, cy) = Projection.Forward(118.6, 37.5);
        // Facing east with 90°: spans bearings 45°…135°; the apex is a vertex, the arc reaches x = cx + 200.
        sector.EnvelopeInternal.MaxX.Should().BeApproximately(cx + 200, 1e-6);
        sector.EnvelopeInternal.MinX.Should().BeApproximately(cx, 1e-6);
        sector.EnvelopeInternal.MaxY.Should().BeApproximately(cy + 200 * Math.Sqrt(0.5), 1e-6);
    }

    [Theory]
    [InlineData(150, 0, true)]     // ahead (east), in range
    [InlineData(199, 0, true)]
    [InlineData(201, 0, false)]    // beyond range
    [InlineData(-50, 0, false)]    // behind
    [InlineData(100, 90, true)]    // bearing 48.0° from north = 42.0° from the heading: inside ±45°
    [InlineData(100, 110, false)]  // bearing 42.3° from north = 47.7° from the heading: outside
    [InlineData(0, 150, false)]    // due north
    public void Covers_pointsAroundEastFacingCamera_polygonAndAnalyticAgree(double east, double north, bool expected)
    {
        var camera = CameraAt(90, 90, 200);
        var (lon, lat) = Offset(east, north);
        var polygon = CameraSector.Metric(camera, Projection);
        var (x, y) = Projection.Forward(lon, lat);
        polygon.Covers(new Point(x, y)).Should().Be(expected);
        CameraSector.Covers(camera, lon, lat, Projection).Should().Be(expected);
    }

    [Fact]
    public void Metric_headingAcrossNorth_wrapsAround()
    {
        var camera = CameraAt(350, 40, 100); // bearings 330°…10°
        var (lonIn, latIn) = Offset(10, 80);     // bearing ≈ 7°
        var (lonOut, latOut) = Offset(30, 80);   // bearing ≈ 20.6°
        CameraSector.Covers(camera, lonIn, latIn, Projection).Should().BeTrue();
        CameraSector.Covers(camera, lonOut, latOut, Projection).Should().BeFalse();
        CameraSector.LonLat(camera, Projection).Covers(new Point(lonIn, latIn)).Should().BeTrue();
        CameraSector.LonLat(camera, Projection).Covers(new Point(lonOut, latOut)).Should().BeFalse();
    }

    [Fact]
    public void Metric_fullCircle_isDisc()
    {
        var sector = CameraSector.Metric(CameraAt(0, 360, 100), Projection);
        sector.IsValid.Should().BeTrue();
        sector.Area.Should().BeApproximately(Math.PI * 100 * 100, Math.PI * 100 * 100 * 1e-3);
    }
}
