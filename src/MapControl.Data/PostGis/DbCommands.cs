using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;

namespace MapControl.Data.PostGis;

/// <summary>Small helpers shared by the repositories: commands with bound parameters, readers, SRID and time conventions.</summary>
internal static class DbCommands
{
    /// <summary>The SRID of every stored geometry.</summary>
    public const int Srid = 4326;

    /// <summary>The factory for geometries the repositories create (SRID 4326).</summary>
    public static readonly GeometryFactory Factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(Srid);

    /// <summary>A geometry without SRID (0 or -1) is taken as lon/lat and stored as 4326; any other SRID is passed on for PostGIS to check.</summary>
    public static T As4326<T>(T geometry) where T : Geometry
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.SRID > 0) return geometry;
        var copy = (T)geometry.Copy();
        copy.SRID = Srid;
        return copy;
    }

    /// <summary>PostgreSQL timestamptz takes UTC only.</summary>
    public static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();

    public static object Db(object? value) => value ?? DBNull.Value;

    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => DomainNames.ToName(value);

    public static string Name(IncidentKind kind) => kind.Code;

    public static string Name(WellKind kind) => kind.Code;

    public static string Name(IdleSiteKind kind) => kind.Code;

    public static TEnum Parse<TEnum>(NpgsqlDataReader reader, int ordinal) where TEnum : struct, Enum =>
        DomainNames.Parse<TEnum>(reader.GetString(ordinal));

    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset GetUtc(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? GetUtcOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { Value = Db(value) });
        return command;
    }

    public static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(map(reader));
        return rows;
    }

    public static async Task<List<T>> QueryAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken, params object?[] values)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, sql, map, cancellationToken, values).ConfigureAwait(false);
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken,
        params object?[] values)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, sql, cancellationToken, values).ConfigureAwait(false);
    }

    /// <summary>The first column of the first row read as <typeparamref name="T"/> (so timestamptz reads as DateTimeOffset); default when no row or NULL.</summary>
    public static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false))
            return default;
        var type = Nullable.GetUnderlyingType(typeof(T));
        return type is null ? reader.GetFieldValue<T>(0) : (T)ReadBoxed(reader, type);
    }

    private static object ReadBoxed(NpgsqlDataReader reader, Type type) =>
        type == typeof(DateTimeOffset) ? reader.GetFieldValue<DateTimeOffset>(0)
        : type == typeof(long) ? reader.GetInt64(0)
        : type == typeof(int) ? reader.GetInt32(0)
        : type == typeof(bool) ? reader.GetBoolean(0)
        : type == typeof(double) ? reader.GetDouble(0)
        : reader.GetValue(0);
}
