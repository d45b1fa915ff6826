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

        act.Should().Throw<FeatureFileException>().WithMessage("data.dxf: unsupported file type \".dxf\" (supported: .geojson, .json, .shp, .gpkg, .csv, .kml)");
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

    [Fact]
    public void Read_folder_throwsNotAFile()
    {
        var act = () => FeatureFiles.Read(_scratch.Path);

        act.Should().Throw<FeatureFileException>().WithMessage("*: is a folder, not a file");
    }
}
