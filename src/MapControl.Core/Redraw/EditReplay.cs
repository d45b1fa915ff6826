using NetTopologySuite.Geometries;

namespace MapControl.Core.Redraw;

/// <summary>What a replay did to one neighbour: its geometry to propose (null when none of my moves applies) and the counts.</summary>
public sealed record ReplayResult(Geometry? Geometry, int Applied, int Skipped);

/// <summary>
/// "Reload and re-apply my change" after a conflict (docs/DEFINITIONS.md, "Re-applying an edit after a conflict"): only this
/// planner's own edits are replayed onto what is stored now. The edited item takes the planner's geometry; a neighbour takes
/// its NEW stored geometry with the planner's shared-vertex moves applied where the moved vertex still exists in it (a vertex
/// of the new geometry within <see cref="VertexSnap.ToleranceM"/> of the vertex's old place); a move whose vertex is gone is
/// skipped, and a neighbour none of whose moves applies is not proposed at all — so another planner's change to a neighbour
/// is never overwritten by the old geometry.
/// </summary>
public static class EditReplay
{
    /// <summary>The planner's vertex moves on a neighbour: vertices of <paramref name="started"/> (as the edit began) that the
    /// editor moved in <paramref name="mine"/> (the editor only moves neighbour vertices in place: same rings, same order).</summary>
    /// <exception cref="ArgumentException">The two geometries do not have the same rings and vertices count.</exception>
    public static IReadOnlyList<(Coordinate From, Coordinate To)> Moves(Geometry started, Geometry mine, double toleranceM = VertexSnap.ToleranceM)
    {
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(mine);
        var a = started.Coordinates;
        var b = mine.Coordinates;
        if (a.Length != b.Length || started.NumGeometries != mine.NumGeometries)
            throw new ArgumentException("The neighbour as edited does not have the vertices it had when the edit began.", nameof(mine));
        var moves = new List<(Coordinate, Coordinate)>();
        var seen = new HashSet<(double, double)>();
        for (var i = 0; i < a.Length; i++)
        {
            if (VertexSnap.DistanceM(a[i], b[i]) <= toleranceM) continue;
            if (seen.Add((a[i].X, a[i].Y))) moves.Add((a[i].Copy(), b[i].Copy()));   // a ring's closing vertex repeats its first
        }
        return moves;
    }

    /// <summary>The planner's moves (<see cref="Moves"/>) re-applied onto the neighbour's geometry stored now.</summary>
    public static ReplayResult Replay(Geometry started, Geometry mine, Geometry storedNow, double toleranceM = VertexSnap.ToleranceM)
    {
        ArgumentNullException.ThrowIfNull(storedNow);
        var moves = Moves(started, mine, toleranceM);
        var copy = storedNow.Copy();
        int applied = 0, skipped = 0;
        foreach (var (from, to) in moves)
        {
            var filter = new MoveFilter(from, to, toleranceM);
            copy.Apply(filter);
            if (filter.Count > 0) applied++; else skipped++;
        }
        if (applied == 0) return new ReplayResult(null, 0, skipped);
        copy.GeometryChanged();
        return new ReplayResult(copy, applied, skipped);
    }

    private sealed class MoveFilter(Coordinate from, Coordinate to, double toleranceM) : ICoordinateSequenceFilter
    {
        public int Count { get; private set; }
        public bool Done => false;
        public bool GeometryChanged => Count > 0;

        public void Filter(CoordinateSequence seq, int i)
        {
            var c = seq.GetCoordinate(i);
            if (VertexSnap.DistanceM(c, from) > toleranceM) return;
            seq.SetX(i, to.X);
            seq.SetY(i, to.Y);
            Count++;
        }
    }
}
