using System.CommandLine;
using MapControl.Cli.Commands;

namespace MapControl.Cli;

/// <summary><c>mapcontrol</c>: database, import/export and analyses of the one-map platform.</summary>
public static class Program
{
    /// <summary>The verbs by name; adding a verb is one line here.</summary>
    private static readonly (string Name, Func<Command> Create)[] s_verbs =
    [
        ("migrate", MigrateCommand.Create),
        ("stats", StatsCommand.Create),
        ("users", UsersCommand.Create),
        ("seed", SeedCommand.Create),
        ("generate", GenerateCommand.Create),
        ("import", ImportCommand.Create),
        ("export", ExportCommand.Create),
        ("tiles", TilesCommand.Create),
        ("coverage-check", CoverageCheckCommand.Create),
        ("patrol-coverage", PatrolCoverageCommand.Create),
        ("hotspots", HotspotsCommand.Create),
        ("kpi", KpiCommand.Create),
        ("report", ReportCommand.Create),
    ];

    /// <summary>The whole command tree.</summary>
    internal static RootCommand CreateRoot() => CliApp.CreateRoot(s_verbs.Select(v => v.Create()));

    /// <summary>
    /// The command tree for these arguments: when the first names a verb, that verb alone (building every verb's options and
    /// their help texts costs a run ~20 ms of its start); anything else — help, an option first, a misspelt verb — the whole tree.
    /// </summary>
    internal static RootCommand CreateRoot(string[] args)
    {
        foreach (var (name, create) in s_verbs)
        {
            if (args.Length > 0 && args[0] == name) return CliApp.CreateRoot([create()]);
        }

        return CreateRoot();
    }

    /// <summary>Runs the command line; exit code 0 on success, non-zero with one line on stderr on failure.</summary>
    public static Task<int> Main(string[] args) => CliApp.RunAsync(CreateRoot(args), args, Console.Out, Console.Error);
}
