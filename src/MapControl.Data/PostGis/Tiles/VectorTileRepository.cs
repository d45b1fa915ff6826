using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.PostGis.Tiles;

/// <summary>Reads Mapbox vector tiles of MapControl's layers from PostGIS (ST_AsMVT over geometries in EPSG:3857).</summary>
public sealed class VectorTileRepository(NpgsqlDataSource dataSource, VectorTileOptions options)
{
    private readonly SemaphoreSlim? _gate = options.MaxConcurrentQueries > 0 ? new SemaphoreSlim(options.MaxConcurrentQueries) : null;

    /// <summary>Default window of the raw GPS layer when no time is given.</summary>
    public static readonly TimeSpan DefaultGpsWindow = TimeSpan.FromHours(24);

    /// <summary>Default window of the tracks layer when no time is given.</summary>
    public static readonly TimeSpan DefaultTrackWindow = TimeSpan.FromDays(7);

    /// <summary>The end of a tracks window left open: a fixed instant, so that the tiles of an open window have one cache key.</summary>
    public static readonly DateTimeOffset OpenEnd = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The window actually applied to a layer: defaults for GPS and tracks, none for untimed layers.</summary>
    public static TimeWindow EffectiveWindow(TileLayer layer, TimeWindow requested, DateTimeOffset now)
    {
        if (layer.TimeFilter == TileTimeFilter.None) return TimeWindow.All;
        var span = layer.Name == TileLayers.Tracks ? DefaultTrackWindow : layer.Name == TileLayers.Gps ? DefaultGpsWindow : (TimeSpan?)null;
        if (span is null || requested.From is not null || requested.To is not null)
        {
            if (layer.TimeFilter == TileTimeFilter.Tracks)
                return new TimeWindow(requested.From ?? DateTimeOffset.UnixEpoch, requested.To ?? OpenEnd);
            return requested;
        }
        return new TimeWindow(now - span.Value, null);
    }

    /// <summary>
    /// The envelope (degrees) whose fixes name the unit-days a tracks tile builds (<see cref="Sql.PatrolTrackSql.TracksNear"/>): the tile
    /// with its drawing buffer, grown by the longest step a track can make.
    /// </summary>
    public static (double West, double South, double East, double North) TracksNearEnvelope(TileAddress tile)
    {
        var (w, s, e, n) = tile.Bounds();
        var buffer = 2.0 * VectorTileSql.Buffer / VectorTileSql.Extent; // twice: Mercator's y is not linear in latitude
        var (dLat, dLon) = Sql.PatrolTrackSql.NearMarginDegrees(Math.Max(Math.Abs(s), Math.Abs(n)));
        return (w - (e - w) * buffer - dLon, Math.Max(-90, s - (n - s) * buffer - dLat),
                e + (e - w) * buffer + dLon, Math.Min(90, n + (n - s) * buffer + dLat));
    }

    /// <summary>The tile's bytes (possibly empty when nothing lies in the tile).</summary>
    /// <param name="layer">A layer of <see cref="TileLayers"/>.</param>
    /// <param name="tile">A valid tile address.</param>
    /// <param name="window">The effective time window (see <see cref="EffectiveWindow"/>).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<byte[]> GetTileAsync(TileLayer layer, TileAddress tile, TimeWindow window, CancellationToken cancellationToken)
    {
        if (!tile.IsValid) throw new ArgumentOutOfRangeException(nameof(tile), $"Tile {tile} is outside the XYZ grid.");
        var tracks = layer.TimeFilter == TileTimeFilter.Tracks;
        var timeFirst = window is { From: { } f0, To: { } t0 } && t0 - f0 <= VectorTileSql.TimeFirstMaxWindow;
        var sql = layer.AggregatesAt(tile.Z)
            ? VectorTileSql.Aggregated(layer, window.From is not null, window.To is not null, timeFirst)
            : VectorTileSql.For(layer, window.From is not null, window.To is not null, timeFirst);
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("z", tile.Z);
        cmd.Parameters.AddWithValue("x", tile.X);
        cmd.Parameters.AddWithValue("y", tile.Y);
        cmd.Parameters.AddWithValue("layer", layer.Name);
        if (tracks)
        {
            cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (window.From ?? DateTimeOffset.UnixEpoch).UtcDateTime });
            cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (window.To ?? OpenEnd).UtcDateTime });
            cmd.Parameters.Add(new NpgsqlParameter("unit", NpgsqlDbType.Text) { Value = DBNull.Value });
            // Only the unit-days with a fix near the tile (its drawing buffer plus the longest step of a track) are built.
            var (west, south, east, north) = TracksNearEnvelope(tile);
            cmd.Parameters.AddWithValue("west", west);
            cmd.Parameters.AddWithValue("south", south);
            cmd.Parameters.AddWithValue("east", east);
            cmd.Parameters.AddWithValue("north", north);
        }
        else
        {
            if (window.From is { } f) cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = f.UtcDateTime });
            if (window.To is { } t) cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = t.UtcDateTime });
        }
        if (_gate is not null) await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[] ?? [];
        }
        finally
        {
            _gate?.Release();
        }
    }
}
