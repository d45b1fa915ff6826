using nietras.SeparatedValues;
using BenchmarkDotNet.Running;
using MapControl.Benchmarks;

// Default: the Stopwatch harness that runs MapControl and its peers side by side (bench/run.sh).
// "bdn": BenchmarkDotNet over the MapControl side only (e.g. dotnet run -c Release -- bdn --filter '*').
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(AnalysisBenchmarks).Assembly).Run(args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "redraw-impact")
{
    return RedrawImpactBench.Run(args.Length > 1 ? args[1] : ".", args.Length > 2 ? args[2] : "bench/results/redraw-impact.md");
}

if (args.Length > 0 && args[0] == "cli-import-files")
{
    CliFiles.WriteImportLedgers(args.Length > 1 ? args[1] : "bench/.cli", args.Contains("--quick") ? BenchSizes.QuickRun : BenchSizes.Full);
    return 0;
}

if (args.Length > 0 && args[0] == "cli-files")
{
    CliFiles.Write(args.Length > 1 ? args[1] : "bench/.cli", args.Contains("--quick") ? BenchSizes.QuickRun : BenchSizes.Full);
    return 0;
}

if (args.Length > 1 && args[0] == "read-incidents")
{
    for (var run = 0; run < 3; run++)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var file = MapControl.Data.Files.IncidentFiles.Read(args[1]);
        Console.Error.WriteLine($"read {file.Points.Count:N0} in {clock.ElapsedMilliseconds} ms ({file.Description}); first {string.Join("; ", file.Points.Take(3))}");
    }
    return 0;
}

if (args.Length > 1 && args[0] == "csv-breakdown")
{
    for (var run = 0; run < 3; run++)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var bytes = File.ReadAllBytes(args[1]);
        var tRead = clock.ElapsedMilliseconds;
        var valid = System.Text.Unicode.Utf8.IsValid(bytes);
        var tValid = clock.ElapsedMilliseconds;
        using (var r = new nietras.SeparatedValues.SepReaderOptions(null) { HasHeader = true, Unescape = true, Trim = nietras.SeparatedValues.SepTrim.All, DisableColCountCheck = true }.From(bytes))
        {
            var n = 0; foreach (var row in r) n += row.ColCount;
        }
        var tSep = clock.ElapsedMilliseconds;
        double sum = 0; long ticks = 0;
        using (var r = new nietras.SeparatedValues.SepReaderOptions(null) { HasHeader = true, Unescape = true, Trim = nietras.SeparatedValues.SepTrim.All, DisableColCountCheck = true }.From(bytes))
        {
            foreach (var row in r) { sum += row[1].Parse<double>() + row[2].Parse<double>(); }
        }
        var tNum = clock.ElapsedMilliseconds;
        using (var r = new nietras.SeparatedValues.SepReaderOptions(null) { HasHeader = true, Unescape = true, Trim = nietras.SeparatedValues.SepTrim.All, DisableColCountCheck = true }.From(bytes))
        {
            foreach (var row in r) { MapControl.Data.Files.TimeText.TryParse(row[3].Span, out var t); ticks += t.UtcTicks; }
        }
        var tTime = clock.ElapsedMilliseconds;
        var kinds = 0;
        using (var tr = MapControl.Data.Files.TabularReader.Open(args[1]))
        {
            while (tr.Read()) { tr.TryNumber(1, out var a); tr.TryNumber(2, out var b); tr.TryTime(3, out var t); kinds += tr.Text(4).Length; }
        }
        var tTab = clock.ElapsedMilliseconds;
        Console.Error.WriteLine($"readAll {tRead} valid {tValid - tRead} sep {tSep - tValid} numbers {tNum - tSep} time {tTime - tNum} tabular {tTab - tTime} ms ({valid} {sum} {ticks} {kinds})");
    }
    return 0;
}

if (args.Length > 0 && args[0] == "coverage-only")
{
    Profiling.CoverageOnly(args.Contains("--quick") ? BenchSizes.QuickRun : BenchSizes.Full, int.TryParse(Environment.GetEnvironmentVariable("RUNS"), out var n) ? n : 7);
    return 0;
}

if (args.Length > 0 && args[0] == "index-only")
{
    Profiling.IndexOnly(BenchSizes.Full, 9);
    return 0;
}

if (args.Length > 0 && args[0] == "profile-coverage")
{
    Profiling.Coverage(args.Contains("--quick") ? BenchSizes.QuickRun : BenchSizes.Full);
    return 0;
}

if (args.Length > 1 && args[0] == "patrol-scale-files")
{
    PatrolScaleFiles.Write(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return 0;
}

if (args.Length > 1 && args[0] == "read-file")
{
    var sw = System.Diagnostics.Stopwatch.StartNew();
    var set = MapControl.Data.Files.FeatureFiles.Read(args[1]);
    Console.WriteLine($"{set.Features.Count} features in {sw.ElapsedMilliseconds} ms");
    return 0;
}

if (args.Length > 0 && args[0] == "patrol-days")
{
    // patrol-days --pg ADMIN_CS [--units 500] [--days 30] [--db NAME] [--out FILE] [--keep] [--reuse] [--trace] [--no-plain]: a database of its own, dropped
    // at the end unless --keep; --reuse skips building it when it exists with the same units and days.
    string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var table = await PatrolDaysBench.RunAsync(Arg("--pg") ?? throw new ArgumentException("--pg"), int.Parse(Arg("--units") ?? "500", System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(Arg("--days") ?? "30", System.Globalization.CultureInfo.InvariantCulture), Arg("--db") ?? "mc_bench_patrol_days",
        args.Contains("--keep"), args.Contains("--reuse"), args.Contains("--trace"), !args.Contains("--no-plain")).ConfigureAwait(false);
    Console.WriteLine(table);
    if (Arg("--out") is { } outFile) await File.WriteAllTextAsync(outFile, table).ConfigureAwait(false);
    return 0;
}

if (args.Length > 0 && args[0] == "plot")
{
    // plot TSV OUT_PREFIX TITLE [NOTES]: the table and the two log–log plots of a measured TSV (operation, size, wall_ms, cpu_ms,
    // peak_mb), e.g. bench/interop/endpoint-growth.sh's.
    if (args.Length < 4) { Console.Error.WriteLine("usage: plot TSV OUT_PREFIX TITLE [NOTES]"); return 2; }
    return await Growth.PlotFileAsync(args[1], args[2], args[3], args.Length > 4 ? args[4] : "").ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "growth")
{
    // growth [--sizes 100000,1000000,10000000] [--only assign,hotspots,patrol-coverage,gps-read,gaps] [--out DIR] [--work DIR]
    string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var sizes = (Arg("--sizes") ?? "100000,1000000,10000000").Split(',').Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    var only = Arg("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
    return await Growth.RunAsync(sizes, only, Arg("--out") ?? "bench/results", Arg("--work") ?? Path.Combine(Path.GetTempPath(), "mapcontrol-growth")).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "patrol-scale-bench")
{
    // patrol-scale-bench [--pg CS] [--cli path/to/mapcontrol] [--cli-before path/to/previous/mapcontrol or mapcontrol.dll] [--work DIR] [--out FILE] [--sizes 100000,1000000]
    string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var sizes = (Arg("--sizes") ?? "100000,1000000").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    var table = await PatrolScaleBench.RunAsync(Arg("--pg"), Arg("--cli"), Arg("--work") ?? Path.Combine(Path.GetTempPath(), "mapcontrol-bench"), sizes, Arg("--cli-before")).ConfigureAwait(false);
    Console.WriteLine(table);
    if (Arg("--out") is { } outFile) await File.WriteAllTextAsync(outFile, table).ConfigureAwait(false);
    return 0;
}

if (args.Length > 0 && args[0] == "patrol-speed-lab")
{
    PatrolSpeedLab.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, args.Length > 2 ? args[2] : "all");
    return 0;
}

if (args.Length > 1 && args[0] == "write-lab")
{
    // write-lab FILE.geojson [ROUNDS]: the features of a GeoJSON file written again (to /dev/null), time and bytes allocated per round.
    var set = MapControl.Data.Files.FeatureFiles.Read(args[1]);
    for (var round = 0; round < (args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5); round++)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var w = System.Diagnostics.Stopwatch.StartNew();
        using (var sink = File.OpenWrite("/dev/null")) MapControl.Data.Files.GeoJsonFormat.Write(sink, set.Features);
        Console.WriteLine($"round {round}: {w.Elapsed.TotalMilliseconds:F1} ms, {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0:F1} MB allocated ({set.Features.Count} features, {set.Features.Sum(f => f.Geometry.NumPoints)} vertices)");
    }
    return 0;
}

if (args.Length > 1 && args[0] == "validity-lab")
{
    // validity-lab FILE.geojson [ROUNDS]: FastValidity.IsCertainlyValid over every feature, in lon/lat and projected, timed per round.
    var set = MapControl.Data.Files.FeatureFiles.Read(args[1]);
    var projection = MapControl.Core.Crs.MetricProjection.Dongying;
    var metric = set.Features.Select(f => projection.Forward(f.Geometry)).ToList();
    for (var round = 0; round < (args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10); round++)
    {
        var w = System.Diagnostics.Stopwatch.StartNew();
        var valid = set.Features.Count(f => MapControl.Core.Spatial.FastValidity.IsCertainlyValid(f.Geometry));
        var lonLat = w.Elapsed.TotalMilliseconds;
        valid += metric.Count(MapControl.Core.Spatial.FastValidity.IsCertainlyValid);
        var checks = w.Elapsed.TotalMilliseconds;
        var projected = set.Features.Sum(f => projection.Forward(f.Geometry).NumPoints);
        Console.WriteLine($"round {round}: lon/lat {lonLat:F1} ms, metric {checks - lonLat:F1} ms ({valid} certainly valid of {2 * metric.Count}); projection {w.Elapsed.TotalMilliseconds - checks:F1} ms ({projected} vertices)");
    }
    return 0;
}

if (args.Length > 1 && args[0] == "read-lab")
{
    // read-lab FILE.geojson [ROUNDS]: GeoJSON parse (even rounds with the coordinates scanned from the bytes, odd ones by the reader) and the builder's checks, timed apart.
    for (var round = 0; round < (args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4); round++)
    {
        var w = System.Diagnostics.Stopwatch.StartNew();
        var bytes = File.ReadAllBytes(args[1]);
        var read = w.Elapsed.TotalMilliseconds;
        var scan = round % 2 == 0;
        var (features, _, _, _) = MapControl.Data.Files.GeoJsonFormat.Parse(bytes, args[1], scanCoordinates: scan);
        var parse = w.Elapsed.TotalMilliseconds - read;
        var builder = new MapControl.Data.Files.FeatureSetBuilder(args[1], "GeoJSON", MapControl.Core.Crs.CrsRegistry.Get(4326), new MapControl.Data.Files.FeatureReadOptions());
        builder.AddAll(features);
        var check = w.Elapsed.TotalMilliseconds - read - parse;
        Console.WriteLine($"round {round}: file {read:F0} ms, parse {parse:F0} ms, checks {check:F0} ms ({features.Count} features, scan {scan})");
    }
    return 0;
}

if (args.Length > 0 && args[0] == "patrol-repeat-lab")
{
    PatrolRepeatLab.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return 0;
}

if (args.Length > 2 && args[0] == "patrol-days-lab")
{
    // patrol-days-lab UNITS DAYS [vector|vector0|field,...]: the first method is the reference of the others' differences.
    PatrolDaysLab.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture),
        args.Length > 3 ? args[3] : "vector");
    return 0;
}

if (args.Length > 0 && args[0] == "patrol-lab")
{
    PatrolLab.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return 0;
}

if (args.Length > 0 && args[0] == "union-experiment")
{
    UnionExperiment.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return 0;
}

if (args.Length > 0 && args[0] == "patrol-scale")
{
    // patrol-scale [fixes] [runs] [--strips] [--simplify-m T] [--quadrant-segments N]
    var rest = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
    double OptionAfter(string name, double fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    PatrolScaleProfiling.Run(rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000,
        rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 3, args.Contains("--strips"),
        OptionAfter("--simplify-m", 5), (int)OptionAfter("--quadrant-segments", 8));
    return 0;
}

return await Harness.RunAsync(HarnessOptions.Parse(args)).ConfigureAwait(false);
