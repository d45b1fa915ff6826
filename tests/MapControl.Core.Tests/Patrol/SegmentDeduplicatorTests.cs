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

    [Theory]
    [InlineData(4.99, true)]
    [InlineData(5.01, false)]
    public void IsCovered_parallelSegmentAtOffset_droppedExactlyWithinTolerance(double offset, bool covered)
    {
        var dedup = new SegmentDeduplicator(5, Factory);
        dedup.Add(Line("LINESTRING(0 0, 1000 0)"));

        dedup.IsCovered(10, offset, 990, offset).Should().Be(covered);
    }

    [Theory]
    [InlineData(9.9, true)]   // the middle of the gap is 4.95 m from both ends
    [InlineData(10.1, false)] // 5.05 m
    public void IsCovered_twoKeptPiecesWithAGap_coveredOnlyWhenTheGapIsWithinTwiceTheTolerance(double gap, bool covered)
    {
        var dedup = new SegmentDeduplicator(5, Factory);
        dedup.Add([new Coordinate(0, 0), new Coordinate(400, 0)]);
        dedup.Add([new Coordinate(400 + gap, 0), new Coordinate(800, 0)]);

        dedup.IsCovered(0, 0, 800, 0).Should().Be(covered);
    }

    [Fact]
    public void IsCovered_diagonalRoadAcrossManyCells_repeatDroppedAndOffsetKept()
    {
        var dedup = new SegmentDeduplicator(5, Factory);
        dedup.Add(Line("LINESTRING(3 7, 613 457, 1213 1307)"));
        // 3.5 m off the road to its left, perpendicular offsets (−dy, dx)/|d| · 3.5, along both legs.
        var (n1x, n1y) = (-450 / Math.Sqrt(610 * 610 + 450 * 450) * 3.5, 610 / Math.Sqrt(610 * 610 + 450 * 450) * 3.5);

        dedup.IsCovered(3 + 100 * 0.61 + n1x, 7 + 100 * 0.45 + n1y, 613 + n1x, 457 + n1y).Should().BeTrue();
        dedup.IsCovered(3 + 100 * 0.61 + 2 * n1x, 7 + 100 * 0.45 + 2 * n1y, 613 + 2 * n1x, 457 + 2 * n1y).Should().BeFalse();
        // A segment running past the road's end by 4 m is covered (the kept end's disc); by 6 m it is not.
        dedup.IsCovered(913, 882, 1213 + 4 * 0.5767, 1307 + 4 * 0.8170).Should().BeTrue();
        dedup.IsCovered(913, 882, 1213 + 6 * 0.5767, 1307 + 6 * 0.8170).Should().BeFalse();
    }
}
