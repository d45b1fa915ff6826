using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Coverage;

public sealed class CoverageAreaAccuracyTests
{
    [Theory]
    [InlineData(118.45, 37.40, 0.1129, 0.0901)] // ≈ 10 km square at Dongying
    [InlineData(118.10, 37.10, 0.1129, 0.0901)] // ≈ 10 km square at Chunliang
    [InlineData(118.00, 37.60, 0.5, 0.4)]       // ≈ 44 × 44 km
    public void Run_lonLatRectangle_reportedAreaWithinOneThousandthOfEllipsoidalArea(double lon, double lat, double dLon, double dLat)
    {
        var frame = LonLatRectangle(lon, lat, lon + dLon, lat + dLat);

        var report = CoverageCheck.Run(new CoverageInput(frame, []));

        var geodesic = EllipsoidRectangleAreaM2(lon, lat, lon + dLon, lat + dLat);
        report.FrameAreaM2.Should().BeApproximately(geodesic, 0.001 * geodesic);
        report.Gaps.Should().ContainSingle().Which.AreaM2.Should().BeApproximately(geodesic, 0.001 * geodesic);
    }

    [Fact]
    public void Run_tenKilometreSquareFiftyKilometresOffTheProjectionMeridian_stillWithinOneThousandth()
    {
        var frame = LonLatRectangle(118.45, 37.40, 118.5629, 37.4901);

        var report = CoverageCheck.Run(new CoverageInput(frame, []), new CoverageOptions { Projection = MetricProjection.CentredOn(117.9, 37.45) });

        var geodesic = EllipsoidRectangleAreaM2(118.45, 37.40, 118.5629, 37.4901);
        report.FrameAreaM2.Should().BeApproximately(geodesic, 0.001 * geodesic);
    }

    [Fact]
    public void EllipsoidRectangleAreaM2_wholeEllipsoid_isTheWgs84SurfaceArea()
    {
        // Surface area of the WGS84 ellipsoid: 510,065,621.724 km².
        EllipsoidRectangleAreaM2(-180, -90, 180, 90).Should().BeApproximately(510_065_621.724e6, 0.01e6);
    }
}
