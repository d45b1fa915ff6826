using MapControl.Core.Crs;
using MapControl.Data.Files;
using NetTopologySuite.Geometries;
using static MapControl.Data.Tests.Files.FileTestSupport;

namespace MapControl.Data.Tests.Files;

// Fixtures made on this machine (GDAL 3.6.2) from Fixtures/dongying.geojson:
//   ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:4549 -lco ENCODING=GBK dongying_gbk_4549.shp dongying.geojson
//   ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:4528 -lco ENCODING=GBK dongying_gbk_4528.shp dongying.geojson
// GDAL writes the .prj as ESRI WKT with PROJECTION["Gauss_Kruger"] and the .cpg as "GBK".
public sealed class ShapefileFormatTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("dongying_gbk_4549.shp", 4549)]
    [InlineData("dongying_gbk_4528.shp", 4528)]
    public void Read_gbkGaussKrugerShapefile_matchesOriginalLonLatWithin1e7(string fixture, int srid)
    {
        var original = Original();

        var set = FeatureFiles.Read(Fixture(fixture));

        set.SourceSrid.Should().Be(srid);
        set.SourceFormat.Should().Be("ESRI Shapefile");
        set.Features.Should().HaveCount(3);
        for (var i = 0; i < 3; i++)
        {
            set.Features[i].Geometry.SRID.Should().Be(4326);
            set.Features[i].Geometry.ShouldMatch(original.Features[i].Geometry, 1e-7);
            set.Features[i].Properties["name"].Should().Be(original.Features[i].Properties["name"]);
        }

        set.Features[0].Properties["name"].Should().Be("孤岛护卫部辖区");
        set.Features[2].Properties["name"].Should().Be("纯梁（西）");
        set.Features[0].Geometry.Should().BeOfType<Polygon>();
        set.Features[2].Geometry.Should().BeOfType<MultiPolygon>();
        Convert.ToInt64(set.Features[1].Properties["code"]).Should().Be(6);
        Convert.ToDouble(set.Features[1].Properties["area_km2"]).Should().Be(98.25);
    }

    [Fact]
    public void Read_gbkWithoutCpg_fallsBackToGbkAndNotesIt()
    {
        var shp = CopyShapefile("dongying_gbk_4549.shp", _scratch.Path, "nocpg");
        File.Delete(Path.ChangeExtension(shp, ".cpg"));

        var set = FeatureFiles.Read(shp);

        set.Features[1].Properties["name"].Should().Be("现河采油厂油区");
        set.Notes.Should().Contain(n => n.Contains("GBK"));
    }

    [Fact]
    public void Read_ogcWkt1Prj_isRecognisedToo()
    {
        var shp = CopyShapefile("dongying_gbk_4549.shp", _scratch.Path, "ogc");
        File.WriteAllText(Path.ChangeExtension(shp, ".prj"), CrsRegistry.GetWkt(4549));

        var set = FeatureFiles.Read(shp);

        set.SourceSrid.Should().Be(4549);
        set.Features[0].Geometry.ShouldMatch(Original().Features[0].Geometry, 1e-7);
    }

    [Fact]
    public void Read_projectedWithoutPrj_throwsClearError()
    {
        var shp = CopyShapefile("dongying_gbk_4549.shp", _scratch.Path, "noprj");
        File.Delete(Path.ChangeExtension(shp, ".prj"));

        var act = () => FeatureFiles.Read(shp);

        act.Should().Throw<FeatureFileException>().WithMessage("noprj.shp: the .prj file is missing and the coordinates*are not lon/lat*");
    }

    [Fact]
    public void Read_projectedWithoutPrjButAssumedSrid_reprojects()
    {
        var shp = CopyShapefile("dongying_gbk_4549.shp", _scratch.Path, "assumed");
        File.Delete(Path.ChangeExtension(shp, ".prj"));

        var set = FeatureFiles.Read(shp, new FeatureReadOptions { AssumeSrid = 4549 });

        set.SourceSrid.Should().Be(4549);
        set.Features[1].Geometry.ShouldMatch(Original().Features[1].Geometry, 1e-7);
    }

    [Fact]
    public void Read_garbagePrj_throwsWithPrjFileName()
    {
        var shp = CopyShapefile("dongying_gbk_4549.shp", _scratch.Path, "badprj");
        File.WriteAllText(Path.ChangeExtension(shp, ".prj"), "this is not a projection");

        var act = () => FeatureFiles.Read(shp);

        act.Should().Throw<FeatureFileException>().WithMessage("badprj.prj: Not a WKT coordinate system*");
    }

    [Fact]
    public void Read_missingDbf_throwsClearError()
    {
        var shp = CopyShapefile("dongying_gbk_4549.shp", _scratch.Path, "nodbf");
        File.Delete(Path.ChangeExtension(shp, ".dbf"));

        var act = () => FeatureFiles.Read(shp);

        act.Should().Throw<FeatureFileException>().WithMessage("nodbf.shp: the .dbf file is missing*");
    }

    [Fact]
    public void Read_truncatedShp_throwsFeatureFileException()
    {
        var shp = CopyShapefile("dongying_gbk_4549.shp", _scratch.Path, "truncated");
        var bytes = File.ReadAllBytes(shp);
        File.WriteAllBytes(shp, bytes[..150]);

        var act = () => FeatureFiles.Read(shp);

        act.Should().Throw<FeatureFileException>().Which.Message.Should().StartWith("truncated.shp: ").And.NotContain("\n");
    }

    [Fact]
    public void WriteShapefile_inGaussKruger_writesEsriPrjUtf8CpgAndRoundTrips()
    {
        var original = Original();
        var shp = _scratch.File("out_4549.shp");

        FeatureFiles.WriteShapefile(shp, original.Features, 4549);
        var back = FeatureFiles.Read(shp);

        File.ReadAllText(Path.ChangeExtension(shp, ".prj")).Should().StartWith("PROJCS[\"CGCS2000_3_Degree_GK_CM_120E\"").And.Contain("Gauss_Kruger");
        File.ReadAllText(Path.ChangeExtension(shp, ".cpg")).Should().Be("UTF-8");
        back.SourceSrid.Should().Be(4549);
        back.Features.Should().HaveCount(3);
        for (var i = 0; i < 3; i++)
        {
            back.Features[i].Geometry.ShouldMatch(original.Features[i].Geometry, 1e-7);
            back.Features[i].Properties["name"].Should().Be(original.Features[i].Properties["name"]);
            Convert.ToInt64(back.Features[i].Properties["code"]).Should().Be((long)original.Features[i].Properties["code"]!);
            Convert.ToDouble(back.Features[i].Properties["area_km2"]).Should().Be(Convert.ToDouble(original.Features[i].Properties["area_km2"]));
        }
    }

    [Fact]
    public void WriteShapefile_gaussKrugerCoordinates_matchGdaltransform()
    {
        // echo "118.55 37.45" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4549 → 371694.057704646 4147440.15654106
        var shp = _scratch.File("point.shp");

        FeatureFiles.WriteShapefile(shp, [Feature("POINT (118.55 37.45)", ("id", 1L))], 4549);
        var raw = FeatureFiles.Read(shp, new FeatureReadOptions { AssumeSrid = 4549 });
        File.Delete(Path.ChangeExtension(shp, ".prj"));
        var unprojected = NetTopologySuite.IO.Esri.Shapefile.ReadAllGeometries(shp);

        unprojected[0].Coordinate.X.Should().BeApproximately(371694.057704646, 0.01);
        unprojected[0].Coordinate.Y.Should().BeApproximately(4147440.15654106, 0.01);
        raw.Features[0].Geometry.ShouldMatch(Wkt("POINT (118.55 37.45)"), 1e-9);
    }

    [Fact]
    public void WriteShapefile_mixedGeometryTypes_throws()
    {
        var act = () => FeatureFiles.WriteShapefile(_scratch.File("mixed.shp"),
            [Feature("POINT (118.5 37.4)"), Feature("LINESTRING (118.5 37.4, 118.6 37.5)")]);

        act.Should().Throw<FeatureFileException>().WithMessage("mixed.shp: a Shapefile holds one geometry type*");
    }

    [Fact]
    public void WriteShapefile_longAndChineseFieldNames_areTruncatedUniquely()
    {
        var shp = _scratch.File("names.shp");

        FeatureFiles.WriteShapefile(shp, [Feature("POINT (118.5 37.4)", ("department_code", "A"), ("department_name", "孤岛"), ("部门名称", "x"))]);
        var back = FeatureFiles.Read(shp);

        back.Features[0].Properties.Keys.Should().BeEquivalentTo(["department", "departmen1", "部门名"]);
        back.Features[0].Properties["departmen1"].Should().Be("孤岛");
    }
}
