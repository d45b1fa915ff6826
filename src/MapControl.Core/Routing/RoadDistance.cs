namespace MapControl.Core.Routing;

/// <summary>
/// Where a point meets the road network: the nearest segment (its id, end vertices and costs in metres source → target and
/// back, negative = not drivable that way), the fraction along it (0 at source, 1 at target) of the nearest point and the
/// off-road metres from the point to it.
/// </summary>
public readonly record struct RoadSnap(long Segment, long Source, long Target, double Cost, double ReverseCost, double Fraction, double OffRoadM);

/// <summary>
/// The best way by road between two snapped points: metres in all (off-road legs included), the off-road part, and the vertices
/// where it leaves the first point's segment and enters the second's (null both when it stays on one segment).
/// </summary>
public sealed record RoadRoute(double Metres, double OffRoadM, long? FromVertex, long? ToVertex)
{
    /// <summary>True when both points lie on the same segment and the way never leaves it.</summary>
    public bool SameSegment => FromVertex is null;
}

/// <summary>
/// Road distance (docs/DEFINITIONS.md "Road distance"): from a point, off-road to the nearest point of the nearest segment, along
/// that segment to one of its ends, along the network (shortest path, pgRouting) to an end of the target's segment, along it
/// and off-road to the target; the shortest of these (and of staying on one shared segment). A point farther than
/// <see cref="OffNetworkM"/> from every road is off the network: no road distance.
/// </summary>
public static class RoadDistance
{
    /// <summary>A point farther than this from every road segment is off the network (metres).</summary>
    public const double OffNetworkM = 1_000;

    /// <summary>The vertices a point can leave its segment by, with the metres from the point to each (off-road leg included).</summary>
    public static IEnumerable<(long Vertex, double Metres)> Departures(RoadSnap s)
    {
        if (s.ReverseCost >= 0) yield return (s.Source, s.OffRoadM + s.Fraction * s.ReverseCost);
        if (s.Cost >= 0) yield return (s.Target, s.OffRoadM + (1 - s.Fraction) * s.Cost);
    }

    /// <summary>The vertices a point can be reached from along its segment, with the metres from each to the point.</summary>
    public static IEnumerable<(long Vertex, double Metres)> Arrivals(RoadSnap s)
    {
        if (s.Cost >= 0) yield return (s.Source, s.Fraction * s.Cost + s.OffRoadM);
        if (s.ReverseCost >= 0) yield return (s.Target, (1 - s.Fraction) * s.ReverseCost + s.OffRoadM);
    }

    /// <summary>
    /// The best way from <paramref name="from"/> to <paramref name="to"/>; <paramref name="vertexCost"/> gives the network metres
    /// between two vertices (0 for the same vertex) or null when unreachable. Null when no way exists or a point is off the network.
    /// </summary>
    public static RoadRoute? Best(RoadSnap from, RoadSnap to, Func<long, long, double?> vertexCost)
    {
        ArgumentNullException.ThrowIfNull(vertexCost);
        if (!OnNetwork(from) || !OnNetwork(to)) return null;
        RoadRoute? best = null;
        if (from.Segment == to.Segment)
        {
            var forward = to.Fraction >= from.Fraction;
            var cost = forward ? from.Cost : from.ReverseCost;
            if (cost >= 0)
                best = new RoadRoute(from.OffRoadM + Math.Abs(to.Fraction - from.Fraction) * cost + to.OffRoadM, from.OffRoadM + to.OffRoadM, null, null);
        }
        foreach (var (v, dm) in Departures(from))
        foreach (var (w, am) in Arrivals(to))
        {
            var network = v == w ? 0 : vertexCost(v, w);
            if (network is not { } n) continue;
            var total = dm + n + am;
            if (best is null || total < best.Metres) best = new RoadRoute(total, from.OffRoadM + to.OffRoadM, v, w);
        }
        return best;
    }

    /// <summary>True when the point is close enough to a road (<see cref="OffNetworkM"/>).</summary>
    public static bool OnNetwork(RoadSnap s) => s.OffRoadM <= OffNetworkM;
}
