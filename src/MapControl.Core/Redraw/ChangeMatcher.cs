using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Redraw;

/// <summary>Matches the polygons of two coverage checks by shared area to find what was created, closed or changed.</summary>
internal static class ChangeMatcher
{
    /// <summary>Share of the smaller polygon's area that two polygons must have in common to be the same gap or overlap.</summary>
    private const double MatchShare = 0.01;

    public static CoverageChanges<T> Compare<T>(IReadOnlyList<T> before, IReadOnlyList<Polygon> beforeMetric,
        IReadOnlyList<T> after, IReadOnlyList<Polygon> afterMetric, MetricOverlay overlay, double minAreaM2)
    {
        var tree = new STRtree<int>();
        for (var i = 0; i < beforeMetric.Count; i++) tree.Insert(beforeMetric[i].EnvelopeInternal, i);
        tree.Build();

        var beforeMatched = new bool[beforeMetric.Count];
        var created = new List<T>();
        var changed = new List<T>();
        for (var a = 0; a < afterMetric.Count; a++)
        {
            var polygon = afterMetric[a];
            var matches = tree.Query(polygon.EnvelopeInternal)
                .Where(b => SharedArea(polygon, beforeMetric[b], overlay) >= MatchShare * Math.Min(polygon.Area, beforeMetric[b].Area))
                .ToList();
            if (matches.Count == 0)
            {
                created.Add(after[a]);
                continue;
            }
            foreach (var b in matches) beforeMatched[b] = true;
            var previous = overlay.Union(matches.Select(b => (Geometry)beforeMetric[b]), polygon.Factory);
            var difference = overlay.Difference(polygon, previous).Area + overlay.Difference(previous, polygon).Area;
            if (difference >= Math.Max(minAreaM2, 1e-6)) changed.Add(after[a]);
        }
        var closed = before.Where((_, b) => !beforeMatched[b]).ToList();
        return new CoverageChanges<T>(created, closed, changed);
    }

    private static double SharedArea(Polygon a, Polygon b, MetricOverlay overlay) =>
        a.EnvelopeInternal.Intersects(b.EnvelopeInternal) ? overlay.Intersection(a, b).Area : 0.0;
}
