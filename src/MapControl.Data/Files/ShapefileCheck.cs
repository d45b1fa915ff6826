using System.Buffers.Binary;

namespace MapControl.Data.Files;

/// <summary>
/// Walks a Shapefile's .shp (and its .shx and the .dbf header) with small fixed buffers before the NTS reader sees it: every record
/// length, part count, point count and part offset must fit the actual file, the .shx must agree with the .shp and the .dbf must hold
/// one record per shape; features and vertices are counted against <see cref="ImportLimits"/>. The NTS reader trusts these numbers
/// (a truncated file made it allocate without bound), so nothing inconsistent reaches it.
/// </summary>
internal static class ShapefileCheck
{
    private const int HeaderBytes = 100;
    private const int FileCode = 9994;
    private const int MaxSidecarBytes = 64 * 1024;

    /// <summary>Checks the Shapefile at <paramref name="shpPath"/>; notes what it tolerated (no .shx). Throws <see cref="FeatureFileException"/>.</summary>
    public static void Validate(string shpPath, string dbfPath, string? shxPath, ImportLimits limits, List<string> notes)
    {
        using var shp = Open(shpPath);
        var shpLength = shp.Length;
        var header = new byte[HeaderBytes];
        if (shpLength < HeaderBytes || !ReadExactly(shp, header))
        {
            throw FeatureFileException.For(shpPath, $"truncated: {shpLength} bytes, shorter than the 100-byte Shapefile header");
        }

        if (BinaryPrimitives.ReadInt32BigEndian(header) != FileCode)
        {
            throw FeatureFileException.For(shpPath, "not a Shapefile (the file code is not 9994)");
        }

        var declared = 2L * BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(24));
        if (declared < HeaderBytes)
        {
            throw FeatureFileException.For(shpPath, $"the header gives a file length of {declared} bytes, less than the header itself");
        }

        if (declared > shpLength)
        {
            throw FeatureFileException.For(shpPath, $"truncated: the header says {declared} bytes, the file has {shpLength}");
        }

        var shapeType = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(32));
        var family = FamilyOf(shapeType)
                     ?? throw FeatureFileException.For(shpPath, shapeType == 31
                         ? "MultiPatch shapes are not supported"
                         : $"unknown shape type {shapeType}");

        using var shx = shxPath is null ? null : Open(shxPath);
        if (shx is null)
        {
            notes.Add("no .shx: the records were read from the .shp alone");
        }
        else
        {
            CheckShxHeader(shx, shxPath!, shapeType);
        }

        var recordHeader = new byte[8];
        var shxEntry = new byte[8];
        var content = new byte[44];
        long position = HeaderBytes;
        long records = 0;
        long totalVertices = 0;
        while (position < declared)
        {
            var record = records + 1;
            if (position + 8 > declared || !ReadExactly(shp, recordHeader))
            {
                throw FeatureFileException.For(shpPath, $"truncated: record {record} has no complete header at byte {position}");
            }

            var contentBytes = 2L * BinaryPrimitives.ReadInt32BigEndian(recordHeader.AsSpan(4));
            if (contentBytes < 4)
            {
                throw FeatureFileException.For(shpPath, $"record {record} has an invalid length of {contentBytes} bytes");
            }

            if (position + 8 + contentBytes > declared)
            {
                throw FeatureFileException.For(shpPath, $"truncated or inconsistent: record {record} at byte {position} claims {contentBytes} bytes, past the end of the file ({declared} bytes)");
            }

            if (++records > limits.MaxFeatures)
            {
                throw FeatureFileException.Limit(shpPath, $"more than {limits.MaxFeatures:N0} records (the import limit of features per file)");
            }

            if (shx is not null)
            {
                if (!ReadExactly(shx, shxEntry))
                {
                    throw FeatureFileException.For(shxPath!, $"the .shx has fewer entries than the .shp has records ({record} and more)");
                }

                var shxOffset = 2L * BinaryPrimitives.ReadInt32BigEndian(shxEntry);
                var shxLength = 2L * BinaryPrimitives.ReadInt32BigEndian(shxEntry.AsSpan(4));
                if (shxOffset != position || shxLength != contentBytes)
                {
                    throw FeatureFileException.For(shxPath!, $"the .shx disagrees with the .shp at record {record}: .shx says byte {shxOffset}, {shxLength} bytes; .shp has byte {position}, {contentBytes} bytes");
                }
            }

            var vertices = CheckContent(shp, shpPath, record, contentBytes, shapeType, family, content, limits);
            totalVertices += vertices;
            if (totalVertices > limits.MaxVertices)
            {
                throw FeatureFileException.Limit(shpPath, $"more than {limits.MaxVertices:N0} vertices (the import limit of vertices per file)");
            }

            position += 8 + contentBytes;
            shp.Position = position;
        }

        if (shx is not null && shx.Position != shx.Length)
        {
            throw FeatureFileException.For(shxPath!, $"the .shx has {(shx.Length - HeaderBytes) / 8} entries, the .shp {records} records");
        }

        CheckDbf(dbfPath, records);
    }

    /// <summary>Refuses a .prj or .cpg that is not a few lines of text (they are read whole).</summary>
    public static void CheckSidecar(string path)
    {
        if (new FileInfo(path).Length > MaxSidecarBytes)
        {
            throw FeatureFileException.For(path, $"larger than {MaxSidecarBytes / 1024} KiB; a {Path.GetExtension(path)} file holds one line");
        }
    }

    private enum Family
    {
        Null,
        Point,
        MultiPoint,
        Multipart,
    }

    private static Family? FamilyOf(int shapeType) => shapeType switch
    {
        0 => Family.Null,
        1 or 11 or 21 => Family.Point,
        8 or 18 or 28 => Family.MultiPoint,
        3 or 5 or 13 or 15 or 23 or 25 => Family.Multipart,
        _ => null,
    };

    private static bool HasZ(int shapeType) => shapeType is 11 or 13 or 15 or 18;

    /// <summary>Checks one record's content against its length; returns its number of vertices.</summary>
    private static long CheckContent(FileStream shp, string path, long record, long contentBytes, int shapeType, Family family, byte[] buffer, ImportLimits limits)
    {
        if (!ReadExactly(shp, buffer.AsSpan(0, 4)))
        {
            throw FeatureFileException.For(path, $"truncated: record {record}");
        }

        var recordType = BinaryPrimitives.ReadInt32LittleEndian(buffer);
        if (recordType == 0)
        {
            return 0;
        }

        if (recordType != shapeType)
        {
            throw FeatureFileException.For(path, $"record {record} is of shape type {recordType}, the file holds shape type {shapeType}");
        }

        var z = HasZ(shapeType);
        switch (family)
        {
            case Family.Point:
            {
                long needed = 4 + 16 + (z ? 8 : 0);
                if (contentBytes < needed)
                {
                    throw FeatureFileException.For(path, $"record {record}: {contentBytes} bytes cannot hold a point ({needed} bytes)");
                }

                return 1;
            }

            case Family.MultiPoint:
            {
                if (contentBytes < 40 || !ReadExactly(shp, buffer.AsSpan(4, 36)))
                {
                    throw FeatureFileException.For(path, $"record {record}: {contentBytes} bytes cannot hold a multipoint header (40 bytes)");
                }

                long points = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(36));
                var needed = 40 + 16 * points + (z ? 16 + 8 * points : 0);
                if (points < 0 || contentBytes < needed)
                {
                    throw FeatureFileException.For(path, $"record {record}: {points} points need {needed} bytes, the record has {contentBytes}");
                }

                CheckVertexCount(path, record, points, limits);

                return points;
            }

            case Family.Multipart:
            {
                if (contentBytes < 44 || !ReadExactly(shp, buffer.AsSpan(4, 40)))
                {
                    throw FeatureFileException.For(path, $"record {record}: {contentBytes} bytes cannot hold a polyline or polygon header (44 bytes)");
                }

                long parts = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(36));
                long points = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(40));
                if (parts < 0 || points < 0)
                {
                    throw FeatureFileException.For(path, $"record {record}: negative part or point count ({parts} parts, {points} points)");
                }

                if (parts > points || (parts == 0) != (points == 0))
                {
                    throw FeatureFileException.For(path, $"record {record}: {parts} parts for {points} points");
                }

                var needed = 44 + 4 * parts + 16 * points + (z ? 16 + 8 * points : 0);
                if (contentBytes < needed)
                {
                    throw FeatureFileException.For(path, $"record {record}: {parts} parts and {points} points need {needed} bytes, the record has {contentBytes}");
                }

                CheckVertexCount(path, record, points, limits);

                var previous = -1L;
                for (var i = 0; i < parts; i++)
                {
                    if (!ReadExactly(shp, buffer.AsSpan(0, 4)))
                    {
                        throw FeatureFileException.For(path, $"truncated: record {record}");
                    }

                    long start = BinaryPrimitives.ReadInt32LittleEndian(buffer);
                    if ((i == 0 && start != 0) || start <= previous || start >= points)
                    {
                        throw FeatureFileException.For(path, $"record {record}: part {i + 1} starts at point {start} (expected increasing starts from 0, below {points})");
                    }

                    previous = start;
                }

                return points;
            }

            default:
                return 0;
        }
    }

    private static void CheckVertexCount(string path, long record, long points, ImportLimits limits)
    {
        if (points > limits.MaxVerticesPerFeature)
        {
            throw FeatureFileException.Limit(path, $"record {record} has {points:N0} points, more than {limits.MaxVerticesPerFeature:N0} (the import limit of vertices per feature)");
        }
    }

    private static void CheckShxHeader(FileStream shx, string path, int shapeType)
    {
        var header = new byte[HeaderBytes];
        if (shx.Length < HeaderBytes || !ReadExactly(shx, header))
        {
            throw FeatureFileException.For(path, $"truncated: {shx.Length} bytes, shorter than the 100-byte header");
        }

        if (BinaryPrimitives.ReadInt32BigEndian(header) != FileCode)
        {
            throw FeatureFileException.For(path, "not a Shapefile index (the file code is not 9994)");
        }

        var declared = 2L * BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(24));
        if (declared != shx.Length || (shx.Length - HeaderBytes) % 8 != 0)
        {
            throw FeatureFileException.For(path, $"truncated or inconsistent: the header says {declared} bytes, the file has {shx.Length}");
        }

        var indexType = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(32));
        if (indexType != shapeType)
        {
            throw FeatureFileException.For(path, $"the .shx is for shape type {indexType}, the .shp holds shape type {shapeType}");
        }
    }

    /// <summary>The .dbf header: one record per shape, records and fields that fit the file.</summary>
    private static void CheckDbf(string path, long shapes)
    {
        using var dbf = Open(path);
        var header = new byte[32];
        if (dbf.Length < 33 || !ReadExactly(dbf, header))
        {
            throw FeatureFileException.For(path, $"truncated: {dbf.Length} bytes, shorter than a dBASE header");
        }

        long records = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        int headerBytes = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
        int recordBytes = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
        if (headerBytes < 33 || headerBytes > dbf.Length)
        {
            throw FeatureFileException.For(path, $"the dBASE header claims {headerBytes} bytes, the file has {dbf.Length}");
        }

        if (records != shapes)
        {
            throw FeatureFileException.For(path, $"the .dbf has {records} records, the .shp {shapes} shapes (one each expected)");
        }

        if (recordBytes < 1 || headerBytes + records * recordBytes > dbf.Length)
        {
            throw FeatureFileException.For(path, $"truncated: {records} records of {recordBytes} bytes after a {headerBytes}-byte header need {headerBytes + records * recordBytes} bytes, the file has {dbf.Length}");
        }

        var descriptor = new byte[32];
        var fieldBytes = 1L;
        while (dbf.Position + 32 <= headerBytes && ReadExactly(dbf, descriptor.AsSpan(0, 1)) && descriptor[0] != 0x0D)
        {
            if (!ReadExactly(dbf, descriptor.AsSpan(1, 31)))
            {
                break;
            }

            fieldBytes += descriptor[16];
        }

        if (fieldBytes > recordBytes)
        {
            throw FeatureFileException.For(path, $"the fields need {fieldBytes} bytes per record, the header says {recordBytes}");
        }
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);

    private static bool ReadExactly(Stream stream, Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
