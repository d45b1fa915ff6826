using System.Threading.Channels;
using MapControl.Data.Alerts;

namespace MapControl.Web.Live;

/// <summary>
/// Brings what other writers store to this node's open maps (docs/SCALE.md, "several web nodes"): listens on PostgreSQL's
/// <see cref="LiveNotifications.Channel"/>, merges the notices of 100 ms into one span per unit and one set of alert ids, reads
/// what they name and hands it to <see cref="LiveFeed"/>, which skips what it has. What is pending is bounded by the fleet and
/// by <see cref="AlertRepository.MaxList"/>, however many notices arrive. After a lost connection it listens again and reads
/// the fixes since the last notice it heard (at most the trail's span) and the alerts again, so an outage costs no positions.
/// Fixes stored by this node never come back this way (the triggers name the writer).
/// </summary>
public sealed class LiveRelay(LiveNotifications notifications, LiveSource source, AlertRepository alerts, LiveFeed feed, TimeProvider clock,
    ILogger<LiveRelay> log) : BackgroundService
{
    /// <summary>Notices arriving within this time are read together.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);

    // Epoch seconds in the payload are rounded to the microsecond: spans are read a millisecond wider.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset From, DateTimeOffset To)> _units = new(StringComparer.Ordinal);
    private (DateTimeOffset From, DateTimeOffset To)? _anyUnit;
    private readonly HashSet<long> _alerts = [];
    private bool _allAlerts;
    private DateTimeOffset _lastHeard = clock.GetUtcNow();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first LISTEN is in place (for tests and health).</summary>
    public Task Listening => _listening.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reading = ReadLoopAsync(stoppingToken);
        var delay = TimeSpan.FromSeconds(1);
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await notifications.ListenAsync(Add, () =>
                {
                    delay = TimeSpan.FromSeconds(1);
                    CatchUp(all: !first);
                    first = false;
                    _listening.TrySetResult();
                }, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogWarning("Live relay lost its database connection ({Message}); listening again in {Delay} s", e.Message, delay.TotalSeconds);
                try { await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
        _signal.Writer.TryComplete();
        await reading.ConfigureAwait(false);
    }

    /// <summary>Merges a notice into what is pending.</summary>
    private void Add(LiveNotice notice)
    {
        lock (_gate)
        {
            _lastHeard = clock.GetUtcNow();
            switch (notice)
            {
                case FixesNotice { Units: { } spans }:
                    foreach (var s in spans)
                        _units[s.Unit] = _units.TryGetValue(s.Unit, out var p) ? (Min(p.From, s.From), Max(p.To, s.To)) : (s.From, s.To);
                    break;
                case FixesNotice f:
                    _anyUnit = _anyUnit is { } a ? (Min(a.From, f.From), Max(a.To, f.To)) : (f.From, f.To);
                    break;
                case AlertNotice { Id: var id }:
                    if (_alerts.Count < AlertRepository.MaxList) _alerts.Add(id);
                    else _allAlerts = true;
                    break;
            }
        }
        _signal.Writer.TryWrite(true);
    }

    /// <summary>After (re)connecting: the fixes since the last notice heard (within the trail) and, after an outage, every alert.</summary>
    private void CatchUp(bool all)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var from = Max(_lastHeard - TimeSpan.FromSeconds(5), now - LiveFeed.TrailSpan);
            _anyUnit = _anyUnit is { } a ? (Min(a.From, from), Max(a.To, now.AddMinutes(5))) : (from, now.AddMinutes(5));
            _allAlerts |= all;
        }
        _signal.Writer.TryWrite(true);
    }

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                await Task.Delay(Gather, clock, stoppingToken).ConfigureAwait(false);
                try
                {
                    await RelayAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "Live relay could not pass on what another writer stored");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RelayAsync(CancellationToken cancellationToken)
    {
        UnitSpan[] spans;
        (DateTimeOffset From, DateTimeOffset To)? anyUnit;
        long[] ids;
        bool allAlerts;
        lock (_gate)
        {
            spans = _units.Select(u => new UnitSpan(u.Key, u.Value.From, u.Value.To)).ToArray();
            _units.Clear();
            anyUnit = _anyUnit;
            _anyUnit = null;
            ids = [.. _alerts];
            _alerts.Clear();
            allAlerts = _allAlerts;
            _allAlerts = false;
        }

        // Only the trail's span is read: older fixes are not on the live map.
        var oldest = clock.GetUtcNow() - LiveFeed.TrailSpan;
        var live = spans.Where(s => s.To >= oldest).Select(s => new UnitSpan(s.Unit, Max(s.From, oldest) - Slack, s.To + Slack)).ToArray();
        if (live.Length > 0) feed.PublishStoredElsewhere(await source.FixesAsync(live, cancellationToken).ConfigureAwait(false));
        if (anyUnit is { } a && a.To >= oldest)
            feed.PublishStoredElsewhere(await source.RecentFixesAsync(Max(a.From, oldest) - Slack, a.To + Slack, cancellationToken).ConfigureAwait(false));

        var changed = allAlerts
            ? await alerts.ListAsync(null, null, cancellationToken: cancellationToken).ConfigureAwait(false)
            : ids.Length > 0 ? await alerts.GetManyAsync(ids, cancellationToken).ConfigureAwait(false) : [];
        foreach (var alert in changed) feed.Publish(alert);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
