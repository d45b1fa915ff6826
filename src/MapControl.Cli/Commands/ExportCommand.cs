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
        var command = new Command("export", "Export a layer to GeoJSON, Shapefile, GeoPackage or XLSX") { layer, output, headers };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            var path = parseResult.GetValue(output)!.FullName;
            int n;
            try { n = await LayerExport.ExportAsync(dataSource, parseResult.GetValue(layer)!, path, cancellationToken, parseResult.GetValue(headers) == "zh").ConfigureAwait(false); }
            catch (FeatureFileException e) { throw new CliException(e.Message); }
            await CliApp.Out(parseResult).WriteLineAsync($"{n} features of {parseResult.GetValue(layer)} written to {path}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
