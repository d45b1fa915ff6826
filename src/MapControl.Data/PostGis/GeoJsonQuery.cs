using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.PostGis;

/// <summary>Runs a query whose rows have a <c>geom</c> column and returns them as one GeoJSON FeatureCollection built by PostGIS.</summary>
internal static class GeoJsonQuery
{
    /// <summary>Wraps a select (with a <c>geom</c> column in EPSG:4326) into a FeatureCollection; other columns become properties.</summary>
    public static string Wrap(string select) => $"""
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
                   'type', 'Feature',
                   'geometry', ST_AsGeoJSON(t.geom, 9)::json,
                   'properties', to_jsonb(t) - 'geom')), '[]'::json))::text
        FROM ({select}) t
        """;

    /// <summary>Runs a wrapped query with the given parameters.</summary>
    public static async Task<string> QueryAsync(NpgsqlDataSource dataSource, string select, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(Wrap(select));
        foreach (var (name, value) in parameters) cmd.Parameters.Add(Parameter(name, value));
        return (string)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>A typed parameter; null values keep their type so that <c>@p IS NULL</c> works.</summary>
    public static NpgsqlParameter Parameter(string name, object? value) => value switch
    {
        null => new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = DBNull.Value },
        NullOf n => new NpgsqlParameter(name, n.Type) { Value = DBNull.Value },
        DateTimeOffset t => new NpgsqlParameter(name, t.ToUniversalTime()),
        _ => new NpgsqlParameter(name, value),
    };

    /// <summary>A typed null.</summary>
    public sealed record NullOf(NpgsqlDbType Type);
}
