using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MapControl.Core.Hotspots;
using MiniExcelLibs;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>
/// Writes tables for people — the one XLSX writer (KPI tables, every exported layer): one sheet, a header row, numbers as
/// numbers, times as date cells on the China Standard Time clock (UTC+8, the clock <see cref="TimeText"/> reads offset-less
/// times and date cells on, so a written sheet reads back to the same instants).
/// </summary>
public static partial class TabularWriter
{
    /// <summary>Excel's limit on the characters of one cell.</summary>
    public const int MaxCellChars = 32_767;

    /// <summary>Writes <paramref name="rows"/> (values by column, in <paramref name="columns"/> order) as an XLSX workbook; an existing file is replaced.</summary>
    public static void WriteXlsx(string path, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, string sheet = "Sheet1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path)) File.Delete(path);
        using var stream = File.Create(path);
        WriteXlsx(stream, columns, rows, sheet);
    }

    /// <summary>Writes <paramref name="rows"/> as an XLSX workbook to <paramref name="stream"/>.</summary>
    public static void WriteXlsx(Stream stream, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, string sheet = "Sheet1")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Count) throw new ArgumentException("Column names must differ.", nameof(columns));
        var records = rows.Select(row =>
        {
            var record = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++) record[columns[i]] = i < row.Count ? Cell(row[i]) : null;
            return record;
        }).ToList();
        // A table without rows still gets its header row.
        if (records.Count == 0) records.Add(columns.ToDictionary(c => c, c => (object?)null, StringComparer.Ordinal));
        stream.SaveAs(records, sheetName: sheet);
    }

    /// <summary>
    /// The table of a layer's features: the properties (columns in order of first appearance), then the position — lon/lat of a
    /// point, else of a point inside the geometry (<see cref="Geometry.InteriorPoint"/>) and the geometry as WKT when it fits a
    /// cell (<see cref="MaxCellChars"/>; empty otherwise). Headers by <see cref="TableHeaders"/>.
    /// </summary>
    public static (IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows) FeatureTable(string layer,
        IReadOnlyList<FeatureRecord> records, bool chineseHeaders)
    {
        ArgumentNullException.ThrowIfNull(records);
        var fields = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
            foreach (var key in record.Properties.Keys)
                if (seen.Add(key)) fields.Add(key);
        fields.RemoveAll(f => f is "lon" or "lat" or "wkt");
        var points = records.Count > 0 && records.All(r => r.Geometry is Point);
        var all = fields.Concat(points ? ["lon", "lat"] : new[] { "lon", "lat", "wkt" }).ToList();
        var columns = all.Select(f => TableHeaders.Of(layer, f, chineseHeaders)).ToList();
        for (var i = 0; i < columns.Count; i++) // a Chinese name shared by two fields keeps the second one by its field name
            if (columns.IndexOf(columns[i]) < i) columns[i] = all[i];
        var rows = records.Select(r =>
        {
            var row = new List<object?>(columns.Count);
            foreach (var f in fields) row.Add(r.Properties.GetValueOrDefault(f));
            var at = r.Geometry is Point p ? p : r.Geometry.IsEmpty ? null : r.Geometry.InteriorPoint;
            row.Add(at is null ? null : Math.Round(at.X, 7));
            row.Add(at is null ? null : Math.Round(at.Y, 7));
            if (!points)
            {
                var wkt = r.Geometry.AsText();
                row.Add(wkt.Length <= MaxCellChars ? wkt : null);
            }
            return (IReadOnlyList<object?>)row;
        }).ToList();
        return (columns, rows);
    }

    /// <summary>A value as a cell: instants on the China clock, ISO date-time text with an offset as such an instant, date text as a date, JSON arrays as text.</summary>
    private static object? Cell(object? value) => value switch
    {
        DateTimeOffset t => ChinaClock(t),
        DateTime { Kind: DateTimeKind.Utc } t => ChinaClock(new DateTimeOffset(t)),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        string s when InstantText().IsMatch(s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) => ChinaClock(t),
        string s when DateText().IsMatch(s) && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d.ToDateTime(TimeOnly.MinValue),
        string s when s.Length > MaxCellChars => s[..MaxCellChars],
        JsonElement { ValueKind: JsonValueKind.Array } a => string.Join(",", a.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText(),
        _ => value,
    };

    private static DateTime ChinaClock(DateTimeOffset t) => DateTime.SpecifyKind(t.ToOffset(ChinaTime.Offset).DateTime, DateTimeKind.Unspecified);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}(:?\d{2})?)$")]
    private static partial Regex InstantText();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateText();
}
