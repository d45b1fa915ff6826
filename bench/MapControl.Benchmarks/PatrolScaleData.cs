using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Benchmarks;

/// <summary>
/// The patrol-coverage scale workload of issue 16: 200 jurisdictions of ~2,000 vertices (the 20 × 10 tiling of
/// <see cref="BenchData.Frame"/>), patrol units driving the 800 m road grid at 1 Hz, 1,000 fixes per unit (one track
/// each), five units per department, r = 300 m. <c>fixes</c> = 10⁶ gives 1,000 tracks; 10⁵ gives 100.
/// </summary>
public sealed class PatrolScaleData
{
    public required IReadOnlyDictionary<string, Geometry> Jurisdictions { get; init; }

    public required IReadOnlyList<PatrolUnit> Units { get; init; }

    public required IReadOnlyList<GpsFix> Fixes { get; init; }

    /// <summary>Fixes per unit (= per track).</summary>
    public const int FixesPerUnit = 1000;

    public static PatrolScaleData Create(int fixes, int cols = 20, int rows = 10, int verticesPerEdge = 500)
    {
        var tiling = BenchData.JitteredTiling(BenchData.Frame, cols, rows, verticesPerEdge, BenchData.Seed);
        var jurisdictions = new SortedDictionary<string, Geometry>(StringComparer.Ordinal);
        for (var i = 0; i < tiling.Count; i++) jurisdictions[$"J{i:000}"] = tiling[i];
        var unitCount = Math.Max(1, fixes / FixesPerUnit);
        var codes = jurisdictions.Keys.ToList();
        // Units spread over the departments: unit i belongs to department (i · 37) mod n, so a small fleet is not
        // bunched in the first rows of the tiling.
        var units = Enumerable.Range(0, unitCount)
            .Select(i => new PatrolUnit($"U{i:0000}", codes[(int)((long)i * 37 % codes.Count)], $"Unit {i}", $"dev{i}")).ToList();
        var gps = BenchData.MakePatrols(units, jurisdictions, unitCount * FixesPerUnit, BenchData.Seed + 16);
        return new PatrolScaleData { Jurisdictions = jurisdictions, Units = units, Fixes = gps };
    }
}

/// <summary>Writes the scale workload as the files the CLI reads (patrol-scale-files DIR [fixes]).</summary>
public static class PatrolScaleFiles
{
    public static void Write(string directory, int fixes) => Write(directory, PatrolScaleData.Create(fixes));

    public static void Write(string directory, PatrolScaleData data)
    {
        Directory.CreateDirectory(directory);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        using (var w = new StreamWriter(Path.Combine(directory, "jurisdictions.geojson")))
        {
            w.Write("{\"type\":\"FeatureCollection\",\"features\":[");
            var first = true;
            foreach (var (code, geometry) in data.Jurisdictions)
            {
                if (!first) w.Write(',');
                first = false;
                w.Write("{\"type\":\"Feature\",\"properties\":{\"department\":\"" + code + "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
                var coordinates = ((Polygon)geometry).ExteriorRing.Coordinates;
                for (var k = 0; k < coordinates.Length; k++)
                {
                    if (k > 0) w.Write(',');
                    w.Write(string.Create(inv, $"[{coordinates[k].X:R},{coordinates[k].Y:R}]"));
                }

                w.Write("]]}}");
            }

            w.Write("]}");
        }

        var departments = data.Units.ToDictionary(u => u.Code, u => u.DepartmentCode, StringComparer.Ordinal);
        using (var w = new StreamWriter(Path.Combine(directory, "tracks.csv")))
        {
            w.WriteLine("unit,time,lon,lat,department");
            foreach (var f in data.Fixes)
                w.WriteLine(string.Create(inv, $"{f.UnitCode},{f.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{f.Lon:F7},{f.Lat:F7},{departments[f.UnitCode]}"));
        }

        Console.WriteLine($"wrote {data.Jurisdictions.Count} jurisdictions and {data.Fixes.Count:N0} fixes of {data.Units.Count} units to {directory}");
    }
}
