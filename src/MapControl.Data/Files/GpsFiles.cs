using MapControl.Core.Model;

namespace MapControl.Data.Files;

/// <summary>How to read a GPS fix table.</summary>
public sealed record GpsFileOptions
{
    /// <summary>Field → column overrides (<c>--map time=定位时间</c>).</summary>
    public IReadOnlyDictionary<string, string>? Map { get; init; }

    /// <summary>What lon/lat columns hold.</summary>
    public LonLatDatum Datum { get; init; } = LonLatDatum.Wgs84;

    /// <summary>EPSG code of X/Y columns; null: from the values (lon/lat, or the Gauss-Kruger zone prefix).</summary>
    public int? Srid { get; init; }

    /// <summary>Tabular options (XLSX sheet, CSV encoding).</summary>
    public TabularOptions Tabular { get; init; } = new();
}

/// <summary>The GPS fixes of a table, with each unit's department and what the reader decided and left out.</summary>
/// <param name="Fixes">The fixes, in file order.</param>
/// <param name="UnitDepartments">Every unit seen → its department (the first non-empty department cell of the unit; "" when none).</param>
/// <param name="Description">Format, encoding, positions and columns, one line.</param>
/// <param name="Notes">Rows left out (one line).</param>
public sealed record GpsFile(IReadOnlyList<GpsFix> Fixes, IReadOnlyDictionary<string, string> UnitDepartments, string Description,
    IReadOnlyList<string> Notes);

/// <summary>
/// Reads GPS fixes (unit, time, position, optional department) from a table — CSV or XLSX with English or Chinese headers
/// (unit/巡逻单元/车牌号, time/定位时间, lon/经度 …) — through the one <see cref="TabularReader"/>, typed and streaming: cells are
/// read as spans, numbers in invariant culture, times by <see cref="TimeText"/>, and a unit's or department's text becomes a
/// string once per distinct value, not once per row. A row without a unit, a usable position or a time is left out and
/// reported, as <see cref="IncidentFiles"/> does for ledgers; a file with no usable row is an error.
/// </summary>
public static class GpsFiles
{
    /// <summary>Reads the fixes of the table at <paramref name="path"/>; a <see cref="FeatureFileException"/> when the file or its header cannot serve.</summary>
    public static GpsFile Read(string path, GpsFileOptions? options = null)
    {
        options ??= new GpsFileOptions();
        try
        {
            return ReadTable(path, options);
        }
        catch (FormatException e)
        {
            throw FeatureFileException.For(path, e.Message, e);
        }
    }

    private static GpsFile ReadTable(string path, GpsFileOptions options)
    {
        using var reader = TabularReader.Open(path, options.Tabular);
        var header = reader.Header;
        var positions = TabularPositions.Create(header, options.Map, options.Datum, options.Srid);
        var unitColumn = TabularColumns.Find(header, "unit", options.Map);
        if (unitColumn < 0)
            throw new FormatException($"no unit column: GPS fixes need unit (巡逻单元, 车牌号, 设备编号, unit_code …) or --map unit=… (columns: {string.Join(", ", header)})");
        var timeColumn = TabularColumns.Find(header, "time", options.Map);
        if (timeColumn < 0)
            throw new FormatException($"no time column: GPS fixes need time (定位时间, recorded_at, timestamp …) or --map time=… (columns: {string.Join(", ", header)})");
        var departmentColumn = TabularColumns.Find(header, "department", options.Map);

        // Unit codes and departments as strings once per distinct text (looked up by span).
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        var unitLookup = units.GetAlternateLookup<ReadOnlySpan<char>>();
        var departments = new HashSet<string>(StringComparer.Ordinal);
        var departmentLookup = departments.GetAlternateLookup<ReadOnlySpan<char>>();
        var fixes = new List<GpsFix>(EstimatedRows(path));
        var problems = new IncidentFiles.Problems();
        while (reader.Read())
        {
            var unitText = reader.Text(unitColumn);
            if (unitText.IsEmpty)
            {
                problems.Add(reader.Where, $"no unit in {header[unitColumn]}");
                continue;
            }
            if (!positions.TryRead(reader, out var lon, out var lat, out var problem))
            {
                problems.Add(reader.Where, problem!);
                continue;
            }
            if (!reader.TryTime(timeColumn, out var time))
            {
                var text = reader.Text(timeColumn);
                problems.Add(reader.Where, text.IsEmpty ? $"no time in {header[timeColumn]}" : $"\"{text}\" in {header[timeColumn]} is not a date or time");
                continue;
            }
            if (!unitLookup.TryGetValue(unitText, out var unit, out var department))
            {
                unit = unitText.ToString();
                department = "";
                units[unit] = department;
            }
            if (department.Length == 0 && departmentColumn >= 0 && reader.Text(departmentColumn) is { IsEmpty: false } departmentText)
            {
                if (!departmentLookup.TryGetValue(departmentText, out var known))
                {
                    known = departmentText.ToString();
                    departments.Add(known);
                }
                units[unit] = known;
            }
            fixes.Add(new GpsFix(unit, time, lon, lat));
        }
        if (fixes.Count == 0)
            throw FeatureFileException.For(path, problems.Count == 0 ? "no GPS fixes" : $"no usable GPS fixes: {problems.Summary()}");
        var notes = new List<string>();
        if (problems.Count > 0) notes.Add($"left out {problems.Count} rows: {problems.Summary()}");
        var description = $"{reader.Description}; positions {positions.Description} ({positions.Columns}); unit {header[unitColumn]}; time {header[timeColumn]}" +
            (departmentColumn >= 0 ? $"; department {header[departmentColumn]}" : "");
        return new GpsFile(fixes, units, description, notes);
    }

    // A first capacity from the file size (a 1 Hz log row is ~50–60 bytes), so 10⁶ fixes do not grow the list 20 times.
    private static int EstimatedRows(string path)
    {
        var length = new FileInfo(path).Length;
        return Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase)
            ? 1024
            : (int)Math.Clamp(length / 48, 16, 50_000_000);
    }
}
