using System.Collections.Frozen;
using System.Collections.Concurrent;
using Npgsql;

namespace MapControl.Data.PostGis;

/// <summary>The change versions the <c>data_change</c> triggers keep per table (migrations 0002, 0003 and 0007, docs/SCHEMA.md).</summary>
public static class DataChange
{
    /// <summary>Tables whose statements bump their version.</summary>
    public static readonly IReadOnlySet<string> Tracked = new HashSet<string>(StringComparer.Ordinal)
    {
        "oil_zone", "jurisdiction", "well", "incident", "patrol_unit",
        "department", "patrol_zone", "camera", "idle_site", "patrol_route", "basemap_feature", "app_user", "gps_point", "api_token",
        "alert", "alert_threshold", "incident_kind", "gps_daily_track", "road_segment",
        "field_label",
    };

    /// <summary>
    /// A scalar SQL subquery giving the tables' versions as one text (<c>table=version,…</c>), to embed in a change marker:
    /// it changes when a transaction that wrote one of the tables commits, and never returns to an earlier value.
    /// </summary>
    /// <exception cref="ArgumentException">A table is not tracked.</exception>
    public static string VersionsSql(params string[] tables)
    {
        Check(tables);
        return $"(SELECT string_agg(table_name || '=' || version, ',' ORDER BY table_name) FROM data_change WHERE table_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))}))";
    }

    internal static void Check(IReadOnlyCollection<string> tables)
    {
        if (tables.Count == 0) throw new ArgumentException("At least one table.", nameof(tables));
        foreach (var t in tables)
        {
            if (!Tracked.Contains(t)) throw new ArgumentException($"Not a table with a change version: {t}.", nameof(tables));
        }
    }
}

/// <summary>The change versions of every tracked table, read at one moment.</summary>
public sealed class DataVersionSet(IReadOnlyDictionary<string, long> versions)
{
    /// <summary>The version of one table (0 when the table has no row yet).</summary>
    public long this[string table] => versions.GetValueOrDefault(table);

    /// <summary>The versions of some tables as one text (<c>table=version,…</c> in the given order): equal texts, same data.</summary>
    public string Of(IEnumerable<string> tables) => string.Join(",", tables.Select(t => t + "=" + this[t]));
}

/// <summary>
/// Reads the <c>data_change</c> versions for the caches of a process — the one invalidation scheme (docs/ARCHITECTURE.md): a cache
/// keeps an entry with the versions of the tables it was computed from and uses it only while they are unchanged, so a write by
/// any process (planner, import, CLI, ingest) is seen by the next request. Every answer comes from a read that began after the
/// request arrived; requests that arrive while a read is under way share the one read queued after it, so a burst of requests
/// makes two reads, not one each. Thread-safe.
/// </summary>
public sealed class DataVersions(NpgsqlDataSource dataSource)
{
    private const string Sql = "SELECT table_name, version FROM data_change";
    private readonly Lock _lock = new();
    private Task<DataVersionSet>? _current;
    private Task<DataVersionSet>? _next;
    private long _reads;

    /// <summary>Database reads made (for tests of the sharing).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The versions as of a moment after this call began.</summary>
    public Task<DataVersionSet> CurrentAsync(CancellationToken cancellationToken = default)
    {
        Task<DataVersionSet> read;
        lock (_lock)
        {
            if (_current is null || _current.IsCompleted)
            {
                _current = ReadAsync();
                _next = null;
                read = _current;
            }
            else read = _next ??= AfterAsync(_current);
        }
        return read.WaitAsync(cancellationToken);
    }

    private async Task<DataVersionSet> AfterAsync(Task previous)
    {
        try { await previous.ConfigureAwait(false); }
        catch (Exception) { /* the next read stands on its own */ }
        Task<DataVersionSet> mine;
        lock (_lock)
        {
            mine = ReadAsync();
            _current = mine;
            _next = null;
        }
        return await mine.ConfigureAwait(false);
    }

    private async Task<DataVersionSet> ReadAsync()
    {
        await Task.Yield();
        Interlocked.Increment(ref _reads);
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var cmd = dataSource.CreateCommand(Sql);
        await using var r = await cmd.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        while (await r.ReadAsync(CancellationToken.None).ConfigureAwait(false)) map[r.GetString(0)] = r.GetInt64(1);
        return new DataVersionSet(map.ToFrozenDictionary(StringComparer.Ordinal));
    }
}

/// <summary>
/// The change versions by UTC day of one table read through a time window (migration 0009), read in one statement with the
/// table's own version.
/// </summary>
public sealed class DayVersionSet
{
    private readonly DateOnly[] _days;
    private readonly long[] _versions;
    private readonly long _allDays;

    internal DayVersionSet(long tableVersion, long allDays, DateOnly[] days, long[] versions)
    {
        TableVersion = tableVersion;
        _allDays = allDays;
        _days = days;
        _versions = versions;
    }

    /// <summary>The table's <c>data_change</c> version at the moment of the read.</summary>
    public long TableVersion { get; }

    /// <summary>
    /// The version of the rows whose time lies in [<paramref name="from"/>, <paramref name="to"/>) (open ends: unbounded): the
    /// largest version of the UTC days the window touches and of the row that stands for every day.
    /// </summary>
    public long Of(DateTimeOffset? from, DateTimeOffset? to)
    {
        var first = from is { } f ? DateOnly.FromDateTime(f.UtcDateTime) : DateOnly.MinValue;
        var last = to is { } t ? DateOnly.FromDateTime(t.UtcDateTime.AddTicks(-1)) : DateOnly.MaxValue;
        var version = _allDays;
        var i = Array.BinarySearch(_days, first);
        for (i = i < 0 ? ~i : i; i < _days.Length && _days[i] <= last; i++) version = Math.Max(version, _versions[i]);
        return version;
    }
}

/// <summary>
/// Reads the per-day change versions of <c>gps_point</c> and <c>incident</c> for the caches of tiles of a time window
/// (docs/SCHEMA.md, "Change versions by day"): a fix recorded today changes today's version only, so tiles of windows that
/// ended before stay cached while trackers report. A read is reused while the table's version is unchanged; requests that need
/// a newer one share one new read. Thread-safe.
/// </summary>
public sealed class DataDayVersions(NpgsqlDataSource dataSource)
{
    private const string Sql = """
        SELECT c.version, d.day = '-infinity', CASE WHEN d.day = '-infinity' THEN NULL ELSE d.day END, d.version
        FROM data_change c LEFT JOIN data_change_day d ON d.table_name = c.table_name
        WHERE c.table_name = $1
        ORDER BY d.day
        """;

    /// <summary>Tables with versions by day, and the time column the days are of.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tracked = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gps_point"] = "recorded_at",
        ["incident"] = "occurred_at",
    };

    private readonly ConcurrentDictionary<string, Lazy<Task<DayVersionSet>>> _latest = new(StringComparer.Ordinal);
    private long _reads;

    /// <summary>Database reads made (for tests of the reuse).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>
    /// The data version of a tile layer for a window: for each table the layer reads, its version by day over the window when
    /// the layer filters by time and the table has versions by day, else the table's version; their sum. Each table's
    /// versions grow in commit order (migration 0009), so any two reads are ordered table by table, and the sum grows exactly
    /// when one of them does — the largest would not: a department renamed in a transaction that drew its number before a
    /// jurisdiction edit committed after it leaves the largest unchanged.
    /// </summary>
    /// <param name="tables">The tables the layer reads.</param>
    /// <param name="windowed">True when the layer reads only the rows of the window.</param>
    /// <param name="from">The window's start (null: unbounded).</param>
    /// <param name="to">The window's end, exclusive (null: unbounded).</param>
    /// <param name="versions">The table versions read for this request.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async ValueTask<long> VersionOfAsync(IReadOnlyList<string> tables, bool windowed, DateTimeOffset? from, DateTimeOffset? to,
        DataVersionSet versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(versions);
        long version = 0;
        foreach (var table in tables)
        {
            var v = windowed && Tracked.ContainsKey(table)
                ? (await AtLeastAsync(table, versions[table], cancellationToken).ConfigureAwait(false)).Of(from, to)
                : versions[table];
            version += v;
        }
        return version;
    }

    /// <summary>The day versions of <paramref name="table"/> from a read that saw the table at <paramref name="tableVersion"/> or later.</summary>
    public async Task<DayVersionSet> AtLeastAsync(string table, long tableVersion, CancellationToken cancellationToken = default)
    {
        if (!Tracked.ContainsKey(table)) throw new ArgumentException($"Not a table with versions by day: {table}.", nameof(table));
        while (true)
        {
            var known = _latest.GetOrAdd(table, t => new Lazy<Task<DayVersionSet>>(() => ReadAsync(t)));
            var read = known.Value;
            if (read.IsFaulted || read.IsCanceled || (read.IsCompletedSuccessfully && read.Result.TableVersion < tableVersion))
            {
                // One of the requests that find the read outdated puts a new one in its place; the others take that one.
                _latest.TryUpdate(table, new Lazy<Task<DayVersionSet>>(() => ReadAsync(table)), known);
                continue;
            }
            var set = await read.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (set.TableVersion >= tableVersion) return set;
        }
    }

    private async Task<DayVersionSet> ReadAsync(string table)
    {
        await Task.Yield();
        Interlocked.Increment(ref _reads);
        long tableVersion = 0, allDays = 0;
        var days = new List<DateOnly>();
        var versions = new List<long>();
        await using var cmd = dataSource.CreateCommand(Sql);
        cmd.Parameters.AddWithValue(table);
        await using var r = await cmd.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        while (await r.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            tableVersion = r.GetInt64(0);
            if (r.IsDBNull(3)) continue;
            if (r.GetBoolean(1)) allDays = r.GetInt64(3);
            else
            {
                days.Add(r.GetFieldValue<DateOnly>(2));
                versions.Add(r.GetInt64(3));
            }
        }
        return new DayVersionSet(tableVersion, allDays, [.. days], [.. versions]);
    }
}
