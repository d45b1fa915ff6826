using System.CommandLine;
using System.Globalization;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Reports;

namespace MapControl.Cli.Commands;

/// <summary>
/// <c>mapcontrol report</c>: the monthly report of a department (or the centre) as an A4 PDF — the same <see cref="MonthlyReports"/>
/// call as <c>GET /api/reports/monthly</c> and the server's monthly run.
/// </summary>
public static class ReportCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var month = new Option<string>("--month") { Description = "The month, yyyy-MM (China time), e.g. 2026-10", Required = true };
        var department = new Option<string?>("--department") { Description = "Department code (default: the centre, all departments)" };
        var language = new Option<string>("--lang") { Description = "zh-CN (default) or en", DefaultValueFactory = _ => ReportLanguage.Chinese };
        var output = new Option<string>("--out") { Description = "Output PDF file", Required = true };
        var tiles = new Option<string?>("--tiles") { Description = "Folder of the offline basemap tiles (default: tiles/ of the repository; else the basemap table)" };
        var store = new Option<bool>("--store") { Description = "Also keep the report in the database (as the server's monthly run does)" };
        var command = new Command("report", "Monthly report (PDF, A4): headline KPIs with year-over-year, maps, 13-month chart, tables")
        {
            month, department, language, output, tiles, store,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            DateOnly first;
            try { first = MonthlyReportRequest.ParseMonth(parseResult.GetValue(month)!); }
            catch (FormatException e) { throw new CliException($"--month: {e.Message}"); }
            string lang;
            try { lang = ReportLanguage.Normalise(parseResult.GetValue(language)); }
            catch (ArgumentException e) { throw new CliException($"--lang: {e.Message.Split(" (Parameter", 2)[0]}"); }
            var outPath = parseResult.GetValue(output)!;
            if (!string.Equals(Path.GetExtension(outPath), ".pdf", StringComparison.OrdinalIgnoreCase))
                throw new CliException("--out: the report is a PDF; name the file *.pdf");
            var code = parseResult.GetValue(department) is { Length: > 0 } d ? d : null;
            var tilesPath = parseResult.GetValue(tiles) ?? ReportBasemap.FindTiles();

            await using var dataSource = CliApp.OpenDatabase(parseResult);
            MonthlyReportFile file;
            try
            {
                file = await new MonthlyReports(dataSource, tilesPath, TimeProvider.System)
                    .BuildAsync(new MonthlyReportRequest(first, code, lang), cancellationToken).ConfigureAwait(false);
            }
            catch (ReportRequestException e) { throw new CliException($"--department: {e.Message}"); }
            AnalysisFiles.WriteAtomically(outPath, temp => File.WriteAllBytes(temp, file.Pdf));
            if (parseResult.GetValue(store))
                await new MonthlyReportRepository(dataSource).SaveAsync(first, code, lang, file.Pdf, "cli", file.Took, file.Pages, cancellationToken)
                    .ConfigureAwait(false);
            await CliApp.Err(parseResult).WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{file.Request.FileName}: {file.Pages} pages, {file.Pdf.Length / 1024.0:0} KiB in {file.Took.TotalSeconds:0.00} s ({string.Join(", ", file.Steps.Select(s => $"{s.Step} {s.Took.TotalSeconds:0.00} s"))})")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
