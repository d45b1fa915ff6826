using System.Globalization;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.PostGis.Tiles;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using Npgsql;

namespace MapControl.Data.Reports;

/// <summary>
/// The basemap under the report's maps: the offline vector tiles the one-map serves (<c>tiles/basemap/{z}/{x}/{y}.pbf</c>, built by
/// <c>mapcontrol tiles build</c>), read at one zoom over the oilfield and decoded to lon/lat features; when no tiles are found, the
/// <c>basemap_feature</c> table the tiles are built from.
/// </summary>
public static class ReportBasemap
{
    /// <summary>Zoom read from the tiles (about 10 m per tile unit at 4096 units: finer than the report's maps draw).</summary>
    public const int Zoom = 10;

    /// <summary>Finds the tiles folder (holding basemap.json) in the working folder or above it, or above the program's folder.</summary>
    public static string? FindTiles()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tiles");
                if (File.Exists(Path.Combine(candidate, "basemap.json"))) return candidate;
            }
        return null;
    }

    /// <summary>The features over <paramref name="extent"/> and where they came from.</summary>
    public static async Task<(IReadOnlyList<BasemapFeature> Features, string Source)> LoadAsync(NpgsqlDataSource dataSource, string? tilesPath,
        Envelope extent, CancellationToken cancellationToken = default)
    {
        if (tilesPath is not null && File.Exists(Path.Combine(tilesPath, "basemap.json")))
        {
            var features = ReadTiles(tilesPath, extent);
            if (features.Count > 0) return (features, $"tiles z={ZoomOf(tilesPath)}");
        }
        var stored = await new BasemapRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false);
        return (stored, "database");
    }

    private static int ZoomOf(string tilesPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(tilesPath, "basemap.json")));
        var min = doc.RootElement.TryGetProperty("minzoom", out var a) ? a.GetInt32() : 0;
        var max = doc.RootElement.TryGetProperty("maxzoom", out var b) ? b.GetInt32() : 14;
        return Math.Clamp(Zoom, min, max);
    }

    /// <summary>
    /// Decodes the tiles of one zoom covering <paramref name="extent"/>. Polygons cut at tile edges are joined again (union per
    /// layer and name) so no tile seam shows; lines are kept per tile; a town appears once.
    /// </summary>
    public static IReadOnlyList<BasemapFeature> ReadTiles(string tilesPath, Envelope extent)
    {
        var z = ZoomOf(tilesPath);
        var nw = TileAddress.Containing(extent.MinX, extent.MaxY, z);
        var se = TileAddress.Containing(extent.MaxX, extent.MinY, z);
        var reader = new MapboxTileReader();
        var polygons = new Dictionary<(BasemapLayer, string?, string?), List<Geometry>>();
        var result = new List<BasemapFeature>();
        var towns = new HashSet<string>(StringComparer.Ordinal);
        for (var x = nw.X; x <= se.X; x++)
        for (var y = nw.Y; y <= se.Y; y++)
        {
            var file = Path.Combine(tilesPath, "basemap", z.ToString(CultureInfo.InvariantCulture), x.ToString(CultureInfo.InvariantCulture),
                y.ToString(CultureInfo.InvariantCulture) + ".pbf");
            if (!File.Exists(file)) continue;
            using var stream = File.OpenRead(file);
            var tile = reader.Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, z));
            foreach (var layer in tile.Layers)
            {
                if (!Enum.TryParse<BasemapLayer>(layer.Name, ignoreCase: true, out var kind)) continue;
                foreach (var feature in layer.Features)
                {
                    var name = feature.Attributes?.GetOptionalValue("name") as string;
                    var subKind = feature.Attributes?.GetOptionalValue("kind") as string;
                    var geometry = feature.Geometry;
                    if (geometry is null || geometry.IsEmpty) continue;
                    geometry.SRID = 4326;
                    if (geometry is Polygon or MultiPolygon)
                    {
                        var key = (kind, name, subKind);
                        if (!polygons.TryGetValue(key, out var parts)) polygons[key] = parts = [];
                        parts.Add(geometry.IsValid ? geometry : NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(geometry));
                    }
                    else if (geometry is Point or MultiPoint)
                    {
                        if (towns.Add(name ?? geometry.ToText())) result.Add(new BasemapFeature(kind, name, subKind, geometry));
                    }
                    else result.Add(new BasemapFeature(kind, name, subKind, geometry));
                }
            }
        }
        foreach (var ((kind, name, subKind), parts) in polygons)
        {
            var union = Analysis.AnalysisSource.UnionOf(parts);
            if (!union.IsEmpty) result.Insert(0, new BasemapFeature(kind, name, subKind, union));
        }
        return result;
    }
}
