using System.Text.Json;
using Npgsql;

namespace MapControl.Data.Alerts;

/// <summary>What another writer stored that open maps should see (migration 0010): fixes of a time span, or an alert.</summary>
public abstract record LiveNotice;

/// <summary>Fixes recorded in [<paramref name="From"/>, <paramref name="To"/>], of these units (null: any unit).</summary>
public sealed record FixesNotice(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string>? Units) : LiveNotice;

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

    /// <summary>This node's name as the triggers see it: the data source's application name.</summary>
    public string Node { get; } = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).ApplicationName ?? "";

    /// <summary>
    /// Listens until cancelled, calling <paramref name="onNotice"/> for every notice of another writer, in commit order. Returns
    /// after <paramref name="onListening"/> was called once the LISTEN is in place; throws when the connection is lost (the
    /// caller listens again; what was stored meanwhile is read by its catch-up).
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
        while (true) await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The notice a payload carries, or null when this node sent it or it is not one of MapControl's.</summary>
    public static LiveNotice? Parse(string payload, string node)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            if (root.TryGetProperty("by", out var by) && by.GetString() == node && node.Length > 0) return null;
            switch (root.GetProperty("kind").GetString())
            {
                case "alert":
                    return new AlertNotice(root.GetProperty("id").GetInt64());
                case "gps":
                    var units = root.TryGetProperty("units", out var u) && u.ValueKind == JsonValueKind.Array
                        ? u.EnumerateArray().Select(e => e.GetString()!).ToArray()
                        : null;
                    return new FixesNotice(root.GetProperty("from").GetDateTimeOffset(), root.GetProperty("to").GetDateTimeOffset(), units);
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
