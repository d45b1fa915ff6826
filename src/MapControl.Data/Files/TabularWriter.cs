using MiniExcelLibs;

namespace MapControl.Data.Files;

/// <summary>Writes tables for people: XLSX (one sheet, a header row, numbers as numbers, times as date cells).</summary>
public static class TabularWriter
{
    /// <summary>Writes <paramref name="rows"/> (values by column, in <paramref name="columns"/> order) as an XLSX workbook; an existing file is replaced.</summary>
    public static void WriteXlsx(string path, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, string sheet = "Sheet1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (File.Exists(path)) File.Delete(path);
        MiniExcel.SaveAs(path, rows.Select(row =>
        {
            var record = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
                record[columns[i]] = i < row.Count ? row[i] switch { DateTimeOffset t => t.ToOffset(Core.Hotspots.ChinaTime.Offset).DateTime, var v => v } : null;
            return record;
        }), sheetName: sheet);
    }
}
