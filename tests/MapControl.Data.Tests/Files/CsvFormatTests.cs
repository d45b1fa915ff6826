using System.Text;
using MapControl.Data.Files;
using static MapControl.Data.Tests.Files.FileTestSupport;

namespace MapControl.Data.Tests.Files;

public sealed class CsvFormatTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Read_lonLatColumns_givesPointsWithStringProperties()
    {
        var path = Write("incidents.csv", "id,Lon,LAT,occurred_at,type\r\n1,118.55,37.45,2024-05-01T10:00:00,\"casing_gas, theft\"\r\n\r\n2,118.6,37.5,2024-05-02T11:00:00,\"pipe \"\"tap\"\"\"\r\n");

        var set = FeatureFiles.Read(path);

        set.SourceFormat.Should().Be("CSV");
        set.Features.Should().HaveCount(2);
        set.Features[0].Geometry.ShouldMatch(Wkt("POINT (118.55 37.45)"), 0);
        set.Features[0].Properties.Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["id"] = "1", ["occurred_at"] = "2024-05-01T10:00:00", ["type"] = "casing_gas, theft",
        });
        set.Features[1].Properties["type"].Should().Be("pipe \"tap\"");
    }

    [Fact]
    public void Read_xyColumnsInGaussKruger_areReprojected()
    {
        // echo "118.55 37.45" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4549
        var path = Write("gk.csv", "name;x;y\n井1;371694.057704646;4147440.15654106\n");

        var set = FeatureFiles.Read(path, new FeatureReadOptions { AssumeSrid = 4549 });

        set.SourceSrid.Should().Be(4549);
        set.Features[0].Geometry.ShouldMatch(Wkt("POINT (118.55 37.45)"), 1e-9);
        set.Features[0].Properties["name"].Should().Be("井1");
    }

    [Fact]
    public void Read_gbkEncodedCsv_isDecoded()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var path = _scratch.File("gbk.csv");
        File.WriteAllBytes(path, Encoding.GetEncoding(936).GetBytes("名称,经度,lng,lat\n孤岛采油厂,x,118.85,37.87\n"));

        var set = FeatureFiles.Read(path);

        set.Features[0].Properties["名称"].Should().Be("孤岛采油厂");
        set.Notes.Should().Contain(n => n.Contains("GBK"));
    }

    [Theory]
    [InlineData("lon,lat,name\n118.5,37.4,a\n118.6,abc,b\n", "bad.csv: line 3: \"abc\" in column \"lat\" is not a number")]
    [InlineData("lon,lat\n118.5,37.4\n\n118.6,\n", "bad.csv: line 4: \"\" in column \"lat\" is not a number")]
    [InlineData("lon,lat\n118.5,37.4\n371694,4147440\n", "bad.csv: line 3: (371694, 4147440) is not a lon/lat position*")]
    [InlineData("name,lat\na,37.4\n", "bad.csv: no longitude column*")]
    [InlineData("", "bad.csv: the file is empty*")]
    [InlineData("lon,lat\n118.5,\"37.4\n", "bad.csv: line 2: a quoted field is not closed")]
    public void Read_badRows_throwWithLineNumber(string text, string message)
    {
        var path = Write("bad.csv", text);

        var act = () => FeatureFiles.Read(path);

        act.Should().Throw<FeatureFileException>().WithMessage(message);
    }

    private string Write(string name, string text)
    {
        var path = _scratch.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
