using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes idle sites (闲置场地).</summary>
public sealed class IdleSiteRepository(NpgsqlDataSource dataSource)
{
    private const string SelectAllSql =
        "SELECT code, name, kind, geom, status, encroached_on, reclaimed_on FROM idle_site ORDER BY code";
    private const string InsertSql = """
        INSERT INTO idle_site (code, name, kind, geom, status, encroached_on, reclaimed_on)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """;

    /// <summary>All idle sites, ordered by code.</summary>
    public async Task<IReadOnlyList<IdleSite>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Inserts one idle site.</summary>
    public async Task InsertAsync(IdleSite site, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, site, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts one idle site on the caller's connection (and its transaction).</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, IdleSite site, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = site.Code });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = site.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name(site.Kind) });
        command.Parameters.Add(new NpgsqlParameter { Value = As4326(site.Geometry) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name(site.Status) });
        command.Parameters.Add(new NpgsqlParameter { Value = Db(site.EncroachedOn), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = Db(site.ReclaimedOn), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IdleSite Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), new IdleSiteKind(r.GetString(2)),
        r.GetFieldValue<Polygon>(3), Parse<IdleSiteStatus>(r, 4),
        r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6));
}
