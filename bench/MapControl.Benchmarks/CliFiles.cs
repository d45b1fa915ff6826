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

    /// <summary>
    /// The same 10⁶ incidents as full ledgers for <c>mapcontrol import --layer incidents</c> (which needs the discovery source):
    /// <c>import.csv</c> in English (the sample dataset's incident columns) and <c>import.xlsx</c> in Chinese (案件编号, 经度, 纬度,
    /// 发案时间 and 发现时间 as date cells, 案件类型, 发现方式 and 案件状态 as Chinese labels, 追回油量（吨）); every 10th case without a
    /// discovery time. Same content, so both imports store the same rows.
    /// </summary>
    public static void WriteImportLedgers(string folder, BenchSizes sizes)
    {
        Directory.CreateDirectory(folder);
        var (_, _, incidents) = BenchData.MakeIncidents(sizes.Incidents, BenchData.Seed + 2);
        var inv = CultureInfo.InvariantCulture;
        var csv = Path.Combine(folder, "import.csv");
        using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("id,lon,lat,occurred_at,type,discovered_at,discovered_by,oil_recovered_t,status\n");
            for (var i = 0; i < incidents.Length; i++)
            {
                var p = incidents[i];
                var (found, source, oil, status) = Ledger(i, p.OccurredAt);
                writer.Write(string.Create(inv, $"AJ-{i + 1:D7},{p.Lon:F7},{p.Lat:F7},{p.OccurredAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd'T'HH:mm:sszzz},{p.Kind.Code},"));
                writer.Write(string.Create(inv, $"{found?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", inv)},{source.Code},{oil},{status.Code}\n"));
            }
        }
        Console.Error.WriteLine($"[cli-files] {csv}: {new FileInfo(csv).Length / 1e6:F1} MB");
        var xlsx = Path.Combine(folder, "import.xlsx");
        if (File.Exists(xlsx)) File.Delete(xlsx);
        MiniExcel.SaveAs(xlsx, ImportRows(incidents));
        Console.Error.WriteLine($"[cli-files] {xlsx}: {new FileInfo(xlsx).Length / 1e6:F1} MB");
    }

    private static (DateTimeOffset? Found, VocabularyTerm Source, double Oil, VocabularyTerm Status) Ledger(int i, DateTimeOffset occurred) =>
        (i % 10 == 9 ? null : occurred.AddMinutes(17 + i % 600),
         FieldVocabularies.DiscoverySources.Terms[i % FieldVocabularies.DiscoverySources.Terms.Count],
         i % 4 == 0 ? 0.5 * (i % 7) : 0.0,
         FieldVocabularies.IncidentStatuses.Terms[i % FieldVocabularies.IncidentStatuses.Terms.Count]);

    private static IEnumerable<Dictionary<string, object?>> ImportRows(IReadOnlyList<MapControl.Core.Hotspots.IncidentPoint> incidents)
    {
        var labels = IncidentKinds.Defaults.ToDictionary(t => t.Code, t => t.LabelZh);
        for (var i = 0; i < incidents.Count; i++)
        {
            var p = incidents[i];
            var (found, source, oil, status) = Ledger(i, p.OccurredAt);
            yield return new Dictionary<string, object?>
            {
                ["案件编号"] = $"AJ-{i + 1:D7}",
                ["经度"] = Math.Round(p.Lon, 7),
                ["纬度"] = Math.Round(p.Lat, 7),
                ["发案时间"] = p.OccurredAt.ToOffset(TimeSpan.FromHours(8)).DateTime,
                ["发现时间"] = found?.ToOffset(TimeSpan.FromHours(8)).DateTime,
                ["案件类型"] = labels[p.Kind.Code],
                ["发现方式"] = source.LabelZh,
                ["追回油量（吨）"] = oil,
                ["案件状态"] = status.LabelZh,
            };
        }
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
