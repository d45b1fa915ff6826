using System.Text.Json;
using Npgsql;

namespace MapControl.Data.Alerts;

/// <summary>What another writer stored that open maps should see (migration 0010): fixes, or an alert.</summary>
public abstract record LiveNotice;

/// <summary>A unit's new fixes lie in [<paramref name="From"/>, <paramref name="To"/>].</summary>
public sealed record UnitSpan(string Unit, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// New fixes: per unit (<paramref name="Units"/>), or, when a statement stored fixes of more units than a notification holds,
/// of any unit in [<paramref name="From"/>, <paramref name="To"/>] (<paramref name="Units"/> null).
/// </summary>
public sealed record FixesNotice(IReadOnlyList<UnitSpan>? Units, DateTimeOffset From, DateTimeOffset To) : LiveNotice;

/// <summary>The alert of this id opened or changed.</summary>
public sealed record AlertNotice(long Id) : LiveNotice;

/// <summary>
/// The PostgreSQL channel that carries live positions and alerts between web nodes (docs/SCALE.md): triggers on gps_point and
/// alert send a key after each commit (migration 0010); a node listens on one connection of its own and reads what the key
/// names. A node recognises its own notices by its data source's application name and skips them (it pushed them already).
/// </summary>
public sealed class LiveNotifications(NpgsqlDataSource dataSource)
{
    /// <summary>The channel the triggers notify.</summary>
    public const string Channel = "mapcontrol_live";

    /// <summary>How long the listening connection may be silent before it is checked with a query (a dead peer is found then).</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    /// <summary>This node's name as the triggers see it: the data source's application name.</summary>
    public string Node { get; } = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).ApplicationName ?? "";

    /// <summary>
    /// Listens until cancelled, calling <paramref name="onNotice"/> for every notice of another writer, in commit order, and
    /// <paramref name="onListening"/> once the LISTEN is in place. A silent connection is checked every <see cref="Heartbeat"/>
    /// with a query that must answer within 10 s. Throws when the connection is lost (the caller listens again and catches up).
    /// </summary>
    public async Task ListenAsync(Action<LiveNotice> onNotice, Action onListening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onNotice);
        ArgumentNullException.ThrowIfNull(onListening);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        connection.Notification += (_, e) =>
        {
            if (Parse(e.Payload, Node) is { } notice) onNotice(notice);
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        onListening();
        await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 10 };
        while (true)
        {
            if (!await connection.WaitAsync(Heartbeat, cancellationToken).ConfigureAwait(false))
                await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The notice a payload carries, or null when this node sent it or it is not one of MapControl's.</summary>
    public static LiveNotice? Parse(string payload, string node)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            if (node.Length > 0 && root.TryGetProperty("by", out var by) && by.GetString() == node) return null;
            switch (root.GetProperty("kind").GetString())
            {
                case "alert":
                    return new AlertNotice(root.GetProperty("id").GetInt64());
                case "gps" when root.TryGetProperty("units", out var units) && units.ValueKind == JsonValueKind.Array:
                    var spans = units.EnumerateArray()
                        .Select(u => new UnitSpan(u[0].GetString()!, Epoch(u[1]), Epoch(u[2])))
                        .ToArray();
                    if (spans.Length == 0) return null;
                    return new FixesNotice(spans, spans.Min(s => s.From), spans.Max(s => s.To));
                case "gps":
                    return new FixesNotice(null, Epoch(root.GetProperty("from")), Epoch(root.GetProperty("to")));
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
                                      or IndexOutOfRangeException or ArgumentException)
        {
            return null;
        }
    }

    // Epoch seconds with microseconds, as PostgreSQL's extract(epoch …) gives them.
    private static DateTimeOffset Epoch(JsonElement seconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds.GetDouble() * TimeSpan.TicksPerSecond / 10.0) * 10);
}
