using System.Buffers;
using System.Text.Json;
using MapControl.Core.Crs;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>
/// The geometry half of <see cref="GeoJsonFormat.Write"/>: an RFC 7946 geometry written straight from the geometry's coordinates —
/// rounded to 1e-7° as <see cref="GeoJsonFormat.ToRfc7946"/> rounds them, exterior rings counter-clockwise and holes clockwise
/// (judged on the rounded coordinates), numbers in the shortest form that reads back as the rounded value — the same bytes as
/// NetTopologySuite's GeoJSON converter writes for the rounded copy, without the copy, the serializer or a writer call per number.
/// </summary>
internal static partial class GeoJsonFormat
{
    /// <summary>
    /// Writes <paramref name="geometry"/> as a GeoJSON geometry object (lon/lat, 1e-7°, right-hand rings); the coordinates are
    /// formatted in <paramref name="buffer"/> (cleared first; one buffer reused for many geometries does not grow again).
    /// </summary>
    internal static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry, ArrayBufferWriter<byte> buffer) =>
        WriteGeometry(writer, geometry, buffer, RenderCoordinates(geometry, buffer));

    /// <summary>
    /// The "coordinates" of <paramref name="geometry"/> formatted in <paramref name="buffer"/> (cleared first) when the fast path
    /// takes it; false (the buffer cleared) when it does not. Thread-safe for different buffers.
    /// </summary>
    private static bool RenderCoordinates(Geometry geometry, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        if (!FastWritable(geometry)) return false;
        // Room for the whole value at once (a position takes at most ~30 bytes: two numbers of at most 12 characters, the
        // brackets and commas), so that the buffer grows once, not by doubling through every size below it.
        _ = buffer.GetSpan(Math.Min(geometry.NumPoints, 1 << 24) * 32 + 256);
        WriteCoordinates(buffer, geometry);
        return true;
    }

    /// <summary>Writes the geometry object: with the coordinates <see cref="RenderCoordinates"/> put in <paramref name="buffer"/>, else through NetTopologySuite's converter.</summary>
    private static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry, ArrayBufferWriter<byte> buffer, bool rendered)
    {
        if (!rendered)
        {
            // Other CRSs, empty parts, Z values, collections: the copy through NetTopologySuite's converter.
            JsonSerializer.Serialize(writer, ToRfc7946(geometry), s_geometryOptions);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", geometry.OgcGeometryType switch
        {
            OgcGeometryType.Point => "Point",
            OgcGeometryType.LineString => "LineString",
            OgcGeometryType.Polygon => "Polygon",
            OgcGeometryType.MultiPoint => "MultiPoint",
            OgcGeometryType.MultiLineString => "MultiLineString",
            _ => "MultiPolygon",
        });
        writer.WritePropertyName("coordinates");
        writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
        writer.WriteEndObject();
    }

    /// <summary>The "coordinates" array of a geometry the fast path takes; a multi-part geometry's parts in order.</summary>
    private static void WriteCoordinates(ArrayBufferWriter<byte> buffer, Geometry geometry)
    {
        switch (geometry)
        {
            case Point point:
                WritePosition(buffer, point.X, point.Y);
                break;
            case LineString line:
                WriteRing(buffer, line.CoordinateSequence, orient: 0);
                break;
            case Polygon polygon:
                WritePolygon(buffer, polygon);
                break;
            default:
                Put(buffer, (byte)'[');
                for (var i = 0; i < geometry.NumGeometries; i++)
                {
                    if (i > 0) Put(buffer, (byte)',');
                    WriteCoordinates(buffer, geometry.GetGeometryN(i));
                }

                Put(buffer, (byte)']');
                break;
        }
    }

    /// <summary>A lon/lat (SRID ≤ 0 or 4326) Point, LineString, Polygon or homogeneous multi-geometry, non-empty in every part, without Z.</summary>
    private static bool FastWritable(Geometry geometry)
    {
        if ((geometry.SRID > 0 && geometry.SRID != CrsRegistry.Wgs84) || geometry.IsEmpty) return false;
        return geometry switch
        {
            Point p => Plain(p.CoordinateSequence),
            LineString l => Plain(l.CoordinateSequence),
            Polygon p => PlainPolygon(p),
            MultiPoint or MultiLineString or MultiPolygon => AllParts(geometry),
            _ => false,
        };

        static bool AllParts(Geometry multi)
        {
            for (var i = 0; i < multi.NumGeometries; i++)
            {
                var part = multi.GetGeometryN(i);
                if (part.IsEmpty) return false;
                var plain = part switch
                {
                    Point p => Plain(p.CoordinateSequence),
                    LineString l => Plain(l.CoordinateSequence),
                    Polygon p => PlainPolygon(p),
                    _ => false,
                };
                if (!plain) return false;
            }

            return true;
        }

        static bool PlainPolygon(Polygon polygon)
        {
            if (!Plain(polygon.ExteriorRing.CoordinateSequence)) return false;
            foreach (var hole in polygon.InteriorRings)
            {
                if (!Plain(hole.CoordinateSequence)) return false;
            }

            return true;
        }

        static bool Plain(CoordinateSequence sequence) => sequence.Count > 0 && !sequence.HasZ;
    }

    private static void WritePolygon(ArrayBufferWriter<byte> buffer, Polygon polygon)
    {
        Put(buffer, (byte)'[');
        WriteRing(buffer, polygon.ExteriorRing.CoordinateSequence, orient: +1);
        foreach (var hole in polygon.InteriorRings)
        {
            Put(buffer, (byte)',');
            WriteRing(buffer, hole.CoordinateSequence, orient: -1);
        }

        Put(buffer, (byte)']');
    }

    /// <summary>
    /// The positions of a sequence rounded; <paramref name="orient"/> +1 writes a ring counter-clockwise, −1 clockwise (reversed when
    /// the rounded ring turns the other way, as NetTopologySuite's <see cref="Orientation.IsCCW(CoordinateSequence)"/> judges it), 0 as given.
    /// </summary>
    private static void WriteRing(ArrayBufferWriter<byte> buffer, CoordinateSequence sequence, int orient)
    {
        var count = sequence.Count;
        var rounded = ArrayPool<double>.Shared.Rent(2 * count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                rounded[2 * i] = Math.Round(sequence.GetX(i), 7);
                rounded[2 * i + 1] = Math.Round(sequence.GetY(i), 7);
            }

            var reverse = false;
            if (orient != 0)
            {
                var ccw = IsCounterClockwise(rounded.AsSpan(0, 2 * count));
                reverse = orient > 0 ? !ccw : ccw;
            }

            Put(buffer, (byte)'[');
            for (var k = 0; k < count; k++)
            {
                var i = reverse ? count - 1 - k : k;
                if (k > 0) Put(buffer, (byte)',');
                WriteRoundedPosition(buffer, rounded[2 * i], rounded[2 * i + 1]);
            }

            Put(buffer, (byte)']');
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rounded);
        }
    }

    /// <summary>
    /// Whether a closed ring, given as interleaved x, y (the last position repeating the first), turns counter-clockwise, as
    /// NetTopologySuite's <see cref="Orientation.IsCCW(CoordinateSequence)"/> decides it: by the turn at the top of the last
    /// rising step that reaches the ring's greatest y, or, when the ring leaves that height along a flat top, by the top's
    /// direction; false for a flat or collapsed ring. Read from the values in place: no sequence or coordinate is built
    /// (a copy and a coordinate per step cost the writer more than formatting the numbers). GeoJsonOrientationTests holds it
    /// equal to NetTopologySuite's answer on ordinary, flat-topped and degenerate rings.
    /// </summary>
    internal static bool IsCounterClockwise(ReadOnlySpan<double> xy)
    {
        var n = xy.Length / 2 - 1;
        if (n < 3) return false;
        int top = 0, below = -1;
        double topY = xy[1], previousY = xy[1];
        for (var i = 1; i <= n; i++)
        {
            var y = xy[2 * i + 1];
            if (y > previousY && y >= topY)
            {
                (top, below, topY) = (i, i - 1, y);
            }

            previousY = y;
        }

        if (top == 0) return false;
        // The first position after the top that lies lower, and the one before it (the top again unless the top is flat).
        var down = top;
        do
        {
            down = (down + 1) % n;
        }
        while (down != top && xy[2 * down + 1] == topY);

        var downTop = down > 0 ? down - 1 : n - 1;
        if (!SamePosition(xy, top, downTop)) return xy[2 * downTop] - xy[2 * top] < 0;
        if (SamePosition(xy, below, top) || SamePosition(xy, down, top) || SamePosition(xy, below, down)) return false;
        return CGAlgorithmsDD.OrientationIndex(xy[2 * below], xy[2 * below + 1], xy[2 * top], xy[2 * top + 1], xy[2 * down], xy[2 * down + 1])
            == (int)OrientationIndex.CounterClockwise;
    }

    private static bool SamePosition(ReadOnlySpan<double> xy, int a, int b) => xy[2 * a] == xy[2 * b] && xy[2 * a + 1] == xy[2 * b + 1];

    private static void WritePosition(ArrayBufferWriter<byte> buffer, double x, double y) =>
        WriteRoundedPosition(buffer, Math.Round(x, 7), Math.Round(y, 7));

    private static void WriteRoundedPosition(ArrayBufferWriter<byte> buffer, double x, double y)
    {
        var span = buffer.GetSpan(80);
        span[0] = (byte)'[';
        var at = 1;
        at += WriteNumber(span[at..], x);
        span[at++] = (byte)',';
        at += WriteNumber(span[at..], y);
        span[at++] = (byte)']';
        buffer.Advance(at);
    }

    private static void Put(ArrayBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    /// <summary>
    /// A value rounded to 7 decimals in the shortest form that reads back as it — what <see cref="Utf8JsonWriter.WriteNumberValue(double)"/>
    /// writes. For 1e-3 ≤ |v| &lt; 1e6 that is the decimal n·10⁻⁷ (n = v·10⁷, an integer) without trailing zeros: v is the double
    /// nearest to it, and any shorter decimal lies at least 10⁻⁷ away, far more than v's spacing. Other values by the runtime's formatter.
    /// </summary>
    private static int WriteNumber(Span<byte> span, double value)
    {
        var scaled = Math.Round(value * 1e7);
        if (!(Math.Abs(value) >= 1e-3 && Math.Abs(value) < 1e6) || Math.Abs(scaled - value * 1e7) > 1e-3)
        {
            return value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture)
                ? written
                : throw new InvalidOperationException("number buffer too small");
        }

        var n = (long)scaled;
        var at = 0;
        if (n < 0)
        {
            span[at++] = (byte)'-';
            n = -n;
        }

        var whole = n / 10_000_000;
        var fraction = (int)(n % 10_000_000);
        at += WriteDigits(span[at..], whole);
        if (fraction != 0)
        {
            span[at++] = (byte)'.';
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            for (var d = digits - 1; d >= 0; d--)
            {
                span[at + d] = (byte)('0' + fraction % 10);
                fraction /= 10;
            }

            at += digits;
        }

        return at;
    }

    private static int WriteDigits(Span<byte> span, long value)
    {
        var length = 1;
        for (var v = value; v >= 10; v /= 10) length++;
        for (var d = length - 1; d >= 0; d--)
        {
            span[d] = (byte)('0' + value % 10);
            value /= 10;
        }

        return length;
    }
}
