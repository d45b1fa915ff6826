using MapControl.Core.Redraw;
using MapControl.Data.PostGis;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.Analysis;

/// <summary>A kept "before" half of a redraw impact: the keys of the baseline's items (same order) and the baseline.</summary>
/// <param name="Marker">The <see cref="RedrawBaselines.ChangeMarkerAsync"/> read before the data was loaded.</param>
/// <param name="Keys">Department codes (jurisdictions) or patrol zone codes, index = item index of the baseline.</param>
/// <param name="Baseline">Core's baseline.</param>
public sealed record RedrawBaselineEntry(string Marker, IReadOnlyList<string> Keys, RedrawBaseline Baseline)
{
    /// <summary>For a patrol zone's scope, the department whose jurisdiction is the frame; null for jurisdictions.</summary>
    public string? Department { get; init; }

    /// <summary>Computations on one baseline run one at a time (its projection and indexes are shared).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}

/// <summary>
/// The planner's live impact keeps the "before" half (<see cref="RedrawBaseline"/>) per edit scope — the jurisdictions, or one
/// patrol zone's department — while the data it was made of is unchanged: the entry is keyed on the <c>data_change</c> versions of
/// oil zones, jurisdictions, patrol zones, patrol routes, wells and incidents and on the bounds of the moving 12-month incident
/// window (the one invalidation scheme, docs/ARCHITECTURE.md), read before the data is loaded, so a write by any process is seen by
/// the next vertex move and an entry is never stale. At most <see cref="Capacity"/> scopes are kept (least recently used out);
/// concurrent callers of one scope and marker share one build. Thread-safe.
/// </summary>
public sealed class RedrawBaselines(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Scopes kept at most.</summary>
    public const int Capacity = 8;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (Task<RedrawBaselineEntry> Entry, string Marker, long Used)> _entries = new(StringComparer.Ordinal);
    private long _tick;
    private long _builds;

    /// <summary>Baselines built so far (for tests of the reuse).</summary>
    public long Builds => Interlocked.Read(ref _builds);

    /// <summary>
    /// The kept baseline of <paramref name="scope"/> for the current data, or a new one made by <paramref name="build"/> (given the
    /// marker it is made for; it loads the data after the marker was read).
    /// </summary>
    public async Task<RedrawBaselineEntry> GetAsync(string scope, Func<string, CancellationToken, Task<RedrawBaselineEntry>> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        var marker = await ChangeMarkerAsync(cancellationToken).ConfigureAwait(false);
        Task<RedrawBaselineEntry> task;
        lock (_lock)
        {
            if (_entries.TryGetValue(scope, out var kept) && kept.Marker == marker && !kept.Entry.IsFaulted && !kept.Entry.IsCanceled)
            {
                task = kept.Entry;
            }
            else
            {
                Interlocked.Increment(ref _builds);
                // Not cancelled by one caller: others may wait for the same build.
                task = Task.Run(() => build(marker, CancellationToken.None), CancellationToken.None);
                if (_entries.Count >= Capacity && !_entries.ContainsKey(scope))
                    _entries.Remove(_entries.MinBy(e => e.Value.Used).Key);
            }
            _entries[scope] = (task, marker, ++_tick);
        }
        return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A text that changes when the data of a baseline changes: the <c>data_change</c> versions (bumped in the writer's transaction
    /// by every statement) of the tables the impact reads, and the oldest incident inside the 12-month window and the first one at or
    /// after now (they change when an incident leaves or enters the window). One round trip.
    /// </summary>
    public async Task<string> ChangeMarkerAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT concat_ws('/', {DataChange.VersionsSql("oil_zone", "jurisdiction", "patrol_zone", "patrol_route", "well", "incident")},
                (SELECT min(occurred_at) FROM incident WHERE occurred_at >= @since),
                (SELECT min(occurred_at) FROM incident WHERE occurred_at >= @now))
            """);
        var now = clock.GetUtcNow();
        cmd.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = now.AddYears(-1).UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime });
        return (string)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
