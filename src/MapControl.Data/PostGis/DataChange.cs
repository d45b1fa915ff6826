using System.Collections.Frozen;
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
        "alert", "alert_threshold", "incident_kind", "gps_daily_track",
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
