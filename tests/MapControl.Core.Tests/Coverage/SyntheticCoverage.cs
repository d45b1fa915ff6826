using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Coverage;

/// <summary>Seeded synthetic coverages: a grid of cells in local metres whose shared edges are jittered identically on both sides.</summary>
internal static class SyntheticCoverage
{
    private static readonly GeometryFactory Metric = new();

    /// <summary>A cols × rows grid of cells (owner "D{index}") with wiggly matching edges, and its frame, both in local metres.</summary>
    public static (Polygon Frame, List<Polygon> Cells) Grid(int cols, int rows, double cellM, int verticesPerEdge, double jitterM, int seed)
    {
        var cells = new List<Polygon>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var ring = new List<Coordinate>();
                ring.AddRange(Edge(c, r, c + 1, r, cellM, verticesPerEdge, jitterM, seed, cols, rows));
                ring.AddRange(Edge(c + 1, r, c + 1, r + 1, cellM, verticesPerEdge, jitterM, seed, cols, rows));
                ring.AddRange(Edge(c + 1, r + 1, c, r + 1, cellM, verticesPerEdge, jitterM, seed, cols, rows));
                ring.AddRange(Edge(c, r + 1, c, r, cellM, verticesPerEdge, jitterM, seed, cols, rows));
                ring.Add(ring[0].Copy());
                cells.Add(Metric.CreatePolygon(ring.ToArray()));
            }
        }
        var frame = (Polygon)Metric.ToGeometry(new Envelope(0, cols * cellM, 0, rows * cellM));
        return (frame, cells);
    }

    /// <summary>The edge between grid nodes (x1,y1) → (x2,y2) without its end point; interior vertices jittered across the edge, zero on the grid border.</summary>
    private static IEnumerable<Coordinate> Edge(int x1, int y1, int x2, int y2, double cellM, int n, double jitterM, int seed, int cols, int rows)
    {
        var forward = (x1, y1).CompareTo((x2, y2)) < 0;
        var (ax, ay, bx, by) = forward ? (x1, y1, x2, y2) : (x2, y2, x1, y1);
        var onBorder = (ax == bx && (ax == 0 || ax == cols)) || (ay == by && (ay == 0 || ay == rows));
        // A stable hash (HashCode.Combine is randomised per process): the same seed gives the same coverage in every run.
        var random = new Random(unchecked(((((seed * 31 + ax) * 31 + ay) * 31 + bx) * 31) + by));
        var points = new Coordinate[n];
        for (var i = 0; i < n; i++)
        {
            var t = (double)i / n;
            var offset = i == 0 || onBorder ? 0 : (random.NextDouble() * 2 - 1) * jitterM * Math.Sin(Math.PI * t);
            var x = (ax + (bx - ax) * t) * cellM + (ay == by ? 0 : offset);
            var y = (ay + (by - ay) * t) * cellM + (ax == bx ? 0 : offset);
            points[i] = new Coordinate(x, y);
        }
        if (forward) return points;
        // Walk the same vertices backwards, starting at the other end node.
        var end = new Coordinate(bx * cellM, by * cellM);
        return new[] { end }.Concat(points.Skip(1).Reverse());
    }

    /// <summary>Local-metre polygon(s) as a lon/lat geometry through <see cref="CoverageTestGeometry.Local"/>.</summary>
    public static Geometry ToLonLat(Geometry localMetres)
    {
        var shifted = localMetres.Copy();
        var dx = CoverageTestGeometry.Local.Forward(118.5, 37.4).X;
        shifted.Apply(new Shift(dx));
        shifted.GeometryChanged();
        return CoverageTestGeometry.Local.Inverse(shifted);
    }

    /// <summary>A coverage input from local-metre cells: owner "D{i}" for cell i.</summary>
    public static CoverageInput Input(Polygon frame, IEnumerable<Geometry> cells) =>
        new(ToLonLat(frame), cells.Select((g, i) => new CoverageItem(ToLonLat(g), $"D{i:000}")).ToList());

    private sealed class Shift(double dx) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++) seq.SetX(i, seq.GetX(i) + dx);
        }
    }
}
