using MapControl.Data.Files;

namespace MapControl.Data.Tests.Files;

public sealed class FeatureFilesTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Read_missingFile_throwsFileNotFound()
    {
        var act = () => FeatureFiles.Read(_scratch.File("nowhere.geojson"));

        act.Should().Throw<FeatureFileException>().WithMessage("nowhere.geojson: file not found");
    }

    [Fact]
    public void Read_unsupportedExtension_listsSupportedOnes()
    {
        var path = _scratch.File("data.dxf");
        File.WriteAllText(path, "0\nSECTION");

        var act = () => FeatureFiles.Read(path);

        act.Should().Throw<FeatureFileException>().WithMessage("data.dxf: unsupported file type \".dxf\" (supported: .geojson, .json, .shp, .gpkg, .csv, .tsv, .txt, .xlsx, .kml)");
    }

    [Fact]
    public void Read_unreadableShp_throwsOneLineError()
    {
        var path = _scratch.File("random.shp");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 37))]);
        File.WriteAllBytes(Path.ChangeExtension(path, ".dbf"), [.. Enumerable.Range(0, 64).Select(i => (byte)i)]);

        var act = () => FeatureFiles.Read(path);

        act.Should().Throw<FeatureFileException>().Which.Message.Should().StartWith("random.shp: ").And.NotContain("\n");
    }

    [Theory]
    [InlineData("out.geojson", "GeoJSON", 4326)]
    [InlineData("out.shp", "ESRI Shapefile", 4549)]
    [InlineData("2024 zones.gpkg", "GeoPackage", 4549)]
    public void Write_byExtension_roundTrips(string name, string format, int srid)
    {
        var original = FileTestSupport.Original();
        var path = _scratch.File(name);

        FeatureFiles.Write(path, original.Features, srid);
        var back = FeatureFiles.Read(path);

        back.SourceFormat.Should().Be(format);
        back.SourceSrid.Should().Be(srid);
        back.Features.Should().HaveCount(original.Features.Count);
        back.Features[0].Geometry.ShouldMatch(original.Features[0].Geometry, 1e-7);
    }

    [Fact]
    public void Write_unknownExtension_throws()
    {
        var act = () => FeatureFiles.Write(_scratch.File("out.kml"), []);

        act.Should().Throw<FeatureFileException>().WithMessage("out.kml: cannot write \".kml\" files*");
    }

    [Fact]
    public void Read_folder_throwsNotAFile()
    {
        var act = () => FeatureFiles.Read(_scratch.Path);

        act.Should().Throw<FeatureFileException>().WithMessage("*: is a folder, not a file");
    }
}
