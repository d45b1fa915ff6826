using MapControl.Core.Model;
using Npgsql;
using NpgsqlTypes;
using NetTopologySuite.Geometries;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>What an idempotent GPS write did.</summary>
/// <param name="Received">Fixes given.</param>
/// <param name="Inserted">Fixes stored now.</param>
/// <param name="Duplicates">Fixes already stored for the same unit and time (or repeated in the batch), ignored.</param>
/// <param name="UnknownUnits">Fixes of units that are not in patrol_unit, ignored.</param>
public sealed record GpsInsertResult(int Received, int Inserted, int Duplicates, int UnknownUnits);

/// <summary>A GPS fix with the department of its unit.</summary>
public sealed record DepartmentGpsFix(GpsFix Fix, string DepartmentCode);

/// <summary>Reads and writes patrol GPS points; (unit, recorded_at) is the key, so writes are idempotent.</summary>
public sealed class GpsPointRepository(NpgsqlDataSource dataSource)
{
    private const string SelectWindowSql = """
        SELECT unit_code, recorded_at, ST_X(geom), ST_Y(geom), speed_kmh, bearing, department_code
          FROM gps_point
         WHERE recorded_at >= $1 AND recorded_at < $2
         ORDER BY unit_code, recorded_at
        """;
    private const string SelectWindowOfDepartmentSql = """
        SELECT unit_code, recorded_at, ST_X(geom), ST_Y(geom), speed_kmh, bearing, department_code
          FROM gps_point
         WHERE recorded_at >= $1 AND recorded_at < $2 AND department_code = $3
         ORDER BY unit_code, recorded_at
        """;
    private const string LatestSql = "SELECT max(recorded_at) FROM gps_point";
    private const string InsertOneSql = """
        WITH unit AS (SELECT department_code FROM patrol_unit WHERE code = $1),
             ins AS (INSERT INTO gps_point (unit_code, department_code, recorded_at, geom, speed_kmh, bearing)
                     SELECT $1, unit.department_code, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6 FROM unit
                     ON CONFLICT (unit_code, recorded_at) DO NOTHING
                     RETURNING 1)
        SELECT (SELECT count(*) FROM unit), (SELECT count(*) FROM ins)
        """;
    private const string CreateStagingSql = """
        CREATE TEMP TABLE gps_staging (unit_code text, recorded_at timestamptz, lon float8, lat float8, speed_kmh float8, bearing float8)
        ON COMMIT DROP
        """;
    private const string CopyStagingSql =
        "COPY gps_staging (unit_code, recorded_at, lon, lat, speed_kmh, bearing) FROM STDIN (FORMAT BINARY)";
    private const string MergeStagingSql = """
        WITH ins AS (
            INSERT INTO gps_point (unit_code, department_code, recorded_at, geom, speed_kmh, bearing)
            SELECT s.unit_code, u.department_code, s.recorded_at, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326), s.speed_kmh, s.bearing
              FROM gps_staging s JOIN patrol_unit u ON u.code = s.unit_code
            ON CONFLICT (unit_code, recorded_at) DO NOTHING
            RETURNING 1)
        SELECT (SELECT count(*) FROM ins),
               (SELECT count(*) FROM gps_staging s WHERE NOT EXISTS (SELECT 1 FROM patrol_unit u WHERE u.code = s.unit_code))
        """;
    private const string CopySql =
        "COPY gps_point (unit_code, department_code, recorded_at, geom, speed_kmh, bearing) FROM STDIN (FORMAT BINARY)";
    private const string UnitDepartmentsSql = "SELECT code, department_code FROM patrol_unit";

    /// <summary>The latest fix time, or null when there is none.</summary>
    public async Task<DateTimeOffset?> LatestAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, LatestSql, r => r.GetUtcOrNull(0), cancellationToken).ConfigureAwait(false))[0];

    /// <summary>GPS fixes recorded in [from, to), ordered by unit and time.</summary>
    public async Task<IReadOnlyList<GpsFix>> GetByWindowAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectWindowSql, ReadFix, cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);

    /// <summary>Fixes in [<paramref name="from"/>, <paramref name="to"/>) with their department, optionally of one department only.</summary>
    public async Task<IReadOnlyList<DepartmentGpsFix>> GetByWindowWithDepartmentAsync(DateTimeOffset from, DateTimeOffset to,
        string? departmentCode = null, CancellationToken cancellationToken = default) =>
        departmentCode is null
            ? await QueryAsync(dataSource, SelectWindowSql, ReadWithDepartment, cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false)
            : await QueryAsync(dataSource, SelectWindowOfDepartmentSql, ReadWithDepartment, cancellationToken, Utc(from), Utc(to),
                departmentCode).ConfigureAwait(false);

    /// <summary>Stores one fix unless the unit already has one at that time.</summary>
    /// <returns>True when stored; false for a duplicate.</returns>
    /// <exception cref="ArgumentException">The unit is not a known patrol unit.</exception>
    public async Task<bool> InsertAsync(GpsFix fix, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, InsertOneSql, fix.UnitCode, Utc(fix.Time), fix.Lon, fix.Lat);
        command.Parameters.Add(new NpgsqlParameter { Value = Db(fix.SpeedKmh), NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = Db(fix.Bearing), NpgsqlDbType = NpgsqlDbType.Double });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (reader.GetInt64(0) == 0)
            throw new ArgumentException($"Unknown patrol unit '{fix.UnitCode}'.", nameof(fix));
        return reader.GetInt64(1) == 1;
    }

    /// <summary>Stores many fixes idempotently (binary COPY into a staging table, then INSERT … ON CONFLICT DO NOTHING).</summary>
    public async Task<GpsInsertResult> InsertManyAsync(IReadOnlyCollection<GpsFix> fixes, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, CreateStagingSql, cancellationToken).ConfigureAwait(false);
        await using (var importer = await connection.BeginBinaryImportAsync(CopyStagingSql, cancellationToken).ConfigureAwait(false))
        {
            foreach (var fix in fixes)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(fix.UnitCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Utc(fix.Time), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(fix.Lon, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(fix.Lat, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(importer, fix.SpeedKmh, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(importer, fix.Bearing, cancellationToken).ConfigureAwait(false);
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var merge = Command(connection, MergeStagingSql);
        int inserted, unknown;
        await using (var reader = await merge.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            inserted = (int)reader.GetInt64(0);
            unknown = (int)reader.GetInt64(1);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new GpsInsertResult(fixes.Count, inserted, fixes.Count - inserted - unknown, unknown);
    }

    /// <summary>Creates the monthly partitions covering [<paramref name="from"/>, <paramref name="to"/>); returns how many were created.</summary>
    public async Task<int> EnsurePartitionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await EnsurePartitionsAsync(connection, from, to, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the monthly partitions on the caller's connection (and its transaction).</summary>
    public static async Task<int> EnsurePartitionsAsync(NpgsqlConnection connection, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        await ScalarAsync<int>(connection, "SELECT ensure_gps_partitions($1, $2)", cancellationToken, Utc(from), Utc(to))
            .ConfigureAwait(false);

    /// <summary>
    /// Fast, non-idempotent bulk write (binary COPY straight into gps_point) on the caller's connection: for seeding an empty
    /// table. Creates the monthly partitions first. Throws when a unit is unknown or a (unit, time) repeats.
    /// </summary>
    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IReadOnlyCollection<GpsFix> fixes,
        CancellationToken cancellationToken = default)
    {
        if (fixes.Count == 0) return 0;
        var departments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (unit, department) in await QueryAsync(connection, UnitDepartmentsSql, r => (r.GetString(0), r.GetString(1)),
                     cancellationToken).ConfigureAwait(false))
            departments[unit] = department;
        await EnsurePartitionsAsync(connection, fixes.Min(f => f.Time), fixes.Max(f => f.Time).AddSeconds(1), cancellationToken)
            .ConfigureAwait(false);

        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false);
        foreach (var fix in fixes)
        {
            if (!departments.TryGetValue(fix.UnitCode, out var department))
                throw new ArgumentException($"GPS fix of unknown patrol unit '{fix.UnitCode}' at {fix.Time:O}.", nameof(fixes));
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(fix.UnitCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(department, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Utc(fix.Time), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync<Geometry>(Factory.CreatePoint(new Coordinate(fix.Lon, fix.Lat)), cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(importer, fix.SpeedKmh, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(importer, fix.Bearing, cancellationToken).ConfigureAwait(false);
        }
        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, double? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Double, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static GpsFix ReadFix(NpgsqlDataReader r) => new(r.GetString(0), r.GetUtc(1), r.GetDouble(2), r.GetDouble(3),
        r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5));

    private static DepartmentGpsFix ReadWithDepartment(NpgsqlDataReader r) => new(ReadFix(r), r.GetString(6));
}
