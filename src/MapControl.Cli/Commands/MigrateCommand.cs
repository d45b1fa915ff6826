using System.CommandLine;
using MapControl.Data.PostGis;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol migrate</c>: applies the schema migrations that the database lacks.</summary>
public static class MigrateCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the schema migrations the database lacks (safe to run again)");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            var result = await MigrationRunner.MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
            var output = CliApp.Out(parseResult);
            foreach (var migration in result.Applied)
                await output.WriteLineAsync($"applied {migration}").ConfigureAwait(false);
            var total = result.Applied.Count + result.AlreadyApplied.Count;
            await output.WriteLineAsync(result.Applied.Count == 0
                ? $"database is up to date ({total} migrations)"
                : $"applied {result.Applied.Count} of {total} migrations").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
