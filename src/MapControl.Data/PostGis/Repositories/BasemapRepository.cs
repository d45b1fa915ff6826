using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Reads and writes the features of the offline basemap.</summary>
public sealed class BasemapRepository(NpgsqlDataSource dataSource)
{
    private const string SelectAllSql = "SELECT layer, name, kind, geom FROM basemap_feature ORDER BY id";
    private const string SelectLayerSql = "SELECT layer, name, kind, geom FROM basemap_feature WHERE layer = $1 ORDER BY id";
    private const string InsertSql = "INSERT INTO basemap_feature (layer, name, kind, geom) VALUES ($1, $2, $3, $4)";

    /// <summary>All basemap features in insertion order.</summary>
    public async Task<IReadOnlyList<BasemapFeature>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The features of one layer in insertion order.</summary>
    public async Task<IReadOnlyList<BasemapFeature>> GetLayerAsync(BasemapLayer layer, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectLayerSql, Read, cancellationToken, Name(layer)).ConfigureAwait(false);

    /// <summary>Inserts one feature.</summary>
    public async Task InsertAsync(BasemapFeature feature, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, feature, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts one feature on the caller's connection (and its transaction).</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, BasemapFeature feature, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name(feature.Layer) });
        command.Parameters.Add(new NpgsqlParameter { Value = Db(feature.Name), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = Db(feature.Kind), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = As4326(feature.Geometry) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static BasemapFeature Read(NpgsqlDataReader r) =>
        new(Parse<BasemapLayer>(r, 0), r.GetStringOrNull(1), r.GetStringOrNull(2), r.GetFieldValue<Geometry>(3));
}
