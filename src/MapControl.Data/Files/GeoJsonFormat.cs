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

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64, // GeoJSON needs about 10; deeper nesting (an attack) is "not valid JSON"
    };

    private static readonly GeometryFactory s_factory = new(new PrecisionModel(), CrsRegistry.Wgs84);

    private static readonly HashSet<string> s_geometryTypes =
        ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"];

    public static FeatureSet Read(string path, FeatureReadOptions options) =>
        ReadBytes(File.ReadAllBytes(path), path, options);

    /// <summary>
    /// One forward pass of a <see cref="Utf8JsonReader"/> over the bytes (no document tree): members in any order, geometries built
    /// straight from the coordinates, property values as <see cref="ReadValue"/> gives them.
    /// </summary>
    public static FeatureSet ReadBytes(ReadOnlyMemory<byte> json, string path, FeatureReadOptions options)
    {
        var (features, crs) = Parse(json, path);
        var source = CrsRegistry.Get(crs ?? options.AssumeSrid ?? CrsRegistry.Wgs84);
        var builder = new FeatureSetBuilder(path, Name, source, options);
        builder.AddAll(features);
        return builder.Build();
    }

    /// <summary>
    /// The features of GeoJSON bytes exactly as written — geometries in the file's coordinates (SRID 4326 set, neither checked nor
    /// repaired; null when a Feature has none) — and the EPSG code of a "crs" member; a problem is a <see cref="FeatureFileException"/>.
    /// </summary>
    internal static (List<(Geometry? Geometry, Dictionary<string, object?> Properties, string Where)> Features, int? Crs) Parse(ReadOnlyMemory<byte> json, string path)
    {
        var (features, crs, _, _) = Parse(json, path, scanCoordinates: true);
        return (features, crs);
    }

    /// <summary>
    /// <see cref="Parse(ReadOnlyMemory{byte}, string)"/>, with or without the coordinates' fast path (GeoJsonFormat.Coordinates.cs);
    /// <c>Scanned</c>: whether a value was taken by it; <c>Deferred</c>: how many values were deferred (scanned on the pool).
    /// </summary>
    internal static (List<(Geometry? Geometry, Dictionary<string, object?> Properties, string Where)> Features, int? Crs, bool Scanned, int Deferred) Parse(
        ReadOnlyMemory<byte> json, string path, bool scanCoordinates)
    {
        var features = new List<(Geometry? Geometry, Dictionary<string, object?> Properties, string Where)>();
        string? type;
        int? crs = null;
        var bytes = json.Span.StartsWith("\uFEFF"u8) ? json[3..] : json;
        var source = new Source(bytes) { ScanCoordinates = scanCoordinates };
        var reader = new Utf8JsonReader(bytes.Span, s_readerOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw FeatureFileException.For(path, "not GeoJSON (the top level is not an object with a \"type\")");
            }

            var top = ReadObject(ref reader, source, path, "feature 1", features, ref crs);
            type = top.Type;
            if (reader.Read())
            {
                throw new JsonException("more after the end of the top-level object");
            }

            if (type is null)
            {
                throw FeatureFileException.For(path, "not GeoJSON (the top level is not an object with a \"type\")");
            }

            switch (type)
            {
                case "FeatureCollection":
                    if (!top.HasFeatures)
                    {
                        throw FeatureFileException.For(path, "FeatureCollection without a \"features\" array");
                    }

                    break;
                case "Feature":
                    features.Add((top.FeatureGeometry(path, "feature 1"), top.Properties ?? [], "feature 1"));
                    break;
                default:
                    if (!s_geometryTypes.Contains(type))
                    {
                        throw FeatureFileException.For(path, $"unknown GeoJSON type \"{type}\"");
                    }

                    features.Add((top.AsGeometry(path, "geometry"), [], "geometry"));
                    break;
            }
        }
        catch (Exception e) when (e is DeferredScanException || (source.Deferrals.Count > 0 && !IsFatal(e)) || (source.Scanned && e is JsonException))
        {
            // A reader resumed after a scanned value counts lines and positions from there: the error is named by a reading without
            // scans (which finds it: the scan takes only values the reader reads the same; GeoJsonCoordinateScanTests hold them equal).
            // Where values were deferred, the walk went past what the reader would have stopped at: any problem is named by a
            // reading in file order, once the geometries still being built are done (nothing is left running).
            WaitQuietly(source);
            return Parse(json, path, scanCoordinates: false);
        }
        catch (JsonException ex)
        {
            throw FeatureFileException.For(path, $"not valid JSON ({ex.Message})", ex);
        }
        catch (InvalidOperationException ex)
        {
            // The reader's own refusal of a value it read (a string with a lone surrogate escape, "\uD800").
            throw FeatureFileException.For(path, $"not valid JSON ({ex.Message})", ex);
        }

        if (source.Deferrals.Count > 0)
        {
            // The geometries built on the pool, and every deferred value scanned (one no geometry uses must be valid JSON too).
            try
            {
                foreach (var (index, geometry) in source.Pending) features[index] = features[index] with { Geometry = geometry.GetAwaiter().GetResult() };
                foreach (var deferred in source.Deferrals)
                {
                    if (!deferred.Resolved) deferred.Resolve();
                }
            }
            catch (Exception e) when (!IsFatal(e))
            {
                WaitQuietly(source);
                return Parse(json, path, scanCoordinates: false);
            }
        }

        return (features, crs, source.Scanned, source.Deferrals.Count);
    }

    private static bool IsFatal(Exception e) => e is OutOfMemoryException or InsufficientExecutionStackException;

    /// <summary>
    /// Waits for every pending geometry, their failures observed and dropped (the reading that follows names the problem), and
    /// lets go of what the walk held, so that the reading again does not hold two copies of the file's geometries.
    /// </summary>
    private static void WaitQuietly(Source source)
    {
        foreach (var (_, task) in source.Pending)
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
            }
        }

        source.Pending.Clear();
        source.Deferrals.Clear();
    }

    /// <summary>Features per batch whose coordinates are formatted in parallel before the batch is written in order.</summary>
    private const int WriteBatch = 64;

    /// <summary>Vertices of a batch from which its coordinates are formatted in parallel (fewer: one after the other, as they are written).</summary>
    private const int ParallelWriteVertices = 20_000;

    public static void Write(Stream stream, IEnumerable<FeatureRecord> features)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        // Formatting the numbers is most of the writing: a batch of features has its coordinates formatted on every core into
        // buffers reused from batch to batch, then the features are written in order; the file is written batch by batch.
        var buffers = new System.Buffers.ArrayBufferWriter<byte>[WriteBatch];
        for (var i = 0; i < buffers.Length; i++) buffers[i] = new System.Buffers.ArrayBufferWriter<byte>(1 << 12);
        var rendered = new bool[WriteBatch];
        var batch = new List<FeatureRecord>(WriteBatch);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        foreach (var feature in features)
        {
            batch.Add(feature);
            if (batch.Count == WriteBatch) WriteBatchOf(writer, batch, buffers, rendered);
        }

        WriteBatchOf(writer, batch, buffers, rendered);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteBatchOf(Utf8JsonWriter writer, List<FeatureRecord> batch, System.Buffers.ArrayBufferWriter<byte>[] buffers, bool[] rendered)
    {
        var vertices = 0L;
        foreach (var feature in batch) vertices += feature.Geometry.NumPoints;
        if (vertices >= ParallelWriteVertices) Parallel.For(0, batch.Count, i => rendered[i] = RenderCoordinates(batch[i].Geometry, buffers[i]));
        else for (var i = 0; i < batch.Count; i++) rendered[i] = RenderCoordinates(batch[i].Geometry, buffers[i]);

        for (var i = 0; i < batch.Count; i++)
        {
            var feature = batch[i];
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
            WriteGeometry(writer, feature.Geometry, buffers[i], rendered[i]);
            writer.WriteEndObject();
            // Written out feature by feature: the writer's buffer does not grow to the size of the file.
            if (writer.BytesPending > 1 << 16) writer.Flush();
        }

        batch.Clear();
        // A buffer that grew for one large geometry is not kept for the rest of the file (64 of them would hold 64 such).
        for (var i = 0; i < buffers.Length; i++)
        {
            if (buffers[i].Capacity > 1 << 20) buffers[i] = new System.Buffers.ArrayBufferWriter<byte>(1 << 12);
        }
    }

    /// <summary>An RFC 7946 geometry object as JSON text, as <see cref="Write"/> writes it (lon/lat, 1e-7°, right-hand rings).</summary>
    internal static string GeometryJson(Geometry geometry)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, geometry.NumPoints * 24 + 64));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteGeometry(writer, geometry, new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, geometry.NumPoints * 24 + 64)));
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

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
