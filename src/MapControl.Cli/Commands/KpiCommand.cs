using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Data.Analysis;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol kpi</c>: cases, year-on-year change, timely discovery rate and more per period and scope, from PostGIS.</summary>
public static class KpiCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "Start of the range, ISO 8601 (a date is midnight China time)", Required = true };
        var to = new Option<string>("--to") { Description = "End of the range (exclusive), ISO 8601", Required = true };
        var period = new Option<string>("--period") { Description = "month | quarter | season | whole", DefaultValueFactory = _ => "whole" };
        var by = new Option<string>("--by") { Description = "centre | department | oil-zone", DefaultValueFactory = _ => "department" };
        var kind = new Option<string[]>("--kind") { Description = "Incident kind(s) counted: a code, a Chinese or English label or synonym of the vocabulary", AllowMultipleArgumentsPerToken = true };
        var timely = new Option<double>("--timely-hours") { Description = "Timely discovery threshold in hours (default 24)", DefaultValueFactory = _ => 24 };
        var output = new Option<string?>("--out") { Description = "Write the rows to a .csv, .json or .xlsx file instead of a table on stdout" };
        var command = new Command("kpi", "KPI table from the database: cases, YoY, timely discovery rate, oil recovered, key wells watched")
        {
            from, to, period, by, kind, timely, output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var fromAt = AnalysisFiles.ParseInstant(parseResult.GetValue(from)!, "--from");
            var toAt = AnalysisFiles.ParseInstant(parseResult.GetValue(to)!, "--to");
            if (fromAt >= toAt) throw new CliException("--from must be before --to");
            var periodKind = parseResult.GetValue(period)!.ToLowerInvariant() switch
            {
                "month" => KpiPeriodKind.Month,
                "quarter" => KpiPeriodKind.Quarter,
                "season" => KpiPeriodKind.Season,
                "whole" => KpiPeriodKind.Whole,
                var other => throw new CliException($"--period: unknown \"{other}\" (month, quarter, season, whole)"),
            };
            var scope = parseResult.GetValue(by)!.ToLowerInvariant() switch
            {
                "centre" or "center" => KpiScopeKind.Centre,
                "department" => KpiScopeKind.Department,
                "oil-zone" or "oil_zone" or "zone" => KpiScopeKind.OilZone,
                var other => throw new CliException($"--by: unknown \"{other}\" (centre, department, oil-zone)"),
            };
            var hours = parseResult.GetValue(timely);
            if (!(hours > 0)) throw new CliException("--timely-hours must be positive");
            var outPath = parseResult.GetValue(output);
            var extension = outPath is null ? null : Path.GetExtension(outPath).ToLowerInvariant();
            if (extension is not (null or ".csv" or ".json" or ".xlsx"))
                throw new CliException($"--out: cannot write \"{extension}\" (.csv, .json or .xlsx)");

            await using var dataSource = CliApp.OpenDatabase(parseResult);
            var vocabulary = await new MapControl.Data.PostGis.Repositories.IncidentKindRepository(dataSource).LoadAsync(cancellationToken).ConfigureAwait(false);
            var kindNames = parseResult.GetValue(kind) ?? [];
            IReadOnlyCollection<IncidentKind>? kinds;
            try { kinds = HotspotsCommand.ParseKinds(kindNames, vocabulary); }
            catch (CliException)
            {
                // A name that is no code, label or synonym of the vocabulary may still be a kind in the data of the window.
                var window = KpiCalculator.IncidentWindow(fromAt, toAt);
                var present = await new MapControl.Data.PostGis.Repositories.IncidentRepository(dataSource).GetKindsByWindowAsync(window.From, window.To, cancellationToken).ConfigureAwait(false);
                kinds = HotspotsCommand.ParseKinds(kindNames, vocabulary, present);
            }
            var (report, input, read) = await new AnalysisSource(dataSource).ComputeKpisAsync(new KpiOptions
            {
                From = fromAt,
                To = toAt,
                Period = periodKind,
                Kinds = kinds,
                TimelyThreshold = TimeSpan.FromHours(hours),
            }, cancellationToken).ConfigureAwait(false);
            await CliApp.Err(parseResult).WriteLineAsync($"read {read} incidents (with the year before), {input.Jurisdictions.Count} jurisdiction versions, {input.Wells.Count} wells")
                .ConfigureAwait(false);
            var rows = report.Rows.Where(r => r.ScopeKind == scope).ToList();
            if (outPath is null)
                await CliApp.Out(parseResult).WriteAsync(Table(rows)).ConfigureAwait(false);
            else if (extension == ".xlsx")
                AnalysisFiles.WriteAtomically(outPath, temp => MapControl.Data.Files.TabularWriter.WriteXlsx(temp, s_columns, XlsxRows(rows), "KPI"));
            else if (extension == ".csv")
                AnalysisFiles.WriteAtomically(outPath, temp => File.WriteAllText(temp, Csv(rows), new UTF8Encoding(false)));
            else
                AnalysisFiles.WriteAtomically(outPath, temp => File.WriteAllText(temp, Json(rows), new UTF8Encoding(false)));
            return 0;
        });
        return command;
    }

    private static readonly string[] s_columns =
        ["scope", "period", "cases", "cases_last_year", "yoy_pct", "timely_rate", "oil_recovered_t", "reclaimed_area_m2", "wells", "key_wells",
         "key_wells_watched", "cases_per_100_wells", "patrol_hours", "cases_per_patrol_hour", "cases_without_discovery_time"];

    private static IEnumerable<string?[]> Values(IEnumerable<KpiRow> rows) => rows.Select(r => new[]
    {
        r.ScopeKey, r.PeriodLabel, Num(r.Cases), Num(r.CasesLastYear), Num(r.YoyPct, 1), Num(r.TimelyRate, 4), Num(r.OilRecoveredT, 3),
        Num(r.ReclaimedAreaM2, 1), Num(r.Wells), Num(r.KeyWells), Num(r.KeyWellsWatched), Num(r.CasesPer100Wells, 3),
        Num(r.PatrolHours, 3), Num(r.CasesPerPatrolHour, 4), Num(r.CasesWithoutDiscoveryTime),
    });

    // Numbers as numbers for the spreadsheet; missing values as empty cells.
    private static IEnumerable<IReadOnlyList<object?>> XlsxRows(IEnumerable<KpiRow> rows) =>
        Values(rows).Select(v => (IReadOnlyList<object?>)v.Select((c, i) => i < 2 || c is null ? (object?)c
            : double.Parse(c, CultureInfo.InvariantCulture)).ToArray());

    /// <summary>A fixed-width text table.</summary>
    public static string Table(IReadOnlyList<KpiRow> rows)
    {
        var cells = Values(rows).Select(v => v.Select(c => c ?? "-").ToArray()).ToList();
        var widths = s_columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join("  ", s_columns.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        foreach (var row in cells)
            text.AppendLine(string.Join("  ", row.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        return text.ToString();
    }

    /// <summary>CSV with a header; empty cells for missing values.</summary>
    public static string Csv(IReadOnlyList<KpiRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', s_columns));
        foreach (var row in Values(rows))
            text.AppendLine(string.Join(',', row.Select(c => c is null ? "" : c.Contains(',', StringComparison.Ordinal) || c.Contains('"', StringComparison.Ordinal) ? $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : c)));
        return text.ToString();
    }

    /// <summary>A JSON array of row objects (snake_case names).</summary>
    public static string Json(IReadOnlyList<KpiRow> rows) =>
        JsonSerializer.Serialize(rows.Select(r => new Dictionary<string, object?>
        {
            ["scope_kind"] = DomainNames.ToName(r.ScopeKind),
            ["scope"] = r.ScopeKey,
            ["period"] = r.PeriodLabel,
            ["period_start"] = r.PeriodStart,
            ["period_end"] = r.PeriodEnd,
            ["cases"] = r.Cases,
            ["cases_last_year"] = r.CasesLastYear,
            ["yoy_pct"] = r.YoyPct,
            ["timely_rate"] = r.TimelyRate,
            ["oil_recovered_t"] = r.OilRecoveredT,
            ["reclaimed_area_m2"] = r.ReclaimedAreaM2,
            ["wells"] = r.Wells,
            ["key_wells"] = r.KeyWells,
            ["key_wells_watched"] = r.KeyWellsWatched,
            ["cases_per_100_wells"] = r.CasesPer100Wells,
            ["patrol_hours"] = r.PatrolHours,
            ["cases_per_patrol_hour"] = r.CasesPerPatrolHour,
            ["cases_without_discovery_time"] = r.CasesWithoutDiscoveryTime,
        }), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Num(double? value, int digits) => value is { } v ? Math.Round(v, digits).ToString(CultureInfo.InvariantCulture) : null;
}
