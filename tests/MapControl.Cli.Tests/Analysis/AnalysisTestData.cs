using System.Globalization;
using System.Text.Json;
using MapControl.Data.Files;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Cli.Tests.Analysis;

/// <summary>A small oilfield near Dongying with a planted gap and overlap, tracks and incidents; CLI runner and output readers.</summary>
public static class AnalysisTestData
{
    private static readonly WKTReader Reader = new(NtsGeometryServices.Instance.CreateGeometryFactory(4326).GeometryServices);

    public static Geometry Wkt(string wkt)
    {
        var geometry = Reader.Read(wkt);
        geometry.SRID = 4326;
        return geometry;
    }

    // Zones: Z1 118.50..118.60 E × 37.40..37.50 N, Z2 118.60..118.65 × 37.40..37.45.
    public static readonly (string Code, string Wkt)[] Zones =
    [
        ("Z1", "POLYGON ((118.5 37.4, 118.6 37.4, 118.6 37.5, 118.5 37.5, 118.5 37.4))"),
        ("Z2", "POLYGON ((118.6 37.4, 118.65 37.4, 118.65 37.45, 118.6 37.45, 118.6 37.4))"),
    ];

    // A west part; B overlaps A by 0.005° (118.55..118.555) and stops at 37.46 → gap 118.555..118.60 × 37.46..37.50 touching A and B;
    // C covers Z2 and overlaps B's east edge not at all (shares x = 118.60); D is a MultiPolygon outside the zones partly.
    public static readonly (string Department, string Wkt)[] Jurisdictions =
    [
        ("A", "POLYGON ((118.5 37.4, 118.555 37.4, 118.555 37.5, 118.5 37.5, 118.5 37.4))"),
        ("B", "POLYGON ((118.55 37.4, 118.6 37.4, 118.6 37.46, 118.55 37.46, 118.55 37.4))"),
        ("C", "MULTIPOLYGON (((118.6 37.4, 118.65 37.4, 118.65 37.45, 118.6 37.45, 118.6 37.4)), ((118.66 37.4, 118.67 37.4, 118.67 37.41, 118.66 37.41, 118.66 37.4)))"),
    ];

    public static readonly (string Department, string Wkt)[] Tracks =
    [
        ("A", "LINESTRING (118.51 37.41, 118.53 37.45, 118.52 37.49)"),
        ("B", "LINESTRING (118.56 37.405, 118.59 37.43, 118.58 37.455)"),
        ("", "LINESTRING (118.605 37.41, 118.64 37.44)"),
    ];

    public static IReadOnlyList<FeatureRecord> ZoneFeatures() =>
        Zones.Select(z => new FeatureRecord(Wkt(z.Wkt), new Dictionary<string, object?> { ["code"] = z.Code })).ToList();

    public static IReadOnlyList<FeatureRecord> JurisdictionFeatures() =>
        Jurisdictions.Select(j => new FeatureRecord(Wkt(j.Wkt), new Dictionary<string, object?> { ["department"] = j.Department })).ToList();

    public static IReadOnlyList<FeatureRecord> TrackFeatures() =>
        Tracks.Select(t => new FeatureRecord(Wkt(t.Wkt), new Dictionary<string, object?> { ["department"] = t.Department })).ToList();

    /// <summary>Incidents: a dense cluster near 118.53 37.45 and a uniform background, fixed seed; kinds alternate.</summary>
    public static IReadOnlyList<(string Id, double Lon, double Lat, DateTimeOffset At, string Type)> Incidents()
    {
        var random = new Random(20261129);
        var list = new List<(string, double, double, DateTimeOffset, string)>();
        string[] kinds = ["casing_theft", "pipeline_tapping", "equipment_theft"];
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        for (var i = 0; i < 600; i++)
        {
            var clustered = i < 200;
            var lon = clustered ? 118.53 + (random.NextDouble() - 0.5) * 0.01 : 118.5 + random.NextDouble() * 0.15;
            var lat = clustered ? 37.45 + (random.NextDouble() - 0.5) * 0.008 : 37.4 + random.NextDouble() * 0.1;
            list.Add(($"AJ-{i:D4}", lon, lat, t0.AddHours(random.Next(0, 24 * 365)), kinds[i % 3]));
        }
        return list;
    }

    public static string IncidentsCsv() =>
        "id,lon,lat,occurred_at,type\n" + string.Concat(Incidents().Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{i.Id},{i.Lon:R},{i.Lat:R},{i.At:yyyy-MM-dd'T'HH:mm:sszzz},{i.Type}\n")));

    /// <summary>Runs the CLI in-process.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(Program.CreateRoot(args), args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The features of an output GeoJSON: geometry and raw JSON properties.</summary>
    public static IReadOnlyList<(Geometry Geometry, JsonElement Properties)> ReadOutput(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var read = FeatureFiles.Read(path);
        var properties = document.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").Clone()).ToList();
        return read.Features.Select((f, i) => (f.Geometry, properties[i])).ToList();
    }

    public static string[] Departments(JsonElement properties) =>
        properties.GetProperty("departments").EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>A fresh temporary folder.</summary>
    public static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mapcontrol-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
