using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Coverage;

/// <summary>Finds metric points inside (or covered by) polygons, with an STRtree over the points and a prepared polygon per query.</summary>
internal sealed class PointCounter<T>
{
    private readonly STRtree<(Point Point, T Item)> _tree = new();
    private readonly bool _empty;

    public PointCounter(IEnumerable<(Point Point, T Item)> points)
    {
        foreach (var p in points)
        {
            _tree.Insert(p.Point.EnvelopeInternal, p);
        }
        _empty = _tree.Count == 0;
        if (!_empty) _tree.Build();
    }

    /// <summary>The items whose points lie in the interior of the polygon.</summary>
    public List<T> Inside(Geometry polygon) => Select(polygon, boundaryCounts: false);

    /// <summary>The items whose points lie in the polygon or on its boundary.</summary>
    public List<T> Covered(Geometry polygon) => Select(polygon, boundaryCounts: true);

    private List<T> Select(Geometry polygon, bool boundaryCounts)
    {
        var result = new List<T>();
        if (_empty || polygon.IsEmpty) return result;
        var candidates = _tree.Query(polygon.EnvelopeInternal);
        if (candidates.Count == 0) return result;
        var prepared = PreparedGeometryFactory.Prepare(polygon);
        foreach (var (point, item) in candidates)
        {
            if (boundaryCounts ? prepared.Covers(point) : prepared.Contains(point)) result.Add(item);
        }
        return result;
    }
}
