using System.Buffers.Binary;

namespace MapControl.Data.Files;

/// <summary>
/// Walks a GeoPackage geometry blob (header, envelope, WKB) before the NTS reader sees it: every point, ring and part count must fit
/// the blob's remaining bytes (NTS allocates the count it reads), nesting is bounded, and the vertices are counted against
/// <see cref="ImportLimits.MaxVerticesPerFeature"/>.
/// </summary>
internal static class GeoPackageBlobCheck
{
    private const int MaxNesting = 32;

    /// <summary>Null when the blob is well-formed within the limits, else what is wrong (one line).</summary>
    public static string? Problem(ReadOnlySpan<byte> blob, ImportLimits limits, out bool limitExceeded)
    {
        limitExceeded = false;
        if (blob.Length < 8 || blob[0] != (byte)'G' || blob[1] != (byte)'P')
        {
            return "not a GeoPackage geometry blob (no \"GP\" header)";
        }

        var flags = blob[3];
        if ((flags & 0x20) != 0)
        {
            return "an extended GeoPackage geometry type, which is not supported";
        }

        var envelopeBytes = ((flags >> 1) & 0x07) switch
        {
            0 => 0,
            1 => 32,
            2 or 3 => 48,
            4 => 64,
            _ => -1,
        };
        if (envelopeBytes < 0 || blob.Length < 8 + envelopeBytes)
        {
            return "the geometry blob's envelope is invalid or truncated";
        }

        var wkb = blob[(8 + envelopeBytes)..];
        var position = 0;
        long vertices = 0;
        var problem = Walk(wkb, ref position, 0, ref vertices);
        if (problem is not null)
        {
            return problem;
        }

        if (vertices > limits.MaxVerticesPerFeature)
        {
            limitExceeded = true;
            return $"{vertices:N0} vertices, more than {limits.MaxVerticesPerFeature:N0} (the import limit of vertices per feature)";
        }

        return null;
    }

    private static string? Walk(ReadOnlySpan<byte> wkb, ref int position, int depth, ref long vertices)
    {
        if (depth > MaxNesting)
        {
            return $"the WKB geometry is nested more than {MaxNesting} deep";
        }

        if (wkb.Length - position < 5)
        {
            return "the WKB geometry is truncated";
        }

        var order = wkb[position++];
        if (order > 1)
        {
            return $"the WKB byte order is {order} (expected 0 or 1)";
        }

        var littleEndian = order == 1;
        var type = ReadUInt32(wkb, ref position, littleEndian);
        var hasZ = (type & 0x80000000) != 0;
        var hasM = (type & 0x40000000) != 0;
        if ((type & 0x20000000) != 0)
        {
            position += 4; // EWKB SRID
        }

        type &= 0x0FFFFFFF;
        var dimensionCode = type / 1000;
        var baseType = type % 1000;
        if (dimensionCode > 3)
        {
            return $"unknown WKB geometry type {type}";
        }

        var ordinates = 2 + (hasZ || dimensionCode is 1 or 3 ? 1 : 0) + (hasM || dimensionCode is 2 or 3 ? 1 : 0);
        var pointBytes = 8L * ordinates;
        switch (baseType)
        {
            case 1:
                if (wkb.Length - position < pointBytes)
                {
                    return "the WKB point is truncated";
                }

                position += (int)pointBytes;
                vertices++;
                return null;
            case 2:
                return Points(wkb, ref position, littleEndian, pointBytes, ref vertices);
            case 3:
            {
                if (!TryCount(wkb, ref position, littleEndian, 4, out var rings))
                {
                    return "the WKB polygon's ring count exceeds the blob";
                }

                for (var i = 0; i < rings; i++)
                {
                    if (Points(wkb, ref position, littleEndian, pointBytes, ref vertices) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            }

            case 4 or 5 or 6 or 7:
            {
                if (!TryCount(wkb, ref position, littleEndian, 5, out var parts))
                {
                    return "the WKB collection's part count exceeds the blob";
                }

                for (var i = 0; i < parts; i++)
                {
                    if (Walk(wkb, ref position, depth + 1, ref vertices) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            }

            default:
                return $"unsupported WKB geometry type {type}";
        }
    }

    private static string? Points(ReadOnlySpan<byte> wkb, ref int position, bool littleEndian, long pointBytes, ref long vertices)
    {
        if (!TryCount(wkb, ref position, littleEndian, pointBytes, out var count))
        {
            return "the WKB point count exceeds the blob";
        }

        position += (int)(count * pointBytes);
        vertices += count;
        return null;
    }

    /// <summary>Reads a count and checks that <paramref name="count"/> items of at least <paramref name="minItemBytes"/> fit the rest.</summary>
    private static bool TryCount(ReadOnlySpan<byte> wkb, ref int position, bool littleEndian, long minItemBytes, out long count)
    {
        count = 0;
        if (wkb.Length - position < 4)
        {
            return false;
        }

        count = ReadUInt32(wkb, ref position, littleEndian);
        return count * minItemBytes <= wkb.Length - position;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> wkb, ref int position, bool littleEndian)
    {
        if (wkb.Length - position < 4)
        {
            position = wkb.Length;
            return uint.MaxValue;
        }

        var span = wkb.Slice(position, 4);
        position += 4;
        return littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32BigEndian(span);
    }
}
