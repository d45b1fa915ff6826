using System.Globalization;
using System.Text;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>CSV with lon/lat (or x/y) columns: one point per row, other columns as string properties.</summary>
internal static class CsvFormat
{
    public const string Name = "CSV";

    private static readonly string[] s_lonNames = ["lon", "lng", "long", "longitude", "x"];
    private static readonly string[] s_latNames = ["lat", "latitude", "y"];
    private static readonly GeometryFactory s_factory = new();

    public static FeatureSet Read(string path, FeatureReadOptions options)
    {
        var (text, encoding) = TextEncodings.Decode(File.ReadAllBytes(path), options.Encoding);
        var records = Parse(text, path).Where(r => !(r.Fields.Count == 1 && r.Fields[0].Trim().Length == 0)).ToList();
        if (records.Count == 0)
        {
            throw FeatureFileException.For(path, "the file is empty (expected a header with lon and lat columns)");
        }

        var header = records[0].Fields.Select(h => h.Trim()).ToList();
        var lonIndex = FindColumn(header, s_lonNames, path, "longitude");
        var latIndex = FindColumn(header, s_latNames, path, "latitude");

        var source = CrsRegistry.Get(options.AssumeSrid ?? CrsRegistry.Wgs84);
        var builder = new FeatureSetBuilder(path, Name, source, options);
        if (!ReferenceEquals(encoding, Encoding.UTF8) && options.Encoding is null)
        {
            builder.Note("the text is not UTF-8: read it as GBK");
        }

        foreach (var record in records.Skip(1))
        {
            var where = $"line {record.Line}";
            var x = Number(record, lonIndex, header, path);
            var y = Number(record, latIndex, header, path);
            if (source.IsGeographic && (Math.Abs(x) > 180 || Math.Abs(y) > 90))
            {
                throw FeatureFileException.For(path, $"{where}: ({x}, {y}) is not a lon/lat position; give the EPSG code if these are projected coordinates");
            }

            var properties = new Dictionary<string, object?>();
            for (var i = 0; i < header.Count; i++)
            {
                if (i != lonIndex && i != latIndex)
                {
                    properties[header[i]] = i < record.Fields.Count ? record.Fields[i] : null;
                }
            }

            builder.Add(s_factory.CreatePoint(new Coordinate(x, y)), properties, where);
        }

        return builder.Build();
    }

    private static int FindColumn(List<string> header, string[] names, string path, string what)
    {
        foreach (var name in names)
        {
            var index = header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index;
            }
        }

        throw FeatureFileException.For(path, $"no {what} column in the header (expected one of {string.Join(", ", names)})");
    }

    private static double Number(CsvRecord record, int index, List<string> header, string path)
    {
        var text = index < record.Fields.Count ? record.Fields[index].Trim() : string.Empty;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw FeatureFileException.For(path, $"line {record.Line}: \"{text}\" in column \"{header[index]}\" is not a number");
        }

        return value;
    }

    /// <summary>RFC 4180 records (quoted fields may hold the delimiter, quotes and line breaks); the delimiter is the header's most frequent of , ; and tab.</summary>
    internal static IEnumerable<CsvRecord> Parse(string text, string path)
    {
        var firstLineEnd = text.IndexOfAny(['\r', '\n']);
        var firstLine = firstLineEnd < 0 ? text : text[..firstLineEnd];
        var delimiter = new[] { ',', ';', '\t' }.OrderByDescending(c => firstLine.Count(ch => ch == c)).First();

        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            if (c == '"' && field.Length == 0 && !fieldStarted)
            {
                inQuotes = true;
                fieldStarted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                yield return new CsvRecord(recordLine, fields);
                fields = [];
                field.Clear();
                fieldStarted = false;
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
            }
        }

        if (inQuotes)
        {
            throw FeatureFileException.For(path, $"line {recordLine}: a quoted field is not closed");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields);
        }
    }

    internal sealed record CsvRecord(int Line, List<string> Fields);
}
