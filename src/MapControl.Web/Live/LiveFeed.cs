using System.Collections.Concurrent;
using System.Threading.Channels;
using MapControl.Core.Alerts;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Alerts;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Web.Live;

/// <summary>
/// A unit as the live map shows it: its latest fix and trail points — the whole trail of the last <see cref="LiveFeed.TrailSpan"/> in a
/// snapshot, only the new points in an update (<see cref="Append"/>), so a unit reporting every second costs a point, not its trail.
/// </summary>
public sealed record LiveUnit(string Code, string DepartmentCode, string Name, GpsFix Latest, IReadOnlyList<GpsFix> Trail, bool Append);

/// <summary>What changed: units that moved, alerts that opened or changed.</summary>
public sealed record LiveUpdate(IReadOnlyList<LiveUnit> Units, IReadOnlyList<Alert> Alerts);

/// <summary>
/// The server's live state and its push to open maps: every fix this server stores and every alert opened or changed reaches
/// the subscribers (each Blazor circuit showing a map) at once — no polling loop per client. The state is the latest fix and
/// the 30-minute trail per unit, loaded from the store at start-up. What other writers store (other web nodes, the CLI)
/// arrives through <see cref="LiveRelay"/> (PostgreSQL LISTEN/NOTIFY, docs/SCALE.md).
/// </summary>
public sealed class LiveFeed(LiveSource source, PatrolUnitRepository units, TimeProvider clock, ILogger<LiveFeed> log) : IHostedService
{
    /// <summary>How long a unit's trail reaches back.</summary>
    public static readonly TimeSpan TrailSpan = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long the feed keeps a unit's fixes: the trail and one minute more, so that rules judging the last 30 minutes
    /// (<c>stationary</c> at its default) have a fix at or before their start for devices reporting up to once a minute.
    /// At 1 Hz that is 1,860 points: at most 16 blocks of <see cref="UnitTrail.BlockSize"/> and a spare.
    /// </summary>
    public static readonly TimeSpan KeptSpan = TrailSpan + TimeSpan.FromMinutes(1);

    /// <summary>A unit is stale after this long without a fix.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    /// <summary>A unit is lost after this long without a fix.</summary>
    public static readonly TimeSpan LostAfter = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, UnitState> _units = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, Action<LiveUpdate>> _subscribers = new();
    private readonly Channel<IReadOnlyList<GpsFix>> _forRules = Channel.CreateBounded<IReadOnlyList<GpsFix>>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private IReadOnlyDictionary<string, PatrolUnit> _unitInfo = new Dictionary<string, PatrolUnit>();

    private sealed class UnitState(string code)
    {
        public readonly Lock Gate = new();
        public readonly UnitTrail Trail = new(code, KeptSpan);
    }

    /// <summary>Fixes for the alert rules, in arrival order.</summary>
    public ChannelReader<IReadOnlyList<GpsFix>> FixesForRules => _forRules.Reader;

    /// <summary>Loads the last 30 minutes of fixes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshUnitsAsync(cancellationToken).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            foreach (var fix in await source.RecentFixesAsync(now - KeptSpan, now.AddMinutes(5), cancellationToken).ConfigureAwait(false)) Remember(fix);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            log.LogWarning("Live feed starts empty: {Message}", e.Message);
        }
    }

    /// <summary>Nothing to stop.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Reads the units' names and departments again (after a change of <c>patrol_unit</c>).</summary>
    public async Task RefreshUnitsAsync(CancellationToken cancellationToken)
    {
        _unitInfo = (await units.GetAllAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(u => u.Code, StringComparer.Ordinal);
    }

    /// <summary>The units known to the feed.</summary>
    public IReadOnlyDictionary<string, PatrolUnit> UnitInfo => _unitInfo;

    /// <summary>Every unit with a fix in the last <see cref="LostAfter"/> or a trail, for a map that opens.</summary>
    public IReadOnlyList<LiveUnit> Snapshot() => _units.Keys.Select(c => Unit(c, null)).OfType<LiveUnit>().ToArray();

    /// <summary>Called by the ingest after fixes were stored: updates the state and pushes the moved units.</summary>
    public void Publish(IReadOnlyList<GpsFix> stored)
    {
        if (stored.Count == 0) return;
        foreach (var fix in stored) Remember(fix);
        _forRules.Writer.TryWrite(stored);
        var moved = stored.GroupBy(f => f.UnitCode).Select(g => Unit(g.Key, g.OrderBy(f => f.Time).ToArray())).OfType<LiveUnit>().ToArray();
        Push(new LiveUpdate(moved, []));
    }

    /// <summary>
    /// Called by the relay with fixes another writer stored (another web node, the CLI): those the feed did not have are
    /// remembered, pushed and given to the rules, as if stored here.
    /// </summary>
    public void PublishStoredElsewhere(IReadOnlyList<GpsFix> fixes)
    {
        var fresh = fixes.Where(Remember).ToArray();
        if (fresh.Length == 0) return;
        _forRules.Writer.TryWrite(fresh);
        var moved = fresh.GroupBy(f => f.UnitCode).Select(g => Unit(g.Key, g.OrderBy(f => f.Time).ToArray())).OfType<LiveUnit>().ToArray();
        Push(new LiveUpdate(moved, []));
    }

    /// <summary>Pushes an alert that opened or changed.</summary>
    public void Publish(Alert alert) => Push(new LiveUpdate([], [alert]));

    /// <summary>Registers a subscriber; dispose the result to unsubscribe. The callback must not block (post to the circuit).</summary>
    public IDisposable Subscribe(Action<LiveUpdate> onUpdate)
    {
        var id = Guid.NewGuid();
        _subscribers[id] = onUpdate;
        return new Subscription(() => _subscribers.TryRemove(id, out _));
    }

    /// <summary>The latest fix of a unit, or null.</summary>
    public GpsFix? Latest(string unitCode)
    {
        if (!_units.TryGetValue(unitCode, out var s)) return null;
        lock (s.Gate) return s.Trail.Latest;
    }

    /// <summary>A unit's fixes since a time (oldest first), from the trail.</summary>
    public IReadOnlyList<GpsFix> FixesSince(string unitCode, DateTimeOffset since)
    {
        if (!_units.TryGetValue(unitCode, out var s)) return [];
        lock (s.Gate) return s.Trail.Since(since);
    }

    private void Push(LiveUpdate update)
    {
        foreach (var (_, subscriber) in _subscribers)
        {
            try { subscriber(update); }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException) { /* a closing circuit */ }
        }
    }

    /// <summary>Puts a fix into its unit's trail; false when the trail has it already.</summary>
    private bool Remember(GpsFix fix)
    {
        var s = _units.GetOrAdd(fix.UnitCode, code => new UnitState(code));
        lock (s.Gate) return s.Trail.Add(fix);
    }

    /// <summary>The unit with its whole trail, or (<paramref name="added"/> given) with just those new points.</summary>
    private LiveUnit? Unit(string code, GpsFix[]? added)
    {
        if (!_units.TryGetValue(code, out var s)) return null;
        GpsFix latest;
        GpsFix[] trail;
        lock (s.Gate)
        {
            if (s.Trail.Latest is not { } last) return null;
            latest = last;
            trail = added ?? s.Trail.Since(last.Time - TrailSpan);
        }
        var info = _unitInfo.GetValueOrDefault(code);
        return new LiveUnit(code, info?.DepartmentCode ?? "", info?.Name ?? code, latest, trail, added is not null);
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
