using System.CommandLine;
using System.Globalization;
using MapControl.Data.Files;
using MapControl.Data.PostGis.Tiles;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol tiles build</c>: renders the offline basemap into vector tiles under tiles/.</summary>
public static class TilesCommand
{
    /// <summary>The verb with its sub-verb build.</summary>
    public static Command Create()
    {
        var source = new Option<FileInfo>("--source")
        {
            Description = "Basemap features with a 'layer' property (sea, coast, river, road, town)",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("data", "sample", "basemap.geojson")),
        };
        var zones = new Option<FileInfo>("--zones")
        {
            Description = "Oil zones whose extent (plus --margin degrees) the tiles cover; when missing, the basemap's extent",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("data", "sample", "oil_zones.geojson")),
        };
        var margin = new Option<double>("--margin") { Description = "Degrees added around the oil zones", DefaultValueFactory = _ => 0.1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (basemap/{z}/{x}/{y}.pbf and basemap.json)", DefaultValueFactory = _ => new DirectoryInfo("tiles") };
        var minZoom = new Option<int>("--min-zoom") { DefaultValueFactory = _ => 6 };
        var maxZoom = new Option<int>("--max-zoom") { DefaultValueFactory = _ => 14 };
        var build = new Command("build", "Render the basemap (coast/sea, Yellow River, roads, towns) into vector tiles for zooms 6–14 over the oilfield")
        {
            source, zones, margin, output, minZoom, maxZoom,
        };
        build.SetAction(parseResult =>
        {
            var src = parseResult.GetValue(source)!;
            if (!src.Exists) throw new CliException($"basemap source not found: {src.FullName}");
            IReadOnlyList<FeatureRecord> features;
            try { features = FeatureFiles.Read(src.FullName).Features; }
            catch (FeatureFileException e) { throw new CliException(e.Message); }
            (double, double, double, double)? extent = null;
            var z = parseResult.GetValue(zones)!;
            if (z.Exists)
            {
                var env = new NetTopologySuite.Geometries.Envelope();
                foreach (var f in FeatureFiles.Read(z.FullName).Features) env.ExpandToInclude(f.Geometry.EnvelopeInternal);
                var m = parseResult.GetValue(margin);
                extent = (env.MinX - m, env.MinY - m, env.MaxX + m, env.MaxY + m);
            }
            var result = BasemapTiles.Build(features, parseResult.GetValue(output)!.FullName,
                new BasemapBuildOptions(parseResult.GetValue(minZoom), parseResult.GetValue(maxZoom), extent));
            var o = CliApp.Out(parseResult);
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Tiles} tiles, {result.Bytes / 1024.0:0.0} KiB, extent {result.Extent.West:0.###},{result.Extent.South:0.###},{result.Extent.East:0.###},{result.Extent.North:0.###}"));
            foreach (var (zoom, n) in result.TilesPerZoom) o.WriteLine($"  z{zoom}: {n}");
            return 0;
        });
        var command = new Command("tiles", "Offline basemap tiles");
        command.Subcommands.Add(build);
        return command;
    }
}
