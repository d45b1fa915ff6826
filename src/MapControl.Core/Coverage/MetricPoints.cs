using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>
/// The wells and the incidents of the 12-month window of a coverage input, projected once into a metric projection and indexed
/// (<see cref="PointCounter{T}"/>): a redraw counts them in the check before, in the check after and in the workload with one
/// projection, so it builds them once. Read-only once made (the trees are built in the constructor).
/// </summary>
internal sealed class MetricPoints
{
    public MetricPoints(IReadOnlyList<WellPoint> wells, IReadOnlyList<CoverageIncident> incidents, DateTimeOffset? asOf, MetricProjection projection)
    {
        Projection = projection;
        var factory = new GeometryFactory();
        Point Project(Point lonLat)
        {
            // Points one by one without a geometry copy (the same transform as Projection.Forward(Geometry)).
            var (x, y) = projection.Forward(lonLat.X, lonLat.Y);
            return factory.CreatePoint(new Coordinate(x, y));
        }
        Wells = new PointCounter<WellPoint>(wells.Select(w => (Project(w.Location), w)));
        Incidents = new PointCounter<CoverageIncident>(incidents.Where(i => i.IsInYearBefore(asOf)).Select(i => (Project(i.Location), i)));
    }

    /// <summary>The projection the points are in.</summary>
    public MetricProjection Projection { get; }

    /// <summary>Every well.</summary>
    public PointCounter<WellPoint> Wells { get; }

    /// <summary>The incidents of the 12 months before the input's AsOf (all without one).</summary>
    public PointCounter<CoverageIncident> Incidents { get; }
}
