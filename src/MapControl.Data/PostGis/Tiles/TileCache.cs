using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MapControl.Data.PostGis.Tiles;

/// <summary>A cached tile with its strong ETag.</summary>
public sealed record CachedTile(byte[] Data, string ETag);

/// <summary>Options of the in-memory tile cache.</summary>
/// <param name="MaxBytes">The cache never holds more tile bytes than this.</param>
public sealed record TileCacheOptions(long MaxBytes = 64L * 1024 * 1024);

/// <summary>
/// A bounded in-memory tile cache keyed on the data version of each layer (the largest <c>data_change</c> version of the tables the
/// layer reads, <see cref="TileLayer.Tables"/>): a request brings the version it read, a newer version drops the layer's tiles, and
/// a tile rendered under an older version is served but never cached — so a write by any process is seen by the next request.
/// Thread-safe; thread-safe and lock-free on the request path (a lock
/// on every tile request made tile servers on two cores wait for lock holders descheduled by PostgreSQL). Eviction is
/// least-recently-used by an access stamp: when the bytes exceed the bound, one thread drops the oldest tiles down
/// to 90% of it.
/// </summary>
public sealed class TileCache(TileCacheOptions options)
{
    private readonly ConcurrentDictionary<string, Entry> _map = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Layer, string Key, long Generation), Lazy<Task<CachedTile>>> _rendering = new();
    private readonly Lock _trim = new();
    private long _bytes;
    private long _clock;
    private long _hits;
    private long _misses;
    private long _renders;
    private long _joined;

    private sealed class Entry(string layer, long generation, CachedTile tile, long stamp)
    {
        public string Layer { get; } = layer;
        public long Generation { get; } = generation;
        public CachedTile Tile { get; } = tile;
        public long Stamp = stamp;
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Tiles held.</summary>
    public int Count => _map.Count;

    /// <summary>Hits and misses since start.</summary>
    public (long Hits, long Misses) Statistics => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    /// <summary>The newest data version of a layer seen so far: part of cache keys and ETags.</summary>
    public long Generation(string layer) => _generations.GetValueOrDefault(layer);

    /// <summary>
    /// Records that the layer's data is at <paramref name="version"/>: when it is newer than <see cref="Generation"/>, the layer's
    /// tiles are dropped (their ETags change with the version).
    /// </summary>
    public void Observe(string layer, long version)
    {
        while (true)
        {
            var known = Generation(layer);
            if (version <= known) return;
            if (_generations.TryUpdate(layer, version, known) || (known == 0 && _generations.TryAdd(layer, version))) break;
        }
        foreach (var (key, entry) in _map)
        {
            if (entry.Layer == layer && entry.Generation < version) Remove(key, entry);
        }
    }

    /// <summary>The cached tile for a key of a layer, or null.</summary>
    public CachedTile? TryGet(string layer, string key)
    {
        if (_map.TryGetValue(Compose(layer, key), out var entry) && entry.Generation == Generation(layer))
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
    /// The cached tile, else the tile of a render of the same key and generation already under way, else a new render
    /// (cached by <see cref="Add"/>). Concurrent misses of one tile — a map opened by several users after an edit —
    /// make one query, not one each. The render runs to its end even when the request that started it is cancelled, so
    /// the others still get it; <paramref name="cancellationToken"/> only stops this request's wait. With a cache of 0
    /// bytes nothing is cached or shared: every request renders.
    /// </summary>
    /// <param name="layer">A <see cref="TileLayers"/> name.</param>
    /// <param name="key">The tile's key within the layer (address and time window).</param>
    /// <param name="render">Reads the tile's bytes.</param>
    /// <param name="cancellationToken">Cancels this request's wait (and its render when nothing is shared).</param>
    /// <param name="version">The layer's data version read for this request (before the render).</param>
    public async ValueTask<CachedTile> GetOrRenderAsync(string layer, long version, string key, Func<CancellationToken, Task<byte[]>> render,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render);
        Observe(layer, version);
        var generation = version;
        // A request that read an older version than another one already did: its tile may be stale, so it is not cached or shared.
        if (generation < Generation(layer)) return Add(layer, key, generation, await render(cancellationToken).ConfigureAwait(false));
        if (TryGet(layer, key) is { } hit) return hit;
        if (options.MaxBytes <= 0) return Add(layer, key, generation, await render(cancellationToken).ConfigureAwait(false));
        var id = (layer, key, generation);
        var started = new Lazy<Task<CachedTile>>(() => RenderAsync(id, render));
        var flight = _rendering.GetOrAdd(id, started);
        Interlocked.Increment(ref ReferenceEquals(flight, started) ? ref _renders : ref _joined);
        return await flight.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<CachedTile> RenderAsync((string Layer, string Key, long Generation) id, Func<CancellationToken, Task<byte[]>> render)
    {
        try
        {
            return Add(id.Layer, id.Key, id.Generation, await render(CancellationToken.None).ConfigureAwait(false));
        }
        finally
        {
            _rendering.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Caches a tile read while the layer had <paramref name="generation"/> (from <see cref="Generation"/> before the read)
    /// and returns it with its ETag; a tile read before an invalidation is returned but not cached.
    /// </summary>
    public CachedTile Add(string layer, string key, long generation, byte[] data)
    {
        var etag = "\"" + layer + "-" + generation + "-" + Convert.ToHexStringLower(SHA256.HashData(data), 0, 12) + "\"";
        var tile = new CachedTile(data, etag);
        if (Generation(layer) != generation || data.Length > options.MaxBytes) return tile;
        var full = Compose(layer, key);
        var entry = new Entry(layer, generation, tile, Interlocked.Increment(ref _clock));
        while (true)
        {
            if (_map.TryGetValue(full, out var old))
            {
                if (!_map.TryUpdate(full, entry, old)) continue;
                Interlocked.Add(ref _bytes, data.Length - old.Tile.Data.Length);
                break;
            }
            if (!_map.TryAdd(full, entry)) continue;
            Interlocked.Add(ref _bytes, data.Length);
            break;
        }
        // An invalidation between the check above and the insert has bumped the generation first: undo the insert.
        if (Generation(layer) != generation) Remove(full, entry);
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
