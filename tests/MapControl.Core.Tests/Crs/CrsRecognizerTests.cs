using MapControl.Core.Crs;

namespace MapControl.Core.Tests.Crs;

public sealed class CrsRecognizerTests
{
    // ESRI WKT exactly as ArcGIS writes it into a .prj (also `gdalsrsinfo -o wkt_esri EPSG:N`).
    private const string EsriGkCm120E =
        """PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriGkCm117E =
        """PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriGkZone39 =
        """PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriGkZone40 =
        """PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    // ArcGIS 10 also writes Transverse_Mercator for the same CRS, with a different name.
    private const string EsriTmRenamed =
        """PROJCS["CGCS_2000_GK_120",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriGcsCgcs2000 =
        """GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    private const string EsriGcsWgs84 =
        """GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    private const string EsriUtm50N =
        """PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriWebMercator =
        """PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]""";

    // gdalsrsinfo -o wkt_esri EPSG:4550 — a CGCS2000 zone that is not registered.
    private const string EsriGkCm123E =
        """PROJCS["CGCS2000_3_Degree_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    // gdalsrsinfo -o wkt_esri EPSG:2385 — Xi'an 1980, a datum with no published transformation in the WKT.
    private const string EsriXian80GkCm120E =
        """PROJCS["Xian_1980_3_Degree_GK_CM_120E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    // ArcGIS Pro appends an unquoted AUTHORITY to ESRI WKT.
    private const string ArcGisProGkCm120E =
        """PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0],AUTHORITY["EPSG",4549]]""";

    public static TheoryData<string, int> EsriCases() => new()
    {
        { EsriGkCm120E, 4549 },
        { EsriGkCm117E, 4548 },
        { EsriGkZone39, 4527 },
        { EsriGkZone40, 4528 },
        { EsriTmRenamed, 4549 },
        { EsriGcsCgcs2000, 4490 },
        { EsriGcsWgs84, 4326 },
        { EsriUtm50N, 32650 },
        { EsriWebMercator, 3857 },
        { ArcGisProGkCm120E, 4549 },
    };

    [Fact]
    public void FromPrj_xian1980_isParsedButNotTransformedSilently()
    {
        var crs = CrsRecognizer.FromPrj(EsriXian80GkCm120E);

        var act = () => CrsTransformer.Create(crs, CrsRegistry.Get(4326));

        crs.Srid.Should().Be(0);
        crs.Name.Should().Be("Xian_1980_3_Degree_GK_CM_120E");
        act.Should().Throw<UnknownCrsException>().WithMessage("No datum transformation is known from D_Xian_1980*");
    }

    [Theory]
    [MemberData(nameof(EsriCases))]
    public void FromPrj_esriWkt_reportsRegisteredEpsg(string prj, int expectedSrid)
    {
        CrsRecognizer.FromPrj(prj).Srid.Should().Be(expectedSrid);
    }

    [Theory]
    [InlineData(4326)]
    [InlineData(4490)]
    [InlineData(4548)]
    [InlineData(4549)]
    [InlineData(4527)]
    [InlineData(4528)]
    [InlineData(32650)]
    [InlineData(3857)]
    public void FromPrj_ogcWkt1_reportsItsEpsg(int srid)
    {
        CrsRecognizer.FromPrj(CrsRegistry.GetWkt(srid)).Srid.Should().Be(srid);
    }

    [Theory]
    [InlineData(4326)]
    [InlineData(4490)]
    [InlineData(4548)]
    [InlineData(4549)]
    [InlineData(4527)]
    [InlineData(4528)]
    [InlineData(32650)]
    [InlineData(3857)]
    public void FromPrj_shippedEsriWkt_reportsItsEpsg(int srid)
    {
        CrsRecognizer.FromPrj(CrsRegistry.GetEsriWkt(srid)).Srid.Should().Be(srid);
    }

    [Fact]
    public void FromPrj_ogcWkt1WithoutAuthority_isMatchedByParameters()
    {
        var wkt = CrsRegistry.GetWkt(4549).Replace(",AUTHORITY[\"EPSG\",\"4549\"]", string.Empty, StringComparison.Ordinal)
            .Replace("CGCS2000 / 3-degree Gauss-Kruger CM 120E", "my zone", StringComparison.Ordinal);

        CrsRecognizer.FromPrj(wkt).Srid.Should().Be(4549);
    }

    [Fact]
    public void FromPrj_multiLineWithBomAndWhitespace_isRecognised()
    {
        var prj = "\uFEFF  " + EsriGkCm120E.Replace("],", "],\r\n  ", StringComparison.Ordinal) + "\r\n";

        CrsRecognizer.FromPrj(prj).Srid.Should().Be(4549);
    }

    [Fact]
    public void FromPrj_unregisteredGaussKrugerZone_transformsLikeGdal()
    {
        // echo "118.55 37.45" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4550
        var crs = CrsRecognizer.FromPrj(EsriGkCm123E);

        var (x, y) = CrsTransformer.Create(CrsRegistry.Get(4326), crs).Transform(118.55, 37.45);

        crs.Srid.Should().Be(0);
        crs.IsRegistered.Should().BeFalse();
        x.Should().BeApproximately(106140.613336332, 0.01);
        y.Should().BeApproximately(4155763.87775867, 0.01);
    }

    [Fact]
    public void FromPrj_esriGaussKruger_transformsLikeGdal()
    {
        var crs = CrsRecognizer.FromPrj(EsriGkCm120E);

        var (x, y) = CrsTransformer.Create(CrsRegistry.Get(4326), crs).Transform(118.55, 37.45);

        x.Should().BeApproximately(371694.057704646, 0.01);
        y.Should().BeApproximately(4147440.15654106, 0.01);
    }

    [Theory]
    [InlineData("EPSG:4549", 4549)]
    [InlineData("epsg:32650", 32650)]
    [InlineData("4490", 4490)]
    public void FromText_epsgCode_isRecognised(string text, int srid)
    {
        CrsRecognizer.FromText(text).Srid.Should().Be(srid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello world")]
    [InlineData("PROJCS[\"broken\",GEOGCS[")]
    [InlineData("PROJCRS[\"CGCS2000 / 3-degree Gauss-Kruger CM 120E\",BASEGEOGCRS[\"China Geodetic Coordinate System 2000\"]]")]
    public void FromPrj_garbage_throwsUnknownCrsWithOneLineMessage(string text)
    {
        var act = () => CrsRecognizer.FromPrj(text);

        act.Should().Throw<UnknownCrsException>().Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void FromText_unsupportedEpsg_throwsUnknownCrs()
    {
        var act = () => CrsRecognizer.FromText("EPSG:2385");

        act.Should().Throw<UnknownCrsException>().WithMessage("EPSG:2385 is not a supported CRS*");
    }

    [Fact]
    public void Registry_everyShippedWkt_parses()
    {
        foreach (var srid in CrsRegistry.SupportedSrids)
        {
            CrsRegistry.Get(srid).Srid.Should().Be(srid);
        }

        CrsRegistry.SupportedSrids.Should().BeEquivalentTo([4326, 4490, 4527, 4528, 4548, 4549, 3857, 32650]);
    }
}
