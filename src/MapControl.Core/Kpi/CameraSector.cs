using MapControl.Core.Crs;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Kpi;

/// <summary>The view sector of a camera (监控点覆盖范围): apex at the camera, heading ± half the field of view, out to its range.</summary>
public static class CameraSector
{
    /// <summary>Largest angle between two consecutive arc vertices, degrees (the chord sags at most r·(1 − cos 0.5°) ≈ 0.004% of r).</summary>
    public const double ArcStepDeg = 1.0;

    /// <summary>The sector as a metric polygon; a field of view of 360° or more gives a full circle.</summary>
    public static Polygon Metric(Camera camera, MetricProjection projection, GeometryFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(projection);
        factory ??= MetricFactory;
        var (cx, cy) = projection.Forward(camera.Location.X, camera.Location.Y);
        var range = Math.Max(0, camera.RangeM);
        var fov = Math.Clamp(camera.FieldOfViewDeg, 0, 360);
        var full = fov >= 360;
        var steps = Math.Max(1, (int)Math.Ceiling(fov / ArcStepDeg));
        var coordinates = new List<Coordinate>(steps + 3);
        if (!full) coordinates.Add(new Coordinate(cx, cy));
        var start = camera.HeadingDeg - fov / 2;
        for (var i = 0; i <= steps; i++)
        {
            if (full && i == steps) break;
            var bearing = (start + fov * i / steps) * Math.PI / 180; // clockwise from north
            coordinates.Add(new Coordinate(cx + range * Math.Sin(bearing), cy + range * Math.Cos(bearing)));
        }
        coordinates.Add(coordinates[0].Copy());
        if (coordinates.Count < 4) return factory.CreatePolygon();
        return factory.CreatePolygon(coordinates.ToArray());
    }

    /// <summary>The sector as a lon/lat polygon (SRID 4326), e.g. for the map.</summary>
    public static Polygon LonLat(Camera camera, MetricProjection projection) =>
        projection.Inverse(Metric(camera, projection));

    /// <summary>
    /// True when the lon/lat point lies in the exact sector (distance ≤ range and bearing within heading ± fov/2),
    /// computed in metres without a polygon; the polygon of <see cref="Metric"/> agrees except within its chord sag of the arc.
    /// </summary>
    public static bool Covers(Camera camera, double lon, double lat, MetricProjection projection)
    {
        ArgumentNullException.ThrowIfNull(camera);
        var (cx, cy) = projection.Forward(camera.Location.X, camera.Location.Y);
        var (x, y) = projection.Forward(lon, lat);
        var dx = x - cx;
        var dy = y - cy;
        var distance = Math.Sqrt(dx * dx + dy * dy);
        if (distance > camera.RangeM) return false;
        if (camera.FieldOfViewDeg >= 360 || distance == 0) return true;
        var bearing = Math.Atan2(dx, dy) * 180 / Math.PI;
        var off = Math.Abs(((bearing - camera.HeadingDeg) % 360 + 540) % 360 - 180);
        return off <= camera.FieldOfViewDeg / 2;
    }

    /// <summary>
    /// "Key well watched" — the one rule for the KPI, the commander's list and the key-well layer: a key well is watched when it lies
    /// in the metric view sector (<see cref="Metric"/>) of at least one camera, whatever well the camera is filed under.
    /// </summary>
    /// <returns>The codes of the watched key wells.</returns>
    public static IReadOnlySet<string> WatchedKeyWells(IEnumerable<Well> wells, IEnumerable<Camera> cameras, MetricProjection projection)
    {
        ArgumentNullException.ThrowIfNull(wells);
        ArgumentNullException.ThrowIfNull(cameras);
        ArgumentNullException.ThrowIfNull(projection);
        var result = new HashSet<string>(StringComparer.Ordinal);
        var tree = new STRtree<IPreparedGeometry>();
        foreach (var camera in cameras)
        {
            var sector = Metric(camera, projection);
            if (!sector.IsEmpty) tree.Insert(sector.EnvelopeInternal, PreparedGeometryFactory.Prepare(sector));
        }
        if (tree.Count == 0) return result;
        tree.Build();
        foreach (var well in wells)
        {
            if (!well.IsKeyWell) continue;
            var (x, y) = projection.Forward(well.Location.X, well.Location.Y);
            var point = MetricFactory.CreatePoint(new Coordinate(x, y));
            if (tree.Query(point.EnvelopeInternal).Any(s => s.Covers(point))) result.Add(well.Code);
        }
        return result;
    }

    private static readonly GeometryFactory MetricFactory = new(new PrecisionModel(), MetricProjection.LocalSrid);
}
