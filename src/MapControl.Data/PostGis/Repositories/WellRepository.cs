using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes wells (油井), with binary COPY for bulk loads.</summary>
public sealed class WellRepository(NpgsqlDataSource dataSource)
{
    private const string SelectAllSql = "SELECT code, geom, kind, status, is_key, oil_zone_code FROM well ORDER BY code";
    private const string SelectKeySql = "SELECT code, geom, kind, status, is_key, oil_zone_code FROM well WHERE is_key ORDER BY code";
    private const string InsertSql =
        "INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code) VALUES ($1, $2, $3, $4, $5, $6)";
    private const string CopySql = "COPY well (code, geom, kind, status, is_key, oil_zone_code) FROM STDIN (FORMAT BINARY)";

    /// <summary>All wells, ordered by code.</summary>
    public async Task<IReadOnlyList<Well>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The key wells (重点井), ordered by code.</summary>
    public async Task<IReadOnlyList<Well>> GetKeyWellsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectKeySql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Inserts one well.</summary>
    public async Task InsertAsync(Well well, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, InsertSql, cancellationToken, well.Code, As4326(well.Location), Name(well.Kind), Name(well.Status),
            well.IsKeyWell, well.OilZoneCode).ConfigureAwait(false);
    }

    /// <summary>Writes many wells with binary COPY in one transaction; returns how many were written.</summary>
    public async Task<ulong> BulkInsertAsync(IEnumerable<Well> wells, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var count = await CopyAsync(connection, wells, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Writes many wells with binary COPY on the caller's connection (and its transaction).</summary>
    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IEnumerable<Well> wells, CancellationToken cancellationToken = default)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false);
        foreach (var well in wells)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(well.Code, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync<Geometry>(As4326(well.Location), cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Name(well.Kind), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Name(well.Status), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(well.IsKeyWell, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(well.OilZoneCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        }
        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Well Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetFieldValue<Point>(1), new WellKind(r.GetString(2)),
        Parse<WellStatus>(r, 3), r.GetBoolean(4), r.GetString(5));
}
