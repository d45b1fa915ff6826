using MapControl.Core.Model;
using MapControl.Core.Routing;

namespace MapControl.Core.Alerts;

/// <summary>A unit that could go to an alert: how far (metres), how long (minutes) and how fresh its position is.</summary>
public sealed record DispatchCandidate(string UnitCode, string UnitName, string DepartmentCode, double DistanceM, double EtaMinutes,
    DateTimeOffset LastFix, bool SameDepartment, string Method);

/// <summary>
/// Ranks the units available for an alert: those with a fix in the last <see cref="AvailableWithin"/> and not dispatched to another
/// alert still in progress, nearest first. Distances are along the road network when the caller has one (<c>roadDistance</c>
/// gives the best way by road, <see cref="RoadDistance"/>, or null when a point is off the network or no way connects them);
/// otherwise — and when the straight line is no longer than the off-road legs of the road way alone — straight-line. The ETA
/// assumes <see cref="RoadKmh"/> on roads, <see cref="StraightLineKmh"/> over the straight line. <see cref="RoadMethod"/> and
/// <see cref="StraightLineMethod"/> name which was used.
/// </summary>
public static class Dispatch
{
    /// <summary>A dispatched unit is on scene at its first fix within this distance of the alert, metres (the response time's end).</summary>
    public const double OnSceneRadiusM = 300;

    /// <summary>A unit whose latest fix is older than this is not offered (its position is not known).</summary>
    public static readonly TimeSpan AvailableWithin = TimeSpan.FromMinutes(30);

    /// <summary>Average speed over the straight line, km/h (lease roads, detours).</summary>
    public const double StraightLineKmh = 30;

    /// <summary>Average speed along the road network, km/h.</summary>
    public const double RoadKmh = 40;

    /// <summary>The method of a distance along the road network.</summary>
    public const string RoadMethod = "road";

    /// <summary>The method of a straight-line distance.</summary>
    public const string StraightLineMethod = "straight_line";

    /// <summary>Most units the road distance is computed for: the nearest by straight line (a lower bound of the road distance).</summary>
    public const int MaxRoadCandidates = 200;

    /// <summary>Most candidates a ranking returns.</summary>
    public const int MaxTake = 50;

    /// <summary>The units that may be offered: a fix in the last <see cref="AvailableWithin"/>, not busy.</summary>
    public static IEnumerable<(PatrolUnit Unit, GpsFix Latest)> Available(IEnumerable<(PatrolUnit Unit, GpsFix Latest)> units,
        IReadOnlySet<string> busy, DateTimeOffset now) =>
        units.Where(u => Unavailable(u.Unit.Code, u.Latest.Time, busy.Contains(u.Unit.Code) ? 0 : null, now) is null);

    /// <summary>
    /// Why a unit cannot be dispatched now, or null when it can (the rule of <see cref="Available"/>, for the dispatch itself):
    /// its latest fix (<paramref name="latestFix"/>, null: none known) is older than <see cref="AvailableWithin"/>, or it is
    /// dispatched to another alert still in progress (<paramref name="busyWith"/>: that alert's id, 0 when not known).
    /// </summary>
    public static string? Unavailable(string unitCode, DateTimeOffset? latestFix, long? busyWith, DateTimeOffset now)
    {
        if (busyWith is { } other)
            return other > 0 ? $"Unit {unitCode} is dispatched to alert {other}, still in progress." : $"Unit {unitCode} is dispatched to another alert.";
        if (latestFix is not { } t || now - t > AvailableWithin)
            return $"Unit {unitCode} has no position from the last {AvailableWithin.TotalMinutes:0} minutes.";
        return null;
    }

    /// <summary>
    /// The available units nearest by straight line, at most <see cref="MaxRoadCandidates"/>: those the caller computes road
    /// distances for (the straight line is a lower bound of the road distance).
    /// </summary>
    public static IReadOnlyList<(PatrolUnit Unit, GpsFix Latest)> RoadCandidates(double lon, double lat,
        IEnumerable<(PatrolUnit Unit, GpsFix Latest)> units, IReadOnlySet<string> busy, DateTimeOffset now) =>
        Available(units, busy, now).OrderBy(u => Haversine(u.Latest.Lon, u.Latest.Lat, lon, lat)).ThenBy(u => u.Unit.Code, StringComparer.Ordinal)
            .Take(MaxRoadCandidates).ToArray();

    /// <summary>The candidates, nearest first (at most <paramref name="take"/>, at most <see cref="MaxTake"/>).</summary>
    public static IReadOnlyList<DispatchCandidate> Rank(double lon, double lat, string? alertDepartment,
        IEnumerable<(PatrolUnit Unit, GpsFix Latest)> units, IReadOnlySet<string> busy, DateTimeOffset now,
        Func<GpsFix, RoadRoute?>? roadDistance = null, int take = 10)
    {
        var list = new List<DispatchCandidate>();
        foreach (var (unit, fix) in Available(units, busy, now))
        {
            var straight = Haversine(fix.Lon, fix.Lat, lon, lat);
            var road = roadDistance?.Invoke(fix);
            var (distance, kmh, method) = road is { } r && straight > r.OffRoadM
                ? (r.Metres, RoadKmh, RoadMethod)
                : (straight, StraightLineKmh, StraightLineMethod);
            list.Add(new DispatchCandidate(unit.Code, unit.Name, unit.DepartmentCode, Math.Round(distance), Math.Round(distance / 1000 / kmh * 60, 1),
                fix.Time, unit.DepartmentCode == alertDepartment, method));
        }
        return list.OrderBy(c => c.DistanceM).ThenBy(c => c.UnitCode, StringComparer.Ordinal).Take(Math.Clamp(take, 1, MaxTake)).ToArray();
    }

    /// <summary>Great-circle distance in metres (WGS84 mean radius).</summary>
    public static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        const double r = 6_371_008.8;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * r * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
