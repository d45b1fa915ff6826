using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>
/// A large FeatureCollection read on several cores: one byte scan finds the features (the objects of the top level's "features"
/// array), each is read by <see cref="ReadObject"/> on its own reader, and the rest of the file (the array emptied) by the one-pass
/// reader — the same features, properties and "crs" as <see cref="Parse"/> reads in one pass. Anything unusual (comments, a
/// non-object in the array, an escaped key, an error anywhere) gives up, and the one pass reads the file and reports the error.
/// </summary>
internal static partial class GeoJsonFormat
{
    /// <summary>Files from this size are split by feature (smaller ones read faster in one pass).</summary>
    private const int ParallelBytes = 1 << 20;

    /// <summary>A feature is read two levels below the top (the collection, its array): its reader allows two levels less.</summary>
    private static readonly JsonReaderOptions s_featureReaderOptions = new()
    {
        AllowTrailingCommas = s_readerOptions.AllowTrailingCommas,
        CommentHandling = s_readerOptions.CommentHandling,
        MaxDepth = s_readerOptions.MaxDepth - 2,
    };

    /// <summary>The features and "crs" of a large FeatureCollection read by feature in parallel; null when the one pass must read it.</summary>
    internal static (List<(Geometry? Geometry, Dictionary<string, object?> Properties, string Where)> Features, int? Crs)? ParseInParallel(
        ReadOnlyMemory<byte> bytes, string path)
    {
        if (bytes.Length < ParallelBytes || Environment.ProcessorCount < 2) return null;
        var elements = new List<(int Start, int End)>();
        if (!FindFeatures(bytes.Span, elements, out var arrayStart, out var arrayEnd) || elements.Count < 2) return null;

        var features = new (Geometry? Geometry, Dictionary<string, object?> Properties, string Where)[elements.Count];
        var failed = 0;
        Parallel.For(0, elements.Count, (k, state) =>
        {
            try
            {
                var (start, end) = elements[k];
                var slice = bytes[start..end];
                var reader = new Utf8JsonReader(slice.Span, s_featureReaderOptions);
                var where = string.Create(CultureInfo.InvariantCulture, $"feature {k + 1}");
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
                int? ignored = null;
                var feature = ReadObject(ref reader, slice, path, where, null, ref ignored);
                if (reader.Read() || feature.Type != "Feature") throw new JsonException("not one Feature");
                features[k] = (feature.FeatureGeometry(path, where), feature.PropertiesWithId(), where);
            }
            catch (Exception)
            {
                // The one pass reads the file again and reports the first error as it always has.
                Interlocked.Exchange(ref failed, 1);
                state.Stop();
            }
        });
        if (failed != 0) return null;

        // The rest: the file with its features array emptied, read by the one pass (type, crs, what follows the array).
        var rest = new byte[arrayStart + 1 + (bytes.Length - arrayEnd)];
        bytes.Span[..(arrayStart + 1)].CopyTo(rest);
        bytes.Span[arrayEnd..].CopyTo(rest.AsSpan(arrayStart + 1));
        try
        {
            var (others, crs) = ParseOnePass(rest, path);
            var all = new List<(Geometry? Geometry, Dictionary<string, object?> Properties, string Where)>(features.Length + others.Count);
            all.AddRange(features);
            all.AddRange(others);
            return (all, crs);
        }
        catch (Exception e) when (e is FeatureFileException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The byte ranges of the objects in the top-level object's "features" array, and the positions of that array's brackets;
    /// false when the scan cannot be sure what the one pass would read (comments, escapes in a top-level key, two "features",
    /// an element that is not an object, a missing comma).
    /// </summary>
    private static bool FindFeatures(ReadOnlySpan<byte> json, List<(int Start, int End)> elements, out int arrayStart, out int arrayEnd)
    {
        arrayStart = arrayEnd = -1;
        var i = SkipSpace(json, 0);
        if (i >= json.Length || json[i] != (byte)'{') return false;
        var depth = 0;
        var inFeatures = false;
        var elementStart = -1;
        var expectElement = false; // in the array: after '[' or ',' (an element or, after a comma, ']' may follow)
        for (; i < json.Length; i++)
        {
            var c = json[i];
            if (inFeatures && depth == 2 && c is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                // Between the array's elements: only objects, separated by commas.
                if (c == (byte)'{')
                {
                    if (!expectElement) return false;
                    elementStart = i;
                    expectElement = false;
                }
                else if (c == (byte)',')
                {
                    if (expectElement) return false;
                    expectElement = true;
                    continue;
                }
                else if (c == (byte)']')
                {
                    arrayEnd = i;
                    inFeatures = false;
                    depth--;
                    continue;
                }
                else return false;
            }

            switch (c)
            {
                case (byte)'"':
                {
                    var start = i;
                    var escaped = false;
                    for (i++; i < json.Length && json[i] != (byte)'"'; i++)
                    {
                        if (json[i] != (byte)'\\') continue;
                        escaped = true;
                        i++;
                    }

                    if (i >= json.Length) return false;
                    if (depth != 1) break;
                    var next = SkipSpace(json, i + 1);
                    if (next >= json.Length || json[next] != (byte)':') break;
                    // A key of the top-level object.
                    if (escaped) return false;
                    if (!json[(start + 1)..i].SequenceEqual("features"u8)) break;
                    if (arrayStart >= 0) return false;
                    var value = SkipSpace(json, next + 1);
                    if (value >= json.Length || json[value] != (byte)'[') return false;
                    arrayStart = value;
                    i = value;
                    depth = 2;
                    inFeatures = true;
                    expectElement = true;
                    break;
                }
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    depth--;
                    if (inFeatures && depth == 2 && c == (byte)'}')
                    {
                        elements.Add((elementStart, i + 1));
                    }

                    if (depth < 0) return false;
                    break;
                case (byte)'/':
                    return false;
            }
        }

        return arrayStart >= 0 && arrayEnd > arrayStart && !inFeatures;
    }

    private static int SkipSpace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') i++;
        return i;
    }
}
