using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes oil zones (油区).</summary>
public sealed class OilZoneRepository(NpgsqlDataSource dataSource)
{
    private const string SelectAllSql = "SELECT code, name, geom FROM oil_zone ORDER BY code";
    private const string ExtentSql = "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM oil_zone) s WHERE e IS NOT NULL";
    private const string InsertSql = "INSERT INTO oil_zone (code, name, geom) VALUES ($1, $2, $3)";

    /// <summary>All oil zones, ordered by code.</summary>
    public async Task<IReadOnlyList<OilZone>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The extent of the oil zones (the oilfield) in lon/lat, or null when there are none.</summary>
    public async Task<(double W, double S, double E, double N)?> ExtentAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, ExtentSql, r => ((double W, double S, double E, double N)?)(r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)),
            cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>All oil zones, on the caller's connection (and its transaction).</summary>
    public static async Task<IReadOnlyList<OilZone>> GetAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        await QueryAsync(connection, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Inserts one oil zone.</summary>
    public async Task InsertAsync(OilZone zone, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, zone, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts one oil zone on the caller's connection (and its transaction).</summary>
    public static Task InsertAsync(NpgsqlConnection connection, OilZone zone, CancellationToken cancellationToken = default) =>
        ExecuteAsync(connection, InsertSql, cancellationToken, zone.Code, zone.Name, As4326(zone.Geometry));

    private static OilZone Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetFieldValue<MultiPolygon>(2));
}
