using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Patrol;

public sealed class SegmentDeduplicatorTests
{
    private static readonly GeometryFactory Factory = new();

    private static Coordinate[] Line(string wkt) => new WKTReader().Read(wkt).Coordinates;

    [Fact]
    public void Add_sameRoadAgainWithinTolerance_dropped()
    {
        var dedup = new SegmentDeduplicator(5, Factory);

        dedup.Add(Line("LINESTRING(0 0, 1000 0, 1000 1000)")).Should().ContainSingle().Which.Length.Should().Be(2000);
        dedup.Add(Line("LINESTRING(1000 997, 1003 500, 998 0, 0 4)")).Should().BeEmpty();
    }

    [Fact]
    public void Add_parallelRoadBeyondTolerance_kept()
    {
        var dedup = new SegmentDeduplicator(5, Factory);
        dedup.Add(Line("LINESTRING(0 0, 1000 0)")).Should().ContainSingle();

        dedup.Add(Line("LINESTRING(0 20, 1000 20)")).Should().ContainSingle().Which.Length.Should().Be(1000);
    }

    [Fact]
    public void Add_partlyRepeatedTrack_keepsOnlyNewChains()
    {
        var dedup = new SegmentDeduplicator(5, Factory);
        dedup.Add(Line("LINESTRING(0 0, 1000 0)"));

        var chains = dedup.Add(Line("LINESTRING(0 -500, 0 0, 500 0, 1000 0, 1000 500, 1500 500)")).ToList();

        chains.Select(c => c.ToText()).Should().Equal("LINESTRING (0 -500, 0 0)", "LINESTRING (1000 0, 1000 500, 1500 500)");
    }

    [Fact]
    public void Add_uTurnOnSameRoad_returnLegDropped()
    {
        var dedup = new SegmentDeduplicator(5, Factory);

        var chains = dedup.Add(Line("LINESTRING(0 0, 800 0, 800 2, 0 2)")).ToList();

        chains.Should().ContainSingle().Which.Length.Should().BeApproximately(800, 2.0 + 1e-9);
    }
}
