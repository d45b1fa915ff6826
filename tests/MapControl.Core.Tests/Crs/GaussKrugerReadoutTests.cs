using MapControl.Core.Crs;
using MapControl.Core.Spatial;

namespace MapControl.Core.Tests.Crs;

/// <summary>The cursor readout's zone rule and projection, and the measure tool, against independent computations.</summary>
public sealed class GaussKrugerReadoutTests
{
    // CGCS2000 ellipsoid.
    private const double A = 6378137.0, F = 1 / 298.257222101;

    /// <summary>Meridian arc length from the equator (Helmert's series in n), independent of ProjNet.</summary>
    private static double MeridianArc(double latDeg)
    {
        var n = F / (2 - F);
        var phi = latDeg * Math.PI / 180;
        var a0 = A / (1 + n) * (1 + n * n / 4 + Math.Pow(n, 4) / 64);
        var a2 = -1.5 * n + 9.0 / 16 * Math.Pow(n, 3);
        var a4 = 15.0 / 16 * n * n - 15.0 / 32 * Math.Pow(n, 4);
        var a6 = -35.0 / 48 * Math.Pow(n, 3);
        var a8 = 315.0 / 512 * Math.Pow(n, 4);
        return a0 * (phi + a2 * Math.Sin(2 * phi) + a4 * Math.Sin(4 * phi) + a6 * Math.Sin(6 * phi) + a8 * Math.Sin(8 * phi));
    }

    [Theory]
    [InlineData(114.0, 20)]
    [InlineData(118.55, 20)]
    [InlineData(119.999, 20)]
    [InlineData(120.0, 21)]
    [InlineData(123.5, 21)]
    [InlineData(113.9, 19)]
    public void The_zone_follows_the_longitude_in_six_degree_steps(double lon, int zone) =>
        GaussKrugerReadout.ZoneOf(lon).Should().Be(zone);

    [Theory]
    [InlineData(37.0)]
    [InlineData(37.45)]
    [InlineData(38.2)]
    public void On_the_central_meridian_the_easting_is_the_false_easting_and_the_northing_the_meridian_arc(double lat)
    {
        var p = GaussKrugerReadout.Of(117.0, lat)!.Value;
        p.Zone.Should().Be(20);
        p.Srid.Should().Be(4498);
        p.Y.Should().BeApproximately(20_500_000, 0.001);
        p.X.Should().BeApproximately(MeridianArc(lat), 0.01);
    }

    [Fact]
    public void Points_either_side_of_the_central_meridian_mirror_and_zone_21_has_its_own_prefix()
    {
        var east = GaussKrugerReadout.Of(118.5, 37.45)!.Value;
        var west = GaussKrugerReadout.Of(115.5, 37.45)!.Value;
        (east.Y - 20_500_000).Should().BeApproximately(20_500_000 - west.Y, 0.001);
        east.X.Should().BeApproximately(west.X, 0.001);
        // 1.5° of longitude at 37.45°N is about 132.7 km on the ellipsoid (a little more on the projection's scale 1 + y²/2R²).
        (east.Y - 20_500_000).Should().BeInRange(132_000, 133_500);
        var z21 = GaussKrugerReadout.Of(121.0, 37.45)!.Value;
        z21.Zone.Should().Be(21);
        z21.Y.Should().BeInRange(21_000_000, 22_000_000);
        GaussKrugerReadout.Of(10, 50).Should().BeNull("zone 2 is not a zone of China");
        GaussKrugerReadout.Of(double.NaN, 37).Should().BeNull();
    }

    [Fact]
    public void Measured_lengths_and_areas_match_closed_forms_on_the_sphere()
    {
        const double r = GeodesicMeasure.Radius;
        // A meridian segment of 1°: R·π/180.
        GeodesicMeasure.Length([(118, 37), (118, 38)]).Should().BeApproximately(r * Math.PI / 180, 0.01);
        // A lon/lat box: R²·Δλ·(sin φ2 − sin φ1).
        var box = new[] { (118.0, 37.0), (119.0, 37.0), (119.0, 38.0), (118.0, 38.0) };
        var expected = r * r * (Math.PI / 180) * (Math.Sin(38 * Math.PI / 180) - Math.Sin(37 * Math.PI / 180));
        GeodesicMeasure.Area(box).Should().BeApproximately(expected, expected * 1e-9);
        GeodesicMeasure.Area(box.Reverse().ToArray()).Should().BeApproximately(expected, expected * 1e-9, "orientation does not matter");
        GeodesicMeasure.Area([(118.0, 37.0), (119.0, 37.0)]).Should().Be(0);
    }
}
