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
    public void TileAddress_Containing_matches_hand_computed_tile()
    {
        // Dongying 118.5E 37.42N at z10: x = floor((118.5+180)/360·1024) = 849; y = floor((1 − asinh(tan φ)/π)/2·1024) = 397.
        TileAddress.Containing(118.5, 37.42, 10).Should().Be(new TileAddress(10, 849, 397));
        new TileAddress(3, 8, 0).IsValid.Should().BeFalse();
    }
}
