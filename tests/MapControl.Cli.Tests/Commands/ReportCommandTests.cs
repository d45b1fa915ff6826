using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MapControl.Data.PostGis;
using MapControl.Data.Reports;
using MapControl.Data.Seeding;
using MapControl.Data.Tests.PostGis;
using static MapControl.Cli.Tests.Analysis.AnalysisTestData;

namespace MapControl.Cli.Tests.Commands;

/// <summary>A migrated test database holding the committed sample oilfield (data/sample), as `./build.sh run` seeds it.</summary>
public sealed class SampleDatabase() : TestDatabase(migrate: true), IAsyncLifetime
{
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await SeedLoader.LoadAsync(DataSource, SampleDatasetFiles.Read(Path.Combine(RepositoryRoot, "data", "sample")));
    }

    /// <summary>The folder holding MapControl.sln above the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MapControl.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("MapControl.sln not found above the test binaries");
        }
    }
}

/// <summary>
/// <c>mapcontrol report</c> on the sample: the PDF's text (extracted by poppler's pdftotext, as a reader's search or copy would) gives the
/// figures of <c>mapcontrol kpi</c> for the same month and the Chinese names as written.
/// </summary>
public sealed class ReportCommandTests(SampleDatabase database) : IClassFixture<SampleDatabase>, IDisposable
{
    private const string Month = "2026-10";
    private readonly string _folder = TempFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    private Task<(int Code, string Out, string Err)> Db(params string[] args) => RunAsync([.. args, "--db", database.ConnectionString]);

    private async Task<string> ReportTextAsync(string? department, string lang = "zh-CN")
    {
        var file = Path($"report-{department ?? "ALL"}-{lang}.pdf");
        var args = new List<string> { "report", "--month", Month, "--lang", lang, "--out", file };
        if (department is not null) args.AddRange(["--department", department]);
        var run = await Db([.. args]);
        run.Code.Should().Be(0, run.Err);
        File.ReadAllBytes(file).AsSpan(0, 5).ToArray().Should().Equal("%PDF-"u8.ToArray());
        return PdfToText(file);
    }

    /// <summary>The text of a PDF as pdftotext -layout gives it (poppler-utils, installed by build.sh).</summary>
    public static string PdfToText(string pdf)
    {
        var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-layout", "-enc", "UTF-8", pdf, "-" }) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("pdftotext not found: install poppler-utils (./build.sh does)", e); }
        using (process)
        {
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().Be(0, process.StandardError.ReadToEnd());
            return text;
        }
    }

    private async Task<Dictionary<string, JsonElement>> KpiAsync(string by, string from = "2026-10-01", string to = "2026-11-01")
    {
        var file = Path($"kpi-{by}-{from}.json");
        var run = await Db("kpi", "--from", from, "--to", to, "--by", by, "--out", file);
        run.Code.Should().Be(0, run.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.EnumerateArray().ToDictionary(r => by == "centre" ? "ALL" : r.GetProperty("scope").GetString()!, r => r.Clone());
    }

    [Theory]
    [InlineData("HK", "zh-CN")]
    [InlineData(null, "zh-CN")]
    [InlineData("GD", "en")]
    public async Task Figures_in_the_pdf_text_are_those_of_mapcontrol_kpi_for_the_month(string? department, string lang)
    {
        var text = await ReportTextAsync(department, lang);
        var kpi = await KpiAsync("department");
        foreach (var (k, v) in await KpiAsync("centre")) kpi[k] = v;
        kpi.Should().HaveCount(9, "eight departments and the centre");

        // The title page's table: one line per scope, "CODE name … cases last-year yoy timely oil reclaimed watched/key hours per-hour".
        var lines = text.Split('\n');
        foreach (var (scope, row) in kpi)
        {
            var line = lines.FirstOrDefault(l => l.TrimStart().StartsWith(scope + " ", StringComparison.Ordinal));
            line.Should().NotBeNull($"the table has a row for {scope}");
            var cells = line!.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^9..];
            int.Parse(cells[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture).Should().Be(row.GetProperty("cases").GetInt32(), $"{scope} cases");
            int.Parse(cells[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture).Should().Be(row.GetProperty("cases_last_year").GetInt32(), $"{scope} cases last year");
            Close(cells[2], row, "yoy_pct", 1, 0.05, scope);
            Close(cells[3], row, "timely_rate", 100, 0.05, scope);
            Close(cells[4], row, "oil_recovered_t", 1, 0.005, scope);
            Close(cells[5], row, "reclaimed_area_m2", 1, 0.05, scope);
            cells[6].Should().Be($"{row.GetProperty("key_wells_watched").GetInt32()}/{row.GetProperty("key_wells").GetInt32()}", $"{scope} key wells watched");
            Close(cells[7], row, "patrol_hours", 1, 0.05, scope);
            Close(cells[8], row, "cases_per_patrol_hour", 1, 0.0005, scope);
        }

        // The summary sentence of the report's own scope.
        var own = kpi[department ?? "ALL"];
        var cases = own.GetProperty("cases").GetInt32().ToString("#,0", CultureInfo.InvariantCulture);
        var lastYear = own.GetProperty("cases_last_year").GetInt32().ToString("#,0", CultureInfo.InvariantCulture);
        Flat(text).Should().Contain(lang == "en" ? $"{cases} cases this month ({lastYear} in the same month last year)" : $"本月共发案 {cases} 起（去年同月 {lastYear} 起）");
    }

    [Fact]
    public async Task Last_years_figures_on_the_title_page_are_mapcontrol_kpi_for_the_same_month_a_year_earlier()
    {
        var text = Flat(await ReportTextAsync("HK"));
        var then = (await KpiAsync("department", "2025-10-01", "2025-11-01"))["HK"];
        text.Should().Contain($"去年同月 {ReportFormat.Rate(then.GetProperty("timely_rate").GetDouble())}");
        text.Should().Contain($"去年同月 {ReportFormat.Tonnes(then.GetProperty("oil_recovered_t").GetDouble())}");
        text.Should().Contain($"去年同月 {ReportFormat.Count(then.GetProperty("cases").GetInt32())}");
    }

    [Fact]
    public async Task Chinese_names_round_trip_through_pdftotext()
    {
        var hk = await ReportTextAsync("HK");
        hk.Should().Contain("河口护卫部").And.Contain("2026年10月").And.Contain("治安态势月报").And.Contain("数据口径说明");
        var centre = await ReportTextAsync(null);
        foreach (var name in new[] { "纯梁护卫部", "河口护卫部", "胜北护卫部", "胜南护卫部", "孤岛护卫部", "现河护卫部", "孤东护卫部", "滨南护卫部" })
            centre.Should().Contain(name);
        // No glyph came back as a Kangxi radical or CJK radical supplement character (河⼝, 10⽉): what plain Skia text gives.
        (hk + centre).Where(c => c is >= '\u2E80' and <= '\u2FDF').Should().BeEmpty();
    }

    [Fact]
    public async Task One_report_of_the_sample_has_its_pages_and_names_the_time_of_each_step()
    {
        // The 10 s target is a benchmark's (the server logs each month's average; docs/PERFORMANCE.md), not an assertion here:
        // this shared machine ran it in 5 s quiet and over 10 s at load 40. The test prints the figures.
        // Warm: the first report of a process also loads the fonts and the native Skia library.
        var reports = new MonthlyReports(database.DataSource, ReportBasemap.FindTiles(), TimeProvider.System);
        await reports.BuildAsync(new MonthlyReportRequest(new DateOnly(2026, 9, 1), "SB"));
        var watch = Stopwatch.StartNew();
        var file = await reports.BuildAsync(new MonthlyReportRequest(new DateOnly(2026, 10, 1), "HK"));
        watch.Stop();
        Console.WriteLine($"report HK 2026-10: {watch.Elapsed.TotalSeconds:0.00} s, {file.Pages} pages, {file.Pdf.Length / 1024} KiB ({string.Join(", ", file.Steps.Select(s => $"{s.Step} {s.Took.TotalSeconds:0.00} s"))})");
        file.Pages.Should().BeGreaterThanOrEqualTo(5);
        file.Steps.Should().NotBeEmpty().And.OnlyContain(s => s.Took >= TimeSpan.Zero);
    }

    [Fact]
    public async Task More_than_5000_incident_dots_of_a_month_are_one_300_dpi_image_over_the_map_frame_and_fewer_are_vector()
    {
        // The sample's October is vector dots; July gets 5,001 extra incidents (removed again at the end): its cases map then holds
        // one image of the map frame at 300 dpi (MonthlyReportPdf.DrawIncidentDots), as pdfimages lists the PDF's images.
        var reports = new MonthlyReports(database.DataSource, ReportBasemap.FindTiles(), TimeProvider.System);
        var october = await reports.BuildAsync(new MonthlyReportRequest(new DateOnly(2026, 10, 1), null));
        DotImages(october.Pdf).Should().BeEmpty("the sample's month has fewer than 5,001 dots");

        await using (var partitions = database.DataSource.CreateCommand(
            "SELECT ensure_incident_partitions(timestamptz '2026-07-01 00:00+08', timestamptz '2026-08-01 00:00+08')"))
            await partitions.ExecuteScalarAsync();
        await using (var insert = database.DataSource.CreateCommand("""
            INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code)
            SELECT 'DOTS-' || i, 'casing_theft', timestamptz '2026-07-02 00:00+08' + i * interval '7 minutes', NULL, 'patrol',
                   ST_SetSRID(ST_MakePoint(ST_XMin(e) + (ST_XMax(e) - ST_XMin(e)) * ((i * 0.6180339887) - floor(i * 0.6180339887)),
                                           ST_YMin(e) + (ST_YMax(e) - ST_YMin(e)) * ((i * 0.7548776662) - floor(i * 0.7548776662))), 4326),
                   0, 'open', (SELECT min(code) FROM department)
            FROM generate_series(1, 5001) i,
                 (SELECT ST_Extent(geom)::geometry e FROM jurisdiction WHERE valid_to IS NULL) x
            """))
            (await insert.ExecuteNonQueryAsync()).Should().Be(5001);
        try
        {
            var july = await reports.BuildAsync(new MonthlyReportRequest(new DateOnly(2026, 7, 1), null));
            var images = DotImages(july.Pdf);
            images.Should().ContainSingle("one image of the cases map's frame");
            // The frame is the page less its margins (595.28 − 2 × 42 pt wide) at 300 dpi: 2,131 pixels.
            images[0].Width.Should().BeInRange(2130, 2132);
        }
        finally
        {
            await using var delete = database.DataSource.CreateCommand("DELETE FROM incident WHERE code LIKE 'DOTS-%'");
            await delete.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The images of a PDF at 295–305 ppi (the dot layer's 300 dpi), as poppler's pdfimages -list gives them.</summary>
    private List<(int Page, int Width, int Height)> DotImages(byte[] pdf)
    {
        var file = Path($"dots-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        var start = new ProcessStartInfo("pdfimages") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-list", file }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        process.ExitCode.Should().Be(0, process.StandardError.ReadToEnd());
        // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
        return lines.Skip(2).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(c => c.Length >= 14 && c[2] == "image" && double.Parse(c[12], CultureInfo.InvariantCulture) is >= 295 and <= 305)
            .Select(c => (int.Parse(c[0], CultureInfo.InvariantCulture), int.Parse(c[3], CultureInfo.InvariantCulture), int.Parse(c[4], CultureInfo.InvariantCulture)))
            .ToList();
    }

    [Fact]
    public async Task Unknown_department_and_bad_options_fail_with_one_line()
    {
        var unknown = await Db("report", "--month", Month, "--department", "NOPE", "--out", Path("x.pdf"));
        unknown.Code.Should().Be(1);
        unknown.Err.Trim().Should().StartWith("mapcontrol: error: --department: unknown department \"NOPE\"");
        File.Exists(Path("x.pdf")).Should().BeFalse();
        (await Db("report", "--month", "2026-13", "--out", Path("x.pdf"))).Err.Should().Contain("--month: \"2026-13\" is not a month");
        (await Db("report", "--month", Month, "--lang", "fr", "--out", Path("x.pdf"))).Err.Should().Contain("--lang: unknown report language \"fr\"");
        (await Db("report", "--month", Month, "--out", Path("x.png"))).Err.Should().Contain("--out: the report is a PDF");
    }

    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private static void Close(string cell, JsonElement row, string name, double factor, double tolerance, string scope)
    {
        var value = row.GetProperty(name);
        if (value.ValueKind == JsonValueKind.Null)
        {
            cell.Should().Be(ReportFormat.Missing, $"{scope} {name} is missing");
            return;
        }
        var shown = double.Parse(cell.TrimEnd('%'), NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        shown.Should().BeApproximately(value.GetDouble() * factor, tolerance + 1e-9, $"{scope} {name}: the PDF says {cell}");
    }
}
