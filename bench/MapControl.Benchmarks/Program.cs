using BenchmarkDotNet.Running;
using MapControl.Benchmarks;

// Default: the Stopwatch harness that runs MapControl and its peers side by side (bench/run.sh).
// "bdn": BenchmarkDotNet over the MapControl side only (e.g. dotnet run -c Release -- bdn --filter '*').
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(AnalysisBenchmarks).Assembly).Run(args[1..]);
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

return await Harness.RunAsync(HarnessOptions.Parse(args)).ConfigureAwait(false);
