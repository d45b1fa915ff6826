using MapControl.Data.PostGis.Tiles;

namespace MapControl.Web.Tests.Tiles;

public sealed class TileCacheTests
{
    [Fact]
    public void Add_over_capacity_evicts_least_recently_used()
    {
        var cache = new TileCache(new TileCacheOptions(MaxBytes: 250));
        cache.Add("wells", "a", 0, new byte[100]);
        cache.Add("wells", "b", 0, new byte[100]);
        cache.TryGet("wells", "a").Should().NotBeNull(); // a is now the most recent
        cache.Add("wells", "c", 0, new byte[100]);
        cache.TryGet("wells", "b").Should().BeNull();
        cache.TryGet("wells", "a").Should().NotBeNull();
        cache.Bytes.Should().Be(200);
    }

    [Fact]
    public void Invalidate_drops_only_that_layer_and_refuses_tiles_read_before_it()
    {
        var cache = new TileCache(new TileCacheOptions());
        var generation = cache.Generation("jurisdictions");
        cache.Add("jurisdictions", "k", generation, [1, 2, 3]);
        cache.Add("wells", "k", cache.Generation("wells"), [4]);
        cache.Invalidate("jurisdictions");
        cache.TryGet("jurisdictions", "k").Should().BeNull();
        cache.TryGet("wells", "k").Should().NotBeNull();
        // A tile read before the edit but stored after it must not enter the cache.
        cache.Add("jurisdictions", "k", generation, [1, 2, 3]);
        cache.TryGet("jurisdictions", "k").Should().BeNull();
    }

    [Fact]
    public async Task Concurrent_adds_gets_and_invalidations_keep_bytes_consistent_and_never_serve_stale_tiles()
    {
        var cache = new TileCache(new TileCacheOptions(MaxBytes: 50_000));
        var stale = 0;
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            for (var i = 0; i < 20_000; i++)
            {
                var layer = random.Next(2) == 0 ? "wells" : "incidents";
                var key = random.Next(200).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (random.Next(500) == 0) { cache.Invalidate(layer); continue; }
                var generation = cache.Generation(layer);
                if (cache.TryGet(layer, key) is { } hit)
                {
                    // The ETag names the generation the tile was read in; a hit must never be older than the generation seen before asking.
                    var tileGeneration = long.Parse(hit.ETag.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
                    if (tileGeneration < generation) Interlocked.Increment(ref stale);
                }
                else cache.Add(layer, key, generation, new byte[100 + random.Next(900)]);
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        stale.Should().Be(0);
        cache.Bytes.Should().BeLessThanOrEqualTo(50_000 + 8 * 1_000, "at most one tile per writer above the bound before a trim");
        // Bytes equals the sum of what is held.
        var held = 0L;
        foreach (var layer in new[] { "wells", "incidents" })
            for (var k = 0; k < 200; k++)
                if (cache.TryGet(layer, k.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } tile) held += tile.Data.Length;
        cache.Bytes.Should().Be(held);
    }

    [Fact]
    public void TileAddress_Containing_matches_hand_computed_tile()
    {
        // Dongying 118.5E 37.42N at z10: x = floor((118.5+180)/360·1024) = 849; y = floor((1 − asinh(tan φ)/π)/2·1024) = 397.
        TileAddress.Containing(118.5, 37.42, 10).Should().Be(new TileAddress(10, 849, 397));
        new TileAddress(3, 8, 0).IsValid.Should().BeFalse();
    }
}
