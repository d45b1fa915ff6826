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
    public static FeatureSet Read(string path, string option, TextWriter progress)
    {
        FeatureSet set;
        try
        {
            set = FeatureFiles.Read(path);
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
    /// Parses an ISO 8601 instant: with an offset (<c>2025-03-01T00:00:00Z</c>, <c>…+08:00</c>) as given; a date or a
    /// time without offset on the China Standard Time clock (the centre's calendar).
    /// </summary>
    public static DateTimeOffset ParseInstant(string text, string what)
    {
        text = text.Trim();
        string[] withOffset = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ssK",
            "yyyy-MM-dd HH:mm:ss.FFFFFFFK"];
        string[] local = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss",
            "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];
        if (text.Length > 0 && (text.EndsWith('Z') || text.EndsWith('z') || HasOffset(text))
            && DateTimeOffset.TryParseExact(text, withOffset, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return instant;
        if (DateTime.TryParseExact(text, local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
            return new DateTimeOffset(clock, ChinaTime.Offset);
        throw new CliException($"{what}: \"{text}\" is not an ISO 8601 date or time (e.g. 2025-03-01 or 2025-03-01T08:00:00+08:00)");
    }

    private static bool HasOffset(string text) =>
        text.Length > 16 && text[^3] == ':' && text[^6] is '+' or '-' && text.AsSpan(10).IndexOfAny('T', 't', ' ') == 0;

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
