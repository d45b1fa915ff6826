using System.Globalization;
using System.Text;
using MapControl.Core.Labels;
using MapControl.Data.Files;
using MiniExcelLibs;
using NetTopologySuite.Geometries;

namespace MapControl.Benchmarks;

/// <summary>
/// Input files of the whole-process CLI benchmark (bench/cli.sh), from the harness's fixed seeds: the 10⁶ incidents as an
/// English CSV (id,lon,lat,occurred_at,type; codes) and as a Chinese XLSX ledger (案件编号, 经度, 纬度, 发案时间 as date cells,
/// 案件类型 as Chinese labels) with the same content; the 200 defective jurisdictions and their frame as GeoJSON.
/// </summary>
public static class CliFiles
{
    public static void Write(string folder, BenchSizes sizes)
    {
        Directory.CreateDirectory(folder);
        var (_, _, incidents) = BenchData.MakeIncidents(sizes.Incidents, BenchData.Seed + 2);
        var inv = CultureInfo.InvariantCulture;
        var csv = Path.Combine(folder, "incidents.csv");
        using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("id,lon,lat,occurred_at,type\n");
            for (var i = 0; i < incidents.Length; i++)
            {
                var p = incidents[i];
                writer.Write(string.Create(inv, $"AJ-{i + 1:D7},{p.Lon:F7},{p.Lat:F7},{p.OccurredAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd'T'HH:mm:sszzz},{p.Kind.Code}\n"));
            }
        }
        Console.Error.WriteLine($"[cli-files] {csv}: {new FileInfo(csv).Length / 1e6:F1} MB, {incidents.Length:N0} incidents");

        var xlsx = Path.Combine(folder, "incidents.xlsx");
        if (File.Exists(xlsx)) File.Delete(xlsx);
        MiniExcel.SaveAs(xlsx, Rows(incidents));
        Console.Error.WriteLine($"[cli-files] {xlsx}: {new FileInfo(xlsx).Length / 1e6:F1} MB");

        var data = BenchData.Create(sizes with { GpsFixes = 1000 });
        var frame = new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(BenchData.Frame);
        FeatureFiles.WriteGeoJson(Path.Combine(folder, "zones.geojson"), [new FeatureRecord(frame, new Dictionary<string, object?> { ["code"] = "F" })]);
        FeatureFiles.WriteGeoJson(Path.Combine(folder, "jurisdictions.geojson"),
            data.Defective.Select((p, i) => new FeatureRecord(p, new Dictionary<string, object?> { ["department"] = $"D{i:000}" })));
        Console.Error.WriteLine($"[cli-files] jurisdictions.geojson: {new FileInfo(Path.Combine(folder, "jurisdictions.geojson")).Length / 1e6:F1} MB, {data.Defective.Count} × ~{data.Defective.Average(p => p.NumPoints):F0} vertices");
    }

    private static IEnumerable<Dictionary<string, object>> Rows(IReadOnlyList<MapControl.Core.Hotspots.IncidentPoint> incidents)
    {
        var labels = IncidentKinds.Defaults.ToDictionary(t => t.Code, t => t.LabelZh);
        for (var i = 0; i < incidents.Count; i++)
        {
            var p = incidents[i];
            yield return new Dictionary<string, object>
            {
                ["案件编号"] = $"AJ-{i + 1:D7}",
                ["经度"] = Math.Round(p.Lon, 7),
                ["纬度"] = Math.Round(p.Lat, 7),
                ["发案时间"] = p.OccurredAt.ToOffset(TimeSpan.FromHours(8)).DateTime,
                ["案件类型"] = labels[p.Kind.Code],
            };
        }
    }
}
