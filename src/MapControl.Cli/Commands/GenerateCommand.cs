using System.Globalization;
using MapControl.Data.Seeding;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol generate</c>: writes the deterministic sample oilfield (DESIGN §7) as files.</summary>
public static class GenerateCommand
{
    /// <summary>Generates the sample at <paramref name="size"/> with <paramref name="seed"/> into <paramref name="outDir"/>; 0 on success.</summary>
    public static int Run(string outDir, double size, int seed)
    {
        try
        {
            var dataset = SampleOilfieldGenerator.Generate(new SampleOptions(seed, size));
            SampleDatasetFiles.Write(dataset, outDir);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c,
                $"sample seed={seed} size={size}: {dataset.OilZones.Count} oil zones, {dataset.Departments.Count} departments, " +
                $"{dataset.Jurisdictions.Count} jurisdiction versions, {dataset.PatrolZones.Count} patrol zones, {dataset.Wells.Count} wells " +
                $"({dataset.Wells.Count(w => w.IsKeyWell)} key), {dataset.Cameras.Count} cameras, {dataset.IdleSites.Count} idle sites, " +
                $"{dataset.Incidents.Count} incidents, {dataset.PatrolUnits.Count} patrol units, {dataset.GpsFixes.Count} GPS fixes, " +
                $"{dataset.PatrolRoutes.Count} routes, {dataset.Basemap.Count} basemap features"));
            foreach (var file in new DirectoryInfo(outDir).GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
                Console.WriteLine(string.Create(c, $"  {file.Name,-28} {file.Length,12:N0} bytes"));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"generate: {e.Message}");
            return 1;
        }
    }
}
