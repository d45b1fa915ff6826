using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Redraw;

/// <summary>Matches the polygons of two coverage checks by shared area into groups: created, closed, grown, shrunk (see <see cref="CoverageChanges{T}"/>).</summary>
internal static class ChangeMatcher
{
    /// <summary>Share of the smaller polygon's area that two polygons must have in common to be the same gap or overlap.</summary>
    private const double MatchShare = 0.01;

    public static CoverageChanges<T> Compare<T>(IReadOnlyList<T> before, IReadOnlyList<Polygon> beforeMetric,
        IReadOnlyList<T> after, IReadOnlyList<Polygon> afterMetric, MetricOverlay overlay)
    {
        var tree = new STRtree<int>();
        for (var i = 0; i < beforeMetric.Count; i++) tree.Insert(beforeMetric[i].EnvelopeInternal, i);
        tree.Build();

        // Union-find over before (0..B-1) and after (B..B+A-1) polygons: each connected group of matches is one change.
        var b = beforeMetric.Count;
        var parent = Enumerable.Range(0, b + afterMetric.Count).ToArray();
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        for (var a = 0; a < afterMetric.Count; a++)
        {
            var polygon = afterMetric[a];
            foreach (var m in tree.Query(polygon.EnvelopeInternal))
            {
                if (Equals(polygon, beforeMetric[m]) || SharedArea(polygon, beforeMetric[m], overlay) >= MatchShare * Math.Min(polygon.Area, beforeMetric[m].Area))
                {
                    parent[Find(b + a)] = Find(m);
                }
            }
        }

        var changes = new List<PolygonChange<T>>();
        foreach (var group in Enumerable.Range(0, parent.Length).GroupBy(Find))
        {
            var beforeIndex = group.Where(i => i < b).ToList();
            var afterIndex = group.Where(i => i >= b).Select(i => i - b).ToList();
            var areaBefore = beforeIndex.Sum(i => beforeMetric[i].Area);
            var areaAfter = afterIndex.Sum(i => afterMetric[i].Area);
            ChangeKind? kind = beforeIndex.Count == 0 ? ChangeKind.Created
                : afterIndex.Count == 0 ? ChangeKind.Closed
                : areaAfter - areaBefore > CoverageChanges<T>.ToleranceM2 ? ChangeKind.Grown
                : areaBefore - areaAfter > CoverageChanges<T>.ToleranceM2 ? ChangeKind.Shrunk
                : null;
            if (kind is { } k)
            {
                changes.Add(new PolygonChange<T>(k, beforeIndex.Select(i => before[i]).ToList(), afterIndex.Select(i => after[i]).ToList(), areaBefore, areaAfter));
            }
        }
        changes.Sort((x, y) => Math.Abs(y.DeltaM2).CompareTo(Math.Abs(x.DeltaM2)));
        return new CoverageChanges<T>(changes);
    }

    private static bool Equals(Polygon a, Polygon b) => a.EnvelopeInternal.Equals(b.EnvelopeInternal) && a.EqualsExact(b);

    private static double SharedArea(Polygon a, Polygon b, MetricOverlay overlay) =>
        a.EnvelopeInternal.Intersects(b.EnvelopeInternal) ? overlay.Intersection(a, b).Area : 0.0;
}
