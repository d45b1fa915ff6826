using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>
/// Douglas–Peucker simplification of a metric track (iterative, so 10⁵-fix tracks cannot overflow the stack).
/// Every raw fix stays within the tolerance of the simplified line, so a buffer of r around the simplified line
/// lies within r + tolerance of the raw track and contains everything within r − tolerance of it.
/// </summary>
internal static class TrackSimplifier
{
    /// <summary>The kept vertices of xs/ys[offset .. offset+count) as coordinates (first and last always kept).</summary>
    public static Coordinate[] Simplify(double[] xs, double[] ys, int offset, int count, double tolerance)
    {
        if (count <= 2 || tolerance <= 0)
        {
            var all = new Coordinate[count];
            for (var i = 0; i < count; i++)
            {
                all[i] = new Coordinate(xs[offset + i], ys[offset + i]);
            }

            return all;
        }

        var keep = new bool[count];
        keep[0] = true;
        keep[count - 1] = true;
        var stack = new Stack<(int From, int To)>();
        stack.Push((0, count - 1));
        var tol2 = tolerance * tolerance;
        while (stack.Count > 0)
        {
            var (from, to) = stack.Pop();
            if (to - from < 2)
            {
                continue;
            }

            double ax = xs[offset + from], ay = ys[offset + from];
            double bx = xs[offset + to], by = ys[offset + to];
            double dx = bx - ax, dy = by - ay;
            var len2 = dx * dx + dy * dy;
            var maxD2 = -1.0;
            var maxI = -1;
            for (var i = from + 1; i < to; i++)
            {
                double px = xs[offset + i] - ax, py = ys[offset + i] - ay;
                double d2;
                if (len2 == 0)
                {
                    d2 = px * px + py * py;
                }
                else
                {
                    var t = Math.Clamp((px * dx + py * dy) / len2, 0.0, 1.0);
                    double ex = px - t * dx, ey = py - t * dy;
                    d2 = ex * ex + ey * ey;
                }

                if (d2 > maxD2)
                {
                    maxD2 = d2;
                    maxI = i;
                }
            }

            if (maxD2 > tol2)
            {
                keep[maxI] = true;
                stack.Push((from, maxI));
                stack.Push((maxI, to));
            }
        }

        var result = new List<Coordinate>();
        for (var i = 0; i < count; i++)
        {
            if (keep[i])
            {
                result.Add(new Coordinate(xs[offset + i], ys[offset + i]));
            }
        }

        return result.ToArray();
    }
}
