using System.CommandLine;
using MapControl.Cli.Commands;

namespace MapControl.Cli;

/// <summary><c>mapcontrol</c>: database, import/export and analyses of the one-map platform.</summary>
public static class Program
{
    /// <summary>The command tree; adding a verb is one line here.</summary>
    internal static RootCommand CreateRoot() => CliApp.CreateRoot(
    [
        MigrateCommand.Create(),
        StatsCommand.Create(),
        UsersCommand.Create(),
        SeedCommand.Create(),
        GenerateCommand.Create(),
        ImportCommand.Create(),
        ExportCommand.Create(),
        TilesCommand.Create(),
        CoverageCheckCommand.Create(),
        PatrolCoverageCommand.Create(),
        HotspotsCommand.Create(),
        KpiCommand.Create(),
        ReportCommand.Create(),
    ]);

    /// <summary>Runs the command line; exit code 0 on success, non-zero with one line on stderr on failure.</summary>
    public static Task<int> Main(string[] args) => CliApp.RunAsync(CreateRoot(), args, Console.Out, Console.Error);
}
