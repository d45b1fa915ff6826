using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace MapControl.Data.Files;

/// <summary>GeoJSON: reads a FeatureCollection, a Feature or a bare geometry; writes RFC 7946 FeatureCollections.</summary>
internal static partial class GeoJsonFormat
{
    public const string Name = "GeoJSON";

    private static readonly JsonSerializerOptions s_geometryOptions = new()
    {
        Converters = { new GeoJsonConverterFactory(new GeometryFactory(new PrecisionModel(), CrsRegistry.Wgs84), false, "_NetTopologySuite_id", RingOrientationOption.EnforceRfc9746) },
    };

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64, // GeoJSON needs about 10; deeper nesting (an attack) is "not valid JSON"
    };

    private static readonly HashSet<string> s_geometryTypes =
        ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"];

    public static FeatureSet Read(string path, FeatureReadOptions options) =>
        ReadBytes(File.ReadAllBytes(path), path, options);

    public static FeatureSet ReadBytes(ReadOnlyMemory<byte> json, string path, FeatureReadOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_documentOptions);
        }
        catch (JsonException ex)
        {
            throw FeatureFileException.For(path, $"not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                throw FeatureFileException.For(path, "not GeoJSON (the top level is not an object with a \"type\")");
            }

            var source = CrsRegistry.Get(ReadCrsMember(root, path) ?? options.AssumeSrid ?? CrsRegistry.Wgs84);
            var builder = new FeatureSetBuilder(path, Name, source, options);
            var type = typeElement.GetString()!;
            switch (type)
            {
                case "FeatureCollection":
                    if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                    {
                        throw FeatureFileException.For(path, "FeatureCollection without a \"features\" array");
                    }

                    var index = 0;
                    foreach (var feature in features.EnumerateArray())
                    {
                        index++;
                        AddFeature(builder, feature, path, $"feature {index}");
                    }

                    break;
                case "Feature":
                    AddFeature(builder, root, path, "feature 1");
                    break;
                default:
                    if (!s_geometryTypes.Contains(type))
                    {
                        throw FeatureFileException.For(path, $"unknown GeoJSON type \"{type}\"");
                    }

                    builder.Add(ReadGeometry(root, path, "geometry"), new Dictionary<string, object?>(), "geometry");
                    break;
            }

            return builder.Build();
        }
    }

    public static void Write(Stream stream, IEnumerable<FeatureRecord> features)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        foreach (var feature in features)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            writer.WriteStartObject("properties");
            foreach (var (name, value) in feature.Properties)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("geometry");
            JsonSerializer.Serialize(writer, ToRfc7946(feature.Geometry), s_geometryOptions);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>An RFC 7946 geometry object as JSON text, as <see cref="Write"/> writes it (lon/lat, 1e-7°, right-hand rings).</summary>
    internal static string GeometryJson(Geometry geometry) => JsonSerializer.Serialize(ToRfc7946(geometry), s_geometryOptions);

    /// <summary>A properties object as JSON text, with the values written as <see cref="Write"/> writes them.</summary>
    internal static string PropertiesJson(IEnumerable<KeyValuePair<string, object?>> properties)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A lon/lat copy with coordinates rounded to 1e-7° (≈1 cm): geometries with an SRID other than 4326 are reprojected, SRID ≤ 0 is taken as lon/lat.</summary>
    internal static Geometry ToRfc7946(Geometry geometry)
    {
        var lonLat = geometry.SRID > 0 && geometry.SRID != CrsRegistry.Wgs84
            ? CrsTransformer.Reproject(geometry, CrsRegistry.Wgs84)
            : geometry.Copy();
        lonLat.Apply(new RoundingFilter());
        lonLat.GeometryChanged();
        return lonLat;
    }

    private static void AddFeature(FeatureSetBuilder builder, JsonElement feature, string path, string where)
    {
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
        {
            throw FeatureFileException.For(path, $"{where} is not a GeoJSON Feature");
        }

        var properties = new Dictionary<string, object?>();
        if (feature.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in props.EnumerateObject())
            {
                properties[property.Name] = ToValue(property.Value);
            }
        }

        if (feature.TryGetProperty("id", out var id) && !properties.ContainsKey("id"))
        {
            properties["id"] = ToValue(id);
        }

        Geometry? geometry = null;
        if (feature.TryGetProperty("geometry", out var geometryElement) && geometryElement.ValueKind != JsonValueKind.Null)
        {
            geometry = ReadGeometry(geometryElement, path, where);
        }

        builder.Add(geometry, properties, where);
    }

    private static Geometry ReadGeometry(JsonElement element, string path, string where)
    {
        try
        {
            return element.Deserialize<Geometry>(s_geometryOptions)
                   ?? throw FeatureFileException.For(path, $"{where} has no geometry");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw FeatureFileException.For(path, $"{where} has a malformed geometry ({FeatureFileException.OneLine(ex.Message)})", ex);
        }
    }

    /// <summary>The EPSG code of a pre-RFC 7946 "crs" member (ogr2ogr writes one for non-WGS84 GeoJSON), or null.</summary>
    private static int? ReadCrsMember(JsonElement root, string path)
    {
        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind != JsonValueKind.Object
            || !crs.TryGetProperty("properties", out var properties) || !properties.TryGetProperty("name", out var nameElement)
            || nameElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var name = nameElement.GetString()!;
        if (name.Contains("CRS84", StringComparison.OrdinalIgnoreCase))
        {
            return CrsRegistry.Wgs84;
        }

        var match = EpsgRegex().Match(name);
        return match.Success
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw FeatureFileException.For(path, $"unknown \"crs\" name \"{name}\"");
    }

    internal static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var integer) ? (object)integer : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    internal static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong unsigned:
                writer.WriteNumberValue(unsigned);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case float or double:
                var real = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(real))
                {
                    writer.WriteNumberValue(real);
                }
                else
                {
                    writer.WriteNullValue();
                }

                break;
            case DateTime time:
                writer.WriteStringValue(time.ToString(time.TimeOfDay == TimeSpan.Zero && time.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset offset:
                writer.WriteStringValue(offset.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    [GeneratedRegex(@"EPSG:{1,2}(?:[\d.]*:)?(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgRegex();

    private sealed class RoundingFilter : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, Math.Round(seq.GetX(i), 7));
                seq.SetY(i, Math.Round(seq.GetY(i), 7));
            }
        }
    }
}
