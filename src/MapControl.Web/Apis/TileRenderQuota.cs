using System.Collections.Concurrent;

namespace MapControl.Web.Apis;

/// <summary>
/// Fair shares of the tile-query slots: each caller (user name, or client address when anonymous) runs at most
/// <see cref="PerCaller"/> uncached tile renders at once and queues at most <see cref="QueuedPerCaller"/> more; beyond that the
/// request is refused (429). Without it one analyst sending track tiles with a fresh <c>to=</c> each time (never cached) held every
/// slot and other users' tiles went from 0.15 s to 8–11 s. Cached tiles never pass through here.
/// </summary>
public sealed class TileRenderQuota(int perCaller, int queuedPerCaller)
{
    private readonly ConcurrentDictionary<string, Share> _shares = new(StringComparer.Ordinal);

    /// <summary>Renders one caller may run at once.</summary>
    public int PerCaller { get; } = perCaller > 0 ? perCaller : throw new ArgumentOutOfRangeException(nameof(perCaller));

    /// <summary>Renders one caller may have waiting.</summary>
    public int QueuedPerCaller { get; } = queuedPerCaller >= 0 ? queuedPerCaller : throw new ArgumentOutOfRangeException(nameof(queuedPerCaller));

    /// <summary>Runs <paramref name="render"/> within the caller's share.</summary>
    /// <exception cref="TileQuotaExceededException">The caller already has its share running and its queue full.</exception>
    public async Task<T> RunAsync<T>(string caller, Func<CancellationToken, Task<T>> render, CancellationToken cancellationToken)
    {
        var share = _shares.GetOrAdd(caller, _ => new Share(PerCaller));
        if (Interlocked.Increment(ref share.Pending) > PerCaller + QueuedPerCaller)
        {
            Interlocked.Decrement(ref share.Pending);
            throw new TileQuotaExceededException();
        }
        try
        {
            await share.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await render(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                share.Slots.Release();
            }
        }
        finally
        {
            // Idle shares are kept (a few bytes per caller); they are dropped when many callers have come and gone.
            if (Interlocked.Decrement(ref share.Pending) == 0 && _shares.Count > 10_000) _shares.TryRemove(new KeyValuePair<string, Share>(caller, share));
        }
    }

    private sealed class Share(int slots)
    {
        public readonly SemaphoreSlim Slots = new(slots);
        public int Pending;
    }
}

/// <summary>A caller asked for more uncached tiles at once than its share allows.</summary>
public sealed class TileQuotaExceededException() : Exception("Too many uncached tile renders at once for this caller.");
