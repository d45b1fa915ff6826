using System.CommandLine;
using System.Globalization;
using MapControl.Data.PostGis;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol stats</c>: the PostGIS version and the row counts of the main tables.</summary>
public static class StatsCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var command = new Command("stats", "Show the PostGIS version and how many rows the main tables hold");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            var version = await DatabaseStats.GetPostGisVersionAsync(dataSource, cancellationToken).ConfigureAwait(false);
            var counts = await DatabaseStats.GetCountsAsync(dataSource, cancellationToken).ConfigureAwait(false);
            var output = CliApp.Out(parseResult);
            await output.WriteLineAsync($"{"postgis",-14} {version,12}").ConfigureAwait(false);
            foreach (var (name, count) in counts.ToDictionary())
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name,-14} {count,12}")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
