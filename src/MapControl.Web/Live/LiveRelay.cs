using System.Threading.Channels;
using MapControl.Data.Alerts;

namespace MapControl.Web.Live;

/// <summary>
/// Brings what other writers store to this node's open maps (docs/SCALE.md, "several web nodes"): listens on PostgreSQL's
/// <see cref="LiveNotifications.Channel"/>, gathers the notices of 100 ms, reads the fixes and alerts they name and hands them
/// to <see cref="LiveFeed"/>, which skips what it has. After (re)connecting it reads the last two minutes of fixes, so a lost
/// connection costs no positions. Fixes stored by this node never come back this way (the triggers name the writer).
/// </summary>
public sealed class LiveRelay(LiveNotifications notifications, LiveSource source, AlertRepository alerts, LiveFeed feed, TimeProvider clock,
    ILogger<LiveRelay> log) : BackgroundService
{
    /// <summary>Notices arriving within this time are read together.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);

    private const int MaxAlertsPerRead = 200;

    private readonly Channel<LiveNotice> _notices = Channel.CreateBounded<LiveNotice>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first LISTEN is in place (for tests and health).</summary>
    public Task Listening => _listening.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reading = ReadLoopAsync(stoppingToken);
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await notifications.ListenAsync(n => _notices.Writer.TryWrite(n), () =>
                {
                    delay = TimeSpan.FromSeconds(1);
                    _listening.TrySetResult();
                    var now = clock.GetUtcNow();
                    _notices.Writer.TryWrite(new FixesNotice(now.AddMinutes(-2), now.AddMinutes(5), null));
                }, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or System.IO.IOException or InvalidOperationException)
            {
                log.LogWarning("Live relay lost its database connection ({Message}); listening again in {Delay} s", e.Message, delay.TotalSeconds);
                try { await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
        _notices.Writer.TryComplete();
        await reading.ConfigureAwait(false);
    }

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        var reader = _notices.Reader;
        var batch = new List<LiveNotice>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await Task.Delay(Gather, clock, stoppingToken).ConfigureAwait(false);
                while (reader.TryRead(out var notice)) batch.Add(notice);
                try
                {
                    await RelayAsync(batch, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
                {
                    log.LogWarning("Live relay could not read what another writer stored: {Message}", e.Message);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RelayAsync(IReadOnlyList<LiveNotice> batch, CancellationToken cancellationToken)
    {
        var fixes = batch.OfType<FixesNotice>().ToArray();
        if (fixes.Length > 0)
        {
            // Only the trail's span is read: a back-fill of last year is announced by nobody and read by nobody.
            var from = Max(fixes.Min(f => f.From), clock.GetUtcNow() - LiveFeed.TrailSpan);
            var to = fixes.Max(f => f.To);
            IReadOnlyList<string>? units = fixes.Any(f => f.Units is null) ? null : fixes.SelectMany(f => f.Units!).Distinct(StringComparer.Ordinal).ToArray();
            if (to >= from) feed.PublishStoredElsewhere(await source.FixesAsync(from, to, units, cancellationToken).ConfigureAwait(false));
        }
        foreach (var id in batch.OfType<AlertNotice>().Select(a => a.Id).Distinct().Take(MaxAlertsPerRead))
        {
            if (await alerts.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } alert) feed.Publish(alert);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
