using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>
/// CSV and XLSX as features: one point per row at the row's position (<see cref="TabularPositions"/>), every other column a
/// property under its header name (text, numbers of number cells, ISO 8601 text of date cells). Rows without a position are
/// an error naming the line.
/// </summary>
internal static class TabularFormat
{
    /// <summary>
    /// A reader of a table's rows as they are read (the typed incident import): told the property names (header cells other than
    /// the position columns, first of equal names, with their column) once, then each row with its point; the feature set then
    /// holds the points without properties.
    /// </summary>
    public interface IRows
    {
        /// <summary>The properties each row has, in header order, with their columns.</summary>
        void Header(IReadOnlyList<(string Name, int Column)> properties);

        /// <summary>The current row of <paramref name="reader"/>: the feature's 0-based index in the set and its point (WGS84).</summary>
        void Row(TabularReader reader, int index, Point point);
    }

    private static readonly Dictionary<string, object?> s_none = [];

    public const string CsvName = "CSV";
    public const string XlsxName = "XLSX";

    private static readonly GeometryFactory s_factory = new();

    public static FeatureSet Read(string path, FeatureReadOptions options, IRows? rows = null)
    {
        using var reader = TabularReader.Open(path, new TabularOptions { Sheet = options.Sheet, Encoding = options.Encoding });
        var header = reader.Header;
        TabularPositions positions;
        try
        {
            positions = TabularPositions.Create(header, options.Map, options.Datum, options.AssumeSrid);
        }
        catch (FormatException e)
        {
            throw FeatureFileException.For(path, e.Message, e);
        }
        var skip = new HashSet<int>();
        foreach (var field in new[] { "lon", "lat", "x", "y" })
            if (TabularColumns.Find(header, field, options.Map) is >= 0 and var at) skip.Add(at);
        var builder = new FeatureSetBuilder(path, Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) ? XlsxName : CsvName,
            CrsRegistry.Get(CrsRegistry.Wgs84), options);
        builder.Note($"{reader.Description}; positions from {positions.Columns}");
        var described = false;
        var columns = new List<(string Name, int Column)>(header.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
            if (!skip.Contains(i) && header[i].Length > 0 && names.Add(header[i])) columns.Add((header[i], i));
        rows?.Header(columns);
        var index = 0;
        while (reader.Read())
        {
            bool ok;
            double lon, lat;
            string? problem;
            try
            {
                ok = positions.TryRead(reader, out lon, out lat, out problem);
            }
            catch (FormatException e)
            {
                throw FeatureFileException.For(path, $"{reader.Where}: {e.Message}", e);
            }
            if (!ok) throw FeatureFileException.For(path, $"{reader.Where}: {problem}");
            if (!described)
            {
                builder.Note($"positions: {positions.Description}");
                described = true;
            }
            var point = s_factory.CreatePoint(new Coordinate(lon, lat));
            if (rows is not null)
            {
                builder.Add(point, s_none, reader.Where);
                rows.Row(reader, index++, point);
                continue;
            }
            var properties = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            foreach (var (name, column) in columns) properties[name] = reader.Value(column);
            builder.Add(point, properties, reader.Where);
        }
        return builder.Build() with { SourceSrid = positions.Srid, SourceCrsName = positions.CrsName };
    }
}
