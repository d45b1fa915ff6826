using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.Files;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace MapControl.Data.Seeding;

/// <summary>
/// The sample dataset as files: one RFC 7946 GeoJSON FeatureCollection per layer, departments as JSON, incidents,
/// patrol units and GPS fixes as CSV; a file larger than <see cref="GzipThresholdBytes"/> is written gzipped (name.gz).
/// </summary>
public static class SampleDatasetFiles
{
    /// <summary>Files above this size are gzipped.</summary>
    public const int GzipThresholdBytes = 1_000_000;

    /// <summary>Header of the incidents CSV.</summary>
    public const string IncidentsHeader = "id,lon,lat,occurred_at,type,discovered_at,discovered_by,oil_recovered_t,status";

    /// <summary>Header of the patrol units CSV.</summary>
    public const string PatrolUnitsHeader = "code,department,name,device_key";

    /// <summary>Header of the GPS fixes CSV.</summary>
    public const string GpsFixesHeader = "unit,time,lon,lat,speed_kmh,bearing";

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:sszzz";
    private const string DateFormat = "yyyy-MM-dd";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly JsonSerializerOptions GeoJson = CreateOptions();
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Writes every layer of <paramref name="dataset"/> into <paramref name="directory"/> (created if missing).</summary>
    public static void Write(SampleDataset dataset, string directory)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Directory.CreateDirectory(directory);
        WriteLayer(directory, "oil_zones.geojson", w => Features(w, dataset.OilZones, z => z.Geometry, (p, z) =>
        {
            p.WriteString("code", z.Code);
            p.WriteString("name", z.Name);
        }));
        WriteLayer(directory, "departments.json", w =>
        {
            w.WriteStartArray();
            foreach (var d in dataset.Departments)
            {
                w.WriteStartObject();
                w.WriteString("code", d.Code);
                w.WriteString("name", d.Name);
                w.WriteString("colour", d.Colour);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        WriteLayer(directory, "jurisdictions.geojson", w => Features(w, dataset.Jurisdictions, j => j.Geometry, (p, j) =>
        {
            p.WriteNumber("id", j.Id);
            p.WriteString("department", j.DepartmentCode);
            Version(p, j.Version);
        }));
        WriteLayer(directory, "patrol_zones.geojson", w => Features(w, dataset.PatrolZones, z => z.Geometry, (p, z) =>
        {
            p.WriteNumber("id", z.Id);
            p.WriteString("code", z.Code);
            p.WriteString("department", z.DepartmentCode);
            p.WriteString("name", z.Name);
            Version(p, z.Version);
        }));
        WriteLayer(directory, "wells.geojson", w => Features(w, dataset.Wells, x => x.Location, (p, x) =>
        {
            p.WriteString("code", x.Code);
            p.WriteString("kind", x.Kind.Code);
            p.WriteString("status", DomainNames.ToName(x.Status));
            p.WriteBoolean("key_well", x.IsKeyWell);
            p.WriteString("oil_zone", x.OilZoneCode);
        }));
        WriteLayer(directory, "cameras.geojson", w => Features(w, dataset.Cameras, c => c.Location, (p, c) =>
        {
            p.WriteString("code", c.Code);
            p.WriteNumber("heading_deg", c.HeadingDeg);
            p.WriteNumber("fov_deg", c.FieldOfViewDeg);
            p.WriteNumber("range_m", c.RangeM);
            if (c.WellCode is null) p.WriteNull("well"); else p.WriteString("well", c.WellCode);
        }));
        WriteLayer(directory, "idle_sites.geojson", w => Features(w, dataset.IdleSites, s => s.Geometry, (p, s) =>
        {
            p.WriteString("code", s.Code);
            p.WriteString("name", s.Name);
            p.WriteString("kind", s.Kind.Code);
            p.WriteString("status", DomainNames.ToName(s.Status));
            WriteDate(p, "encroached_on", s.EncroachedOn);
            WriteDate(p, "reclaimed_on", s.ReclaimedOn);
        }));
        WriteLayer(directory, "patrol_routes.geojson", w => Features(w, dataset.PatrolRoutes, r => r.Geometry, (p, r) =>
        {
            p.WriteString("code", r.Code);
            p.WriteString("department", r.DepartmentCode);
            p.WriteString("name", r.Name);
        }));
        WriteLayer(directory, "basemap.geojson", w => Features(w, dataset.Basemap, b => b.Geometry, (p, b) =>
        {
            p.WriteString("layer", DomainNames.ToName(b.Layer));
            if (b.Name is null) p.WriteNull("name"); else p.WriteString("name", b.Name);
            if (b.Kind is null) p.WriteNull("kind"); else p.WriteString("kind", b.Kind);
        }));
        WriteLayer(directory, "roads.geojson", w => Features(w, dataset.Roads ?? [], r => r.Geometry, (p, r) =>
        {
            if (r.Name is null) p.WriteNull("name"); else p.WriteString("name", r.Name);
            p.WriteString("kind", r.Kind);
        }));
        WriteText(directory, "incidents.csv", t => WriteIncidents(dataset.Incidents, t));
        WriteText(directory, "patrol_units.csv", t =>
        {
            t.Write(PatrolUnitsHeader + "\n");
            foreach (var u in dataset.PatrolUnits) t.Write($"{u.Code},{u.DepartmentCode},{u.Name},{u.DeviceKey}\n");
        });
        WriteText(directory, "gps_fixes.csv", t => WriteGpsFixes(dataset.GpsFixes, t));
    }

    /// <summary>Reads a dataset written by <see cref="Write"/> (each file plain or .gz).</summary>
    public static SampleDataset Read(string directory)
    {
        var zones = ReadFeatures(directory, "oil_zones.geojson", (g, p) => new OilZone(Str(p, "code"), Str(p, "name"), (MultiPolygon)g));
        var departments = new List<Department>();
        using (var doc = JsonDocument.Parse(ReadAllBytes(directory, "departments.json")))
            foreach (var d in doc.RootElement.EnumerateArray())
                departments.Add(new Department(Str(d, "code"), Str(d, "name"), Str(d, "colour")));
        var jurisdictions = ReadFeatures(directory, "jurisdictions.geojson",
            (g, p) => new Jurisdiction(p.GetProperty("id").GetInt64(), Str(p, "department"), (MultiPolygon)g, ReadVersion(p)));
        var patrolZones = ReadFeatures(directory, "patrol_zones.geojson",
            (g, p) => new PatrolZone(p.GetProperty("id").GetInt64(), Str(p, "code"), Str(p, "department"), Str(p, "name"), (Polygon)g, ReadVersion(p)));
        var wells = ReadFeatures(directory, "wells.geojson", (g, p) => new Well(Str(p, "code"), (Point)g,
            new WellKind(Str(p, "kind")), DomainNames.Parse<WellStatus>(Str(p, "status")), p.GetProperty("key_well").GetBoolean(), Str(p, "oil_zone")));
        var cameras = ReadFeatures(directory, "cameras.geojson", (g, p) => new Camera(Str(p, "code"), (Point)g,
            p.GetProperty("heading_deg").GetDouble(), p.GetProperty("fov_deg").GetDouble(), p.GetProperty("range_m").GetDouble(), NullableStr(p, "well")));
        var sites = ReadFeatures(directory, "idle_sites.geojson", (g, p) => new IdleSite(Str(p, "code"), Str(p, "name"),
            new IdleSiteKind(Str(p, "kind")), (Polygon)g, DomainNames.Parse<IdleSiteStatus>(Str(p, "status")),
            ReadDate(p, "encroached_on"), ReadDate(p, "reclaimed_on")));
        var routes = ReadFeatures(directory, "patrol_routes.geojson", (g, p) => new PatrolRoute(Str(p, "code"), Str(p, "department"), Str(p, "name"), (LineString)g));
        var basemap = ReadFeatures(directory, "basemap.geojson", (g, p) => new BasemapFeature(DomainNames.Parse<BasemapLayer>(Str(p, "layer")),
            NullableStr(p, "name"), NullableStr(p, "kind"), g));
        // The road network (not in samples written before it existed).
        var roads = File.Exists(Path.Combine(directory, "roads.geojson")) || File.Exists(Path.Combine(directory, "roads.geojson.gz"))
            ? ReadFeatures(directory, "roads.geojson", (g, p) => new RoadLine(NullableStr(p, "name"), Str(p, "kind"), (LineString)g))
            : [];
        List<Incident> incidents;
        using (var reader = OpenText(directory, "incidents.csv")) incidents = ReadIncidents(reader).ToList();
        List<PatrolUnit> units;
        using (var reader = OpenText(directory, "patrol_units.csv"))
            units = CsvRows(reader, PatrolUnitsHeader, f => new PatrolUnit(f.Text(0).ToString(), f.Text(1).ToString(), f.Text(2).ToString(), f.Text(3).ToString())).ToList();
        List<GpsFix> fixes;
        using (var reader = OpenText(directory, "gps_fixes.csv")) fixes = ReadGpsFixes(reader).ToList();
        return new SampleDataset(zones, departments, jurisdictions, patrolZones, wells, cameras, sites, incidents, units, fixes, routes, basemap, roads);
    }

    /// <summary>Writes incidents as CSV (<see cref="IncidentsHeader"/>), streaming.</summary>
    public static void WriteIncidents(IEnumerable<Incident> incidents, TextWriter writer)
    {
        writer.Write(IncidentsHeader + "\n");
        foreach (var i in incidents)
        {
            writer.Write(string.Create(Inv, $"{i.Code},{i.Location.X},{i.Location.Y},{i.OccurredAt.ToString(TimeFormat, Inv)},{i.Kind.Code},"));
            writer.Write(string.Create(Inv, $"{i.DiscoveredAt?.ToString(TimeFormat, Inv)},{DomainNames.ToName(i.DiscoveredBy)},{i.OilRecoveredT},{DomainNames.ToName(i.Status)}\n"));
        }
    }

    /// <summary>Reads incidents CSV written by <see cref="WriteIncidents"/>, streaming.</summary>
    public static IEnumerable<Incident> ReadIncidents(TextReader reader)
    {
        var kinds = new Dictionary<string, IncidentKind>(StringComparer.Ordinal);
        return CsvRows(reader, IncidentsHeader, f =>
        {
            var code = f.Text(4).ToString();
            if (!kinds.TryGetValue(code, out var kind)) kinds[code] = kind = new IncidentKind(code);
            return new Incident(f.Text(0).ToString(), kind, ParseTime(f.Text(3)), f.Text(5).IsEmpty ? null : ParseTime(f.Text(5)),
                DomainNames.Parse<DiscoverySource>(f.Text(6).ToString()), Geo.PublicFactory.CreatePoint(new Coordinate(ParseDouble(f.Text(1)), ParseDouble(f.Text(2)))),
                ParseDouble(f.Text(7)), DomainNames.Parse<IncidentStatus>(f.Text(8).ToString()));
        });
    }

    /// <summary>Writes GPS fixes as CSV (<see cref="GpsFixesHeader"/>), streaming.</summary>
    public static void WriteGpsFixes(IEnumerable<GpsFix> fixes, TextWriter writer)
    {
        writer.Write(GpsFixesHeader + "\n");
        foreach (var f in fixes)
            writer.Write(string.Create(Inv, $"{f.UnitCode},{f.Time.ToString(TimeFormat, Inv)},{f.Lon},{f.Lat},{f.SpeedKmh},{f.Bearing}\n"));
    }

    /// <summary>Reads GPS fixes CSV written by <see cref="WriteGpsFixes"/>, streaming.</summary>
    public static IEnumerable<GpsFix> ReadGpsFixes(TextReader reader)
    {
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        return CsvRows(reader, GpsFixesHeader, f =>
        {
            var unit = f.Text(0).ToString();
            unit = units.TryGetValue(unit, out var known) ? known : units[unit] = unit;
            return new GpsFix(unit, ParseTime(f.Text(1)), ParseDouble(f.Text(2)), ParseDouble(f.Text(3)),
                f.Text(4).IsEmpty ? null : ParseDouble(f.Text(4)), f.Text(5).IsEmpty ? null : ParseDouble(f.Text(5)));
        });
    }

    /// <summary>Opens a text file for reading, decompressing when its name ends in .gz.</summary>
    public static TextReader OpenRead(string path)
    {
        Stream s = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) s = new GZipStream(s, CompressionMode.Decompress);
        return new StreamReader(s, Utf8);
    }

    /// <summary>Creates a text file for writing, compressing when its name ends in .gz.</summary>
    public static TextWriter OpenWrite(string path)
    {
        Stream s = File.Create(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) s = new GZipStream(s, CompressionLevel.SmallestSize);
        return new StreamWriter(s, Utf8, 1 << 16);
    }

    // ---------------------------------------------------------------- helpers

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.Converters.Add(new GeoJsonConverterFactory(Geo.PublicFactory));
        return options;
    }

    private static void Features<T>(Utf8JsonWriter w, IEnumerable<T> items, Func<T, Geometry> geometry, Action<Utf8JsonWriter, T> properties)
    {
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        foreach (var item in items)
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WritePropertyName("geometry");
            JsonSerializer.Serialize(w, geometry(item), GeoJson);
            w.WriteStartObject("properties");
            properties(w, item);
            w.WriteEndObject();
            w.WriteEndObject();
            w.Flush();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Version(Utf8JsonWriter p, VersionInfo v)
    {
        p.WriteString("valid_from", v.ValidFrom.ToString(TimeFormat, Inv));
        if (v.ValidTo is { } to) p.WriteString("valid_to", to.ToString(TimeFormat, Inv)); else p.WriteNull("valid_to");
        p.WriteString("edited_by", v.EditedBy);
        p.WriteString("reason", v.Reason);
    }

    private static VersionInfo ReadVersion(JsonElement p) => new(ParseTime(Str(p, "valid_from")),
        NullableStr(p, "valid_to") is { } to ? ParseTime(to) : null, Str(p, "edited_by"), Str(p, "reason"));

    private static void WriteDate(Utf8JsonWriter p, string name, DateOnly? d)
    {
        if (d is { } v) p.WriteString(name, v.ToString(DateFormat, Inv)); else p.WriteNull(name);
    }

    private static DateOnly? ReadDate(JsonElement p, string name) =>
        NullableStr(p, name) is { } s ? DateOnly.ParseExact(s, DateFormat, Inv) : null;

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString()
        ?? throw new FormatException($"Property '{name}' is null.");

    private static string? NullableStr(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset ParseTime(ReadOnlySpan<char> s) => DateTimeOffset.ParseExact(s, TimeFormat, Inv, DateTimeStyles.None);

    private static DateTimeOffset ParseTime(string s) => ParseTime(s.AsSpan());

    private static double ParseDouble(ReadOnlySpan<char> s) => double.Parse(s, NumberStyles.Float, Inv);

    private static void WriteLayer(string directory, string name, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) write(w);
        Save(directory, name, buffer);
    }

    private static void WriteText(string directory, string name, Action<TextWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var t = new StreamWriter(buffer, Utf8, 1 << 16, leaveOpen: true)) write(t);
        Save(directory, name, buffer);
    }

    private static void Save(string directory, string name, MemoryStream buffer)
    {
        var plain = Path.Combine(directory, name);
        var gz = plain + ".gz";
        File.Delete(plain);
        File.Delete(gz);
        buffer.Position = 0;
        if (buffer.Length > GzipThresholdBytes)
        {
            using var file = File.Create(gz);
            using var zip = new GZipStream(file, CompressionLevel.SmallestSize);
            buffer.CopyTo(zip);
        }
        else
        {
            using var file = File.Create(plain);
            buffer.CopyTo(file);
        }
    }

    private static string Resolve(string directory, string name)
    {
        var plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        if (File.Exists(plain + ".gz")) return plain + ".gz";
        throw new FileNotFoundException($"Neither {name} nor {name}.gz in {directory}.", plain);
    }

    private static TextReader OpenText(string directory, string name) => OpenRead(Resolve(directory, name));

    private static byte[] ReadAllBytes(string directory, string name)
    {
        var path = Resolve(directory, name);
        using Stream file = File.OpenRead(path);
        using var s = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static List<T> ReadFeatures<T>(string directory, string name, Func<Geometry, JsonElement, T> create)
    {
        using var doc = JsonDocument.Parse(ReadAllBytes(directory, name));
        var list = new List<T>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var g = f.GetProperty("geometry").Deserialize<Geometry>(GeoJson) ?? throw new FormatException($"{name}: feature without geometry.");
            list.Add(create(g, f.GetProperty("properties")));
        }
        return list;
    }

    /// <summary>
    /// The rows of a CSV written by this class, through the one tabular reader (<see cref="TabularReader"/>: separators, quotes and
    /// trimming by its rules); the header must be <paramref name="header"/> exactly.
    /// </summary>
    private static IEnumerable<T> CsvRows<T>(TextReader text, string header, Func<TabularReader, T> create)
    {
        using var reader = TabularReader.OpenCsv(text, "CSV");
        if (string.Join(',', reader.Header) != header)
            throw new FormatException($"Expected CSV header '{header}', found '{string.Join(',', reader.Header)}'.");
        while (reader.Read()) yield return create(reader);
    }
}
