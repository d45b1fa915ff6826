using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Crs;

public sealed class Gcj02Tests
{
    // Published test vectors of the eviltransform project (github.com/googollee/eviltransform), WGS84 → GCJ-02.
    [Theory]
    [InlineData(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597)] // Shanghai
    [InlineData(113.912316, 22.543847, 113.9171764808363, 22.540796131694766)] // Shenzhen
    [InlineData(116.377817, 39.911954, 116.38404722455657, 39.91334545536069)] // Beijing
    public void FromWgs84_publishedVectors_match(double lon, double lat, double gcjLon, double gcjLat)
    {
        var (x, y) = Gcj02.FromWgs84(lon, lat);

        x.Should().BeApproximately(gcjLon, 1e-9);
        y.Should().BeApproximately(gcjLat, 1e-9);
    }

    [Theory]
    [InlineData(118.05, 37.15)]
    [InlineData(118.58, 37.45)]
    [InlineData(119.15, 38.05)]
    public void FromWgs84_aroundDongying_offsetIs300To700Metres(double lon, double lat)
    {
        var (x, y) = Gcj02.FromWgs84(lon, lat);

        var east = (x - lon) * 111_320 * Math.Cos(lat * Math.PI / 180);
        var north = (y - lat) * 110_950;
        var offset = Math.Sqrt(east * east + north * north);
        offset.Should().BeInRange(300, 700);
    }

    [Theory]
    [InlineData(118.05, 37.15)]
    [InlineData(118.30, 37.45)]
    [InlineData(118.50, 37.90)]
    [InlineData(118.80, 37.20)]
    [InlineData(119.15, 38.05)]
    [InlineData(121.5272106, 31.1774276)]
    public void ToWgs84_roundTrip_isWithinAMillimetre(double lon, double lat)
    {
        var gcj = Gcj02.FromWgs84(lon, lat);

        var (x, y) = Gcj02.ToWgs84(gcj.Lon, gcj.Lat);

        // 1e-8 degrees ≈ 1 mm
        x.Should().BeApproximately(lon, 1e-8);
        y.Should().BeApproximately(lat, 1e-8);
    }

    [Fact]
    public void FromWgs84_outsideChina_isIdentity()
    {
        Gcj02.FromWgs84(2.35, 48.85).Should().Be((2.35, 48.85));
        Gcj02.ToWgs84(2.35, 48.85).Should().Be((2.35, 48.85));
    }

    [Fact]
    public void ToWgs84_geometry_roundTripsAndSetsSrid4326()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var line = factory.CreateLineString([new Coordinate(118.4, 37.4), new Coordinate(118.7, 37.6)]);

        var back = Gcj02.ToWgs84(Gcj02.FromWgs84(line));

        back.SRID.Should().Be(4326);
        back.EqualsExact(line, 1e-8).Should().BeTrue();
    }
}
