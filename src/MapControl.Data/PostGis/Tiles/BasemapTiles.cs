using System.Text.Json.Nodes;
using MapControl.Data.Files;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.VectorTiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace MapControl.Data.PostGis.Tiles;

/// <summary>Options of the offline basemap build.</summary>
/// <param name="MinZoom">Lowest zoom written.</param>
/// <param name="MaxZoom">Highest zoom written.</param>
/// <param name="Extent">Tiles touching (west, south, east, north) are written.</param>
public sealed record BasemapBuildOptions(int MinZoom = 6, int MaxZoom = 14, (double West, double South, double East, double North)? Extent = null);

/// <summary>What the build wrote.</summary>
public sealed record BasemapBuildResult(int Tiles, long Bytes, IReadOnlyDictionary<int, int> TilesPerZoom, (double West, double South, double East, double North) Extent);

/// <summary>Renders the basemap (sea, coast, Yellow River, roads, towns with names) into Mapbox vector tiles {z}/{x}/{y}.pbf, one MVT layer per basemap layer.</summary>
public static class BasemapTiles
{
    /// <summary>The MVT layers, bottom to top.</summary>
    public static readonly string[] Layers = ["sea", "coast", "river", "road", "town"];

    /// <summary>Builds the tiles of <paramref name="features"/> (each with a "layer" property) into <paramref name="outDir"/> and writes basemap.json beside them.</summary>
    public static BasemapBuildResult Build(IReadOnlyList<FeatureRecord> features, string outDir, BasemapBuildOptions options)
    {
        if (options.MinZoom < 0 || options.MaxZoom > 18 || options.MinZoom > options.MaxZoom)
            throw new ArgumentException("zooms must satisfy 0 ≤ min ≤ max ≤ 18", nameof(options));
        var byLayer = Layers.ToDictionary(l => l, l => features.Where(f => Layer(f) == l).ToList());
        var unknown = features.Select(Layer).Where(l => !Layers.Contains(l)).Distinct().ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown basemap layers: {string.Join(", ", unknown)}", nameof(features));
        var extent = options.Extent ?? Envelope(features);
        if (Directory.Exists(Path.Combine(outDir, "basemap"))) Directory.Delete(Path.Combine(outDir, "basemap"), recursive: true);
        var perZoom = new SortedDictionary<int, int>();
        var total = 0;
        long bytes = 0;
        for (var z = options.MinZoom; z <= options.MaxZoom; z++)
        {
            var nw = TileAddress.Containing(extent.West, extent.North, z);
            var se = TileAddress.Containing(extent.East, extent.South, z);
            for (var x = nw.X; x <= se.X; x++)
            for (var y = nw.Y; y <= se.Y; y++)
            {
                var address = new TileAddress(z, x, y);
                var data = Render(byLayer, address);
                if (data is null) continue;
                var dir = Path.Combine(outDir, "basemap", z.ToString(), x.ToString());
                Directory.CreateDirectory(dir);
                File.WriteAllBytes(Path.Combine(dir, y + ".pbf"), data);
                perZoom[z] = perZoom.GetValueOrDefault(z) + 1;
                total++;
                bytes += data.Length;
            }
        }
        File.WriteAllText(Path.Combine(outDir, "basemap.json"), TileJson("/basemap/{z}/{x}/{y}.pbf", options.MinZoom, options.MaxZoom, extent).ToJsonString());
        return new BasemapBuildResult(total, bytes, perZoom, extent);
    }

    /// <summary>The TileJSON 3.0.0 of the basemap for a tile URL template.</summary>
    public static JsonObject TileJson(string tileUrl, int minZoom, int maxZoom, (double West, double South, double East, double North) extent) => new()
    {
        ["tilejson"] = "3.0.0",
        ["name"] = "basemap",
        ["description"] = "Offline basemap of the oilfield: sea, coast, Yellow River, roads, towns",
        ["version"] = "1.0.0",
        ["scheme"] = "xyz",
        ["tiles"] = new JsonArray(tileUrl),
        ["minzoom"] = minZoom,
        ["maxzoom"] = maxZoom,
        ["bounds"] = new JsonArray(extent.West, extent.South, extent.East, extent.North),
        ["center"] = new JsonArray((extent.West + extent.East) / 2, (extent.South + extent.North) / 2, Math.Min(maxZoom, Math.Max(minZoom, 9))),
        ["vector_layers"] = new JsonArray(Layers.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = l,
            ["fields"] = new JsonObject { ["name"] = "String", ["kind"] = "String" },
        }).ToArray()),
    };

    private static string Layer(FeatureRecord f) => f.Properties.GetValueOrDefault("layer")?.ToString() ?? "";

    private static (double, double, double, double) Envelope(IReadOnlyList<FeatureRecord> features)
    {
        var env = new Envelope();
        foreach (var f in features) env.ExpandToInclude(f.Geometry.EnvelopeInternal);
        return (env.MinX, env.MinY, env.MaxX, env.MaxY);
    }

    /// <summary>The tile's bytes, or null when no feature reaches it.</summary>
    private static byte[]? Render(Dictionary<string, List<FeatureRecord>> byLayer, TileAddress address)
    {
        var (w, s, e, n) = address.Bounds();
        // Clip with a 1/64 tile buffer so lines and polygon edges continue across tile borders.
        var bx = (e - w) / 64;
        var by = (n - s) / 64;
        var clip = new Envelope(w - bx, e + bx, s - by, n + by);
        var vt = new VectorTile { TileId = new NetTopologySuite.IO.VectorTiles.Tiles.Tile(address.X, address.Y, address.Z).Id };
        foreach (var (name, list) in byLayer)
        {
            var layer = new Layer { Name = name };
            foreach (var f in list)
            {
                if (!f.Geometry.EnvelopeInternal.Intersects(clip)) continue;
                var g = f.Geometry is Point ? f.Geometry : f.Geometry.Intersection(f.Geometry.Factory.ToGeometry(clip));
                if (g is null || g.IsEmpty) continue;
                var attributes = new AttributesTable();
                if (f.Properties.GetValueOrDefault("name") is { } nm) attributes.Add("name", nm.ToString());
                if (f.Properties.GetValueOrDefault("kind") is { } k) attributes.Add("kind", k.ToString());
                layer.Features.Add(new Feature(g, attributes));
            }
            if (layer.Features.Count > 0) vt.Layers.Add(layer);
        }
        if (vt.Layers.Count == 0) return null;
        using var stream = new MemoryStream();
        vt.Write(stream, minLinealExtent: 1, minPolygonalExtent: 2);
        return stream.ToArray();
    }
}
