using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>
/// The version mechanics shared by jurisdiction and patrol_zone: close the current version and insert the next one in one
/// transaction, checking the expected current version id, and write an audit entry.
/// </summary>
internal sealed class VersionedTable
{
    private readonly string _table;
    private readonly string _lockCurrentSql;
    private readonly string _closeSql;
    private readonly string _auditSql;

    /// <param name="table">jurisdiction or patrol_zone (a constant, never user input).</param>
    /// <param name="keyColumn">The column that identifies the versioned thing (department_code or code).</param>
    public VersionedTable(string table, string keyColumn)
    {
        _table = table;
        _lockCurrentSql = $"SELECT id FROM {table} WHERE {keyColumn} = $1 AND valid_to IS NULL FOR UPDATE";
        // Closing at the transaction time, but always after the version's start (seeded versions may start in the future).
        _closeSql = $"UPDATE {table} SET valid_to = greatest(now(), valid_from + interval '1 microsecond') WHERE id = $1 RETURNING valid_to";
        _auditSql = $"""
            INSERT INTO audit_log (actor, action, entity, entity_key, before, after)
            SELECT $1, $2, '{table}', $3,
                   (SELECT to_jsonb(v) - 'geom' || jsonb_build_object('geometry', ST_AsGeoJSON(v.geom, 9)::jsonb) FROM {table} v WHERE v.id = $4::bigint),
                   (SELECT to_jsonb(v) - 'geom' || jsonb_build_object('geometry', ST_AsGeoJSON(v.geom, 9)::jsonb) FROM {table} v WHERE v.id = $5::bigint)
            """;
    }

    /// <summary>Runs a save in its own transaction: see <see cref="SaveOnConnectionAsync"/>.</summary>
    /// <returns>The id of the new version.</returns>
    public async Task<long> SaveNewVersionAsync(NpgsqlDataSource dataSource, string key, long? expectedCurrentId, string editedBy,
        string reason, string? action, Func<NpgsqlConnection, DateTimeOffset?, Task<long>> insertNext, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var newId = await SaveOnConnectionAsync(connection, key, expectedCurrentId, editedBy, reason, action, insertNext, cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return newId;
    }

    /// <summary>
    /// Runs a save on the caller's connection, inside the caller's transaction: lock and check the current version, close it, let
    /// <paramref name="insertNext"/> insert the next version (given its start), and write the audit entry with the versions before and after.
    /// </summary>
    /// <param name="action">The audit action; null: "create" for a first version, else "new_version".</param>
    /// <returns>The id of the new version.</returns>
    /// <exception cref="ConcurrencyException">The current version is not <paramref name="expectedCurrentId"/>.</exception>
    public async Task<long> SaveOnConnectionAsync(NpgsqlConnection connection, string key, long? expectedCurrentId, string editedBy,
        string reason, string? action, Func<NpgsqlConnection, DateTimeOffset?, Task<long>> insertNext, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(editedBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        try
        {
            var current = await QueryAsync(connection, _lockCurrentSql, r => r.GetInt64(0), cancellationToken, key).ConfigureAwait(false);
            long? currentId = current.Count == 0 ? null : current[0];
            if (currentId != expectedCurrentId)
                throw new ConcurrencyException(_table, key, expectedCurrentId, currentId);
            DateTimeOffset? start = null;
            if (currentId is { } id)
                start = await ScalarAsync<DateTimeOffset>(connection, _closeSql, cancellationToken, id).ConfigureAwait(false);
            var newId = await insertNext(connection, start).ConfigureAwait(false);
            await ExecuteAsync(connection, _auditSql, cancellationToken, editedBy, action ?? (currentId is null ? "create" : "new_version"), key,
                currentId, newId).ConfigureAwait(false);
            return newId;
        }
        catch (PostgresException e) when (expectedCurrentId is null
            && (e.SqlState == PostgresErrorCodes.UniqueViolation || e.SqlState == PostgresErrorCodes.ExclusionViolation)
            && e.ConstraintName is { } constraint
            && (constraint.EndsWith("_one_current", StringComparison.Ordinal) || constraint.EndsWith("_no_overlapping_versions", StringComparison.Ordinal)))
        {
            // Another session created the first version of the same key at the same time.
            throw new ConcurrencyException(_table, key, expectedCurrentId, null);
        }
    }

    /// <summary>Ensures stored geometries carry SRID 4326.</summary>
    public static T Geometry<T>(T geometry) where T : Geometry => As4326(geometry);
}
