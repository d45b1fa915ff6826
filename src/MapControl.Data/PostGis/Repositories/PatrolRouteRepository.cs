using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes planned patrol routes.</summary>
public sealed class PatrolRouteRepository(NpgsqlDataSource dataSource)
{
    private const string SelectAllSql = "SELECT code, department_code, name, geom FROM patrol_route ORDER BY code";
    private const string InsertSql = "INSERT INTO patrol_route (code, department_code, name, geom) VALUES ($1, $2, $3, $4)";

    /// <summary>All planned routes, ordered by code.</summary>
    public async Task<IReadOnlyList<PatrolRoute>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Inserts one planned route.</summary>
    public async Task InsertAsync(PatrolRoute route, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, route, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts one planned route on the caller's connection (and its transaction).</summary>
    public static Task InsertAsync(NpgsqlConnection connection, PatrolRoute route, CancellationToken cancellationToken = default) =>
        ExecuteAsync(connection, InsertSql, cancellationToken, route.Code, route.DepartmentCode, route.Name, As4326(route.Geometry));

    private static PatrolRoute Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<LineString>(3));
}
