using System.CommandLine;
using MapControl.Cli.Commands;

namespace MapControl.Cli;

/// <summary><c>mapcontrol</c>: database, import/export and analyses of the one-map platform.</summary>
public static class Program
{
    /// <summary>The verbs by name; adding a verb is one line here (a test checks each name against its command).</summary>
    internal static readonly (string Name, Func<Command> Create)[] Verbs =
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

    /// <summary>
    /// The command tree; given the first argument, only its verb when it names one — a run builds the options of the verb it runs
    /// (the vocabularies of import and users took 20–80 ms of a patrol-coverage run under load), the same parse and help for it.
    /// </summary>
    internal static RootCommand CreateRoot(string? firstArgument = null) => CliApp.CreateRoot(
        Array.Exists(Verbs, v => v.Name == firstArgument)
            ? [Array.Find(Verbs, v => v.Name == firstArgument).Create()]
            : Verbs.Select(v => v.Create()));

    /// <summary>Runs the command line; exit code 0 on success, non-zero with one line on stderr on failure.</summary>
    public static Task<int> Main(string[] args) =>
        CliApp.RunAsync(CreateRoot(args.Length > 0 ? args[0] : null), args, Console.Out, Console.Error);
}
