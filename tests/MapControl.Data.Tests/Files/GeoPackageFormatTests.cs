using MapControl.Data.Files;
using Microsoft.Data.Sqlite;
using static MapControl.Data.Tests.Files.FileTestSupport;

namespace MapControl.Data.Tests.Files;

// Fixture made on this machine (GDAL 3.6.2):
//   ogr2ogr -f GPKG -t_srs EPSG:4549 -nln jurisdictions dongying_4549.gpkg dongying.geojson
public sealed class GeoPackageFormatTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Read_ogr2ogrGeoPackageIn4549_matchesOriginalLonLatWithin1e7()
    {
        var original = Original();

        var set = FeatureFiles.Read(Fixture("dongying_4549.gpkg"));

        set.SourceSrid.Should().Be(4549);
        set.SourceFormat.Should().Be("GeoPackage");
        set.Features.Should().HaveCount(3);
        for (var i = 0; i < 3; i++)
        {
            set.Features[i].Geometry.SRID.Should().Be(4326);
            set.Features[i].Geometry.ShouldMatch(original.Features[i].Geometry, 1e-7);
            set.Features[i].Properties["name"].Should().Be(original.Features[i].Properties["name"]);
            set.Features[i].Properties["code"].Should().Be(original.Features[i].Properties["code"]);
        }

        set.Features[0].Properties.Should().NotContainKey("fid");
    }

    [Theory]
    [InlineData(4326)]
    [InlineData(4549)]
    [InlineData(4528)]
    public void WriteGeoPackage_thenRead_roundTrips(int srid)
    {
        var original = Original();
        var path = _scratch.File($"out_{srid}.gpkg");

        FeatureFiles.WriteGeoPackage(path, original.Features, "zones", srid);
        var back = FeatureFiles.Read(path);

        back.SourceSrid.Should().Be(srid);
        back.Features.Should().HaveCount(3);
        for (var i = 0; i < 3; i++)
        {
            back.Features[i].Geometry.ShouldMatch(original.Features[i].Geometry, 1e-7);
            back.Features[i].Properties.Should().BeEquivalentTo(original.Features[i].Properties);
        }
    }

    [Fact]
    public void WriteGeoPackage_writesGeoPackageMetadata()
    {
        var path = _scratch.File("meta.gpkg");

        FeatureFiles.WriteGeoPackage(path, [Feature("POINT (118.55 37.45)", ("ok", true))], "wells", 4549);

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Scalar(connection, "PRAGMA application_id").Should().Be(0x47504B47L);
        Scalar(connection, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'wells'").Should().Be(4549L);
        Scalar(connection, "SELECT geometry_type_name FROM gpkg_geometry_columns").Should().Be("POINT");
        Scalar(connection, "SELECT organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = 4549").Should().Be(4549L);
        // echo "118.55 37.45" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4549 → 371694.057704646 4147440.15654106
        Convert.ToDouble(Scalar(connection, "SELECT min_x FROM gpkg_contents")).Should().BeApproximately(371694.057704646, 0.01);
    }

    [Fact]
    public void WriteGeoPackage_geometryBlobs_areXyOnly()
    {
        // GeoPackageGeoWriter writes XYZM (NaN Z and M) by default, which GDAL shows as POINT ZM: we ask for XY.
        var path = _scratch.File("xy.gpkg");
        FeatureFiles.WriteGeoPackage(path, [Feature("POINT (118.55 37.45)")], "wells", 4549);

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        var blob = (byte[])Scalar(connection, "SELECT geom FROM wells")!;
        var envelopeCode = (blob[3] >> 1) & 0x07;
        var wkbOffset = 8 + (envelopeCode switch { 0 => 0, 1 => 32, 2 or 3 => 48, _ => 64 });
        var wkbType = blob[wkbOffset] == 1 ? BitConverter.ToUInt32(blob, wkbOffset + 1) : 0u;

        ((char)blob[0]).Should().Be('G');
        ((char)blob[1]).Should().Be('P');
        BitConverter.ToInt32(blob, 4).Should().Be(4549, "the blob header carries the SRS id");
        envelopeCode.Should().BeLessThanOrEqualTo(1);
        wkbType.Should().Be(1u, "a 2D WKB Point");
    }

    [Fact]
    public void Read_unknownLayer_throwsListingLayers()
    {
        var act = () => FeatureFiles.Read(Fixture("dongying_4549.gpkg"), new FeatureReadOptions { Layer = "wells" });

        act.Should().Throw<FeatureFileException>().WithMessage("dongying_4549.gpkg: no layer \"wells\" (layers: jurisdictions)");
    }

    [Fact]
    public void Read_textFileNamedGpkg_throwsNotAGeoPackage()
    {
        var path = _scratch.File("fake.gpkg");
        File.WriteAllText(path, "hello, I am not a database");

        var act = () => FeatureFiles.Read(path);

        act.Should().Throw<FeatureFileException>().WithMessage("fake.gpkg: *").Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Read_sqliteWithoutGpkgTables_throwsNotAGeoPackage()
    {
        var path = _scratch.File("plain.gpkg");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (a INTEGER)";
            command.ExecuteNonQuery();
        }

        var act = () => FeatureFiles.Read(path);

        act.Should().Throw<FeatureFileException>().WithMessage("plain.gpkg: not a GeoPackage with features*");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
