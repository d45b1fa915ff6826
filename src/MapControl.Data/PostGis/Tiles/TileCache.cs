using System.Security.Cryptography;

namespace MapControl.Data.PostGis.Tiles;

/// <summary>Invalidates cached tiles of a layer after an edit; the planner calls it after saving jurisdictions or patrol zones.</summary>
public interface ITileInvalidator
{
    /// <summary>Drops every cached tile of the layer (a <see cref="TileLayers"/> name) and changes its ETags.</summary>
    void Invalidate(string layer);
}

/// <summary>A cached tile with its strong ETag.</summary>
public sealed record CachedTile(byte[] Data, string ETag);

/// <summary>Options of the in-memory tile cache.</summary>
/// <param name="MaxBytes">The cache never holds more tile bytes than this.</param>
public sealed record TileCacheOptions(long MaxBytes = 64L * 1024 * 1024);

/// <summary>A bounded least-recently-used in-memory tile cache with per-layer invalidation; thread-safe.</summary>
public sealed class TileCache(TileCacheOptions options) : ITileInvalidator
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _lru = new();
    private readonly Dictionary<string, long> _generations = new(StringComparer.Ordinal);
    private long _bytes;
    private long _hits;
    private long _misses;

    private sealed record Entry(string Key, string Layer, CachedTile Tile);

    /// <summary>Bytes held.</summary>
    public long Bytes { get { lock (_lock) return _bytes; } }

    /// <summary>Tiles held.</summary>
    public int Count { get { lock (_lock) return _map.Count; } }

    /// <summary>Hits and misses since start.</summary>
    public (long Hits, long Misses) Statistics { get { lock (_lock) return (_hits, _misses); } }

    /// <summary>The generation of a layer: it changes on every invalidation and is part of cache keys and ETags.</summary>
    public long Generation(string layer) { lock (_lock) return _generations.GetValueOrDefault(layer); }

    /// <summary>The cached tile for a key of a layer, or null.</summary>
    public CachedTile? TryGet(string layer, string key)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(Compose(layer, key), out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                _hits++;
                return node.Value.Tile;
            }
            _misses++;
            return null;
        }
    }

    /// <summary>Makes the cached form of tile bytes of a layer read at <paramref name="generation"/> and stores it unless the layer changed meanwhile.</summary>
    public CachedTile Add(string layer, string key, long generation, byte[] data)
    {
        var etag = "\"" + layer + "-" + generation + "-" + Convert.ToHexStringLower(SHA256.HashData(data), 0, 12) + "\"";
        var tile = new CachedTile(data, etag);
        lock (_lock)
        {
            if (_generations.GetValueOrDefault(layer) != generation || data.Length > options.MaxBytes) return tile;
            var full = Compose(layer, key);
            if (_map.Remove(full, out var old)) { _lru.Remove(old); _bytes -= old.Value.Tile.Data.Length; }
            var node = _lru.AddFirst(new Entry(full, layer, tile));
            _map[full] = node;
            _bytes += data.Length;
            while (_bytes > options.MaxBytes && _lru.Last is { } last)
            {
                _lru.RemoveLast();
                _map.Remove(last.Value.Key);
                _bytes -= last.Value.Tile.Data.Length;
            }
        }
        return tile;
    }

    /// <inheritdoc/>
    public void Invalidate(string layer)
    {
        lock (_lock)
        {
            _generations[layer] = _generations.GetValueOrDefault(layer) + 1;
            for (var node = _lru.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Layer == layer)
                {
                    _lru.Remove(node);
                    _map.Remove(node.Value.Key);
                    _bytes -= node.Value.Tile.Data.Length;
                }
                node = next;
            }
        }
    }

    private static string Compose(string layer, string key) => layer + "|" + key;
}
