using System.Globalization;
using System.Text;
using MapControl.Data.Files;

namespace MapControl.Data.Tests.Files;

/// <summary>A large file's bytes mapped (<see cref="MappedFile"/>) read as the same bytes read into an array.</summary>
public sealed class MappedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-mapped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(MappedFile.MapFrom - 1)]
    [InlineData(MappedFile.MapFrom)]
    [InlineData(3 * MappedFile.MapFrom + 12345)]
    public void Gives_the_files_bytes_mapped_or_read(int length)
    {
        var path = Path.Combine(_dir, "f.bin");
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        using (var file = MappedFile.Open(path))
        {
            file.Memory.Length.Should().Be(length);
            file.Memory.Span.SequenceEqual(bytes).Should().BeTrue();
        }

        File.Delete(path); // nothing holds the file after Dispose
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void A_large_GeoJSON_is_read_from_its_mapping_as_from_its_bytes()
    {
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; sb.Length < 2 * MappedFile.MapFrom; i++)
        {
            if (i > 0) sb.Append(',');
            var x = 118 + i % 100 * 0.001;
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"type\":\"Feature\",\"properties\":{{\"name\":\"井{i}\",\"meta\":{{\"k\":[{i}]}}}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[{x:R},37.1],[{x + 0.0005:R},37.2]]}}}}");
        }

        var path = Path.Combine(_dir, "big.geojson");
        File.WriteAllText(path, sb.Append("]}").ToString());
        new FileInfo(path).Length.Should().BeGreaterThanOrEqualTo(MappedFile.MapFrom);

        var mapped = FeatureFiles.Read(path);
        var read = GeoJsonFormat.ReadBytes(File.ReadAllBytes(path), path, new FeatureReadOptions());

        mapped.Features.Should().HaveCount(read.Features.Count);
        for (var i = 0; i < read.Features.Count; i += 97)
        {
            mapped.Features[i].Geometry.EqualsExact(read.Features[i].Geometry).Should().BeTrue();
            mapped.Features[i].Properties.Should().Equal(read.Features[i].Properties);
        }

        mapped.Features[^1].Properties["meta"].Should().Be(read.Features[^1].Properties["meta"], "an object value's JSON text is copied out of the mapping");
    }

    [Fact]
    public void A_missing_file_is_the_same_error_as_before()
    {
        var open = () => MappedFile.Open(Path.Combine(_dir, "none.geojson"));
        open.Should().Throw<FileNotFoundException>();
    }
}
