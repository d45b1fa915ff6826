using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Kpi;

/// <summary>Options of a patrol-hours computation; the track-break rule defaults to the one of patrol coverage (DESIGN §4).</summary>
/// <param name="MaxTimeGap">Consecutive fixes further apart in time than this break the track (null: <see cref="TrackOptions.DefaultMaxTimeGap"/>, 10 min).</param>
/// <param name="MaxJumpM">Consecutive fixes further apart than this many metres break the track (default 2 km).</param>
/// <param name="Projection">Metric projection for the jump distance (null: centred on the fixes, as <see cref="TrackBuilder"/> does).</param>
public sealed record PatrolHoursOptions(TimeSpan? MaxTimeGap = null, double MaxJumpM = TrackOptions.DefaultMaxJumpM, MetricProjection? Projection = null);

/// <summary>
/// Patrol hours per department and China Standard Time date from GPS fixes — the exposure of "cases per patrol hour".
/// </summary>
/// <remarks>
/// Definition: the fixes in [from, to) are split per unit into tracks in time order by the patrol-coverage rule
/// (<see cref="TrackBuilder"/>: a track breaks where consecutive fixes are more than 10 min or more than 2 km apart, exactly
/// equal stays, and at midnight China Standard Time). Each interval between two consecutive fixes of one track counts its duration as patrol time of the one
/// department that <see cref="IncidentAttribution"/> gives the interval's midpoint (the mean of the two fixes' lon/lat) at the
/// interval's start — the incident rule: the jurisdiction version in force then; in an overlap or on a shared boundary the
/// smallest department code, so the centre's hours are the departments' sum without double counting. The hours go to the
/// China Standard Time (UTC+8) calendar date of the interval's start. Intervals whose midpoint the rule gives no department
/// count for none; an interval ending at or after <c>to</c> (or starting before <c>from</c>) is not counted, since only fixes
/// inside [from, to) are taken.
/// </remarks>
public static class PatrolHoursCalculator
{
    /// <summary>Patrol hours per department and CST date of the fixes in [<paramref name="from"/>, <paramref name="to"/>), ordered by department, then date.</summary>
    public static IReadOnlyList<PatrolHours> Compute(IReadOnlyList<GpsFix> fixes, IReadOnlyList<Jurisdiction> jurisdictions,
        DateTimeOffset from, DateTimeOffset to, PatrolHoursOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        ArgumentNullException.ThrowIfNull(jurisdictions);
        if (to <= from) throw new ArgumentException($"The range is empty: {from:O} is not before {to:O}.", nameof(to));
        if (fixes.Count == 0 || jurisdictions.Count == 0) return [];
        return new PatrolHoursWorker(new IncidentAttribution(jurisdictions, []), options ?? new PatrolHoursOptions()).Run(fixes, from, to);
    }

    /// <summary>
    /// As <see cref="Compute(IReadOnlyList{GpsFix}, IReadOnlyList{Jurisdiction}, DateTimeOffset, DateTimeOffset, PatrolHoursOptions?)"/> with
    /// the attribution rule built once over the jurisdictions (a caller computing many days one by one).
    /// </summary>
    public static IReadOnlyList<PatrolHours> Compute(IReadOnlyList<GpsFix> fixes, IncidentAttribution attribution,
        DateTimeOffset from, DateTimeOffset to, PatrolHoursOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        ArgumentNullException.ThrowIfNull(attribution);
        if (to <= from) throw new ArgumentException($"The range is empty: {from:O} is not before {to:O}.", nameof(to));
        if (fixes.Count == 0) return [];
        return new PatrolHoursWorker(attribution, options ?? new PatrolHoursOptions()).Run(fixes, from, to);
    }
}

internal sealed class PatrolHoursWorker(IncidentAttribution attribution, PatrolHoursOptions options)
{
    private readonly IncidentAttribution _attribution = attribution;
    private readonly GeometryFactory _factory = new(new PrecisionModel(), 4326);
    private readonly Dictionary<(string Department, DateOnly Date), double> _hours = new();

    public IReadOnlyList<PatrolHours> Run(IReadOnlyList<GpsFix> fixes, DateTimeOffset from, DateTimeOffset to)
    {
        if (fixes.Count == 0) return [];
        var trackOptions = new TrackOptions(options.MaxTimeGap, options.MaxJumpM, from, to, options.Projection);
        var projection = options.Projection ?? TrackBuilder.ProjectionFor(fixes);
        var tracks = TrackBuilder.BuildDetailed(fixes, new Dictionary<string, string>(StringComparer.Ordinal), trackOptions, projection);
        foreach (var track in tracks)
        {
            var f = track.Fixes;
            for (var i = track.Offset; i < track.Offset + track.Count - 1; i++)
                AddInterval(f[i], f[i + 1]);
        }
        return _hours
            .OrderBy(e => e.Key.Department, StringComparer.Ordinal).ThenBy(e => e.Key.Date)
            .Select(e => new PatrolHours(e.Key.Department, e.Key.Date, e.Value))
            .ToList();
    }

    private void AddInterval(GpsFix a, GpsFix b)
    {
        var hours = (b.Time - a.Time).TotalHours;
        if (hours <= 0) return;
        var midpoint = _factory.CreatePoint(new Coordinate((a.Lon + b.Lon) / 2, (a.Lat + b.Lat) / 2));
        if (_attribution.DepartmentAt(midpoint, a.Time) is not { } department) return;
        var key = (department, ChinaTime.DateOf(a.Time));
        _hours[key] = _hours.TryGetValue(key, out var sum) ? sum + hours : hours;
    }
}
