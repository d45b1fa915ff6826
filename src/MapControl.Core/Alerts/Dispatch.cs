using MapControl.Core.Model;

namespace MapControl.Core.Alerts;

/// <summary>A unit that could go to an alert: how far (metres), how long (minutes) and how fresh its position is.</summary>
public sealed record DispatchCandidate(string UnitCode, string UnitName, string DepartmentCode, double DistanceM, double EtaMinutes,
    DateTimeOffset LastFix, bool SameDepartment, string Method);

/// <summary>
/// Ranks the units available for an alert: those with a fix in the last <see cref="AvailableWithin"/> and not dispatched to another
/// alert still in progress, nearest first. Distances are along the road network when the caller has one (<c>roadDistance</c>
/// gives metres, or null for a point off the network); otherwise straight-line, and the ETA assumes <see cref="StraightLineKmh"/>
/// (<see cref="RoadKmh"/> on roads).
/// </summary>
public static class Dispatch
{
    /// <summary>A unit whose latest fix is older than this is not offered (its position is not known).</summary>
    public static readonly TimeSpan AvailableWithin = TimeSpan.FromMinutes(30);

    /// <summary>Average speed over the straight line, km/h (lease roads, detours).</summary>
    public const double StraightLineKmh = 30;

    /// <summary>Average speed along the road network, km/h.</summary>
    public const double RoadKmh = 40;

    /// <summary>The candidates, nearest first (at most <paramref name="take"/>).</summary>
    public static IReadOnlyList<DispatchCandidate> Rank(double lon, double lat, string? alertDepartment,
        IEnumerable<(PatrolUnit Unit, GpsFix Latest)> units, IReadOnlySet<string> busy, DateTimeOffset now,
        Func<GpsFix, double?>? roadDistance = null, int take = 10)
    {
        var list = new List<DispatchCandidate>();
        foreach (var (unit, fix) in units)
        {
            if (busy.Contains(unit.Code) || now - fix.Time > AvailableWithin) continue;
            var road = roadDistance?.Invoke(fix);
            var (distance, kmh, method) = road is { } r ? (r, RoadKmh, "road") : (Haversine(fix.Lon, fix.Lat, lon, lat), StraightLineKmh, "straight_line");
            list.Add(new DispatchCandidate(unit.Code, unit.Name, unit.DepartmentCode, Math.Round(distance), Math.Round(distance / 1000 / kmh * 60, 1),
                fix.Time, unit.DepartmentCode == alertDepartment, method));
        }
        return list.OrderBy(c => c.DistanceM).ThenBy(c => c.UnitCode, StringComparer.Ordinal).Take(take).ToArray();
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
