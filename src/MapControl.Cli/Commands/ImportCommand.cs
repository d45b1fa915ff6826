using System.CommandLine;
using System.Globalization;
using MapControl.Data.Files;
using MapControl.Data.Import;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol import --layer L --file F [--map target=source …] [--dry-run]</c>: loads a feature file into a layer, all or nothing.</summary>
public static class ImportCommand
{
    /// <summary>Rejected rows printed one by one; the rest are counted.</summary>
    internal const int ListedRejections = 20;

    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var layer = new Option<string>("--layer") { Description = $"Target layer: {string.Join(" | ", ImportLayers.All.Select(l => l.Name))}", Required = true };
        var file = new Option<FileInfo>("--file") { Description = $"GeoJSON, Shapefile (.prj/.cpg), GeoPackage, CSV (lon/lat) or KML", Required = true };
        var map = new Option<string[]>("--map") { Description = "Attribute mapping target=source (repeatable), e.g. --map code=WELL_ID", AllowMultipleArgumentsPerToken = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and report inserts/updates; store nothing" };
        var srid = new Option<int?>("--srid") { Description = "EPSG code to assume when the file does not say (no .prj, CSV in projected metres)" };
        var sheet = new Option<string?>("--sheet") { Description = "XLSX sheet name or number (default: the first sheet)" };
        var coords = new Option<string>("--coords") { Description = "What lon/lat columns of a table hold: wgs84 or gcj02", DefaultValueFactory = _ => "wgs84" };
        var timings = new Option<bool>("--timings") { Description = "Print the wall and CPU time of each phase (reading, checking, writing) to stderr" };
        var reason = new Option<string>("--reason") { Description = "Why (kept with jurisdiction versions and in the audit log)", DefaultValueFactory = _ => "import" };
        var command = new Command("import", "Import a feature file into a layer (CRS detected and reprojected, one transaction, rejected rows reported)")
        {
            layer, file, map, dryRun, srid, sheet, coords, reason, timings,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var phase = new PhaseClock(parseResult.GetValue(timings) ? CliApp.Err(parseResult) : null);
            phase.Done("start-up");
            var spec = ImportLayers.Find(parseResult.GetValue(layer)!)
                ?? throw new CliException($"unknown layer '{parseResult.GetValue(layer)}'; use {string.Join(", ", ImportLayers.All.Select(l => l.Name))}");
            var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var m in parseResult.GetValue(map) ?? [])
            {
                var parts = m.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) throw new CliException($"--map '{m}' is not target=source");
                if (spec.Fields.All(f => f.Name != parts[0]) && parts[0] is not ("lon" or "lat" or "x" or "y"))
                    throw new CliException($"--map: '{parts[0]}' is not a field of {spec.Name} ({string.Join(", ", spec.Fields.Select(f => f.Name))})");
                mapping[parts[0]] = parts[1];
            }
            var path = parseResult.GetValue(file)!.FullName;
            FeatureSet set;
            var datum = parseResult.GetValue(coords)!.Trim().ToLowerInvariant() switch
            {
                "wgs84" or "cgcs2000" => LonLatDatum.Wgs84,
                "gcj02" or "gcj-02" => LonLatDatum.Gcj02,
                var other => throw new CliException($"--coords: unknown \"{other}\" (wgs84, gcj02)"),
            };
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            var user = Environment.UserName is { Length: > 0 } u ? "cli:" + u : "cli";
            ImportReport report;
            try
            {
                // Incidents from a table are checked as they are read (LayerImport.RunFileAsync); other files are read, then checked.
                (set, report) = await LayerImport.RunFileAsync(dataSource, spec.Layer, path,
                    new FeatureReadOptions { AssumeSrid = parseResult.GetValue(srid), Sheet = parseResult.GetValue(sheet), Map = mapping, Datum = datum },
                    new ImportOptions(mapping, parseResult.GetValue(dryRun), user, parseResult.GetValue(reason)!) { Trace = phase.Enabled ? phase.Note : null },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (FeatureFileException e) { throw new CliException(e.Message); }
            phase.Done("import");
            var output = CliApp.Out(parseResult);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{report.SourceFormat}, EPSG:{report.SourceSrid} {report.SourceCrsName} → EPSG:4326; {report.Rows} rows: {report.Inserts} inserts, {report.Updates} updates, {report.Rejections.Count} rejected"))
                .ConfigureAwait(false);
            foreach (var note in set.Notes.Take(5)) await output.WriteLineAsync($"  read: {note}").ConfigureAwait(false);
            foreach (var note in report.Notes) await output.WriteLineAsync($"  note: {note}").ConfigureAwait(false);
            // A file of 10⁶ rows may be refused row by row: the first rows say why, the count says how many.
            foreach (var r in report.Rejections.Take(ListedRejections)) await output.WriteLineAsync($"  rejected {r.Where}: {r.Reason}").ConfigureAwait(false);
            if (report.Rejections.Count > ListedRejections)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {report.Rejections.Count - ListedRejections:N0} more rejected rows")).ConfigureAwait(false);
            if (!report.Accepted)
                throw new CliException($"{report.Rejections.Count} rows rejected; nothing stored from {Path.GetFileName(path)}");
            await output.WriteLineAsync(report.DryRun ? "dry run: nothing stored" : $"stored in one transaction ({spec.Name})").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
