using System.Globalization;
using System.Text.Json;
using csFastFloat;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>
/// The fast path of a "coordinates" value: scanned straight from the bytes, each number parsed once (the reader would validate
/// it and <see cref="Utf8JsonReader.GetDouble"/> parse it again, four reads per position), then the reader resumed after it.
/// Only a value of plain JSON arrays of numbers with blanks is taken; anything else (a comment, a trailing comma, a malformed
/// or out-of-range number, positions mixed with arrays, nesting beyond the reader's depth) is left to the reader's path,
/// which gives the same result or names the same error.
/// </summary>
internal static partial class GeoJsonFormat
{
    /// <summary>The bytes the reader stands in; moves on when the reader is resumed past a fast-scanned value.</summary>
    private sealed class Source(ReadOnlyMemory<byte> json)
    {
        public ReadOnlyMemory<byte> Json = json;

        /// <summary>
        /// Whether the fast path is taken: small "coordinates" values scanned in place, large ones (<see cref="DeferBytes"/> or
        /// more) only delimited while the file is read, their numbers scanned and the geometry built on the pool (<see cref="Deferred"/>).
        /// </summary>
        public bool ScanCoordinates { get; init; } = true;

        /// <summary>Whether a value was scanned here (a JSON error is then read again without the fast path, for its line and position).</summary>
        public bool Scanned;

        /// <summary>The features whose geometries are being built on the pool: index in the feature list, the geometry to come.</summary>
        public List<(int Index, Task<Geometry?> Geometry)> Pending { get; } = [];

        /// <summary>Every value deferred while reading; each is scanned before the file counts as read, even one no geometry uses.</summary>
        public List<Deferred> Deferrals { get; } = [];
    }

    /// <summary>Bytes of a "coordinates" value from which it is deferred (a task per feature; smaller ones are scanned in place).</summary>
    private const int DeferBytes = 16 * 1024;

    /// <summary>The bytes a deferred "coordinates" value may hold: numbers, brackets, commas and blanks, nothing the reader must see.</summary>
    private static readonly System.Buffers.SearchValues<byte> s_coordinateBytes = System.Buffers.SearchValues.Create("0123456789+-.eE[], \t\r\n"u8);

    /// <summary>
    /// A "coordinates" value delimited (<see cref="ArrayEnd"/>) but not yet scanned: numbers, brackets, commas and blanks only.
    /// <see cref="Resolve"/> scans it as <see cref="ScanValue"/> would in place; a value the scan does not take throws
    /// <see cref="DeferredScanException"/>, and the file is then read again without the fast path (which names the problem).
    /// </summary>
    private sealed class Deferred(ReadOnlyMemory<byte> json, int depth)
    {
        /// <summary>Whether <see cref="Resolve"/> has scanned the value.</summary>
        public bool Resolved { get; private set; }

        public object? Resolve()
        {
            var span = json.Span;
            var at = 0;
            if (!ScanValue(span, ref at, depth, out var value) || SkipBlanks(span, at) != span.Length) throw new DeferredScanException();
            Resolved = true;
            return value;
        }
    }

    /// <summary>A deferred value the fast path does not take (see <see cref="Deferred"/>).</summary>
    private sealed class DeferredScanException : Exception;

    /// <summary>
    /// The end (past its last ']') of the run of bytes from <paramref name="start"/> that <see cref="s_coordinateBytes"/> allows, or
    /// −1 when the run holds no ']'. A well-formed array ends there: what follows it in an object is '}', or ',' and a key's
    /// '"'. Only delimited, not checked (two vectorized searches, no walk through the bytes): <see cref="Deferred.Resolve"/> takes
    /// the value only when it is one array filling it exactly, and a walk resumed at a wrong place ends in a reading without
    /// the fast path.
    /// </summary>
    private static int ArrayEnd(ReadOnlySpan<byte> span, int start)
    {
        var limit = span[start..].IndexOfAnyExcept(s_coordinateBytes);
        var last = (limit < 0 ? span[start..] : span.Slice(start, limit)).LastIndexOf((byte)']');
        return last < 0 ? -1 : start + last + 1;
    }

    /// <summary>
    /// With the reader on the "coordinates" property name: the value scanned (as <see cref="ReadCoordinates"/> gives it) and the
    /// reader resumed after it; false, the reader untouched, when the value is not one the fast path takes.
    /// </summary>
    private static bool TryScanCoordinates(ref Utf8JsonReader reader, Source source, out object? coordinates)
    {
        coordinates = null;
        if (!source.ScanCoordinates) return false;
        var span = source.Json.Span;
        var at = SkipBlanks(span, (int)reader.BytesConsumed);
        if (at >= span.Length || span[at] != '[') return false;
        var depth = s_readerOptions.MaxDepth - reader.CurrentDepth - 1;
        if (span.Length - at >= DeferBytes && ArrayEnd(span, at) is var end && end - at >= DeferBytes)
        {
            var deferred = new Deferred(source.Json[at..end], depth);
            source.Deferrals.Add(deferred);
            coordinates = deferred;
            at = end;
        }
        else if (!ScanValue(span, ref at, depth, out coordinates))
        {
            return false;
        }

        // The reader's state after a whole array at this place is the same whatever the array held: take it from "[]".
        var after = new Utf8JsonReader("[]"u8, isFinalBlock: false, reader.CurrentState);
        after.Read();
        after.Read();
        source.Json = source.Json[at..];
        source.Scanned = true;
        reader = new Utf8JsonReader(source.Json.Span, isFinalBlock: true, after.CurrentState);
        return true;
    }

    /// <summary>An array at <paramref name="at"/> (its '['), in <see cref="ReadCoordinates"/>'s form; <paramref name="at"/> moves past its ']'.</summary>
    private static bool ScanValue(ReadOnlySpan<byte> span, ref int at, int depth, out object? value)
    {
        value = null;
        if (depth <= 0) return false;
        var first = SkipBlanks(span, at + 1);
        if (first >= span.Length) return false;
        if (span[first] == ']')
        {
            at = first + 1;
            value = Array.Empty<Coordinate>();
            return true;
        }

        if (span[first] != '[')
        {
            // A position: two or more numbers; the first two are kept.
            at = first;
            double x = 0, y = 0;
            for (var n = 0; ; n++)
            {
                if (!ScanNumber(span, ref at, out var number)) return false;
                if (n == 0) x = number;
                else if (n == 1) y = number;
                at = SkipBlanks(span, at);
                if (at >= span.Length) return false;
                if (span[at] == ']')
                {
                    if (n < 1) return false;
                    at++;
                    value = new Coordinate(x, y);
                    return true;
                }

                if (span[at] != ',') return false;
                at = SkipBlanks(span, at + 1);
            }
        }

        at = first;
        if (!ScanValue(span, ref at, depth - 1, out var head)) return false;
        if (head is Coordinate position)
        {
            // An array of positions (all of them positions).
            var positions = StartPositions(position);
            while (true)
            {
                if (!ScanNext(span, ref at, depth - 1, out var next, out var end)) return false;
                if (end) break;
                if (next is not Coordinate c) return false;
                positions.Add(c);
            }

            value = TakePositions(positions);
            return true;
        }

        // An array of arrays (none of them a position).
        var list = new List<object> { head! };
        while (true)
        {
            if (!ScanNext(span, ref at, depth - 1, out var next, out var end)) return false;
            if (end) break;
            if (next is Coordinate) return false;
            list.Add(next!);
        }

        value = list;
        return true;
    }

    /// <summary>
    /// After an element of an array: the next element (an array) scanned, or <paramref name="end"/> at the array's ']';
    /// <paramref name="at"/> moves past what was read. False when the array goes on in a way the fast path does not take.
    /// </summary>
    private static bool ScanNext(ReadOnlySpan<byte> span, ref int at, int depth, out object? next, out bool end)
    {
        next = null;
        end = false;
        at = SkipBlanks(span, at);
        if (at >= span.Length) return false;
        if (span[at] == ']')
        {
            at++;
            end = true;
            return true;
        }

        if (span[at] != ',') return false;
        at = SkipBlanks(span, at + 1);
        return at < span.Length && span[at] == '[' && ScanValue(span, ref at, depth, out next);
    }

    /// <summary>A JSON number at <paramref name="at"/> (its grammar checked, as the reader checks it), finite; <paramref name="at"/> moves past it.</summary>
    private static bool ScanNumber(ReadOnlySpan<byte> span, ref int at, out double number)
    {
        number = 0;
        var i = at;
        if (i < span.Length && span[i] == '-') i++;
        if (i >= span.Length) return false;
        if (span[i] == '0') i++;
        else if (IsDigit(span[i])) while (i < span.Length && IsDigit(span[i])) i++;
        else return false;
        if (i < span.Length && span[i] == '.')
        {
            i++;
            if (i >= span.Length || !IsDigit(span[i])) return false;
            while (i < span.Length && IsDigit(span[i])) i++;
        }

        if (i < span.Length && (span[i] == 'e' || span[i] == 'E'))
        {
            i++;
            if (i < span.Length && (span[i] == '+' || span[i] == '-')) i++;
            if (i >= span.Length || !IsDigit(span[i])) return false;
            while (i < span.Length && IsDigit(span[i])) i++;
        }

        // The JSON number grammar is checked above; fast_float's conversion is correctly rounded, as the reader's GetDouble is
        // (the same double, several times faster). Out of range is the reader's error, named on its path.
        if (!FastDoubleParser.TryParseDouble(span[at..i], out var used, out number, NumberStyles.Float, decimal_separator: (byte)'.')
            || used != i - at || !double.IsFinite(number)) return false;
        at = i;
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static int SkipBlanks(ReadOnlySpan<byte> span, int at)
    {
        while (at < span.Length && span[at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') at++;
        return at;
    }
}
