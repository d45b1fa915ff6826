using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace MapControl.Data.Files;

/// <summary>Writes analysis results (NTS geometries with properties) as GeoJSON FeatureCollections.</summary>
public static class FeatureJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new GeoJsonConverterFactory() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A bare GeoJSON geometry.</summary>
    public static string Geometry(Geometry geometry) => JsonSerializer.Serialize(geometry, Options);

    /// <summary>A FeatureCollection of (geometry, properties) pairs.</summary>
    public static string Collection(IEnumerable<(Geometry Geometry, IDictionary<string, object?> Properties)> features)
    {
        var fc = new FeatureCollection();
        foreach (var (g, p) in features)
            fc.Add(new Feature(g, new AttributesTable(p.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!))));
        return JsonSerializer.Serialize(fc, Options);
    }
}
