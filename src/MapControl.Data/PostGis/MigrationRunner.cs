using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace MapControl.Data.PostGis;

/// <summary>One numbered SQL migration (e.g. <c>0001_schema.sql</c>).</summary>
/// <param name="Version">The number at the start of the file name.</param>
/// <param name="Name">The file name without number and extension (e.g. <c>schema</c>).</param>
/// <param name="Sql">The SQL text.</param>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 (hex) of the SQL text with line endings normalised to LF.</summary>
    public string Checksum => ComputeChecksum(Sql);

    /// <summary>The migration as its file is named, e.g. <c>0001_schema</c>.</summary>
    public override string ToString() => $"{Version:D4}_{Name}";

    internal static string ComputeChecksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.Replace("\r\n", "\n"))));
}

/// <summary>A migration that cannot be applied safely (changed after it was applied, unknown to this build, or failed).</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The outcome of a migration run.</summary>
/// <param name="Applied">Migrations applied by this run, in order.</param>
/// <param name="AlreadyApplied">Migrations found applied before this run.</param>
public sealed record MigrationResult(IReadOnlyList<Migration> Applied, IReadOnlyList<Migration> AlreadyApplied);

/// <summary>Applies the embedded <c>PostGis/Migrations/NNNN_name.sql</c> files in order, each in its own transaction, recorded in <c>schema_migrations</c>.</summary>
public static partial class MigrationRunner
{
    /// <summary>The key of the session advisory lock held while migrating, so that two processes never migrate at once.</summary>
    public const long AdvisoryLockKey = 0x4D6170436F6E7472; // "MapContr"

    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     integer PRIMARY KEY,
            name        text NOT NULL,
            checksum    text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;
    private const string SelectAppliedSql = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
    private const string InsertAppliedSql = "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)";

    /// <summary>The migrations embedded in this assembly, ordered by version.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>Applies every embedded migration not yet applied; a no-op when the database is up to date.</summary>
    /// <exception cref="MigrationException">An applied migration's checksum changed, the database has a migration this build does not know, or a migration failed.</exception>
    public static Task<MigrationResult> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        MigrateAsync(dataSource, Embedded, cancellationToken);

    /// <summary>Applies the given migrations (tests use this with their own list).</summary>
    internal static async Task<MigrationResult> MigrateAsync(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations,
        CancellationToken cancellationToken)
    {
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new MigrationException($"Two migrations have version {duplicate.Key}: {string.Join(", ", duplicate)}.");

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, CreateTableSql, cancellationToken).ConfigureAwait(false);
            var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            var known = migrations.ToDictionary(m => m.Version);
            var alreadyApplied = new List<Migration>();
            foreach (var (version, (name, checksum)) in applied)
            {
                if (!known.TryGetValue(version, out var migration))
                    throw new MigrationException(
                        $"The database has migration {version:D4}_{name}, which this build does not know; use a newer build.");
                if (!string.Equals(migration.Checksum, checksum, StringComparison.OrdinalIgnoreCase))
                    throw new MigrationException(
                        $"Migration {migration} was changed after it was applied (checksum {checksum[..12]}… in the database, {migration.Checksum[..12]}… now); add a new migration instead of editing an applied one.");
                alreadyApplied.Add(migration);
            }

            var done = new List<Migration>();
            foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)).OrderBy(m => m.Version))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e)
                {
                    throw new MigrationException($"Migration {migration} failed: {e.MessageText}", e);
                }
                await using (var record = new NpgsqlCommand(InsertAppliedSql, connection))
                {
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Checksum });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                done.Add(migration);
            }

            // A migration may have created types (e.g. the postgis extension): pooled connections must see them.
            if (done.Count > 0)
                await connection.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
            return new MigrationResult(done, alreadyApplied);
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Versions recorded in <c>schema_migrations</c>, or an empty list when the table does not exist yet.</summary>
    public static async Task<IReadOnlyList<int>> GetAppliedVersionsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            return [];
        return (await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false)).Keys.ToList();
    }

    private static async Task<SortedDictionary<int, (string Name, string Checksum)>> ReadAppliedAsync(NpgsqlConnection connection,
        CancellationToken cancellationToken)
    {
        var applied = new SortedDictionary<int, (string, string)>();
        await using var command = new NpgsqlCommand(SelectAppliedSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value, reader.ReadToEnd()));
        }
        return migrations.OrderBy(m => m.Version).ToList();
    }

    [GeneratedRegex(@"\.PostGis\.Migrations\.(?<version>\d+)_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
