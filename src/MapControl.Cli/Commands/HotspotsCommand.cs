using System.CommandLine;
using System.Globalization;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Labels;
using MapControl.Core.Model;
using MapControl.Data.Analysis;
using MapControl.Data.Files;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Cli.Commands;

/// <summary>
/// <c>mapcontrol hotspots</c>: incidents binned into hexagons of size S, Getis-Ord Gi* with Benjamini–Hochberg; one
/// feature per cell of the study area with <c>count</c>, <c>gi_z</c>, <c>gi_p</c>, <c>hot</c>.
/// </summary>
public static class HotspotsCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var incidents = new Option<string?>("--incidents")
        {
            Description = "Incidents: a ledger as CSV (UTF-8 or GBK) or XLSX with English or Chinese headers (lon/lat or 经度/纬度 or X/Y, occurred_at or 发案时间, type or 案件类型), or GeoJSON/Shapefile/GeoPackage points",
        };
        var fromDb = new Option<bool>("--from-db") { Description = "Read the incidents from PostGIS (--db) instead of a file" };
        var cell = new Option<double>("--cell-m")
        {
            Description = "Hexagon size: centre-to-vertex distance (m); default: the platform's hot-spot grid (500)",
            DefaultValueFactory = _ => new HotSpotOptions().CellSizeM,
        };
        var output = new Option<string>("--out") { Description = "Output GeoJSON (RFC 7946)", Required = true };
        var from = new Option<string?>("--from") { Description = "Incidents at or after this ISO 8601 time (a date is midnight China time)" };
        var to = new Option<string?>("--to") { Description = "Incidents before this ISO 8601 time" };
        var kind = new Option<string[]>("--kind")
        {
            Description = "Incident kind(s): a code (casing_theft, oil_theft, …), a Chinese or English label or synonym (套管油被盗, fuel theft), or a label as written in the data",
            AllowMultipleArgumentsPerToken = true,
        };
        var rings = new Option<int>("--rings") { Description = "Gi* neighbourhood: the cell and this many rings (default 1)", DefaultValueFactory = _ => 1 };
        var fdr = new Option<double>("--fdr-q") { Description = "Benjamini–Hochberg false discovery rate (default 0.05)", DefaultValueFactory = _ => 0.05 };
        var timings = new Option<bool>("--timings") { Description = "Print the wall and CPU time of each phase (reading, the analysis, writing) to stderr" };
        var table = new AnalysisFiles.TableOptions();
        var command = new Command("hotspots", "Getis-Ord Gi* hot spots of incidents on a hexagon grid")
        {
            incidents, fromDb, cell, output, from, to, kind, rings, fdr, timings,
        };
        foreach (var option in table.All) command.Options.Add(option);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var progress = CliApp.Err(parseResult);
            var phase = new PhaseClock(parseResult.GetValue(timings) ? progress : null);
            phase.Done("start-up");
            var size = CoverageCheckCommand.Positive(parseResult.GetValue(cell), "--cell-m");
            var ringCount = parseResult.GetValue(rings);
            if (ringCount is < 1 or > 10) throw new CliException($"--rings: {ringCount} is not in 1…10");
            var q = parseResult.GetValue(fdr);
            if (!(q > 0 && q < 1)) throw new CliException($"--fdr-q: {q.ToString(CultureInfo.InvariantCulture)} is not in (0, 1)");
            var window = new IncidentFilter
            {
                From = parseResult.GetValue(from) is { } f ? AnalysisFiles.ParseInstant(f, "--from") : null,
                To = parseResult.GetValue(to) is { } t ? AnalysisFiles.ParseInstant(t, "--to") : null,
            };
            if (window.From >= window.To) throw new CliException("--from must be before --to");

            // The vocabulary: the database's when the verb reads it (--from-db or an explicit --db), else the built-in one.
            IReadOnlyList<IncidentPoint> points;
            Vocabulary vocabulary;
            if (parseResult.GetValue(fromDb))
            {
                if (parseResult.GetValue(incidents) is not null) throw new CliException("--from-db reads incidents from the database: leave out --incidents");
                await using var dataSource = CliApp.OpenDatabase(parseResult);
                vocabulary = await new IncidentKindRepository(dataSource).LoadAsync(cancellationToken).ConfigureAwait(false);
                points = await new AnalysisSource(dataSource).LoadHotSpotIncidentsAsync(window, cancellationToken).ConfigureAwait(false);
                await progress.WriteLineAsync($"read {points.Count} incidents from the database").ConfigureAwait(false);
            }
            else
            {
                var path = parseResult.GetValue(incidents) ?? throw new CliException("--incidents is required (or --from-db)");
                if (parseResult.GetValue(CliApp.Db) is not null)
                {
                    await using var dataSource = CliApp.OpenDatabase(parseResult);
                    vocabulary = await new IncidentKindRepository(dataSource).LoadAsync(cancellationToken).ConfigureAwait(false);
                }
                else vocabulary = IncidentKinds.Builtin;
                points = ReadIncidents(path, table.ToIncidentOptions(parseResult, vocabulary), progress);
            }
            var filter = window with { Kinds = ParseKinds(parseResult.GetValue(kind) ?? [], vocabulary, points.Select(p => p.Kind)) };

            phase.Done("read");
            var report = HotSpotAnalysis.Run(points, new HotSpotOptions { CellSizeM = size, Filter = filter, Rings = ringCount, FdrQ = q });
            phase.Done("analysis");
            AnalysisFiles.WriteGeoJsonAtomically(parseResult.GetValue(output)!, ToFeatures(report));
            phase.Done("write");
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{report.IncidentsBinned} of {report.IncidentsTotal} incidents in {report.Cells.Count(c => c.Count > 0)} non-empty cells; {report.Cells.Count} cells in the study area, {report.Cells.Count(c => c.Hot)} hot, {report.Cells.Count(c => c.Cold)} cold"))
                .ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Reads incidents from a ledger (CSV, XLSX) or feature file, with what the reader noticed on <paramref name="progress"/>.</summary>
    public static IReadOnlyList<IncidentPoint> ReadIncidents(string path, IncidentFileOptions options, TextWriter progress)
    {
        IncidentFile file;
        try
        {
            file = IncidentFiles.Read(path, options);
        }
        catch (Exception e) when (e is FeatureFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--incidents: {e.Message}");
        }
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {file.Points.Count} incidents from {Path.GetFileName(path)} ({file.Description})"));
        foreach (var note in file.Notes) progress.WriteLine($"note: {Path.GetFileName(path)}: {note}");
        return file.Points;
    }

    /// <summary>
    /// The kinds <c>--kind</c> names (repeatable or comma-separated): each a code, label or synonym of <paramref name="vocabulary"/>,
    /// or a label as written of a kind present in the data (unmapped); anything else is a <see cref="CliException"/>.
    /// </summary>
    public static IReadOnlyCollection<IncidentKind>? ParseKinds(IEnumerable<string> names, Vocabulary vocabulary, IEnumerable<IncidentKind>? present = null)
    {
        var kinds = new HashSet<IncidentKind>();
        Dictionary<string, IncidentKind>? presentByKey = null;
        foreach (var name in names.SelectMany(n => n.Split([',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (vocabulary.TryFind(name, out var term))
            {
                kinds.Add(new IncidentKind(term.Code));
                continue;
            }
            presentByKey ??= (present ?? []).Distinct().GroupBy(k => Vocabulary.Key(k.Code)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            kinds.Add(presentByKey.TryGetValue(Vocabulary.Key(name), out var kind)
                ? kind
                : throw new CliException($"--kind: unknown incident kind \"{name}\": neither a code, label or synonym (known codes: {string.Join(", ", vocabulary.Terms.Where(t => t.Mapped).Select(t => t.Code))}) nor a kind in the data"));
        }
        return kinds.Count == 0 ? null : kinds;
    }

    /// <summary>One hexagon feature per cell of the study area.</summary>
    public static IReadOnlyList<FeatureRecord> ToFeatures(HotSpotReport report) =>
        report.Cells.Select(c => new FeatureRecord(c.Polygon, new Dictionary<string, object?>
        {
            ["q"] = c.Id.Q,
            ["r"] = c.Id.R,
            ["count"] = c.Count,
            ["gi_z"] = Math.Round(c.GiZ, 6),
            ["gi_p"] = c.GiP,
            ["hot"] = c.Hot,
            ["cold"] = c.Cold,
        })).ToList();
}
