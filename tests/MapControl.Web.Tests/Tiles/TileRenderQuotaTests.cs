using MapControl.Web.Apis;

namespace MapControl.Web.Tests.Tiles;

/// <summary>
/// Issue 11: one analyst sending track tiles with a fresh <c>to=</c> each time (never cached) held every tile-query slot and other
/// users waited 8–11 s. With <see cref="TileRenderQuota"/> a caller runs its share at a time, queues a bounded number, and another
/// caller's render starts at once.
/// </summary>
public sealed class TileRenderQuotaTests
{
    [Fact]
    public async Task A_caller_runs_its_share_at_a_time_and_another_caller_is_not_held_behind_it()
    {
        var quota = new TileRenderQuota(perCaller: 1, queuedPerCaller: 100);
        var release = new TaskCompletionSource();
        var running = 0;
        var maxRunning = 0;
        async Task<int> Slow(CancellationToken ct)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await release.Task.WaitAsync(ct);
            Interlocked.Decrement(ref running);
            return 1;
        }

        var hog = Enumerable.Range(0, 10).Select(_ => quota.RunAsync("hog", Slow, default)).ToArray();
        await Task.Delay(50);
        var other = await quota.RunAsync("other", _ => Task.FromResult(42), default).WaitAsync(TimeSpan.FromSeconds(5));

        other.Should().Be(42, "the other caller's render ran while the hog's ten were queued");
        maxRunning.Should().Be(1);
        release.SetResult();
        (await Task.WhenAll(hog)).Should().AllBeEquivalentTo(1);
        maxRunning.Should().Be(1, "the hog's renders ran one at a time");
    }

    [Fact]
    public async Task Beyond_the_queue_a_caller_is_refused_and_the_share_recovers()
    {
        var quota = new TileRenderQuota(perCaller: 1, queuedPerCaller: 2);
        var release = new TaskCompletionSource();
        var held = Enumerable.Range(0, 3).Select(_ => quota.RunAsync("hog", async ct => { await release.Task; return 1; }, default)).ToArray();

        await FluentActions.Awaiting(() => quota.RunAsync("hog", _ => Task.FromResult(1), default)).Should().ThrowAsync<TileQuotaExceededException>();

        release.SetResult();
        await Task.WhenAll(held);
        (await quota.RunAsync("hog", _ => Task.FromResult(7), default)).Should().Be(7);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
