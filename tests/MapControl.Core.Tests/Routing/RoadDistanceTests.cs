using MapControl.Core.Alerts;
using MapControl.Core.Model;
using MapControl.Core.Routing;

namespace MapControl.Core.Tests.Routing;

/// <summary>
/// Road distance on a hand-built graph whose shortest ways are worked out by hand (below): off-road legs, partial segments,
/// a one-way segment, one shared segment, points off the network and unreachable ones; and how dispatch chooses road or straight.
/// </summary>
public sealed class RoadDistanceTests
{
    // Vertices 1..4. S1 1–2 1000 m, S2 2–3 1000 m, S3 3–4 500 m, S4 1–4 3000 m (all both ways), S5 2→4 200 m one way.
    // Shortest (by hand): 1→3 1700 (1-2-4-3), 1→4 1200, 2→3 700, 2→4 200, 3→1 2000 (3-2-1), 3→2 1000, 4→1 2500 (4-3-2-1), 4→2 1500.
    private static readonly Dictionary<(long, long), double> Shortest = new()
    {
        [(1, 3)] = 1700, [(1, 4)] = 1200, [(2, 3)] = 700, [(2, 4)] = 200, [(3, 1)] = 2000, [(3, 2)] = 1000, [(4, 1)] = 2500, [(4, 2)] = 1500,
        [(1, 2)] = 1000, [(2, 1)] = 1000, [(3, 4)] = 500, [(4, 3)] = 500,
    };

    private static double? Cost(long a, long b) => Shortest.TryGetValue((a, b), out var c) ? c : null;

    private static RoadSnap S1(double f, double off) => new(1, 1, 2, 1000, 1000, f, off);
    private static RoadSnap S3(double f, double off) => new(3, 3, 4, 500, 500, f, off);

    [Fact]
    public void Best_takes_the_shortest_of_the_ends_with_off_road_legs_and_partial_segments()
    {
        // Leave S1 at 1 (50 + 250) or 2 (50 + 750); reach the middle of S3 from 3 or 4 (250 + 20).
        // 1→3 2270, 1→4 1770, 2→3 1770, 2→4 800 + 200 + 270 = 1270.
        var route = RoadDistance.Best(S1(0.25, 50), S3(0.5, 20), Cost)!;
        route.Metres.Should().BeApproximately(1270, 1e-9);
        route.OffRoadM.Should().Be(70);
        (route.FromVertex, route.ToVertex).Should().Be((2L, 4L));
    }

    [Fact]
    public void A_one_way_segment_is_not_driven_backwards()
    {
        // Back from S3's middle to S1 at 0.25: 3→2 (1000) then 750 along S1 = 2000; 4→2 would be 200 only against the one-way S5.
        var route = RoadDistance.Best(S3(0.5, 0), S1(0.25, 0), Cost)!;
        route.Metres.Should().BeApproximately(2000, 1e-9);
        (route.FromVertex, route.ToVertex).Should().Be((3L, 2L));
    }

    [Fact]
    public void On_one_segment_the_way_stays_on_it_and_a_one_way_segment_only_one_way()
    {
        var route = RoadDistance.Best(S1(0.2, 10), S1(0.7, 30), Cost)!;
        route.Metres.Should().BeApproximately(540, 1e-9);
        route.SameSegment.Should().BeTrue();

        var oneWay = new RoadSnap(5, 2, 4, 200, -1, 0.75, 0);
        RoadDistance.Best(oneWay with { Fraction = 0.25 }, oneWay, Cost)!.Metres.Should().BeApproximately(100, 1e-9);
        // Backwards along the one-way: leave by 4 (50), around 4→3→2 (1500), then 0.25 × 200 along it = 1600.
        RoadDistance.Best(oneWay, oneWay with { Fraction = 0.25 }, Cost)!.Metres.Should().BeApproximately(1600, 1e-9);
    }

    [Fact]
    public void Off_the_network_or_unreachable_is_no_road_distance()
    {
        RoadDistance.Best(S1(0.5, RoadDistance.OffNetworkM + 1), S3(0.5, 0), Cost).Should().BeNull();
        RoadDistance.Best(S1(0.5, 0), S3(0.5, RoadDistance.OffNetworkM + 1), Cost).Should().BeNull();
        RoadDistance.Best(S1(0.5, 0), S3(0.5, 0), (_, _) => null).Should().BeNull();
    }

    [Fact]
    public void Dispatch_ranks_by_road_and_falls_back_to_the_straight_line_per_unit()
    {
        var now = new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);
        // The alert at (118.5, 37.5); units to the east at 1000, 1500, 2000 and 100 m (1° of longitude ≈ 88.3 km at 37.5°).
        static GpsFix At(string code, double metres, DateTimeOffset t) => new(code, t, 118.5 + metres / 88_300, 37.5);
        var units = new (PatrolUnit, GpsFix)[]
        {
            (new PatrolUnit("A", "D1", "A", "a"), At("A", 1000, now)),
            (new PatrolUnit("B", "D1", "B", "b"), At("B", 1500, now)),
            (new PatrolUnit("C", "D2", "C", "c"), At("C", 2000, now)),
            (new PatrolUnit("D", "D1", "D", "d"), At("D", 100, now)),
        };
        var roads = new Dictionary<string, RoadRoute?>
        {
            ["A"] = new RoadRoute(3000, 40, 1, 2), // around a canal
            ["B"] = new RoadRoute(1600, 30, 1, 2),
            ["C"] = null,                           // off the network
            ["D"] = new RoadRoute(700, 300, 1, 2),  // the straight line (≈100 m) is shorter than its off-road legs
        };
        var ranked = Dispatch.Rank(118.5, 37.5, "D1", units, new HashSet<string>(), now, f => roads[f.UnitCode]);
        ranked.Select(c => (c.UnitCode, c.Method)).Should().Equal(("D", "straight_line"), ("B", "road"), ("C", "straight_line"), ("A", "road"));
        ranked[1].DistanceM.Should().Be(1600);
        ranked[1].EtaMinutes.Should().Be(Math.Round(1.6 / Dispatch.RoadKmh * 60, 1));
        ranked[2].EtaMinutes.Should().Be(Math.Round(ranked[2].DistanceM / 1000 / Dispatch.StraightLineKmh * 60, 1));

        Dispatch.RoadCandidates(118.5, 37.5, units, new HashSet<string> { "D" }, now).Select(u => u.Unit.Code).Should().Equal("A", "B", "C");
        Dispatch.Rank(118.5, 37.5, "D1", units, new HashSet<string>(), now, take: 1000).Should().HaveCount(4, "take is bounded, not trusted");
    }
}
