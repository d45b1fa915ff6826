using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes department jurisdictions (辖区) with their version history.</summary>
public sealed class JurisdictionRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, department_code, geom, valid_from, valid_to, edited_by, reason";
    private const string SelectCurrentSql = $"SELECT {Columns} FROM jurisdiction WHERE valid_to IS NULL ORDER BY department_code";
    private const string SelectAllSql = $"SELECT {Columns} FROM jurisdiction ORDER BY department_code, valid_from";
    private const string SelectHistorySql = $"SELECT {Columns} FROM jurisdiction WHERE department_code = $1 ORDER BY valid_from";
    private const string SelectByIdSql = $"SELECT {Columns} FROM jurisdiction WHERE id = $1";
    private const string SelectInForceSql = $"""
        SELECT {Columns} FROM jurisdiction
         WHERE valid_from <= $1 AND (valid_to IS NULL OR $1 < valid_to)
         ORDER BY department_code
        """;
    private const string InsertSql = """
        INSERT INTO jurisdiction (department_code, geom, valid_from, valid_to, edited_by, reason)
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
        """;
    private const string InsertNextSql = """
        INSERT INTO jurisdiction (department_code, geom, valid_from, edited_by, reason)
        VALUES ($1, $2, coalesce($3::timestamptz, now()), $4, $5) RETURNING id
        """;

    private static readonly VersionedTable Versions = new("jurisdiction", "department_code");

    /// <summary>The current version of every department's jurisdiction, ordered by department.</summary>
    public async Task<IReadOnlyList<Jurisdiction>> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectCurrentSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Every version of every jurisdiction, by department then start.</summary>
    public async Task<IReadOnlyList<Jurisdiction>> GetAllVersionsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Every version of every jurisdiction, on the caller's connection (and its transaction).</summary>
    public static async Task<IReadOnlyList<Jurisdiction>> GetAllVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        await QueryAsync(connection, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The versions of one department's jurisdiction, oldest first.</summary>
    public async Task<IReadOnlyList<Jurisdiction>> GetHistoryAsync(string departmentCode, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectHistorySql, Read, cancellationToken, departmentCode).ConfigureAwait(false);

    /// <summary>The versions in force at <paramref name="at"/>, one per department.</summary>
    public async Task<IReadOnlyList<Jurisdiction>> GetInForceAtAsync(DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectInForceSql, Read, cancellationToken, Utc(at)).ConfigureAwait(false);

    /// <summary>One version by id, or null.</summary>
    public async Task<Jurisdiction?> GetByIdAsync(long id, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, SelectByIdSql, Read, cancellationToken, id).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Inserts a version as given (its Id is ignored); returns the new id. For loading; edits use <see cref="Editing.VersionedEdits"/>.</summary>
    public async Task<long> InsertAsync(Jurisdiction jurisdiction, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await InsertAsync(connection, jurisdiction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a version as given on the caller's connection (and its transaction); returns the new id.</summary>
    public static async Task<long> InsertAsync(NpgsqlConnection connection, Jurisdiction jurisdiction, CancellationToken cancellationToken = default)
    {
        var v = jurisdiction.Version;
        return await ScalarAsync<long>(connection, InsertSql, cancellationToken, jurisdiction.DepartmentCode, As4326(jurisdiction.Geometry),
            Utc(v.ValidFrom), v.ValidTo is { } to ? Utc(to) : null, v.EditedBy, v.Reason).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes <paramref name="geometry"/> the department's current jurisdiction: closes the current version and inserts the new one
    /// in one transaction, with an audit entry.
    /// </summary>
    /// <param name="expectedCurrentId">The id of the version the edit was based on; null when the department has none yet.</param>
    /// <exception cref="ConcurrencyException">The current version is not <paramref name="expectedCurrentId"/>.</exception>
    /// <remarks>The mechanics only: edits go through <see cref="Editing.VersionedEdits"/> (rights, validation).</remarks>
    internal async Task<Jurisdiction> SaveNewVersionAsync(string departmentCode, MultiPolygon geometry, long? expectedCurrentId,
        string editedBy, string reason, CancellationToken cancellationToken = default, string? action = null)
    {
        var stored = As4326(geometry);
        var id = await Versions.SaveNewVersionAsync(dataSource, departmentCode, expectedCurrentId, editedBy, reason, action,
            (connection, start) => ScalarAsync<long>(connection, InsertNextSql, cancellationToken, departmentCode, stored, start, editedBy, reason),
            cancellationToken).ConfigureAwait(false);
        return (await GetByIdAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The same save on the caller's connection and transaction (imports: all rows or none).</summary>
    internal static Task<long> SaveNewVersionAsync(NpgsqlConnection connection, string departmentCode, MultiPolygon geometry,
        long? expectedCurrentId, string editedBy, string reason, string? action, CancellationToken cancellationToken)
    {
        var stored = As4326(geometry);
        return Versions.SaveOnConnectionAsync(connection, departmentCode, expectedCurrentId, editedBy, reason, action,
            (c, start) => ScalarAsync<long>(c, InsertNextSql, cancellationToken, departmentCode, stored, start, editedBy, reason),
            cancellationToken);
    }

    /// <summary>Rolls back: makes the geometry of an earlier version current again, as a new version.</summary>
    /// <exception cref="ConcurrencyException">The current version is not <paramref name="expectedCurrentId"/>.</exception>
    /// <exception cref="ArgumentException">No version has id <paramref name="versionId"/>.</exception>
    internal async Task<Jurisdiction> RestoreVersionAsync(long versionId, long? expectedCurrentId, string editedBy, string reason,
        CancellationToken cancellationToken = default)
    {
        var old = await GetByIdAsync(versionId, cancellationToken).ConfigureAwait(false)
                  ?? throw new ArgumentException($"No jurisdiction version #{versionId}.", nameof(versionId));
        return await SaveNewVersionAsync(old.DepartmentCode, old.Geometry, expectedCurrentId, editedBy, reason, cancellationToken)
            .ConfigureAwait(false);
    }

    private static Jurisdiction Read(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetFieldValue<MultiPolygon>(2),
        new VersionInfo(r.GetUtc(3), r.GetUtcOrNull(4), r.GetString(5), r.GetString(6)));
}
