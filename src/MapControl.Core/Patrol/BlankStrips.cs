using MapControl.Core.Crs;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.Overlay.Snap;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Patrol;

/// <summary>
/// Blank strips (空白带): for two neighbouring departments, the band of width d on both sides of their shared
/// boundary (the boundary buffered by d, clipped to the union of the two jurisdictions) minus the patrol coverage.
/// The shared boundary: A is first snapped to B with the neighbour tolerance (vertices and edges of A within the
/// tolerance of B move onto B), then it is the part of ∂A lying in B (its closure) together with the part of ∂B
/// lying in A — for jurisdictions that meet edge to edge, their common edges; where they overlap, also the edges
/// running inside the overlap. Its reported length is the mean of the two parts' lengths (the common edge length
/// when they meet exactly).
/// </summary>
public static class BlankStrips
{
    /// <summary>Blank strips of all neighbouring pairs, computed in metres; inputs and outputs in lon/lat.</summary>
    /// <param name="jurisdictions">Department code → jurisdiction in lon/lat.</param>
    /// <param name="coverage">Patrol coverage of all departments in lon/lat (e.g. <see cref="PatrolCoverageReport.Coverage"/>).</param>
    /// <param name="widthM">Band width d on each side, metres.</param>
    /// <param name="toleranceM">Neighbour tolerance, metres (0 = boundaries must touch).</param>
    /// <param name="minSharedBoundaryM">Minimum shared boundary length for a pair to count as neighbours.</param>
    /// <param name="projection">Metric projection (null: centred on the jurisdictions).</param>
    public static IReadOnlyList<BlankStrip> Compute(
        IReadOnlyDictionary<string, Geometry> jurisdictions,
        Geometry coverage,
        double widthM,
        double toleranceM = 1.0,
        double minSharedBoundaryM = 10.0,
        MetricProjection? projection = null)
    {
        ArgumentNullException.ThrowIfNull(jurisdictions);
        ArgumentNullException.ThrowIfNull(coverage);
        var envelope = new Envelope();
        foreach (var geometry in jurisdictions.Values)
        {
            envelope.ExpandToInclude(geometry.EnvelopeInternal);
        }

        projection ??= MetricProjection.CentredOn(envelope);
        var metric = new SortedDictionary<string, Geometry>(StringComparer.Ordinal);
        foreach (var (department, geometry) in jurisdictions)
        {
            var projected = projection.Forward(geometry);
            metric[department] = projected.IsValid ? projected : GeometryFixer.Fix(projected);
        }

        return Compute(metric, projection.Forward(coverage), widthM, toleranceM, minSharedBoundaryM, 8, projection);
    }

    /// <summary>Blank strips over metric jurisdictions and coverage; output geometries in lon/lat.</summary>
    internal static IReadOnlyList<BlankStrip> Compute(
        IReadOnlyDictionary<string, Geometry> metricJurisdictions,
        Geometry metricCoverage,
        double widthM,
        double toleranceM,
        double minSharedBoundaryM,
        int quadrantSegments,
        MetricProjection projection)
    {
        var factory = NtsGeometryServices.Instance.CreateGeometryFactory(MetricProjection.LocalSrid);
        var codes = metricJurisdictions.Keys.Order(StringComparer.Ordinal).ToList();
        var index = new STRtree<int>();
        for (var i = 0; i < codes.Count; i++)
        {
            var envelope = new Envelope(metricJurisdictions[codes[i]].EnvelopeInternal);
            envelope.ExpandBy(Math.Max(toleranceM, 0.0));
            index.Insert(envelope, i);
        }

        var parameters = new BufferParameters(quadrantSegments);
        var result = new List<BlankStrip>();
        for (var i = 0; i < codes.Count; i++)
        {
            var a = metricJurisdictions[codes[i]];
            var neighbours = index.Query(a.EnvelopeInternal).Where(j => j > i).Order().ToList();
            if (neighbours.Count == 0)
            {
                continue;
            }

            foreach (var j in neighbours)
            {
                var b = metricJurisdictions[codes[j]];
                // Snap A onto B so that boundaries within the tolerance coincide exactly, then take each boundary's
                // part lying in the other jurisdiction (closed): shared edges, and edges running inside an overlap.
                var aSnapped = a;
                if (toleranceM > 0)
                {
                    aSnapped = new GeometrySnapper(a).SnapTo(b, toleranceM);
                    aSnapped = aSnapped.IsValid ? aSnapped : GeometryFixer.Fix(aSnapped);
                }

                var sideA = Lines(OverlayNGRobust.Overlay(aSnapped.Boundary, b, SpatialFunction.Intersection), factory);
                var sideB = Lines(OverlayNGRobust.Overlay(b.Boundary, aSnapped, SpatialFunction.Intersection), factory);
                var length = (sideA.Length + sideB.Length) / 2.0;
                if (length < minSharedBoundaryM || length <= 0)
                {
                    continue;
                }

                var shared = factory.BuildGeometry([sideA, sideB]);
                var pair = PatrolCoverage.UnionAll([a, b], factory);
                var band = OverlayNGRobust.Overlay(BufferOp.Buffer(shared, widthM, parameters), pair, SpatialFunction.Intersection);
                var strip = metricCoverage.IsEmpty ? band : OverlayNGRobust.Overlay(band, metricCoverage, SpatialFunction.Difference);
                var bandArea = band.Area;
                var stripArea = strip.Area;
                result.Add(new BlankStrip(codes[i], codes[j], projection.Inverse(strip), stripArea, bandArea, length,
                    bandArea > 0 ? stripArea / bandArea : 0.0));
            }
        }

        return result;
    }

    private static Geometry Lines(Geometry geometry, GeometryFactory factory)
    {
        var lines = LinearComponentExtracter.GetLines(geometry);
        return lines.Count switch
        {
            0 => factory.CreateMultiLineString(),
            1 => lines[0],
            _ => factory.BuildGeometry(lines),
        };
    }
}
