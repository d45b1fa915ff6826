using System.Text;
using MapControl.Data.Files;

namespace MapControl.Data.Tests.Files;

/// <summary>
/// Ledgers as a centre saves them from a spreadsheet: a title row (and a "制表单位" line) above the header, rows of separators
/// only where the sheet had blank rows, a header named in a police ledger's words. The same incidents as the plain file.
/// </summary>
public sealed class LedgerTitleRowsTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static readonly string[] Header = ["案件编号", "发案时间", "经度（°）", "纬度（°）", "案件类型"];

    private static readonly object?[][] Rows =
    [
        ["AJ-1", "2026/3/5 14:20", "118.551", "37.451", "盗油"],
        ["AJ-2", "2026.3.6 9:05", "118.552", "37.452", "破坏电缆"],
        ["AJ-3", "2026年3月7日 8时30分", "118.553", "37.453", "套管油被盗"],
    ];

    private string Csv(string name, string text, Encoding encoding)
    {
        var path = _scratch.File(name);
        File.WriteAllText(path, text, encoding);
        return path;
    }

    private static string Line(IEnumerable<object?> cells) => string.Join(",", cells) + "\r\n";

    private static IncidentFile Plain(ScratchFolder scratch)
    {
        var path = scratch.File("plain.csv");
        File.WriteAllText(path, Line(Header) + string.Concat(Rows.Select(Line)), new UTF8Encoding(false));
        return IncidentFiles.Read(path);
    }

    [Fact]
    public void Csv_titleLinesAboveTheHeader_areSkipped_andLinesAreCountedFromTheFile()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var text = "东营护卫中心2026年案件台账,,,,\r\n制表单位：治安保卫大队,,,,\r\n,,,,\r\n" + Line(Header) + string.Concat(Rows.Select(Line))
            + ",,,,\r\n" + Line(["AJ-4", "2026/3/8 10:00", "东经", "37.45", "盗油"]);
        var path = Csv("titled.csv", text, Encoding.GetEncoding("GBK"));

        var file = IncidentFiles.Read(path);

        file.Points.Should().Equal(Plain(_scratch).Points, "the title lines are not the header and the blank row is no row");
        file.Notes.Should().ContainSingle(n => n.Contains("left out 1 rows") && n.Contains("line 9"),
            "the bad row is named by its line in the file, title lines counted; the row of commas is skipped silently");
        using var reader = TabularReader.Open(path);
        reader.TitleRows.Should().Be(3);
    }

    [Fact]
    public void Xlsx_titleRowAboveTheHeader_isSkipped()
    {
        var path = _scratch.File("titled.xlsx");
        // A merged title cell keeps its text in its first cell; the header comes as the second row.
        TabularWriter.WriteXlsx(path, ["东营护卫中心2026年案件台账", " ", "  ", "   ", "    "], new object?[][] { [.. Header] }.Concat(Rows));

        var file = IncidentFiles.Read(path);

        file.Points.Should().Equal(Plain(_scratch).Points);
        using var reader = TabularReader.Open(path);
        reader.TitleRows.Should().Be(1);
        reader.Header.Should().Equal(Header);
    }

    [Fact]
    public void Csv_withoutATitle_keepsItsFirstLineAsTheHeader()
    {
        var path = Csv("one.csv", "code,lon,lat,occurred_at\r\nA,118.5,37.4,2026-03-05T10:00:00+08:00\r\n", new UTF8Encoding(false));

        using var reader = TabularReader.Open(path);

        reader.TitleRows.Should().Be(0);
        reader.Header.Should().Equal("code", "lon", "lat", "occurred_at");
        reader.Read().Should().BeTrue();
        reader.Where.Should().Be("line 2");
    }

    [Fact]
    public void PoliceLedgerHeaders_areRecognised_andAReportTimeIsNotTakenForTheTimeOfTheCase()
    {
        var path = Csv("jq.csv", "警情编号,报警时间,东经,北纬,警情类别\r\nJQ1,2026-03-05T10:00:00,118.5,37.4,盗油\r\n", new UTF8Encoding(false));

        var act = () => IncidentFiles.Read(path);

        act.Should().Throw<FeatureFileException>().WithMessage("*no time column*\"报警时间\" is read as the discovery time*--map occurred_at=报警时间*");
        var mapped = IncidentFiles.Read(path, new IncidentFileOptions { Map = new Dictionary<string, string> { ["occurred_at"] = "报警时间" } });
        mapped.Points.Should().ContainSingle().Which.Kind.Code.Should().Be("oil_theft", "警情类别 is the kind column");
    }

    [Fact]
    public void Csv_titleWithAQuotedComma_isATitle_andAHeaderCellWithALineBreak_isNot()
    {
        var titled = Csv("quoted.csv", "\"2026年1-3月案件台账（单位：吨,元）\",,,,\r\n" + Line(Header) + string.Concat(Rows.Select(Line)), new UTF8Encoding(false));
        var broken = Csv("broken.csv", "\"案件\r\n编号\",发案时间,经度,纬度,案件类型\r\n" + string.Concat(Rows.Select(Line)), new UTF8Encoding(false));

        IncidentFiles.Read(titled).Points.Should().Equal(Plain(_scratch).Points, "a comma inside quotes does not make a second cell");
        using var reader = TabularReader.Open(broken);
        reader.TitleRows.Should().Be(0, "a line that leaves a quote open is the start of the header");
        reader.Header.Should().Equal("案件\n编号", "发案时间", "经度", "纬度", "案件类型");
        IncidentFiles.Read(broken).Points.Should().Equal(Plain(_scratch).Points);
    }

    [Fact]
    public void Csv_ofTitleLinesOnly_isAClearError()
    {
        var path = Csv("title-only.csv", "东营护卫中心2026年案件台账\r\n制表单位：治安保卫大队\r\n", new UTF8Encoding(false));

        var act = () => TabularReader.Open(path);

        act.Should().Throw<FeatureFileException>().WithMessage("*no header row*");
    }

    [Fact]
    public void Description_saysHowManyTitleRowsWereSkipped()
    {
        var path = Csv("titled2.csv", "案件台账\r\n" + Line(Header) + Line(Rows[0]), new UTF8Encoding(false));

        using var reader = TabularReader.Open(path);

        reader.Description.Should().Be("CSV, UTF-8, 1 title row above the header skipped");
    }
}
