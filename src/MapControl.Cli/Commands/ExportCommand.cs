using System.CommandLine;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Data.PostGis.Ogc;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol export --layer L --out F [--headers zh]</c>: writes a layer as GeoJSON, Shapefile, GeoPackage or XLSX (by extension).</summary>
public static class ExportCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var layer = new Option<string>("--layer") { Description = $"Layer: {string.Join(" | ", FeatureCollections.All.Select(c => c.Id))}", Required = true };
        var output = new Option<FileInfo>("--out") { Description = ".geojson, .shp, .gpkg (EPSG:4326) or .xlsx (a table: properties, lon/lat, WKT; times in China time)", Required = true };
        var headers = new Option<string>("--headers") { Description = "XLSX column names: en (field names, default) or zh (中文列名)", DefaultValueFactory = _ => "en" };
        headers.AcceptOnlyFromAmong("en", "zh");
        var from = new Option<string?>("--from") { Description = "Gaps only: score incidents and risk over [from, to) instead of the last 12 months (ISO 8601; a date is midnight China time)" };
        var to = new Option<string?>("--to") { Description = "Gaps only: end of the window (with --from)" };
        var command = new Command("export", "Export a layer to GeoJSON, Shapefile, GeoPackage or XLSX") { layer, output, headers, from, to };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            var path = parseResult.GetValue(output)!.FullName;
            var window = (parseResult.GetValue(from), parseResult.GetValue(to)) switch
            {
                (null, null) => null,
                ({ } f, { } t) => new MapControl.Data.Analysis.GapWindow(AnalysisFiles.ParseInstant(f, "--from"), AnalysisFiles.ParseInstant(t, "--to")),
                _ => throw new CliException("--from and --to go together"),
            };
            if (window is not null && parseResult.GetValue(layer) != FeatureCollections.Gaps) throw new CliException("--from/--to apply to --layer gaps only");
            if (window is { } w && w.To <= w.From) throw new CliException("--to must be after --from");
            int n;
            try { n = await LayerExport.ExportAsync(dataSource, parseResult.GetValue(layer)!, path, cancellationToken, parseResult.GetValue(headers) == "zh", window).ConfigureAwait(false); }
            catch (FeatureFileException e) { throw new CliException(e.Message); }
            await CliApp.Out(parseResult).WriteLineAsync($"{n} features of {parseResult.GetValue(layer)} written to {path}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
