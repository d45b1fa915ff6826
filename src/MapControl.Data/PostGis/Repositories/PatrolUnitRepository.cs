using MapControl.Core.Model;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes patrol units and finds them by their tracker's device key.</summary>
public sealed class PatrolUnitRepository(NpgsqlDataSource dataSource)
{
    private const string SelectAllSql = "SELECT code, department_code, name, device_key FROM patrol_unit ORDER BY code";
    private const string SelectByDeviceKeySql = "SELECT code, department_code, name, device_key FROM patrol_unit WHERE device_key = $1";
    private const string InsertSql = "INSERT INTO patrol_unit (code, department_code, name, device_key) VALUES ($1, $2, $3, $4)";

    /// <summary>All patrol units, ordered by code.</summary>
    public async Task<IReadOnlyList<PatrolUnit>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The unit whose tracker signs in with <paramref name="deviceKey"/>, or null.</summary>
    public async Task<PatrolUnit?> FindByDeviceKeyAsync(string deviceKey, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, SelectByDeviceKeySql, Read, cancellationToken, deviceKey).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Inserts one patrol unit.</summary>
    public async Task InsertAsync(PatrolUnit unit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, unit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts one patrol unit on the caller's connection (and its transaction).</summary>
    public static Task InsertAsync(NpgsqlConnection connection, PatrolUnit unit, CancellationToken cancellationToken = default) =>
        ExecuteAsync(connection, InsertSql, cancellationToken, unit.Code, unit.DepartmentCode, unit.Name, unit.DeviceKey);

    private static PatrolUnit Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3));
}
