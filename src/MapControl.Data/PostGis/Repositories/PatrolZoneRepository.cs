using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes patrol zones (巡区) with their version history; the code identifies a zone across versions.</summary>
public sealed class PatrolZoneRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, code, department_code, name, geom, valid_from, valid_to, edited_by, reason";
    private const string SelectCurrentSql = $"SELECT {Columns} FROM patrol_zone WHERE valid_to IS NULL ORDER BY department_code, code";
    private const string SelectCurrentOfDepartmentSql =
        $"SELECT {Columns} FROM patrol_zone WHERE valid_to IS NULL AND department_code = $1 ORDER BY code";
    private const string SelectAllSql = $"SELECT {Columns} FROM patrol_zone ORDER BY code, valid_from";
    private const string SelectHistorySql = $"SELECT {Columns} FROM patrol_zone WHERE code = $1 ORDER BY valid_from";
    private const string SelectByIdSql = $"SELECT {Columns} FROM patrol_zone WHERE id = $1";
    private const string SelectInForceSql = $"""
        SELECT {Columns} FROM patrol_zone
         WHERE valid_from <= $1 AND (valid_to IS NULL OR $1 < valid_to)
         ORDER BY department_code, code
        """;
    private const string InsertSql = """
        INSERT INTO patrol_zone (code, department_code, name, geom, valid_from, valid_to, edited_by, reason)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
        """;
    private const string InsertNextSql = """
        INSERT INTO patrol_zone (code, department_code, name, geom, valid_from, edited_by, reason)
        VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()), $6, $7) RETURNING id
        """;

    private static readonly VersionedTable Versions = new("patrol_zone", "code");

    /// <summary>The current version of every patrol zone, by department then code.</summary>
    public async Task<IReadOnlyList<PatrolZone>> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectCurrentSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The current patrol zones of one department, by code.</summary>
    public async Task<IReadOnlyList<PatrolZone>> GetCurrentOfDepartmentAsync(string departmentCode, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectCurrentOfDepartmentSql, Read, cancellationToken, departmentCode).ConfigureAwait(false);

    /// <summary>Every version of every patrol zone, by code then start.</summary>
    public async Task<IReadOnlyList<PatrolZone>> GetAllVersionsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The versions of one patrol zone, oldest first.</summary>
    public async Task<IReadOnlyList<PatrolZone>> GetHistoryAsync(string code, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectHistorySql, Read, cancellationToken, code).ConfigureAwait(false);

    /// <summary>The versions in force at <paramref name="at"/>.</summary>
    public async Task<IReadOnlyList<PatrolZone>> GetInForceAtAsync(DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectInForceSql, Read, cancellationToken, Utc(at)).ConfigureAwait(false);

    /// <summary>One version by id, or null.</summary>
    public async Task<PatrolZone?> GetByIdAsync(long id, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, SelectByIdSql, Read, cancellationToken, id).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Inserts a version as given (its Id is ignored); returns the new id. For loading; edits use SaveNewVersionAsync.</summary>
    public async Task<long> InsertAsync(PatrolZone zone, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await InsertAsync(connection, zone, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a version as given on the caller's connection (and its transaction); returns the new id.</summary>
    public static async Task<long> InsertAsync(NpgsqlConnection connection, PatrolZone zone, CancellationToken cancellationToken = default)
    {
        var v = zone.Version;
        return await ScalarAsync<long>(connection, InsertSql, cancellationToken, zone.Code, zone.DepartmentCode, zone.Name,
            As4326(zone.Geometry), Utc(v.ValidFrom), v.ValidTo is { } to ? Utc(to) : null, v.EditedBy, v.Reason).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a new version of patrol zone <paramref name="code"/> current (department, name and polygon may all change): closes the
    /// current version and inserts the new one in one transaction, with an audit entry.
    /// </summary>
    /// <param name="expectedCurrentId">The id of the version the edit was based on; null for a new zone.</param>
    /// <exception cref="ConcurrencyException">The current version is not <paramref name="expectedCurrentId"/>.</exception>
    /// <remarks>The mechanics only: edits go through <see cref="Editing.VersionedEdits"/> (rights, validation).</remarks>
    internal async Task<PatrolZone> SaveNewVersionAsync(string code, string departmentCode, string name, Polygon geometry,
        long? expectedCurrentId, string editedBy, string reason, CancellationToken cancellationToken = default, string? action = null)
    {
        var stored = As4326(geometry);
        var id = await Versions.SaveNewVersionAsync(dataSource, code, expectedCurrentId, editedBy, reason, action,
            (connection, start) => ScalarAsync<long>(connection, InsertNextSql, cancellationToken, code, departmentCode, name, stored, start,
                editedBy, reason),
            cancellationToken).ConfigureAwait(false);
        return (await GetByIdAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The latest version of a zone on the caller's connection (its name and department carry over to a new version), or null.</summary>
    internal static async Task<PatrolZone?> LatestAsync(NpgsqlConnection connection, string code, CancellationToken cancellationToken) =>
        (await QueryAsync(connection, SelectHistorySql, Read, cancellationToken, code).ConfigureAwait(false)).LastOrDefault();

    /// <summary>The same save on the caller's connection and transaction (several items saved together: all or none).</summary>
    internal static Task<long> SaveNewVersionAsync(NpgsqlConnection connection, string code, string departmentCode, string name, Polygon geometry,
        long? expectedCurrentId, string editedBy, string reason, string? action, CancellationToken cancellationToken)
    {
        var stored = As4326(geometry);
        return Versions.SaveOnConnectionAsync(connection, code, expectedCurrentId, editedBy, reason, action,
            (c, start) => ScalarAsync<long>(c, InsertNextSql, cancellationToken, code, departmentCode, name, stored, start, editedBy, reason),
            cancellationToken);
    }

    /// <summary>Rolls back: makes an earlier version current again, as a new version.</summary>
    /// <exception cref="ConcurrencyException">The current version is not <paramref name="expectedCurrentId"/>.</exception>
    /// <exception cref="ArgumentException">No version has id <paramref name="versionId"/>.</exception>
    internal async Task<PatrolZone> RestoreVersionAsync(long versionId, long? expectedCurrentId, string editedBy, string reason,
        CancellationToken cancellationToken = default)
    {
        var old = await GetByIdAsync(versionId, cancellationToken).ConfigureAwait(false)
                  ?? throw new ArgumentException($"No patrol zone version #{versionId}.", nameof(versionId));
        return await SaveNewVersionAsync(old.Code, old.DepartmentCode, old.Name, old.Geometry, expectedCurrentId, editedBy, reason,
            cancellationToken).ConfigureAwait(false);
    }

    private static PatrolZone Read(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.GetFieldValue<Polygon>(4), new VersionInfo(r.GetUtc(5), r.GetUtcOrNull(6), r.GetString(7), r.GetString(8)));
}
