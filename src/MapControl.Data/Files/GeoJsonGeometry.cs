using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace MapControl.Data.Files;

/// <summary>Reads an edited geometry sent as GeoJSON (the planner's drawing, an API client's body).</summary>
public static class GeoJsonGeometry
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new GeoJsonConverterFactory() } };
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>
    /// A GeoJSON Polygon or MultiPolygon (or a Feature / FeatureCollection of them) as one polygonal geometry with SRID 4326, exactly
    /// as sent — not repaired: the write paths check it (<see cref="Core.Spatial.EditGeometry"/>) and refuse an invalid shape with its
    /// reason. Null when the text is not GeoJSON or holds no polygon, or holds anything but polygons.
    /// </summary>
    public static Geometry? ParsePolygonal(string geoJson)
    {
        ArgumentNullException.ThrowIfNull(geoJson);
        var parts = new List<Polygon>();
        try
        {
            using var doc = JsonDocument.Parse(geoJson);
            var root = doc.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) ? t.GetString() : null;
            IEnumerable<Geometry?> geometries = type switch
            {
                "Feature" => [JsonSerializer.Deserialize<Geometry>(root.GetProperty("geometry").GetRawText(), Options)],
                "FeatureCollection" => root.GetProperty("features").EnumerateArray()
                    .Select(f => JsonSerializer.Deserialize<Geometry>(f.GetProperty("geometry").GetRawText(), Options)).ToArray(),
                _ => [JsonSerializer.Deserialize<Geometry>(geoJson, Options)],
            };
            foreach (var g in geometries)
            {
                switch (g)
                {
                    case Polygon p: parts.Add(p); break;
                    case MultiPolygon m: parts.AddRange(m.Geometries.Cast<Polygon>()); break;
                    case null: break;
                    default: return null;
                }
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
        parts.RemoveAll(p => p.IsEmpty);
        if (parts.Count == 0) return null;
        Geometry result = parts.Count == 1
            ? Factory.CreatePolygon(Factory.CreateLinearRing(parts[0].Shell.CoordinateSequence), parts[0].Holes.Select(h => Factory.CreateLinearRing(h.CoordinateSequence)).ToArray())
            : Factory.CreateMultiPolygon(parts.Select(p => (Polygon)Factory.CreateGeometry(p)).ToArray());
        result.SRID = 4326;
        return result;
    }
}
