using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>
/// Adds vertices to lon/lat edges longer than a step so that an edge straight in lon/lat stays within millimetres of
/// its projection. Split points depend only on the segment, not its direction, so shared edges of neighbours get the
/// same vertices and stay matched.
/// </summary>
internal static class LonLatDensifier
{
    /// <summary>A densified copy of a geometry (the input when the step is not positive).</summary>
    public static Geometry Densify(Geometry lonLat, double stepDegrees)
    {
        if (stepDegrees <= 0 || lonLat.IsEmpty) return lonLat;
        var copy = lonLat.Copy();
        var editor = new NetTopologySuite.Geometries.Utilities.GeometryEditor(lonLat.Factory);
        return editor.Edit(copy, new Operation(stepDegrees));
    }

    /// <summary>Number of pieces a segment p→q is cut into (1: no split): ⌈length / step⌉ when longer than the step.</summary>
    internal static int Pieces(double px, double py, double qx, double qy, double stepDegrees)
    {
        if (stepDegrees <= 0) return 1;
        var length = Math.Sqrt((qx - px) * (qx - px) + (qy - py) * (qy - py));
        return length > stepDegrees ? (int)Math.Ceiling(length / stepDegrees) : 1;
    }

    /// <summary>
    /// The k-th of the n − 1 split points of p→q, walking from p. Computed from the segment's lesser end point (X, then Y)
    /// whichever way it is walked, so both neighbours sharing the edge get bit-identical vertices.
    /// </summary>
    internal static (double X, double Y) SplitPoint(double px, double py, double qx, double qy, int k, int n)
    {
        var forward = px < qx || (px == qx && py <= qy);
        double ax = forward ? px : qx, ay = forward ? py : qy, bx = forward ? qx : px, by = forward ? qy : py;
        var j = forward ? k : n - k;
        return (ax + (bx - ax) * j / n, ay + (by - ay) * j / n);
    }

    private sealed class Operation(double step) : NetTopologySuite.Geometries.Utilities.GeometryEditor.CoordinateOperation
    {
        public override Coordinate[] Edit(Coordinate[] coordinates, Geometry geometry)
        {
            if (coordinates.Length < 2) return coordinates;
            var result = new List<Coordinate>(coordinates.Length) { coordinates[0].Copy() };
            for (var i = 1; i < coordinates.Length; i++)
            {
                var p = coordinates[i - 1];
                var q = coordinates[i];
                var n = Pieces(p.X, p.Y, q.X, q.Y, step);
                for (var k = 1; k < n; k++)
                {
                    var (x, y) = SplitPoint(p.X, p.Y, q.X, q.Y, k, n);
                    result.Add(new Coordinate(x, y));
                }
                result.Add(q.Copy());
            }
            return result.ToArray();
        }
    }
}
