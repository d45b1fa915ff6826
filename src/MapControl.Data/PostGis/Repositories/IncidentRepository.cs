using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>An incident with the department and oil zone it was attributed to (null when outside all of them).</summary>
public sealed record AttributedIncident(Incident Incident, string? DepartmentCode, string? OilZoneCode);

/// <summary>Reads and writes incidents (案件); bulk loads use binary COPY, then <see cref="AttributeAsync(NpgsqlConnection, CancellationToken)"/>.</summary>
public sealed class IncidentRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code, oil_zone_code";
    private const string SelectAllSql = $"SELECT {Columns} FROM incident ORDER BY occurred_at, code";
    private const string LatestSql = "SELECT max(occurred_at) FROM incident";
    private const string SelectWindowSql =
        $"SELECT {Columns} FROM incident WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY occurred_at, code";

    // A single insert attributes the incident at once: the jurisdiction in force when it occurred (else the current one)
    // and the oil zone containing it; ties (overlaps) go to the smallest code.
    private const string InsertSql = """
        INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status,
                              department_code, oil_zone_code)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                (SELECT j.department_code FROM jurisdiction j
                  WHERE ST_Intersects(j.geom, $6)
                    AND (j.valid_to IS NULL OR (j.valid_from <= $3 AND $3 < j.valid_to))
                  ORDER BY (j.valid_from <= $3 AND (j.valid_to IS NULL OR $3 < j.valid_to)) DESC, j.department_code
                  LIMIT 1),
                (SELECT z.code FROM oil_zone z WHERE ST_Intersects(z.geom, $6) ORDER BY z.code LIMIT 1))
        """;

    private const string CopySql = """
        COPY incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code, oil_zone_code)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string AttributeDepartmentsSql = """
        WITH hit AS (
            SELECT DISTINCT ON (i.code, i.occurred_at) i.code, i.occurred_at, j.department_code
              FROM incident i
              JOIN jurisdiction j
                ON ST_Intersects(j.geom, i.geom)
               AND (j.valid_to IS NULL OR (j.valid_from <= i.occurred_at AND i.occurred_at < j.valid_to))
             WHERE i.department_code IS NULL
             ORDER BY i.code, i.occurred_at,
                      (j.valid_from <= i.occurred_at AND (j.valid_to IS NULL OR i.occurred_at < j.valid_to)) DESC,
                      j.department_code)
        UPDATE incident i SET department_code = hit.department_code
          FROM hit WHERE i.code = hit.code AND i.occurred_at = hit.occurred_at
        """;

    private const string AttributeOilZonesSql = """
        WITH hit AS (
            SELECT DISTINCT ON (i.code, i.occurred_at) i.code, i.occurred_at, z.code AS oil_zone_code
              FROM incident i JOIN oil_zone z ON ST_Intersects(z.geom, i.geom)
             WHERE i.oil_zone_code IS NULL
             ORDER BY i.code, i.occurred_at, z.code)
        UPDATE incident i SET oil_zone_code = hit.oil_zone_code
          FROM hit WHERE i.code = hit.code AND i.occurred_at = hit.occurred_at
        """;

    /// <summary>All incidents, ordered by time.</summary>
    public async Task<IReadOnlyList<Incident>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, ReadIncident, cancellationToken).ConfigureAwait(false);

    /// <summary>Incidents that occurred in [<paramref name="from"/>, <paramref name="to"/>), ordered by time.</summary>
    public async Task<IReadOnlyList<Incident>> GetByWindowAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectWindowSql, ReadIncident, cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);

    /// <summary>Incidents in [<paramref name="from"/>, <paramref name="to"/>) with their department and oil zone.</summary>
    public async Task<IReadOnlyList<AttributedIncident>> GetAttributedByWindowAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectWindowSql, ReadAttributed, cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);

    /// <summary>The latest incident time (the data's "now" for default windows), or null when there are none.</summary>
    public async Task<DateTimeOffset?> LatestOccurredAtAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, LatestSql, r => r.GetUtcOrNull(0), cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Inserts one incident and attributes it to a department and oil zone.</summary>
    public async Task InsertAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, InsertSql, cancellationToken, incident.Code, Name(incident.Kind), Utc(incident.OccurredAt),
            Utc(incident.DiscoveredAt), Name(incident.DiscoveredBy), As4326(incident.Location), incident.OilRecoveredT,
            Name(incident.Status)).ConfigureAwait(false);
    }

    /// <summary>Writes many incidents with binary COPY, creates their yearly partitions and attributes them, in one transaction.</summary>
    public async Task<ulong> BulkInsertAsync(IReadOnlyCollection<Incident> incidents, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await EnsurePartitionsAsync(connection, incidents, cancellationToken).ConfigureAwait(false);
        var count = await CopyAsync(connection, incidents, cancellationToken).ConfigureAwait(false);
        await AttributeAsync(connection, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Creates the yearly partitions covering the incidents' times (rows outside any partition go to the default one).</summary>
    public static async Task EnsurePartitionsAsync(NpgsqlConnection connection, IReadOnlyCollection<Incident> incidents,
        CancellationToken cancellationToken = default)
    {
        if (incidents.Count == 0) return;
        var from = incidents.Min(i => i.OccurredAt);
        var to = incidents.Max(i => i.OccurredAt).AddSeconds(1);
        await ExecuteAsync(connection, "SELECT ensure_incident_partitions($1, $2)", cancellationToken, Utc(from), Utc(to))
            .ConfigureAwait(false);
    }

    /// <summary>Writes incidents with binary COPY on the caller's connection, unattributed (call <see cref="AttributeAsync(NpgsqlConnection, CancellationToken)"/>).</summary>
    public static Task<ulong> CopyAsync(NpgsqlConnection connection, IEnumerable<Incident> incidents,
        CancellationToken cancellationToken = default) =>
        CopyAsync(connection, incidents, attribute: null, cancellationToken);

    /// <summary>Writes incidents with binary COPY, with department and oil zone from <paramref name="attribute"/> when given.</summary>
    internal static async Task<ulong> CopyAsync(NpgsqlConnection connection, IEnumerable<Incident> incidents,
        Func<Incident, (string? DepartmentCode, string? OilZoneCode)>? attribute, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false);
        foreach (var incident in incidents)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(incident.Code, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Name(incident.Kind), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Utc(incident.OccurredAt), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Utc(incident.DiscoveredAt), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Name(incident.DiscoveredBy), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync<Geometry>(As4326(incident.Location), cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(incident.OilRecoveredT, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Name(incident.Status), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            var (department, zone) = attribute?.Invoke(incident) ?? (null, null);
            await WriteTextOrNullAsync(importer, department, cancellationToken).ConfigureAwait(false);
            await WriteTextOrNullAsync(importer, zone, cancellationToken).ConfigureAwait(false);
        }
        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets department and oil zone of every incident that lacks them, from the jurisdictions and oil zones in the database.</summary>
    /// <returns>The number of incidents that got a department.</returns>
    public async Task<int> AttributeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await AttributeAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Attributes unattributed incidents on the caller's connection (and its transaction).</summary>
    /// <returns>The number of incidents that got a department.</returns>
    public static async Task<int> AttributeAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        var departments = await ExecuteAsync(connection, AttributeDepartmentsSql, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, AttributeOilZonesSql, cancellationToken).ConfigureAwait(false);
        return departments;
    }

    private static Task WriteTextOrNullAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Incident ReadIncident(NpgsqlDataReader r) => new(r.GetString(0), Parse<IncidentKind>(r, 1), r.GetUtc(2), r.GetUtc(3),
        Parse<DiscoverySource>(r, 4), r.GetFieldValue<Point>(5), r.GetDouble(6), Parse<IncidentStatus>(r, 7));

    private static AttributedIncident ReadAttributed(NpgsqlDataReader r) => new(ReadIncident(r), r.GetStringOrNull(8), r.GetStringOrNull(9));
}
