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
                var length = p.Distance(q);
                if (length > step)
                {
                    var n = (int)Math.Ceiling(length / step);
                    var forward = p.CompareTo(q) <= 0;
                    var a = forward ? p : q;
                    var b = forward ? q : p;
                    for (var k = 1; k < n; k++)
                    {
                        var j = forward ? k : n - k;
                        result.Add(new Coordinate(a.X + (b.X - a.X) * j / n, a.Y + (b.Y - a.Y) * j / n));
                    }
                }
                result.Add(q.Copy());
            }
            return result.ToArray();
        }
    }
}
