using System.Globalization;
using System.Text;
using MapControl.Core.Crs;
using MapControl.Core.Labels;
using MapControl.Data.Files;
using MiniExcelLibs;
using static MapControl.Cli.Tests.Analysis.AnalysisTestData;

namespace MapControl.Cli.Tests.Analysis;

/// <summary>
/// Ledgers as protection centres keep them — a GBK CSV with Chinese headers and slash dates, the same as XLSX with date cells,
/// a CSV with English free-text types, Gauss-Kruger X/Y columns, GCJ-02 lon/lat — give the same hot spots as the normalised
/// GeoJSON; labels the vocabulary lacks are analysed, never refused.
/// </summary>
public sealed class LedgerFilesTests : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly string _folder = TempFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    // A window with a bound off midnight: a time read on the wrong clock (UTC for China time) moves incidents across it.
    private const string From = "2025-03-01T10:30";
    private const string To = "2025-06-01";

    private static bool InWindow(DateTimeOffset at) =>
        at >= new DateTimeOffset(2025, 3, 1, 10, 30, 0, TimeSpan.FromHours(8)) && at < new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static int InWindow(Func<int, bool> row) => Incidents().Where((i, n) => row(n) && InWindow(i.At)).Count();

    // The test incidents with a label per row: every fifth a label no vocabulary has (破坏电缆), the rest Chinese labels of their kinds.
    private static IReadOnlyList<(string Id, double Lon, double Lat, DateTimeOffset At, string Type, string Label)> Ledger() =>
        Incidents().Select((i, n) => (i.Id, i.Lon, i.Lat, i.At, i.Type,
            n % 5 == 4 ? "破坏电缆" : IncidentKinds.Builtin.Resolve(i.Type).Synonyms.FirstOrDefault(s => s.Any(c => c > 0x4E00)) ?? IncidentKinds.Builtin.Resolve(i.Type).LabelZh)).ToList();

    private string WriteGeoJson()
    {
        var path = Path("normalised.geojson");
        FeatureFiles.WriteGeoJson(path, Incidents().Select(i => new FeatureRecord(
            Wkt(FormattableString.Invariant($"POINT ({i.Lon:R} {i.Lat:R})")),
            new Dictionary<string, object?> { ["id"] = i.Id, ["occurred_at"] = i.At.ToString("yyyy-MM-dd'T'HH:mm:sszzz", Inv), ["type"] = i.Type })));
        return path;
    }

    private string WriteGbkCsv()
    {
        var text = new StringBuilder("案件编号,发案时间,案件类型,经度,纬度,追回油量（吨）\r\n");
        foreach (var i in Ledger())
            text.Append(Inv, $"{i.Id},{i.At:yyyy/M/d H:mm:ss},{i.Label},{i.Lon:R},{i.Lat:R},\r\n");
        var path = Path("台账.csv");
        File.WriteAllBytes(path, TextEncodings().GetBytes(text.ToString()));
        return path;
    }

    private static Encoding TextEncodings()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936);
    }

    private string WriteXlsx()
    {
        var path = Path("台账.xlsx");
        MiniExcel.SaveAs(path, Ledger().Select(i => new Dictionary<string, object>
        {
            ["编号"] = i.Id,
            ["案发时间"] = i.At.ToOffset(TimeSpan.FromHours(8)).DateTime,
            ["类型"] = i.Label,
            ["经度"] = i.Lon,
            ["纬度"] = i.Lat,
        }), sheetName: "案件台账");
        return path;
    }

    [Fact]
    public async Task Gbk_csv_with_chinese_headers_and_slash_dates_gives_the_hot_spots_of_the_geojson()
    {
        var expected = await HotspotsAsync(WriteGeoJson());
        // As a user types it: no --cell-m, the platform's 500 m grid (the GeoJSON's run names it).
        var run = await RunAsync("hotspots", "--incidents", WriteGbkCsv(), "--from", From, "--to", To, "--out", Path("gbk.geojson"));

        run.Code.Should().Be(0, run.Err);
        run.Err.Should().Contain("GB18030/GBK").And.Contain("经度, 纬度").And.Contain("\"破坏电缆\" ×");
        Counts(Path("gbk.geojson")).Should().Equal(expected);
        SamePoints(Path("台账.csv"), 1e-12, Ledger().Select(i => i.Label == "破坏电缆" ? "破坏电缆" : i.Type));
    }

    [Fact]
    public async Task Xlsx_with_date_cells_and_a_named_sheet_gives_the_same_hot_spots()
    {
        var expected = await HotspotsAsync(WriteGeoJson());
        var run = await RunAsync("hotspots", "--incidents", WriteXlsx(), "--sheet", "案件台账", "--cell-m", "500", "--from", From, "--to", To, "--out", Path("x.geojson"));

        run.Code.Should().Be(0, run.Err);
        run.Err.Should().Contain("XLSX, sheet 案件台账");
        Counts(Path("x.geojson")).Should().Equal(expected);
        SamePoints(Path("台账.xlsx"), 1e-12, Ledger().Select(i => i.Label == "破坏电缆" ? "破坏电缆" : i.Type), new IncidentFileOptions { Tabular = new TabularOptions { Sheet = "案件台账" } });
    }

    [Fact]
    public async Task English_free_text_types_are_analysed_and_kind_accepts_a_label_or_synonym()
    {
        string[] english = ["theft", "fuel_theft", "vandalism", "trespass", "Copper wire theft"];
        var text = new StringBuilder("ID,Date,Type,Longitude,Latitude\n");
        var ledger = Incidents();
        for (var n = 0; n < ledger.Count; n++)
            text.Append(Inv, $"{ledger[n].Id},{ledger[n].At:yyyy-MM-dd HH:mm},{english[n % 5]},{ledger[n].Lon:R},{ledger[n].Lat:R}\n");
        File.WriteAllText(Path("english.csv"), text.ToString(), new UTF8Encoding(true));
        var expected = await HotspotsAsync(WriteGeoJson());

        var all = await RunAsync("hotspots", "--incidents", Path("english.csv"), "--cell-m", "500", "--from", From, "--to", To, "--out", Path("e.geojson"));
        var fuel = await RunAsync("hotspots", "--incidents", Path("english.csv"), "--cell-m", "500", "--from", From, "--to", To, "--kind", "盗油", "--out", Path("fuel.geojson"));
        var copper = await RunAsync("hotspots", "--incidents", Path("english.csv"), "--cell-m", "500", "--from", From, "--to", To, "--kind", "copper wire THEFT", "--out", Path("copper.geojson"));
        var none = await RunAsync("hotspots", "--incidents", Path("english.csv"), "--cell-m", "500", "--from", From, "--to", To, "--kind", "burglary", "--out", Path("none.geojson"));

        all.Code.Should().Be(0, all.Err);
        all.Err.Should().Contain("UTF-8 (BOM)").And.Contain("\"Copper wire theft\" ×");
        Counts(Path("e.geojson")).Should().Equal(expected);
        SamePoints(Path("english.csv"), 1e-12, Enumerable.Range(0, ledger.Count).Select(n => new[] { "theft", "oil_theft", "vandalism", "trespass", "Copper wire theft" }[n % 5]),
            seconds: false);
        fuel.Code.Should().Be(0, fuel.Err);
        Counts(Path("fuel.geojson")).Sum().Should().Be(InWindow(n => n % 5 == 1), "fuel_theft rows are oil theft (盗油)");
        copper.Code.Should().Be(0, copper.Err);
        Counts(Path("copper.geojson")).Sum().Should().Be(InWindow(n => n % 5 == 4), "an unmapped label is its own kind, matched as written");
        none.Code.Should().NotBe(0);
        none.Err.Should().Contain("--kind: unknown incident kind \"burglary\"");
    }

    [Fact]
    public async Task Gauss_kruger_xy_with_zone_prefix_or_srid_and_gcj02_give_the_same_hot_spots()
    {
        var ledger = Ledger();
        var toZone40 = CrsTransformer.Create(CrsRegistry.Wgs84, CrsRegistry.Cgcs2000GkZone40);
        var toCm120 = CrsTransformer.Create(CrsRegistry.Wgs84, CrsRegistry.Cgcs2000GkCm120E);
        var prefixed = new StringBuilder("编号,X坐标,Y坐标,发生时间,案由\n");
        var plain = new StringBuilder("code,easting,northing,time,kind\n");
        var gcj = new StringBuilder("id,lng,lat,occurred_at,type\n");
        foreach (var i in ledger)
        {
            var (e, n) = toZone40.Transform(i.Lon, i.Lat);
            var (e2, n2) = toCm120.Transform(i.Lon, i.Lat);
            var (gl, gb) = Gcj02.FromWgs84(i.Lon, i.Lat);
            // Chinese surveying writes X for the northing and Y for the easting (with its zone prefix).
            prefixed.Append(Inv, $"{i.Id},{n:F4},{e:F4},{i.At:yyyy年M月d日 H时m分s秒},{i.Label}\n");
            plain.Append(Inv, $"{i.Id},{e2:F4},{n2:F4},{i.At:yyyy-MM-dd'T'HH:mm:sszzz},{i.Type}\n");
            gcj.Append(Inv, $"{i.Id},{gl:R},{gb:R},{i.At:yyyy-MM-dd'T'HH:mm:sszzz},{i.Type}\n");
        }
        File.WriteAllText(Path("gk.csv"), prefixed.ToString());
        File.WriteAllText(Path("cm120.csv"), plain.ToString());
        File.WriteAllText(Path("gcj.csv"), gcj.ToString());
        var expected = await HotspotsAsync(WriteGeoJson());

        var zone = await RunAsync("hotspots", "--incidents", Path("gk.csv"), "--cell-m", "500", "--from", From, "--to", To, "--out", Path("gk.geojson"));
        var srid = await RunAsync("hotspots", "--incidents", Path("cm120.csv"), "--srid", "4549", "--cell-m", "500", "--from", From, "--to", To, "--out", Path("cm.geojson"));
        var noZone = await RunAsync("hotspots", "--incidents", Path("cm120.csv"), "--cell-m", "500", "--from", From, "--to", To, "--out", Path("nz.geojson"));
        var shifted = await RunAsync("hotspots", "--incidents", Path("gcj.csv"), "--coords", "gcj02", "--cell-m", "500", "--from", From, "--to", To, "--out", Path("gcj.geojson"));

        zone.Code.Should().Be(0, zone.Err);
        zone.Err.Should().Contain("EPSG:4528").And.Contain("X is the northing");
        Counts(Path("gk.geojson")).Should().Equal(expected);
        SamePoints(Path("gk.csv"), 1e-8, ledger.Select(i => i.Label == "破坏电缆" ? "破坏电缆" : i.Type));
        srid.Code.Should().Be(0, srid.Err);
        Counts(Path("cm.geojson")).Should().Equal(expected);
        noZone.Code.Should().NotBe(0);
        noZone.Err.Should().Contain("--srid");
        shifted.Code.Should().Be(0, shifted.Err);
        Counts(Path("gcj.geojson")).Should().Equal(expected);
        SamePoints(Path("gcj.csv"), 1e-8, ledger.Select(i => i.Type), new IncidentFileOptions { Datum = LonLatDatum.Gcj02 });
    }

    [Fact]
    public async Task Rows_without_a_time_are_left_out_and_reported_and_map_names_a_column()
    {
        var text = new StringBuilder("编号,报警时间,警情类别,经度,纬度\n");
        foreach (var i in Ledger()) text.Append(Inv, $"{i.Id},{i.At:yyyy-MM-dd HH:mm},{i.Label},{i.Lon:R},{i.Lat:R}\n");
        text.Append("X-1,不详,盗油,118.53,37.45\n");
        File.WriteAllText(Path("mapped.csv"), text.ToString());
        var expected = await HotspotsAsync(WriteGeoJson());

        var unmapped = await RunAsync("hotspots", "--incidents", Path("mapped.csv"), "--cell-m", "500", "--from", From, "--to", To, "--out", Path("u.geojson"));
        var run = await RunAsync("hotspots", "--incidents", Path("mapped.csv"), "--map", "occurred_at=报警时间", "--map", "kind=警情类别", "--cell-m", "500", "--from", From, "--to", To,
            "--out", Path("m.geojson"));

        unmapped.Code.Should().NotBe(0);
        unmapped.Err.Should().Contain("no time column").And.Contain("--map occurred_at=");
        run.Code.Should().Be(0, run.Err);
        run.Err.Should().Contain("left out 1 rows").And.Contain("\"不详\"");
        Counts(Path("m.geojson")).Should().Equal(expected);
    }

    [Fact]
    public async Task Gb18030_ledger_without_bom_and_an_xlsx_of_inline_strings_with_chinese_text_dates_give_the_same_hot_spots()
    {
        // GB18030 proper (not only its GBK part): a label with a character outside the BMP (𠮷, four bytes in GB18030).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var rare = "盗𠮷油";
        var ledger = Ledger().Select((i, n) => (i.Id, i.Lon, i.Lat, i.At, i.Type, Label: n % 7 == 3 ? rare : i.Label)).ToList();
        var text = new StringBuilder("案件编号,案发时间,案件类型,经度,纬度\r\n");
        foreach (var i in ledger) text.Append(Inv, $"{i.Id},{i.At:yyyy年M月d日 H时m分},{i.Label},{i.Lon:R},{i.Lat:R}\r\n");
        var gb18030 = Encoding.GetEncoding("GB18030");
        File.WriteAllBytes(Path("gb18030.csv"), gb18030.GetBytes(text.ToString()));
        gb18030.GetBytes(rare).Length.Should().Be(8, "two two-byte characters and one four-byte character");
        // An XLSX as other tools write it: every string inline (no shared strings part), no styles, times as Chinese text.
        WriteInlineStringXlsx(Path("inline.xlsx"), ["编号", "发生时间", "类型", "经度", "纬度"],
            ledger.Select(i => new object[] { i.Id, i.At.ToString("yyyy年M月d日 H时m分", Inv), i.Label, i.Lon, i.Lat }));
        var expected = await HotspotsAsync(WriteGeoJson());
        var kinds = ledger.Select(i => i.Label == rare ? rare : i.Label == "破坏电缆" ? "破坏电缆" : i.Type).ToList();

        var csv = await RunAsync("hotspots", "--incidents", Path("gb18030.csv"), "--cell-m", "500", "--from", From, "--to", To, "--out", Path("gb.geojson"));
        var xlsx = await RunAsync("hotspots", "--incidents", Path("inline.xlsx"), "--cell-m", "500", "--from", From, "--to", To, "--out", Path("inline.geojson"));

        csv.Code.Should().Be(0, csv.Err);
        csv.Err.Should().Contain("GB18030/GBK").And.Contain($"\"{rare}\" ×");
        Counts(Path("gb.geojson")).Should().Equal(expected);
        SamePoints(Path("gb18030.csv"), 1e-12, kinds, seconds: false);
        xlsx.Code.Should().Be(0, xlsx.Err);
        xlsx.Err.Should().Contain("XLSX").And.Contain($"\"{rare}\" ×");
        Counts(Path("inline.geojson")).Should().Equal(expected);
        SamePoints(Path("inline.xlsx"), 1e-12, kinds, seconds: false);
    }

    /// <summary>A minimal workbook of one sheet whose strings are all inline (<c>t="inlineStr"</c>) and numbers plain, without sharedStrings.xml or styles.xml.</summary>
    private static void WriteInlineStringXlsx(string path, string[] header, IEnumerable<object[]> rows)
    {
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        void Entry(string name, string xml)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write(xml);
        }
        Entry("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
            """);
        Entry("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """);
        Entry("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>
            """);
        Entry("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """);
        var sheet = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        var r = 0;
        foreach (var row in rows.Prepend([.. header]))
        {
            r++;
            sheet.Append(Inv, $"<row r=\"{r}\">");
            for (var c = 0; c < row.Length; c++)
            {
                var cell = $"{(char)('A' + c)}{r}";
                sheet.Append(row[c] is double d
                    ? string.Create(Inv, $"<c r=\"{cell}\"><v>{d:R}</v></c>")
                    : $"<c r=\"{cell}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(Convert.ToString(row[c], Inv))}</t></is></c>");
            }
            sheet.Append("</row>");
        }
        sheet.Append("</sheetData></worksheet>");
        Entry("xl/worksheets/sheet1.xml", sheet.ToString());
    }

    /// <summary>The file's incidents are the test incidents: same times (to the second, or the minute), positions within <paramref name="tolerance"/>°, kinds.</summary>
    private static void SamePoints(string path, double tolerance, IEnumerable<string> kinds, IncidentFileOptions? options = null, bool seconds = true)
    {
        var read = IncidentFiles.Read(path, options).Points;
        var expected = Incidents();
        var kindList = kinds.ToList();
        read.Should().HaveCount(expected.Count);
        for (var n = 0; n < read.Count; n++)
        {
            var at = seconds ? expected[n].At : expected[n].At.AddSeconds(-expected[n].At.Second);
            read[n].OccurredAt.Should().Be(at, $"row {n + 1} of {System.IO.Path.GetFileName(path)}");
            read[n].Lon.Should().BeApproximately(expected[n].Lon, tolerance);
            read[n].Lat.Should().BeApproximately(expected[n].Lat, tolerance);
            read[n].Kind.Code.Should().Be(kindList[n]);
        }
    }

    private async Task<int[]> HotspotsAsync(string path)
    {
        var run = await RunAsync("hotspots", "--incidents", path, "--cell-m", "500", "--from", From, "--to", To, "--out", Path("expected.geojson"));
        run.Code.Should().Be(0, run.Err);
        var counts = Counts(Path("expected.geojson"));
        counts.Sum().Should().Be(InWindow(_ => true)).And.BeGreaterThan(100);
        return counts;
    }

    private static int[] Counts(string path) => ReadOutput(path).Select(f => f.Properties.GetProperty("count").GetInt32()).ToArray();
}
