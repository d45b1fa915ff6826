using System.Globalization;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Labels;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>How to read an incident file.</summary>
public sealed record IncidentFileOptions
{
    /// <summary>Field → column overrides (<c>--map occurred_at=报警时间</c>).</summary>
    public IReadOnlyDictionary<string, string>? Map { get; init; }

    /// <summary>What lon/lat columns hold.</summary>
    public LonLatDatum Datum { get; init; } = LonLatDatum.Wgs84;

    /// <summary>EPSG code of X/Y columns (or of a file without CRS); null: from the values (lon/lat, or the Gauss-Kruger zone prefix).</summary>
    public int? Srid { get; init; }

    /// <summary>Tabular options (XLSX sheet, CSV encoding).</summary>
    public TabularOptions Tabular { get; init; } = new();

    /// <summary>The incident-kind vocabulary labels resolve through (the database's, or the built-in one).</summary>
    public Vocabulary Kinds { get; init; } = IncidentKinds.Builtin;
}

/// <summary>Incidents of a file as analyses need them, with what the reader decided and left out.</summary>
/// <param name="Points">The incidents read.</param>
/// <param name="Description">Format, encoding, positions and columns, one line.</param>
/// <param name="Notes">Columns not found, labels not in the vocabulary, rows left out (one line each).</param>
/// <param name="UnmappedKinds">Labels the vocabulary lacks, with their counts: kept as their own kinds.</param>
public sealed record IncidentFile(IReadOnlyList<IncidentPoint> Points, string Description, IReadOnlyList<string> Notes,
    IReadOnlyDictionary<string, int> UnmappedKinds);

/// <summary>
/// Reads incidents (position, time of occurrence, kind) from a ledger as people keep it — CSV or XLSX with English or Chinese
/// headers, or any feature file (GeoJSON, Shapefile, GeoPackage, KML) — for the analyses. A row without a usable position or
/// time is left out and reported; a kind label the vocabulary lacks is kept as its own kind, never refused.
/// </summary>
public static class IncidentFiles
{
    /// <summary>Kind given to incidents whose kind cell is empty or whose file has no kind column.</summary>
    public const string Unspecified = "unspecified";

    private const int ListedProblems = 5;

    /// <summary>Reads the incidents of <paramref name="path"/>; a <see cref="FeatureFileException"/> when the file or its header cannot serve.</summary>
    public static IncidentFile Read(string path, IncidentFileOptions? options = null)
    {
        options ??= new IncidentFileOptions();
        try
        {
            return TabularReader.IsTabular(path) ? ReadTable(path, options) : ReadFeatures(path, options);
        }
        catch (FormatException e)
        {
            throw FeatureFileException.For(path, e.Message, e);
        }
    }

    private static IncidentFile ReadTable(string path, IncidentFileOptions options)
    {
        using var reader = TabularReader.Open(path, options.Tabular);
        var header = reader.Header;
        var positions = TabularPositions.Create(header, options.Map, options.Datum, options.Srid);
        var timeColumn = TabularColumns.Find(header, "occurred_at", options.Map);
        if (timeColumn < 0)
            throw new FormatException($"no time column: the header needs occurred_at (发案时间, 案发时间, 发生时间 …) or --map occurred_at=… (columns: {string.Join(", ", header)})"
                + (TabularColumns.Find(header, "discovered_at", options.Map) is var found and >= 0
                    ? $"; \"{header[found]}\" is read as the discovery time — if it is when the cases happened, --map occurred_at={header[found]}" : ""));
        var kindColumn = TabularColumns.Find(header, "kind", options.Map);
        var notes = new List<string>();
        if (kindColumn < 0) notes.Add($"no kind column (案件类型, 类型, 案由, type …): every incident is of kind \"{Unspecified}\"");
        var kinds = new KindCache(options.Kinds);
        var points = new List<IncidentPoint>();
        var problems = new Problems();
        while (reader.Read())
        {
            if (!positions.TryRead(reader, out var lon, out var lat, out var problem))
            {
                problems.Add(reader.Where, problem!);
                continue;
            }
            if (!reader.TryTime(timeColumn, out var occurred))
            {
                var text = reader.Text(timeColumn);
                problems.Add(reader.Where, text.IsEmpty ? $"no time in {header[timeColumn]}" : $"\"{text}\" in {header[timeColumn]} is not a date or time");
                continue;
            }
            points.Add(new IncidentPoint(lon, lat, occurred, kindColumn < 0 ? kinds.Unspecified : kinds.Get(reader.Text(kindColumn))));
        }
        var description = $"{reader.Description}; positions {positions.Description} ({positions.Columns}); time {header[timeColumn]}" +
            (kindColumn >= 0 ? $"; kind {header[kindColumn]}" : "");
        return Finish(path, points, description, notes, kinds, problems);
    }

    private static IncidentFile ReadFeatures(string path, IncidentFileOptions options)
    {
        var set = FeatureFiles.Read(path, new FeatureReadOptions { AssumeSrid = options.Srid, Encoding = options.Tabular.Encoding });
        var kinds = new KindCache(options.Kinds);
        var points = new List<IncidentPoint>(set.Features.Count);
        var problems = new Problems();
        var notes = new List<string>(set.Notes);
        var noKind = 0;
        for (var i = 0; i < set.Features.Count; i++)
        {
            var feature = set.Features[i];
            var where = $"feature {i + 1}";
            if (feature.Geometry is not Point point || point.IsEmpty)
            {
                problems.Add(where, $"is a {feature.Geometry.GeometryType}, expected a Point");
                continue;
            }
            var (lon, lat) = options.Datum == LonLatDatum.Gcj02 ? Gcj02.ToWgs84(point.X, point.Y) : (point.X, point.Y);
            var time = TabularColumns.Value(feature.Properties, "occurred_at", options.Map);
            if (!TimeText.TryFromValue(time, out var occurred))
            {
                problems.Add(where, time is null ? "has no occurred_at" : $"occurred_at \"{Text(time)}\" is not a date or time");
                continue;
            }
            var kindText = Text(TabularColumns.Value(feature.Properties, "kind", options.Map));
            if (kindText is null) noKind++;
            points.Add(new IncidentPoint(lon, lat, occurred, kindText is null ? kinds.Unspecified : kinds.Get(kindText)));
        }
        if (noKind > 0) notes.Add($"{noKind} incidents without a kind (type, kind, 案件类型 …): of kind \"{Unspecified}\"");
        var description = string.Create(CultureInfo.InvariantCulture, $"{set.SourceFormat}, EPSG:{set.SourceSrid}{(options.Datum == LonLatDatum.Gcj02 ? ", GCJ-02 → WGS84" : "")}");
        return Finish(path, points, description, notes, kinds, problems);
    }

    private static IncidentFile Finish(string path, List<IncidentPoint> points, string description, List<string> notes, KindCache kinds, Problems problems)
    {
        if (points.Count == 0)
            throw FeatureFileException.For(path, problems.Count == 0 ? "no incidents" : $"no usable incidents: {problems.Summary()}");
        if (problems.Count > 0) notes.Add($"left out {problems.Count} rows: {problems.Summary()}");
        if (kinds.Unmapped.Count > 0)
            notes.Add($"{kinds.Unmapped.Count} kinds not in the vocabulary, kept as they are written: " +
                string.Join(", ", kinds.Unmapped.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10).Select(kv => $"\"{kv.Key}\" ×{kv.Value}")));
        return new IncidentFile(points, description, notes, kinds.Unmapped);
    }

    private static string? Text(object? value) =>
        value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture) is { } s && s.Trim().Length > 0 ? s.Trim() : null;

    /// <summary>Kinds by their text as written: the vocabulary's kind, or an unmapped kind shared by spellings of the same key.</summary>
    private sealed class KindCache(Vocabulary vocabulary)
    {
        private readonly Dictionary<string, (IncidentKind Kind, bool Mapped)> _byText = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IncidentKind> _unmappedByKey = new(StringComparer.Ordinal);

        public Dictionary<string, int> Unmapped { get; } = new(StringComparer.Ordinal);

        public IncidentKind Unspecified { get; } = new(IncidentFiles.Unspecified);

        public IncidentKind Get(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty) return Unspecified;
            var lookup = _byText.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(text, out var entry))
            {
                var label = text.ToString();
                if (vocabulary.TryFind(label, out var term)) entry = (new IncidentKind(term.Code), true);
                else
                {
                    var key = Vocabulary.Key(label);
                    if (!_unmappedByKey.TryGetValue(key, out var kind))
                        _unmappedByKey[key] = kind = new IncidentKind(Vocabulary.AsWritten(label));
                    entry = (kind, false);
                }
                _byText[label] = entry;
            }
            if (!entry.Mapped) Unmapped[entry.Kind.Code] = Unmapped.GetValueOrDefault(entry.Kind.Code) + 1;
            return entry.Kind;
        }

        public IncidentKind Get(string text) => Get(text.AsSpan().Trim());
    }

    /// <summary>Rows left out of a read: the count and the first few with where they are (shared with <see cref="GpsFiles"/>).</summary>
    internal sealed class Problems
    {
        private readonly List<string> _first = [];

        public int Count { get; private set; }

        public void Add(string where, string problem)
        {
            if (Count++ < ListedProblems) _first.Add($"{where}: {problem}");
        }

        public string Summary() => string.Join("; ", _first) + (Count > _first.Count ? $"; … {Count - _first.Count} more" : "");
    }
}
