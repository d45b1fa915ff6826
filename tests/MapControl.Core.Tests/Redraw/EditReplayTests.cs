using MapControl.Core.Redraw;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Redraw;

/// <summary>After a conflict only my own edits are replayed: my shared-vertex moves onto the neighbour's NEW stored geometry.</summary>
public sealed class EditReplayTests
{
    private static readonly WKTReader Reader = new();
    private static Geometry G(string wkt) => Reader.Read(wkt);

    // Neighbour B (east of my item A) shares the edge x = 118.45 with A; its vertex (118.45, 37.45) is shared.
    private const string Started = "POLYGON ((118.45 37.40, 118.50 37.40, 118.50 37.50, 118.45 37.50, 118.45 37.45, 118.45 37.40))";
    // I moved the shared vertex east by 0.01°.
    private const string Mine = "POLYGON ((118.45 37.40, 118.50 37.40, 118.50 37.50, 118.45 37.50, 118.46 37.45, 118.45 37.40))";

    [Fact]
    public void Replay_neighbourChangedElsewhere_keepsTheirChangeAndAppliesMyMove()
    {
        // Meanwhile another planner moved B's north-east corner.
        var storedNow = G("POLYGON ((118.45 37.40, 118.50 37.40, 118.52 37.51, 118.45 37.50, 118.45 37.45, 118.45 37.40))");
        var result = EditReplay.Replay(G(Started), G(Mine), storedNow);
        result.Applied.Should().Be(1);
        result.Skipped.Should().Be(0);
        result.Geometry!.EqualsExact(G("POLYGON ((118.45 37.40, 118.50 37.40, 118.52 37.51, 118.45 37.50, 118.46 37.45, 118.45 37.40))"))
            .Should().BeTrue("their corner stays where they put it, my vertex where I put it: " + result.Geometry);
    }

    [Fact]
    public void Replay_sharedVertexGoneFromTheNewGeometry_neighbourNotProposed()
    {
        // The other planner removed the shared vertex (straight edge now): my move has nothing to act on.
        var storedNow = G("POLYGON ((118.45 37.40, 118.50 37.40, 118.50 37.50, 118.45 37.50, 118.45 37.40))");
        var result = EditReplay.Replay(G(Started), G(Mine), storedNow);
        result.Geometry.Should().BeNull("their geometry is left as they saved it");
        result.Applied.Should().Be(0);
        result.Skipped.Should().Be(1);
    }

    [Fact]
    public void Replay_vertexStillThereWithinTenCentimetres_isMoved()
    {
        // Stored again after a browser round trip: the shared vertex is 5 cm off its old place.
        var storedNow = G("POLYGON ((118.45 37.40, 118.50 37.40, 118.50 37.50, 118.45 37.50, 118.4500005 37.45, 118.45 37.40))");
        EditReplay.Replay(G(Started), G(Mine), storedNow).Geometry!.Coordinates.Should().Contain(new Coordinate(118.46, 37.45));
    }

    [Fact]
    public void Moves_onlyTheVerticesIMoved_closingVertexOnce()
    {
        EditReplay.Moves(G(Started), G(Mine)).Should().ContainSingle()
            .Which.Should().Be((new Coordinate(118.45, 37.45), new Coordinate(118.46, 37.45)));
        var movedFirst = "POLYGON ((118.44 37.40, 118.50 37.40, 118.50 37.50, 118.45 37.50, 118.45 37.45, 118.44 37.40))";
        EditReplay.Moves(G(Started), G(movedFirst)).Should().ContainSingle("the first vertex and the ring's closing copy are one vertex");
    }
}
