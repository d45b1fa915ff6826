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
        cache.TryGet("wells", "a", 0).Should().NotBeNull(); // a is now the most recent
        cache.Add("wells", "c", 0, new byte[100]);
        cache.TryGet("wells", "b", 0).Should().BeNull();
        cache.TryGet("wells", "a", 0).Should().NotBeNull();
        cache.Bytes.Should().Be(200);
    }

    [Fact]
    public void A_tile_serves_requests_of_its_version_or_older_and_a_tile_read_before_a_newer_one_never_replaces_it()
    {
        var cache = new TileCache(new TileCacheOptions());
        cache.Add("jurisdictions", "k", 5, [1, 2, 3]);
        cache.Add("wells", "k", 5, [4]);
        cache.TryGet("jurisdictions", "k", 5)!.Data.Should().Equal(1, 2, 3);
        cache.TryGet("jurisdictions", "k", 4).Should().NotBeNull("a request that read an older version may get newer data");
        cache.TryGet("jurisdictions", "k", 6).Should().BeNull("after a write the tile is outdated");
        cache.TryGet("wells", "k", 5).Should().NotBeNull("other layers and keys are not touched");
        // A tile read after the write replaces it; a tile read before the write and stored after never does.
        cache.Add("jurisdictions", "k", 6, [9]);
        cache.Add("jurisdictions", "k", 5, [1, 2, 3]);
        cache.TryGet("jurisdictions", "k", 6)!.Data.Should().Equal(9);
        cache.Bytes.Should().Be(2);
    }

    [Fact]
    public async Task Concurrent_adds_gets_and_writes_keep_bytes_consistent_and_never_serve_stale_tiles()
    {
        var cache = new TileCache(new TileCacheOptions(MaxBytes: 50_000));
        var versions = new long[2];
        var stale = 0;
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            for (var i = 0; i < 20_000; i++)
            {
                var l = random.Next(2);
                var layer = l == 0 ? "wells" : "incidents";
                var key = random.Next(200).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (random.Next(500) == 0) { Interlocked.Increment(ref versions[l]); continue; }
                var version = Interlocked.Read(ref versions[l]);
                if (cache.TryGet(layer, key, version) is { } hit)
                {
                    // The ETag names the version the tile was read at; a hit must never be older than the version seen before asking.
                    var tileVersion = long.Parse(hit.ETag.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
                    if (tileVersion < version) Interlocked.Increment(ref stale);
                }
                else cache.Add(layer, key, version, new byte[100 + random.Next(900)]);
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        stale.Should().Be(0);
        cache.Bytes.Should().BeLessThanOrEqualTo(50_000 + 8 * 1_000, "at most one tile per writer above the bound before a trim");
        // Bytes equals the sum of what is held.
        var held = 0L;
        foreach (var layer in new[] { "wells", "incidents" })
            for (var k = 0; k < 200; k++)
                if (cache.TryGet(layer, k.ToString(System.Globalization.CultureInfo.InvariantCulture), 0) is { } tile) held += tile.Data.Length;
        cache.Bytes.Should().Be(held);
    }

    [Fact]
    public void TileAddress_Containing_matches_hand_computed_tile()
    {
        // Dongying 118.5E 37.42N at z10: x = floor((118.5+180)/360·1024) = 849; y = floor((1 − asinh(tan φ)/π)/2·1024) = 397.
        TileAddress.Containing(118.5, 37.42, 10).Should().Be(new TileAddress(10, 849, 397));
        new TileAddress(3, 8, 0).IsValid.Should().BeFalse();
    }

    /// <summary>A render that counts its calls and finishes when released.</summary>
    private sealed class GatedRender(byte[] bytes)
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Exception? Failure { get; init; }

        public void Release() => _release.TrySetResult();

        public async Task<byte[]> RenderAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await _release.Task.WaitAsync(cancellationToken);
            if (Failure is not null) throw Failure;
            return bytes;
        }
    }

    [Fact]
    public async Task GetOrRenderAsync_concurrent_misses_of_one_tile_render_once_and_share_it()
    {
        var cache = new TileCache(new TileCacheOptions());
        var render = new GatedRender([1, 2, 3]);

        var requests = Enumerable.Range(0, 8).Select(_ => cache.GetOrRenderAsync("wells", 0, "13/1/2||", render.RenderAsync, default).AsTask()).ToArray();
        render.Release();
        var tiles = await Task.WhenAll(requests);

        render.Calls.Should().Be(1);
        tiles.Should().OnlyContain(t => ReferenceEquals(t, tiles[0]));
        tiles[0].Data.Should().Equal(1, 2, 3);
        cache.Coalescing.Should().Be((1L, 7L));
        (await cache.GetOrRenderAsync("wells", 0, "13/1/2||", render.RenderAsync, default)).Should().BeSameAs(tiles[0], "then it is cached");
        render.Calls.Should().Be(1);
    }

    [Fact]
    public async Task GetOrRenderAsync_cancelling_the_first_request_leaves_the_render_to_the_others()
    {
        var cache = new TileCache(new TileCacheOptions());
        var render = new GatedRender([7]);
        using var gone = new CancellationTokenSource();

        var first = cache.GetOrRenderAsync("wells", 0, "k", render.RenderAsync, gone.Token).AsTask();
        var second = cache.GetOrRenderAsync("wells", 0, "k", render.RenderAsync, default).AsTask();
        await gone.CancelAsync();
        render.Release();

        await first.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        (await second).Data.Should().Equal(7);
        render.Calls.Should().Be(1);
    }

    [Fact]
    public async Task GetOrRenderAsync_after_a_write_does_not_join_the_older_render_and_keeps_the_newer_tile()
    {
        var cache = new TileCache(new TileCacheOptions());
        var old = new GatedRender([1]);
        var fresh = new GatedRender([2]);

        var before = cache.GetOrRenderAsync("jurisdictions", 1, "k", old.RenderAsync, default).AsTask();
        var after = cache.GetOrRenderAsync("jurisdictions", 2, "k", fresh.RenderAsync, default).AsTask();
        old.Release();
        fresh.Release();

        (await before).Data.Should().Equal(1);
        (await after).Data.Should().Equal(2);
        cache.TryGet("jurisdictions", "k", 2)!.Data.Should().Equal(2);
    }

    [Fact]
    public async Task GetOrRenderAsync_failed_render_fails_every_waiter_and_the_next_request_renders_again()
    {
        var cache = new TileCache(new TileCacheOptions());
        var failing = new GatedRender([]) { Failure = new InvalidOperationException("database down") };

        var requests = Enumerable.Range(0, 3).Select(_ => cache.GetOrRenderAsync("wells", 0, "k", failing.RenderAsync, default).AsTask()).ToArray();
        failing.Release();
        foreach (var r in requests) await r.Invoking(t => t).Should().ThrowAsync<InvalidOperationException>().WithMessage("database down");

        var retry = new GatedRender([5]);
        retry.Release();
        (await cache.GetOrRenderAsync("wells", 0, "k", retry.RenderAsync, default)).Data.Should().Equal(5);
        failing.Calls.Should().Be(1);
    }

    [Fact]
    public async Task GetOrRenderAsync_with_a_zero_byte_cache_renders_every_request()
    {
        var cache = new TileCache(new TileCacheOptions(MaxBytes: 0));
        var render = new GatedRender([1]);
        render.Release();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cache.GetOrRenderAsync("wells", 0, "k", render.RenderAsync, default).AsTask()));

        render.Calls.Should().Be(4);
        cache.Count.Should().Be(0);
    }
}
