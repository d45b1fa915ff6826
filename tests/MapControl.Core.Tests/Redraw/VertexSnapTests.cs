using MapControl.Core.Redraw;
using NetTopologySuite.Geometries;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Redraw;

public sealed class VertexSnapTests
{
    // 1 m north at 37.4N is about 1/110 996 of a degree.
    private const double DegPerMetreLat = 1.0 / 110_996.0;

    [Theory]
    [InlineData(0.09, true)]
    [InlineData(0.11, false)]
    [InlineData(0.5, false)]
    public void Snap_vertexNearANeighboursVertex_movesOntoItOnlyWithin10cm(double offsetM, bool snaps)
    {
        var neighbour = Wkt("POLYGON ((118.51 37.40, 118.52 37.40, 118.52 37.41, 118.51 37.41, 118.51 37.40))");
        var proposed = Wkt($"POLYGON ((118.50 37.40, 118.51 {37.40 + offsetM * DegPerMetreLat:R}, 118.51 37.41, 118.50 37.41, 118.50 37.40))");

        var snapped = VertexSnap.Snap(proposed, [neighbour]);

        var moved = snapped.Coordinates[1];
        (moved.Y == 37.40).Should().Be(snaps);
        if (!snaps) snapped.Should().BeSameAs(proposed);
    }

    [Fact]
    public void DistanceM_oneMetreNorth_isOneMetre() =>
        VertexSnap.DistanceM(new Coordinate(118.5, 37.4), new Coordinate(118.5, 37.4 + DegPerMetreLat)).Should().BeApproximately(1.0, 0.002);

    [Fact]
    public void Snap_noStoredVertexNear_returnsTheSameInstance()
    {
        var proposed = Wkt("POLYGON ((118.50 37.40, 118.51 37.40, 118.51 37.41, 118.50 37.40))");
        VertexSnap.Snap(proposed, [Wkt("POINT (119 38)")]).Should().BeSameAs(proposed);
    }
}
