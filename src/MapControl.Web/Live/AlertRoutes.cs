using System.Collections.Concurrent;
using MapControl.Core.Alerts;
using MapControl.Data.Routing;

namespace MapControl.Web.Live;

/// <summary>
/// The way of each dispatched unit to its alert, shared by every open map and the API: computed by <see cref="RoadNetwork.PathAsync"/>
/// (along the roads, or straight) and computed again only when the unit has moved more than <see cref="RecomputeAfterM"/> since
/// (a new road network shows on the next such move). At most <see cref="MaxEntries"/> ways are kept.
/// </summary>
public sealed class AlertRoutes(RoadNetwork roads, LiveFeed feed, ILogger<AlertRoutes> log)
{
    /// <summary>A way is computed again when its unit is farther than this from where it was computed (metres).</summary>
    public const double RecomputeAfterM = 100;

    /// <summary>Most ways kept (one per dispatched alert).</summary>
    public const int MaxEntries = 1_000;

    private sealed record Entry(string Unit, double Lon, double Lat, RoadPath Path);

    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    /// <summary>The way of the alert's dispatched unit from its latest fix, or null when the alert is not dispatched or the unit has no fix.</summary>
    public async Task<RoadPath?> GetAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Status != AlertStatus.Dispatched || alert.DispatchedUnit is not { } unit || feed.Latest(unit) is not { } fix)
        {
            _entries.TryRemove(alert.Id, out _);
            return null;
        }
        if (_entries.TryGetValue(alert.Id, out var e) && e.Unit == unit && Dispatch.Haversine(e.Lon, e.Lat, fix.Lon, fix.Lat) < RecomputeAfterM)
            return e.Path;
        RoadPath path;
        try
        {
            path = await roads.PathAsync(fix.Lon, fix.Lat, alert.Lon, alert.Lat, cancellationToken).ConfigureAwait(false);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            log.LogWarning("Route of alert {Id} not computed: {Message}", alert.Id, ex.Message);
            return null;
        }
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[alert.Id] = new Entry(unit, fix.Lon, fix.Lat, path);
        return path;
    }
}
