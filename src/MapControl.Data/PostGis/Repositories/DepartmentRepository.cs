using MapControl.Core.Model;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes protection departments (护卫部).</summary>
public sealed class DepartmentRepository(NpgsqlDataSource dataSource)
{
    private const string SelectAllSql = "SELECT code, name, colour FROM department ORDER BY code";
    private const string InsertSql = "INSERT INTO department (code, name, colour) VALUES ($1, $2, $3)";

    /// <summary>All departments, ordered by code.</summary>
    public async Task<IReadOnlyList<Department>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>Inserts one department.</summary>
    public async Task InsertAsync(Department department, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, department, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts one department on the caller's connection (and its transaction).</summary>
    public static Task InsertAsync(NpgsqlConnection connection, Department department, CancellationToken cancellationToken = default) =>
        ExecuteAsync(connection, InsertSql, cancellationToken, department.Code, department.Name, department.Colour);

    private static Department Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));
}
