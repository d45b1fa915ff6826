using System.CommandLine;
using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Cli;

/// <summary>A mistake of the user (missing option, unknown name): printed as one line, exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary>The shell shared by all verbs: the global <c>--db</c> option, output writers, and error handling at the top.</summary>
public static class CliApp
{
    /// <summary>
    /// The global <c>--db</c> option: an Npgsql connection string; when absent, the MAPCONTROL_DB environment variable
    /// (read when needed rather than as a default value, so that help never prints the password).
    /// </summary>
    public static readonly Option<string?> Db = new("--db")
    {
        Description = $"PostGIS connection string (default: ${MapControlDatabase.EnvironmentVariable})",
        Recursive = true,
    };

    /// <summary>The root command with the global options and the given verbs.</summary>
    public static RootCommand CreateRoot(IEnumerable<Command> verbs)
    {
        var root = new RootCommand("mapcontrol — oilfield security one-map: database, import/export, analyses");
        root.Options.Add(Db);
        foreach (var verb in verbs)
            root.Subcommands.Add(verb);
        return root;
    }

    /// <summary>Parses and runs; any failure becomes one line on <paramref name="error"/> and a non-zero exit code.</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (message, code) = Describe(e);
            await error.WriteLineAsync($"mapcontrol: error: {message}").ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>Where a verb writes its results.</summary>
    public static TextWriter Out(ParseResult parseResult) => parseResult.InvocationConfiguration.Output;

    /// <summary>Where a verb writes progress and warnings.</summary>
    public static TextWriter Err(ParseResult parseResult) => parseResult.InvocationConfiguration.Error;

    /// <summary>A data source for <c>--db</c>.</summary>
    /// <exception cref="CliException">No connection string was given.</exception>
    public static NpgsqlDataSource OpenDatabase(ParseResult parseResult)
    {
        var connectionString = parseResult.GetValue(Db) ?? Environment.GetEnvironmentVariable(MapControlDatabase.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new CliException($"no database: pass --db \"Host=…;Port=…;Username=…;Password=…;Database=…\" or set {MapControlDatabase.EnvironmentVariable}");
        try
        {
            return MapControlDatabase.CreateDataSource(connectionString, TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException e)
        {
            throw new CliException($"bad connection string: {e.Message}");
        }
    }

    private static (string Message, int Code) Describe(Exception e) => e switch
    {
        PostgresException pg => (pg.Detail is { Length: > 0 } detail && !detail.StartsWith("Detail redacted", StringComparison.Ordinal)
            ? $"{pg.MessageText} ({detail})" : pg.MessageText, 1),
        NpgsqlException npgsql => (npgsql.InnerException is { } inner and not NpgsqlException ? $"{npgsql.Message}: {inner.Message}" : npgsql.Message, 1),
        OperationCanceledException => ("cancelled", 130),
        IOException or UnauthorizedAccessException => (e.Message, 1),
        CliException or MigrationException or ConcurrencyException or ArgumentException or FormatException
            or InvalidOperationException => (e.Message, 1),
        _ => ($"{e.GetType().Name}: {e.Message}", 1),
    };
}
