using System.CommandLine;
using System.Globalization;
using MapControl.Data.Seeding;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol generate</c>: writes the deterministic sample oilfield (DESIGN §7) as files.</summary>
public static class GenerateCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Folder to write the layers to", Required = true };
        var size = new Option<double>("--size") { Description = "Size factor (1 = ~15,000 wells, 8,000 incidents)", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => SampleOptions.DefaultSeed };
        var command = new Command("generate", "Write the deterministic sample oilfield as GeoJSON/CSV files") { outDir, size, seed };
        command.SetAction(parseResult =>
        {
            var s = parseResult.GetValue(size);
            if (s is <= 0 or > 1000) throw new CliException($"--size must be in (0, 1000], not {s.ToString(CultureInfo.InvariantCulture)}");
            Run(parseResult.GetValue(outDir)!, s, parseResult.GetValue(seed), CliApp.Out(parseResult));
            return 0;
        });
        return command;
    }

    /// <summary>Generates the sample at <paramref name="size"/> with <paramref name="seed"/> into <paramref name="outDir"/> and lists the files.</summary>
    public static void Run(string outDir, double size, int seed, TextWriter output)
    {
        var dataset = SampleOilfieldGenerator.Generate(new SampleOptions(seed, size));
        SampleDatasetFiles.Write(dataset, outDir);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c,
            $"sample seed={seed} size={size}: {dataset.OilZones.Count} oil zones, {dataset.Departments.Count} departments, " +
            $"{dataset.Jurisdictions.Count} jurisdiction versions, {dataset.PatrolZones.Count} patrol zones, {dataset.Wells.Count} wells " +
            $"({dataset.Wells.Count(w => w.IsKeyWell)} key), {dataset.Cameras.Count} cameras, {dataset.IdleSites.Count} idle sites, " +
            $"{dataset.Incidents.Count} incidents, {dataset.PatrolUnits.Count} patrol units, {dataset.GpsFixes.Count} GPS fixes, " +
            $"{dataset.PatrolRoutes.Count} routes, {dataset.Basemap.Count} basemap features"));
        foreach (var file in new DirectoryInfo(outDir).GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
            output.WriteLine(string.Create(c, $"  {file.Name,-28} {file.Length,12:N0} bytes"));
    }
}
