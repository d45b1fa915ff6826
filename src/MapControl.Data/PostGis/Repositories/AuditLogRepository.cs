using MapControl.Core.Model;
using Npgsql;
using NpgsqlTypes;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Appends to and reads the audit log (who changed what, with before/after states as JSON).</summary>
public sealed class AuditLogRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, actor, at, action, entity, entity_key, before::text, after::text";
    private const string InsertSql = """
        INSERT INTO audit_log (actor, action, entity, entity_key, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
        RETURNING id
        """;
    private const string SelectRecentSql = $"SELECT {Columns} FROM audit_log ORDER BY id DESC LIMIT $1";
    private const string SelectForEntitySql =
        $"SELECT {Columns} FROM audit_log WHERE entity = $1 AND entity_key = $2 ORDER BY id";

    /// <summary>Appends an entry stamped with the database time; returns its id.</summary>
    public async Task<long> AppendAsync(string actor, string action, string entity, string entityKey, string? beforeJson, string? afterJson,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await AppendAsync(connection, actor, action, entity, entityKey, beforeJson, afterJson, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends an entry on the caller's connection (and its transaction); returns its id.</summary>
    public static async Task<long> AppendAsync(NpgsqlConnection connection, string actor, string action, string entity, string entityKey,
        string? beforeJson, string? afterJson, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection, InsertSql, actor, action, entity, entityKey);
        command.Parameters.Add(new NpgsqlParameter { Value = Db(beforeJson), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = Db(afterJson), NpgsqlDbType = NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The most recent entries, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetRecentAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectRecentSql, Read, cancellationToken, limit).ConfigureAwait(false);

    /// <summary>The entries of one entity (e.g. "jurisdiction", department code), oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetForEntityAsync(string entity, string entityKey, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectForEntitySql, Read, cancellationToken, entity, entityKey).ConfigureAwait(false);

    private static AuditEntry Read(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetUtc(2), r.GetString(3), r.GetString(4),
        r.GetString(5), r.GetStringOrNull(6), r.GetStringOrNull(7));
}
