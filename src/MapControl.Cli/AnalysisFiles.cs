using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Data.Files;
using NetTopologySuite.Geometries;

namespace MapControl.Cli;

/// <summary>What the file-based analysis verbs share: reading inputs with one-line errors, and writing the output atomically.</summary>
public static class AnalysisFiles
{
    /// <summary>Reads a feature file (GeoJSON, Shapefile, GeoPackage, CSV, KML) into lon/lat; any problem becomes a <see cref="CliException"/>.</summary>
    public static FeatureSet Read(string path, string option, TextWriter progress, FeatureReadOptions? options = null)
    {
        FeatureSet set;
        try
        {
            set = FeatureFiles.Read(path, options);
        }
        catch (Exception e) when (e is FeatureFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: {e.Message}");
        }
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"read {set.Features.Count} features from {Path.GetFileName(path)} ({set.SourceFormat}, EPSG:{set.SourceSrid})"));
        foreach (var note in set.Notes)
            progress.WriteLine($"note: {Path.GetFileName(path)}: {note}");
        return set;
    }

    /// <summary>
    /// Polygon features with their string <c>department</c> property; a missing one, or a non-polygon, is a <see cref="CliException"/>.
    /// Features with a non-empty <c>valid_to</c> are past versions (a jurisdictions export with history) and are left out.
    /// </summary>
    public static IReadOnlyList<(Geometry Geometry, string Department)> Departments(FeatureSet set, string path, string option, TextWriter? progress = null)
    {
        var result = new List<(Geometry, string)>(set.Features.Count);
        var past = 0;
        for (var i = 0; i < set.Features.Count; i++)
        {
            var feature = set.Features[i];
            if (feature.Properties.TryGetValue("valid_to", out var validTo) && validTo is not null && !(validTo is string { Length: 0 }))
            {
                past++;
                continue;
            }
            if (!feature.Properties.TryGetValue("department", out var value) || value is not string department || department.Length == 0)
                throw new CliException($"{option} {Path.GetFileName(path)}: feature {i + 1} has no string property \"department\"");
            if (feature.Geometry is not (Polygon or MultiPolygon) || feature.Geometry.IsEmpty)
                throw new CliException($"{option} {Path.GetFileName(path)}: feature {i + 1} ({department}) is a {feature.Geometry.GeometryType}, expected a Polygon or MultiPolygon");
            result.Add((feature.Geometry, department));
        }
        if (past > 0)
            progress?.WriteLine($"note: {Path.GetFileName(path)}: left out {past} past versions (valid_to set)");
        if (result.Count == 0)
            throw new CliException($"{option} {Path.GetFileName(path)}: no current features");
        return result;
    }

    /// <summary>All polygonal geometries of a file; anything else is a <see cref="CliException"/>.</summary>
    public static IReadOnlyList<Geometry> Polygons(FeatureSet set, string path, string option)
    {
        var result = new List<Geometry>(set.Features.Count);
        for (var i = 0; i < set.Features.Count; i++)
        {
            var geometry = set.Features[i].Geometry;
            if (geometry is not (Polygon or MultiPolygon) || geometry.IsEmpty)
                throw new CliException($"{option} {Path.GetFileName(path)}: feature {i + 1} is a {geometry.GeometryType}, expected a Polygon or MultiPolygon");
            result.Add(geometry);
        }
        if (result.Count == 0)
            throw new CliException($"{option} {Path.GetFileName(path)}: no features");
        return result;
    }

    /// <summary>
    /// Parses a time by the one rule of <see cref="TimeText"/>: ISO 8601 with an offset as given; a date, or a time without
    /// offset (also 2025/3/1 8:00, 2025年3月1日), on the China Standard Time clock (the centre's calendar).
    /// </summary>
    public static DateTimeOffset ParseInstant(string text, string what) =>
        TimeText.TryParse(text, out var instant)
            ? instant
            : throw new CliException($"{what}: \"{text.Trim()}\" is not a date or time (e.g. 2025-03-01, 2025-03-01T08:00:00+08:00, 2025/3/1 8:00)");

    /// <summary>The options every verb that reads tables takes: --map, --sheet, --coords, --srid.</summary>
    public sealed class TableOptions
    {
        /// <summary><c>--map field=column</c> (repeatable).</summary>
        public Option<string[]> Map { get; } = new("--map")
        {
            Description = "Column of a field when the header does not say it: field=column (repeatable), e.g. --map occurred_at=报警时间 --map kind=警情类别",
            AllowMultipleArgumentsPerToken = true,
        };

        /// <summary><c>--sheet</c>.</summary>
        public Option<string?> Sheet { get; } = new("--sheet") { Description = "XLSX sheet name or number (default: the first sheet)" };

        /// <summary><c>--coords</c>.</summary>
        public Option<string> Coords { get; } = new("--coords")
        {
            Description = "What lon/lat columns hold: wgs84 (also CGCS2000 lon/lat) or gcj02 (converted to WGS84)",
            DefaultValueFactory = _ => "wgs84",
        };

        /// <summary><c>--srid</c>.</summary>
        public Option<int?> Srid { get; } = new("--srid")
        {
            Description = "EPSG code of X/Y columns or of a file without CRS, e.g. 4549 (CGCS2000 CM 120E) or 4499 (Gauss-Kruger zone 21); default: from the values",
        };

        /// <summary>The options, to add to a command.</summary>
        public IEnumerable<Option> All => [Map, Sheet, Coords, Srid];

        /// <summary>The parsed values as feature-file options.</summary>
        public FeatureReadOptions ToFeatureOptions(ParseResult parseResult) => new()
        {
            Map = ParseMap(parseResult),
            Sheet = parseResult.GetValue(Sheet),
            Datum = ParseDatum(parseResult),
            AssumeSrid = parseResult.GetValue(Srid),
        };

        /// <summary>The parsed values as GPS-file options.</summary>
        public GpsFileOptions ToGpsOptions(ParseResult parseResult) => new()
        {
            Map = ParseMap(parseResult),
            Tabular = new TabularOptions { Sheet = parseResult.GetValue(Sheet) },
            Datum = ParseDatum(parseResult),
            Srid = parseResult.GetValue(Srid),
        };

        /// <summary>The parsed values as incident-file options.</summary>
        public IncidentFileOptions ToIncidentOptions(ParseResult parseResult, MapControl.Core.Labels.Vocabulary kinds) => new()
        {
            Map = ParseMap(parseResult),
            Tabular = new TabularOptions { Sheet = parseResult.GetValue(Sheet) },
            Datum = ParseDatum(parseResult),
            Srid = parseResult.GetValue(Srid),
            Kinds = kinds,
        };

        private IReadOnlyDictionary<string, string> ParseMap(ParseResult parseResult)
        {
            try
            {
                return TabularColumns.ParseMap(parseResult.GetValue(Map) ?? []);
            }
            catch (FormatException e)
            {
                throw new CliException(e.Message);
            }
        }

        private LonLatDatum ParseDatum(ParseResult parseResult) => parseResult.GetValue(Coords)!.Trim().ToLowerInvariant() switch
        {
            "wgs84" or "wgs-84" or "4326" or "cgcs2000" or "4490" => LonLatDatum.Wgs84,
            "gcj02" or "gcj-02" or "gcj" => LonLatDatum.Gcj02,
            var other => throw new CliException($"--coords: unknown \"{other}\" (wgs84, gcj02)"),
        };
    }

    /// <summary>A JSON array of strings as a property value.</summary>
    public static JsonElement JsonArray(IEnumerable<string> values) => JsonSerializer.SerializeToElement(values.ToArray());

    /// <summary>
    /// Writes RFC 7946 GeoJSON to a temporary file beside <paramref name="path"/> and moves it over <paramref name="path"/>,
    /// so a failure never leaves a half-written output.
    /// </summary>
    public static void WriteGeoJsonAtomically(string path, IReadOnlyList<FeatureRecord> features) =>
        WriteAtomically(path, temp => FeatureFiles.WriteGeoJson(temp, features));

    /// <summary>Writes through <paramref name="write"/> to a temporary file beside <paramref name="path"/>, then moves it into place.</summary>
    public static void WriteAtomically(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new CliException($"--out: folder {folder} does not exist");
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (FeatureFileException e)
        {
            throw new CliException($"--out: {e.Message}");
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Rounds an area or length for output (1 mm², 1 mm).</summary>
    public static double Round(double value) => Math.Round(value, 3);
}
