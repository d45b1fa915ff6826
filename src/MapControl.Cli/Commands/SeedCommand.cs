using System.CommandLine;
using MapControl.Data.PostGis;
using MapControl.Data.Seeding;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol seed</c>: loads the sample oilfield from data/sample into the database, all or nothing.</summary>
public static class SeedCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var dir = new Option<string?>("--dir") { Description = "Folder of the sample dataset (default: data/sample of the repository)" };
        var ifEmpty = new Option<bool>("--if-empty") { Description = "Do nothing when the database already holds data" };
        var command = new Command("seed", "Load the sample oilfield into the database in one transaction") { dir, ifEmpty };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(dir) ?? SampleDataLocator.Find()
                ?? throw new CliException("no sample dataset found: pass --dir (a folder written by 'mapcontrol generate')");
            if (!Directory.Exists(folder)) throw new CliException($"{folder}: no such folder");
            var output = CliApp.Out(parseResult);
            var progress = CliApp.Err(parseResult);
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            if (!await SeedLoader.IsEmptyAsync(dataSource, cancellationToken).ConfigureAwait(false))
            {
                if (parseResult.GetValue(ifEmpty))
                {
                    await output.WriteLineAsync("database already holds data: seed skipped").ConfigureAwait(false);
                    return 0;
                }
                throw new CliException("the database already holds data; seed loads only into an empty database (use --if-empty to skip)");
            }
            await progress.WriteLineAsync($"reading {folder}").ConfigureAwait(false);
            var dataset = SampleDatasetFiles.Read(folder);
            var counts = await SeedLoader.LoadAsync(dataSource, dataset, new Progress<string>(m => progress.WriteLine(m)), cancellationToken)
                .ConfigureAwait(false);
            foreach (var (name, count) in counts.ToDictionary())
                await output.WriteLineAsync($"{name,-14} {count,10:N0}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}

/// <summary>Finds data/sample: in the working folder or above the program's folder (a build output inside the repository).</summary>
internal static class SampleDataLocator
{
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", "sample");
                if (File.Exists(Path.Combine(candidate, "departments.json"))) return candidate;
            }
        }
        return null;
    }
}
