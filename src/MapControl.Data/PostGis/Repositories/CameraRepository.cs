using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes video cameras (监控点).</summary>
public sealed class CameraRepository(NpgsqlDataSource dataSource)
{
    private const string SelectAllSql = "SELECT code, geom, heading_deg, fov_deg, range_m, well_code FROM camera ORDER BY code";
    private const string InsertSql =
        "INSERT INTO camera (code, geom, heading_deg, fov_deg, range_m, well_code) VALUES ($1, $2, $3, $4, $5, $6)";

    /// <summary>All cameras, ordered by code.</summary>
    public async Task<IReadOnlyList<Camera>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Inserts one camera.</summary>
    public async Task InsertAsync(Camera camera, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, camera, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts one camera on the caller's connection (and its transaction).</summary>
    public static Task InsertAsync(NpgsqlConnection connection, Camera camera, CancellationToken cancellationToken = default) =>
        ExecuteAsync(connection, InsertSql, cancellationToken, camera.Code, As4326(camera.Location), camera.HeadingDeg,
            camera.FieldOfViewDeg, camera.RangeM, camera.WellCode);

    internal static Camera Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetFieldValue<Point>(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4), r.GetStringOrNull(5));
}
