using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.PostGis.Ogc;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Tests.PostGis;

namespace MapControl.Data.Tests.Import;

/// <summary>XLSX export of every layer through the one writer, read back by the tabular reader and by a plain reading of the sheet's XML.</summary>
public sealed class LayerExportXlsxTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-xlsx-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task SeedAsync()
    {
        await database.TruncateAsync();
        await using var cmd = database.DataSource.CreateCommand("""
            INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁护卫部', '#e41a1c');
            INSERT INTO oil_zone (code, name, geom) VALUES ('Z1', '纯梁油区', ST_Multi(ST_MakeEnvelope(118.4, 37.3, 118.7, 37.6, 4326)));
            INSERT INTO jurisdiction (department_code, geom, valid_from, edited_by, reason)
                VALUES ('D1', ST_Multi(ST_MakeEnvelope(118.4, 37.3, 118.6, 37.6, 4326)), '2020-01-01T00:00:00Z', 'planner', 'initial');
            INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code) VALUES
                ('W1', ST_SetSRID(ST_MakePoint(118.55, 37.45), 4326), 'oil', 'producing', true, 'Z1'),
                ('W2', ST_SetSRID(ST_MakePoint(118.65, 37.45), 4326), '观察井', 'shut_in', false, 'Z1');
            INSERT INTO idle_site (code, name, kind, geom, status, encroached_on) VALUES
                ('S1', '闲置井场1', 'well_pad', ST_MakeEnvelope(118.50, 37.40, 118.501, 37.401, 4326), 'encroached', '2025-02-03');
            INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code, oil_zone_code) VALUES
                ('AJ-1', 'casing_theft', '2025-03-01T00:05:00Z', '2025-03-01T01:00:00Z', 'patrol', ST_SetSRID(ST_MakePoint(118.55, 37.45), 4326), 1.5, 'open', 'D1', 'Z1'),
                ('AJ-2', '破坏电缆', '2025-03-02T14:10:00Z', NULL, 'public_report', ST_SetSRID(ST_MakePoint(118.56, 37.46), 4326), 0, 'solved', 'D1', 'Z1');
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Incidents_with_chinese_headers_read_back_to_the_stored_instants_positions_and_kinds()
    {
        await SeedAsync();
        var path = Path.Combine(_dir, "案件.xlsx");

        (await LayerExport.ExportAsync(database.DataSource, FeatureCollections.Incidents, path, default, chineseHeaders: true)).Should().Be(2);

        using (var reader = TabularReader.Open(path))
            reader.Header.Should().Contain(["案件编号", "案件类型", "发案时间", "发现时间", "发现方式", "追回油量（吨）", "案件状态", "部门", "油区", "经度", "纬度"]);
        var read = IncidentFiles.Read(path, new IncidentFileOptions { Kinds = await new IncidentKindRepository(database.DataSource).LoadAsync(default) });
        read.Points.Select(p => (p.Lon, p.Lat, p.OccurredAt.UtcDateTime, p.Kind.Code)).Should().Equal(
            (118.55, 37.45, new DateTime(2025, 3, 1, 0, 5, 0, DateTimeKind.Utc), "casing_theft"),
            (118.56, 37.46, new DateTime(2025, 3, 2, 14, 10, 0, DateTimeKind.Utc), "破坏电缆"));

        // A plain reading of the workbook's XML, independent of both MiniExcel and the tabular reader: header names, a China-time
        // date cell (2025-03-01 08:05 in Beijing) with a date style, and an unknown discovery time as an empty cell.
        var sheet = PlainSheet.Read(path);
        sheet.Rows[0].Should().Contain("发案时间").And.Contain("发现时间");
        var occurred = sheet.Rows[0].IndexOf("发案时间");
        var discovered = sheet.Rows[0].IndexOf("发现时间");
        double.Parse(sheet.Rows[1][occurred]!, CultureInfo.InvariantCulture).Should().BeApproximately(new DateTime(2025, 3, 1, 8, 5, 0).ToOADate(), 1e-6);
        sheet.DateStyled[(1, occurred)].Should().BeTrue("a time is a date cell, not a number");
        sheet.Rows[2][discovered].Should().BeNullOrEmpty("AJ-2 has no discovery time");
        double.Parse(sheet.Rows[2][occurred]!, CultureInfo.InvariantCulture).Should().BeApproximately(new DateTime(2025, 3, 2, 22, 10, 0).ToOADate(), 1e-6);

        // A third reader where the machine has it (Debian python3-openpyxl): the cell is a datetime of 2025-03-01 08:05.
        if (Openpyxl($"import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).active; h=[c.value for c in ws[1]]; c=ws.cell(2, h.index('发案时间')+1).value; print(type(c).__name__, c.isoformat(), ws.cell(3, h.index('发现时间')+1).value)", path) is { } seen)
            seen.Trim().Should().Be("datetime 2025-03-01T08:05:00 None");
        else Console.WriteLine("openpyxl not installed: the third reading was not made");
    }

    /// <summary>What a python3 openpyxl one-liner prints for <paramref name="path"/>, or null when python3 or openpyxl is not installed.</summary>
    private static string? Openpyxl(string script, string path) =>
        Openpyxl("python3", script, path) ?? (File.Exists("/usr/bin/python3") ? Openpyxl("/usr/bin/python3", script, path) : null);

    private static string? Openpyxl(string python, string script, string path)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import importlib.util,sys; sys.exit(3) if importlib.util.find_spec('openpyxl') is None else None\n" + script);
            start.ArgumentList.Add(path);
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode == 3) return null;
            process.ExitCode.Should().Be(0, error);
            return output;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    [Fact]
    public async Task Every_layer_exports_one_row_per_feature_with_its_position()
    {
        await SeedAsync();
        foreach (var collection in FeatureCollections.All)
        {
            var path = Path.Combine(_dir, collection.Id + ".xlsx");
            var written = await LayerExport.ExportAsync(database.DataSource, collection.Id, path, default);
            using var reader = TabularReader.Open(path);
            reader.Header.Should().Contain(["lon", "lat"], collection.Id);
            var rows = 0;
            var lon = reader.Header.ToList().IndexOf("lon");
            while (reader.Read())
            {
                rows++;
                reader.TryNumber(lon, out var x).Should().BeTrue($"{collection.Id} row {rows} has a longitude");
                x.Should().BeInRange(118.4, 118.7);
            }
            rows.Should().Be(written, collection.Id);
        }
        (await LayerExport.ExportAsync(database.DataSource, FeatureCollections.Gaps, Path.Combine(_dir, "g.xlsx"), default)).Should().Be(1, "118.6–118.7 is in no jurisdiction");
        var wells = PlainSheet.Read(Path.Combine(_dir, "wells.xlsx"));
        wells.Rows.Skip(1).Select(r => r[wells.Rows[0].IndexOf("kind")]).Should().Equal("oil", "观察井");
        var zones = PlainSheet.Read(Path.Combine(_dir, "oil-zones.xlsx"));
        zones.Rows[1][zones.Rows[0].IndexOf("wkt")].Should().StartWith("MULTIPOLYGON");
        var sites = PlainSheet.Read(Path.Combine(_dir, "idle-sites.xlsx"));
        double.Parse(sites.Rows[1][sites.Rows[0].IndexOf("encroached_on")]!, CultureInfo.InvariantCulture).Should().Be(new DateTime(2025, 2, 3).ToOADate());
    }

    /// <summary>The first sheet of a workbook as text cells, read from its XML with nothing but the zip and XML classes.</summary>
    private sealed record PlainSheet(List<List<string?>> Rows, Dictionary<(int Row, int Column), bool> DateStyled)
    {
        private static readonly XNamespace S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

        public static PlainSheet Read(string path)
        {
            using var zip = ZipFile.OpenRead(path);
            XDocument Load(string name) { using var s = zip.GetEntry(name)!.Open(); return XDocument.Load(s); }
            var shared = zip.GetEntry("xl/sharedStrings.xml") is null ? [] :
                Load("xl/sharedStrings.xml").Descendants(S + "si").Select(si => string.Concat(si.Descendants(S + "t").Select(t => t.Value))).ToList();
            var styles = Load("xl/styles.xml");
            var custom = styles.Descendants(S + "numFmt").ToDictionary(f => (int)f.Attribute("numFmtId")!, f => (string)f.Attribute("formatCode")!);
            var xfs = styles.Root!.Element(S + "cellXfs")!.Elements(S + "xf").Select(x => (int?)x.Attribute("numFmtId") ?? 0).ToList();
            bool IsDate(int fmt) => fmt is >= 14 and <= 22 || custom.TryGetValue(fmt, out var code) && code.Contains('y') && code.Contains('d');
            var rows = new List<List<string?>>();
            var dates = new Dictionary<(int, int), bool>();
            foreach (var row in Load("xl/worksheets/sheet1.xml").Descendants(S + "row"))
            {
                var cells = new List<string?>();
                foreach (var c in row.Elements(S + "c"))
                {
                    var reference = (string)c.Attribute("r")!;
                    var column = reference.TakeWhile(char.IsLetter).Aggregate(0, (n, ch) => n * 26 + ch - 'A' + 1) - 1;
                    while (cells.Count < column) cells.Add(null);
                    var type = (string?)c.Attribute("t");
                    var value = type == "inlineStr" ? string.Concat(c.Descendants(S + "t").Select(t => t.Value)) : c.Element(S + "v")?.Value;
                    if (type == "s" && value is not null) value = shared[int.Parse(value, CultureInfo.InvariantCulture)];
                    cells.Add(value);
                    if ((int?)c.Attribute("s") is { } style) dates[(rows.Count, column)] = IsDate(xfs[style]);
                }
                rows.Add(cells);
            }
            return new PlainSheet(rows, dates);
        }
    }
}
