using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MapControl.Data.PostGis.Tiles;

/// <summary>A cached tile with its strong ETag.</summary>
public sealed record CachedTile(byte[] Data, string ETag);

/// <summary>Options of the in-memory tile cache.</summary>
/// <param name="MaxBytes">The cache never holds more tile bytes than this.</param>
public sealed record TileCacheOptions(long MaxBytes = 64L * 1024 * 1024);

/// <summary>
/// A bounded in-memory tile cache in which every tile carries the data version it was read at: for a layer without time the
/// largest <c>data_change</c> version of the tables it reads (<see cref="TileLayer.Tables"/>), for a windowed layer the largest
/// version of the days its window touches (<see cref="DataDayVersions"/>). A request brings the version it read after it
/// arrived and is served a tile of that version or a newer one, never an older one — so a write by any process is seen by the
/// next request, and a GPS fix of today leaves last month's tiles cached. Thread-safe and lock-free on the request path (a
/// lock on every tile request made tile servers on two cores wait for lock holders descheduled by PostgreSQL). Eviction is
/// least-recently-used by an access stamp: when the bytes exceed the bound, one thread drops the oldest tiles down to 90% of
/// it; a tile outdated by a write stays until it is rendered again or is the oldest.
/// </summary>
public sealed class TileCache(TileCacheOptions options)
{
    private readonly ConcurrentDictionary<string, Entry> _map = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Layer, string Key, long Version), Lazy<Task<CachedTile>>> _rendering = new();
    private readonly Lock _trim = new();
    private long _bytes;
    private long _clock;
    private long _hits;
    private long _misses;
    private long _renders;
    private long _joined;

    private sealed class Entry(long version, CachedTile tile, long stamp)
    {
        public long Version { get; } = version;
        public CachedTile Tile { get; } = tile;
        public long Stamp = stamp;
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Tiles held.</summary>
    public int Count => _map.Count;

    /// <summary>Hits and misses since start.</summary>
    public (long Hits, long Misses) Statistics => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    /// <summary>The cached tile for a key of a layer read at <paramref name="version"/> or later, or null.</summary>
    public CachedTile? TryGet(string layer, string key, long version)
    {
        if (_map.TryGetValue(Compose(layer, key), out var entry) && entry.Version >= version)
        {
            Volatile.Write(ref entry.Stamp, Interlocked.Increment(ref _clock));
            Interlocked.Increment(ref _hits);
            return entry.Tile;
        }
        Interlocked.Increment(ref _misses);
        return null;
    }

    /// <summary>Renders started for a missing tile, and requests that waited for a render already under way instead.</summary>
    public (long Renders, long Joined) Coalescing => (Interlocked.Read(ref _renders), Interlocked.Read(ref _joined));

    /// <summary>
    /// The cached tile of this version or newer, else the tile of a render of the same key and version already under way,
    /// else a new render (cached by <see cref="Add"/>). Concurrent misses of one tile — a map opened by several users after an
    /// edit — make one query, not one each. The render runs to its end even when the request that started it is cancelled, so
    /// the others still get it; <paramref name="cancellationToken"/> only stops this request's wait. With a cache of 0 bytes
    /// nothing is cached or shared: every request renders.
    /// </summary>
    /// <param name="layer">A <see cref="TileLayers"/> name.</param>
    /// <param name="version">The data version of the tile's layer and window, read for this request (before the render).</param>
    /// <param name="key">The tile's key within the layer (address and time window).</param>
    /// <param name="render">Reads the tile's bytes.</param>
    /// <param name="cancellationToken">Cancels this request's wait (and its render when nothing is shared).</param>
    public async ValueTask<CachedTile> GetOrRenderAsync(string layer, long version, string key, Func<CancellationToken, Task<byte[]>> render,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render);
        if (TryGet(layer, key, version) is { } hit) return hit;
        if (options.MaxBytes <= 0) return Add(layer, key, version, await render(cancellationToken).ConfigureAwait(false));
        var id = (layer, key, version);
        var started = new Lazy<Task<CachedTile>>(() => RenderAsync(id, render));
        var flight = _rendering.GetOrAdd(id, started);
        Interlocked.Increment(ref ReferenceEquals(flight, started) ? ref _renders : ref _joined);
        return await flight.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<CachedTile> RenderAsync((string Layer, string Key, long Version) id, Func<CancellationToken, Task<byte[]>> render)
    {
        try
        {
            return Add(id.Layer, id.Key, id.Version, await render(CancellationToken.None).ConfigureAwait(false));
        }
        finally
        {
            _rendering.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Caches a tile read at data <paramref name="version"/> (read before the tile) unless a tile of a newer version is held,
    /// and returns it with its ETag (which names the layer and the version).
    /// </summary>
    public CachedTile Add(string layer, string key, long version, byte[] data)
    {
        var etag = "\"" + layer + "-" + version + "-" + Convert.ToHexStringLower(SHA256.HashData(data), 0, 12) + "\"";
        var tile = new CachedTile(data, etag);
        if (data.Length > options.MaxBytes) return tile;
        var full = Compose(layer, key);
        var entry = new Entry(version, tile, Interlocked.Increment(ref _clock));
        while (true)
        {
            if (_map.TryGetValue(full, out var old))
            {
                if (old.Version > version) return tile;
                if (!_map.TryUpdate(full, entry, old)) continue;
                Interlocked.Add(ref _bytes, data.Length - old.Tile.Data.Length);
                break;
            }
            if (!_map.TryAdd(full, entry)) continue;
            Interlocked.Add(ref _bytes, data.Length);
            break;
        }
        if (Bytes > options.MaxBytes) Trim();
        return tile;
    }

    private void Remove(string key, Entry entry)
    {
        if (_map.TryRemove(new KeyValuePair<string, Entry>(key, entry))) Interlocked.Add(ref _bytes, -entry.Tile.Data.Length);
    }

    /// <summary>Drops the least recently used tiles until the cache holds at most 90% of its bound; one thread at a time, others go on.</summary>
    private void Trim()
    {
        if (!_trim.TryEnter()) return;
        try
        {
            var target = options.MaxBytes * 9 / 10;
            foreach (var (key, entry) in _map.ToArray().OrderBy(e => Volatile.Read(ref e.Value.Stamp)))
            {
                if (Bytes <= target) break;
                Remove(key, entry);
            }
        }
        finally { _trim.Exit(); }
    }

    private static string Compose(string layer, string key) => layer + "|" + key;
}
