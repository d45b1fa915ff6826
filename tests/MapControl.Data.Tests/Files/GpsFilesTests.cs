using System.Globalization;
using System.Text;
using MapControl.Data.Files;

namespace MapControl.Data.Tests.Files;

/// <summary>
/// The typed GPS fix reader: the same fixes from an English UTF-8 CSV, a GBK CSV with Chinese headers and China-time slash
/// dates, and an XLSX with date cells; bad rows left out and reported; unit codes one string per unit.
/// </summary>
public sealed class GpsFilesTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // Three units of two departments; U3 has no department cell on its first row.
    private static List<(string Unit, DateTimeOffset Time, double Lon, double Lat, string Department)> Expected()
    {
        var list = new List<(string, DateTimeOffset, double, double, string)>();
        var t0 = new DateTimeOffset(2025, 6, 1, 23, 59, 0, China);
        for (var i = 0; i < 40; i++)
        {
            var unit = $"U{i % 3 + 1}";
            list.Add((unit, t0.AddSeconds(7 * i), 118.5 + i * 0.0001234567, 37.4 + i * 0.0000987654, unit == "U2" ? "GD" : "HK"));
        }
        return list;
    }

    private static readonly Dictionary<string, string> ExpectedDepartments = new() { ["U1"] = "HK", ["U2"] = "GD", ["U3"] = "HK" };

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void English_utf8_csv_gives_the_fixes()
    {
        var path = _scratch.File("gps.csv");
        var lines = new List<string> { "unit,time,lon,lat,department" };
        lines.AddRange(Expected().Select((f, i) =>
            $"{f.Unit},{f.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{Num(f.Lon)},{Num(f.Lat)},{(f.Unit == "U3" && i < 3 ? "" : f.Department)}"));
        File.WriteAllLines(path, lines);

        ShouldBeExpected(GpsFiles.Read(path));
    }

    [Fact]
    public void Gbk_csv_with_chinese_headers_and_china_time_slash_dates_gives_the_same_fixes()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var path = _scratch.File("轨迹.csv");
        var text = new StringBuilder("巡逻单元,定位时间,经度,纬度,所属单位\r\n");
        foreach (var f in Expected())
            text.Append(CultureInfo.InvariantCulture, $"{f.Unit},{f.Time.ToOffset(China):yyyy/M/d H:mm:ss},\"{Num(f.Lon)}\",{Num(f.Lat)},{f.Department}\r\n");
        File.WriteAllBytes(path, Encoding.GetEncoding(54936).GetBytes(text.ToString()));

        var file = GpsFiles.Read(path);

        file.Description.Should().Contain("GB18030/GBK").And.Contain("经度, 纬度").And.Contain("unit 巡逻单元");
        ShouldBeExpected(file);
    }

    [Fact]
    public void Xlsx_with_date_cells_gives_the_same_fixes()
    {
        var path = _scratch.File("gps.xlsx");
        TabularWriter.WriteXlsx(path, ["车牌号", "定位时间", "经度", "纬度", "责任单位"],
            Expected().Select(f => (IReadOnlyList<object?>)[f.Unit, f.Time, f.Lon, f.Lat, f.Department]));

        ShouldBeExpected(GpsFiles.Read(path));
    }

    [Fact]
    public void Rows_without_unit_position_or_time_are_left_out_and_reported()
    {
        var path = _scratch.File("bad.csv");
        File.WriteAllLines(path, [
            "unit,time,lon,lat",
            "U1,2025-06-01 08:00:00,118.5,37.4",
            ",2025-06-01 08:00:01,118.5,37.4",
            "U1,yesterday,118.5,37.4",
            "U1,2025-06-01 08:00:03,east,37.4",
            "U1,2025-06-01 08:00:04,118.6,37.5",
        ]);

        var file = GpsFiles.Read(path);

        file.Fixes.Select(f => f.Time).Should().Equal(
            new DateTimeOffset(2025, 6, 1, 8, 0, 0, China), new DateTimeOffset(2025, 6, 1, 8, 0, 4, China));
        file.UnitDepartments.Should().Equal(new Dictionary<string, string> { ["U1"] = "" });
        file.Notes.Should().ContainSingle().Which.Should().Contain("left out 3 rows")
            .And.Contain("line 3: no unit").And.Contain("line 4: \"yesterday\"").And.Contain("line 5: \"east\"");
    }

    [Fact]
    public void A_table_without_a_unit_column_is_an_error_naming_the_columns()
    {
        var path = _scratch.File("nounit.csv");
        File.WriteAllLines(path, ["time,lon,lat", "2025-06-01 08:00:00,118.5,37.4"]);

        var act = () => GpsFiles.Read(path);

        act.Should().Throw<FeatureFileException>().WithMessage("nounit.csv: no unit column*columns: time, lon, lat*");
    }

    [Fact]
    public void A_unit_code_is_one_string_for_all_its_rows()
    {
        var path = _scratch.File("gps.csv");
        File.WriteAllLines(path, ["unit,time,lon,lat", .. Enumerable.Range(0, 10).Select(i => $"U7,2025-06-01 08:00:{i:00},118.5,37.4")]);

        var fixes = GpsFiles.Read(path).Fixes;

        fixes.Should().HaveCount(10).And.OnlyContain(f => ReferenceEquals(f.UnitCode, fixes[0].UnitCode));
    }

    private static void ShouldBeExpected(GpsFile file)
    {
        var expected = Expected();
        file.Fixes.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (unit, time, lon, lat, _) = expected[i];
            file.Fixes[i].UnitCode.Should().Be(unit);
            file.Fixes[i].Time.Should().Be(time);
            file.Fixes[i].Time.UtcTicks.Should().Be(time.UtcTicks);
            file.Fixes[i].Lon.Should().BeApproximately(lon, 1e-12);
            file.Fixes[i].Lat.Should().BeApproximately(lat, 1e-12);
        }
        file.UnitDepartments.Should().BeEquivalentTo(ExpectedDepartments);
        file.Notes.Should().BeEmpty();
    }
}
