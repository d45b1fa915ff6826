using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Crs;

public sealed class CrsTransformerTests
{
    // Expected values produced on this machine (GDAL 3.6.2, PROJ 9.1.1) with
    //   printf '118.05 37.15\n118.30 37.45\n118.45 37.90\n118.55 37.45\n118.58 37.45\n118.80 37.20\n119.15 38.05\n' \
    //     | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:N
    // (EPSG:4490 as source gives identical numbers: PROJ treats WGS84 and CGCS2000 as one datum).
    private static readonly (double Lon, double Lat)[] s_points =
    [
        (118.05, 37.15), (118.30, 37.45), (118.45, 37.90), (118.55, 37.45), (118.58, 37.45), (118.80, 37.20), (119.15, 38.05),
    ];

    private static readonly Dictionary<int, (double X, double Y)[]> s_gdal = new()
    {
        [4548] =
        [
            (593279.767992495, 4113674.03405204), (615032.280069991, 4147246.4215951), (627533.188173401, 4197389.89382011),
            (637155.177435668, 4147581.06183327), (639809.96907587, 4147625.16642695), (659807.526940764, 4120224.8593156),
            (688722.251558327, 4215230.85118091),
        ],
        [4549] =
        [
            (326759.658487639, 4114938.5484331), (349570.761683124, 4147810.04577493), (363670.905081136, 4197531.38176864),
            (371694.057704646, 4147440.15654106), (374348.807884356, 4147399.71783416), (393464.291781242, 4119381.44923923),
            (425392.461628876, 4213388.97588764),
        ],
        [4527] =
        [
            (39593279.7679925, 4113674.03405204), (39615032.28007, 4147246.4215951), (39627533.1881734, 4197389.89382011),
            (39637155.1774357, 4147581.06183327), (39639809.9690759, 4147625.16642695), (39659807.5269408, 4120224.8593156),
            (39688722.2515583, 4215230.85118091),
        ],
        [4528] =
        [
            (40326759.6584876, 4114938.5484331), (40349570.7616831, 4147810.04577493), (40363670.9050811, 4197531.38176864),
            (40371694.0577046, 4147440.15654106), (40374348.8078844, 4147399.71783416), (40393464.2917812, 4119381.44923923),
            (40425392.4616289, 4213388.97588764),
        ],
        [32650] =
        [
            (593242.45608474, 4112028.56454792), (614986.267157265, 4145587.52313647), (627482.174897342, 4195710.9379733),
            (637100.315363861, 4145922.02951854), (639754.045087391, 4145966.11647038), (659743.603929028, 4118576.76948146),
            (688646.762656527, 4213544.7589514),
        ],
        [3857] =
        [
            (13141265.8881459, 4460035.52765301), (13169095.7608443, 4502017.98271716), (13185793.6844633, 4565308.78236455),
            (13196925.6335426, 4502017.98271716), (13200265.2182664, 4502017.98271716), (13224755.5062409, 4467020.99362797),
            (13263717.3280185, 4586491.54582586),
        ],
    };

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (var srid in s_gdal.Keys)
        {
            foreach (var source in new[] { CrsRegistry.Wgs84, CrsRegistry.Cgcs2000 })
            {
                data.Add(source, srid);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transform_lonLatToProjected_matchesGdaltransformWithin1cm(int sourceSrid, int targetSrid)
    {
        var transformer = CrsTransformer.Create(sourceSrid, targetSrid);
        for (var i = 0; i < s_points.Length; i++)
        {
            var (x, y) = transformer.Transform(s_points[i].Lon, s_points[i].Lat);
            var expected = s_gdal[targetSrid][i];
            x.Should().BeApproximately(expected.X, 0.01, $"easting of point {i} in EPSG:{targetSrid}");
            y.Should().BeApproximately(expected.Y, 0.01, $"northing of point {i} in EPSG:{targetSrid}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transform_projectedToLonLat_matchesGdaltransformWithin1e8Degrees(int targetSrid, int sourceSrid)
    {
        var transformer = CrsTransformer.Create(sourceSrid, targetSrid);
        for (var i = 0; i < s_points.Length; i++)
        {
            var (lon, lat) = transformer.Transform(s_gdal[sourceSrid][i].X, s_gdal[sourceSrid][i].Y);
            lon.Should().BeApproximately(s_points[i].Lon, 1e-8);
            lat.Should().BeApproximately(s_points[i].Lat, 1e-8);
        }
    }

    [Fact]
    public void Transform_betweenGaussKrugerZones_matchesGdaltransform()
    {
        // echo "371694.057704646 4147440.15654106" | gdaltransform -s_srs EPSG:4549 -t_srs EPSG:4548
        var (x, y) = CrsTransformer.Create(4549, 4548).Transform(371694.057704646, 4147440.15654106);

        x.Should().BeApproximately(637155.177435668, 0.01);
        y.Should().BeApproximately(4147581.06183327, 0.01);
    }

    [Fact]
    public void Transform_wgs84ToCgcs2000_isIdentity()
    {
        var (lon, lat) = CrsTransformer.Create(4326, 4490).Transform(118.55, 37.45);

        lon.Should().Be(118.55);
        lat.Should().Be(37.45);
    }

    [Fact]
    public void Transform_polygon_setsTargetSridAndRoundTrips()
    {
        var polygon = new WKTReader().Read("POLYGON ((118.4 37.4, 118.6 37.4, 118.6 37.5, 118.4 37.5, 118.4 37.4))");
        polygon.SRID = 4326;

        var projected = CrsTransformer.Reproject(polygon, 4549);
        var back = CrsTransformer.Reproject(projected, 4326);

        projected.SRID.Should().Be(4549);
        projected.Area.Should().BeApproximately(17.7e3 * 11.1e3, 0.02 * 17.7e3 * 11.1e3);
        back.SRID.Should().Be(4326);
        back.EqualsExact(polygon, 1e-9).Should().BeTrue();
        polygon.Coordinates[0].X.Should().Be(118.4, "the input is not modified");
    }

    [Fact]
    public void Transform_toLocalMetricProjection_agreesWithMetricProjection()
    {
        // echo "118.60 37.50" | gdaltransform -s_srs EPSG:4326 -t_srs "+proj=tmerc +lat_0=37.45 +lon_0=118.55 +k=1 +x_0=500000 +y_0=0 +ellps=WGS84"
        var local = MetricProjection.Dongying;
        var transformer = CrsTransformer.Create(CrsRegistry.Get(4549), local.SpatialReference);
        var (gkX, gkY) = CrsTransformer.Create(4326, 4549).Transform(118.60, 37.50);

        var (x, y) = transformer.Transform(gkX, gkY);

        x.Should().BeApproximately(504421.272353927, 0.01);
        y.Should().BeApproximately(5550.50268563356, 0.01);
        local.Forward(118.60, 37.50).X.Should().BeApproximately(x, 1e-6);
    }

    [Fact]
    public void Transform_inParallel_givesTheSameResultsAsSequentially()
    {
        var transformer = CrsTransformer.Create(4326, 4549);
        var inputs = Enumerable.Range(0, 20_000).Select(i => (118.0 + (i % 200) * 0.006, 37.1 + (i / 200) * 0.01)).ToArray();
        var sequential = inputs.Select(p => transformer.Transform(p.Item1, p.Item2)).ToArray();
        var parallel = new (double X, double Y)[inputs.Length];

        Parallel.For(0, inputs.Length, i => parallel[i] = transformer.Transform(inputs[i].Item1, inputs[i].Item2));

        parallel.Should().Equal(sequential);
    }

    [Fact]
    public void Reproject_geometryWithoutSrid_throwsUnknownCrs()
    {
        var point = new Point(118.5, 37.4);

        var act = () => CrsTransformer.Reproject(point, 4549);

        act.Should().Throw<UnknownCrsException>().WithMessage("*no SRID*");
    }

    [Fact]
    public void Create_unsupportedEpsg_throwsUnknownCrs()
    {
        var act = () => CrsTransformer.Create(4326, 2436);

        act.Should().Throw<UnknownCrsException>().WithMessage("EPSG:2436 is not a supported CRS*");
    }
}
