using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;
using NetTopologySuite.Operation.Linemerge;
using NtsCoverageValidator = NetTopologySuite.Coverage.CoverageValidator;

namespace MapControl.Core.Coverage;

/// <summary>Does one coverage check in metres: validate, gaps and overlaps by edge matching (<see cref="CoverageFaces"/>), invalid edges.</summary>
internal sealed class CoverageWorker
{
    private readonly CoverageInput _input;
    private readonly MetricCoverage _coverage;
    private readonly CoverageOptions _options;
    private readonly GeometryFactory _factory;
    private readonly MetricOverlay _overlay;
    private readonly STRtree<MetricItem> _itemTree = new();
    private readonly Dictionary<int, IndexedFacetDistance> _facets = [];
    private readonly Dictionary<int, IPreparedGeometry> _prepared = [];

    private readonly MetricPoints? _points;

    /// <param name="points">Wells and incidents of <paramref name="input"/> already projected in the coverage's projection, or null.</param>
    public CoverageWorker(CoverageInput input, MetricCoverage coverage, CoverageOptions options, MetricPoints? points = null)
    {
        _input = input;
        _points = points is not null && points.Projection == coverage.Projection ? points : null;
        _coverage = coverage;
        _options = options;
        _factory = coverage.Frame.Factory;
        _overlay = coverage.Overlay;
        foreach (var item in coverage.Items)
        {
            _itemTree.Insert(item.Geometry.EnvelopeInternal, item);
        }
        _itemTree.Build();
    }

    public CoverageAnalysis Run()
    {
        var geometries = _coverage.Items.Select(i => i.Geometry).ToArray();
        var invalidEdges = geometries.Length == 0 || !_options.FindInvalidEdges
            ? []
            : NtsCoverageValidator.Validate(geometries, Math.Max(0.0, _options.InvalidEdgeToleranceM));

        var frame = _coverage.Frame;
        var (gapPolygons, overlapPieces) = CoverageFaces.Find(frame, _coverage.Items, _overlay, _options.Trace);
        var frameArea = frame.Area;
        var coveredArea = Math.Max(0.0, frameArea - gapPolygons.Sum(g => g.Area));

        var (gaps, gapsMetric) = BuildGaps(gapPolygons);
        _options.Trace?.Invoke("worker: gaps built");
        var (overlaps, overlapsMetric) = BuildOverlaps(overlapPieces);
        _options.Trace?.Invoke("worker: overlaps built");
        var edges = BuildInvalidEdges(invalidEdges);

        var report = new CoverageReport(gaps, overlaps, edges, _coverage.Problems, frameArea, coveredArea);
        return new CoverageAnalysis(report, gapsMetric, overlapsMetric, _coverage)
        {
            GapAreaM2 = gapPolygons.Sum(g => g.Area),
            OverlapAreaM2 = overlapPieces.Sum(o => o.Polygon.Area),
        };
    }

    private (List<CoverageGap>, List<Polygon>) BuildGaps(List<Polygon> gapPolygons)
    {
        var points = _points ?? new MetricPoints(_input.Wells, _input.Incidents, _input.AsOf, _coverage.Projection);
        var (wells, incidents) = (points.Wells, points.Incidents);
        var found = new List<(CoverageGap Gap, Polygon Metric)>();
        foreach (var gap in gapPolygons)
        {
            var area = gap.Area;
            if (area < _options.MinAreaM2) continue;
            var width = PolygonMeasures.Width(gap);
            if (width < _options.MinWidthM) continue;
            var wellsInside = wells.Inside(gap);
            var keyWells = wellsInside.Count(w => w.IsKeyWell);
            var incidentCount = incidents.Inside(gap).Count;
            var risk = _options.Risk.Score(incidentCount, keyWells, wellsInside.Count, area);
            var departments = TouchingOwners(gap, _options.TouchToleranceM);
            found.Add((new CoverageGap(LonLat(gap), area, width, departments, wellsInside.Count, keyWells, incidentCount, risk), gap));
        }
        found.Sort((a, b) => b.Gap.RiskScore != a.Gap.RiskScore
            ? b.Gap.RiskScore.CompareTo(a.Gap.RiskScore)
            : b.Gap.AreaM2.CompareTo(a.Gap.AreaM2));
        return (found.Select(f => f.Gap).ToList(), found.Select(f => f.Metric).ToList());
    }

    /// <summary>Overlap polygons (from <see cref="CoverageFaces"/>) filtered by the thresholds, largest first.</summary>
    private (List<CoverageOverlap>, List<Polygon>) BuildOverlaps(List<(Polygon Polygon, SortedSet<string> Owners)> merged)
    {
        var found = new List<(CoverageOverlap Overlap, Polygon Metric)>();
        for (var i = 0; i < merged.Count; i++)
        {
            var (polygon, owners) = merged[i];
            var area = polygon.Area;
            if (area < _options.MinAreaM2) continue;
            var width = PolygonMeasures.Width(polygon);
            if (width < _options.MinWidthM) continue;
            found.Add((new CoverageOverlap(LonLat(polygon), area, width, owners.ToList()), polygon));
        }
        found.Sort((a, b) => b.Overlap.AreaM2.CompareTo(a.Overlap.AreaM2));
        return (found.Select(f => f.Overlap).ToList(), found.Select(f => f.Metric).ToList());
    }

    private List<InvalidEdge> BuildInvalidEdges(Geometry[] invalid)
    {
        var result = new List<InvalidEdge>();
        var tolerance = Math.Max(_options.InvalidEdgeToleranceM, _options.TouchToleranceM);
        for (var k = 0; k < invalid.Length; k++)
        {
            if (invalid[k] is not { IsEmpty: false } lines) continue;
            var item = _coverage.Items[k];
            var merger = new LineMerger();
            merger.Add(lines);
            foreach (var line in merger.GetMergedLineStrings())
            {
                var owners = new SortedSet<string>(StringComparer.Ordinal) { item.Owner };
                foreach (var other in _itemTree.Query(Expanded(line.EnvelopeInternal, tolerance)))
                {
                    if (other.Index == item.Index) continue;
                    if (Prepared(other).Intersects(line) || Facets(other).IsWithinDistance(line, tolerance)) owners.Add(other.Owner);
                }
                result.Add(new InvalidEdge(_coverage.Projection.Inverse(line), item.Index, owners.ToList(), line.Length));
            }
        }
        return result;
    }

    /// <summary>
    /// Owners of items whose boundary comes within the tolerance of a gap's boundary (a gap's interior is outside every
    /// item): the gap's segments go into a grid, and each nearby item's segments are tested against the few near them.
    /// </summary>
    private List<string> TouchingOwners(Polygon gap, double tolerance)
    {
        var owners = new SortedSet<string>(StringComparer.Ordinal);
        var segments = new List<(double X1, double Y1, double X2, double Y2)>();
        AddSegments(gap.ExteriorRing.CoordinateSequence, segments);
        foreach (var hole in gap.InteriorRings) AddSegments(hole.CoordinateSequence, segments);
        var grid = new SegmentGrid(segments);
        var near = new List<int>();
        var search = Expanded(gap.EnvelopeInternal, tolerance);
        foreach (var item in _itemTree.Query(search))
        {
            if (owners.Contains(item.Owner)) continue;
            if (BoundaryWithin(item.Geometry, grid, segments, search, tolerance, near)) owners.Add(item.Owner);
        }
        return owners.ToList();
    }

    private static bool BoundaryWithin(Geometry item, SegmentGrid grid, List<(double X1, double Y1, double X2, double Y2)> segments,
        Envelope search, double tolerance, List<int> near)
    {
        for (var p = 0; p < item.NumGeometries; p++)
        {
            if (item.GetGeometryN(p) is not Polygon polygon) continue;
            if (RingWithin(polygon.ExteriorRing.CoordinateSequence)) return true;
            foreach (var hole in polygon.InteriorRings)
            {
                if (RingWithin(hole.CoordinateSequence)) return true;
            }
        }
        return false;

        bool RingWithin(CoordinateSequence ring)
        {
            for (var j = 1; j < ring.Count; j++)
            {
                double x1 = ring.GetX(j - 1), y1 = ring.GetY(j - 1), x2 = ring.GetX(j), y2 = ring.GetY(j);
                if (Math.Min(x1, x2) > search.MaxX || Math.Max(x1, x2) < search.MinX || Math.Min(y1, y2) > search.MaxY || Math.Max(y1, y2) < search.MinY) continue;
                near.Clear();
                grid.Query(Math.Min(x1, x2) - tolerance, Math.Min(y1, y2) - tolerance, Math.Max(x1, x2) + tolerance, Math.Max(y1, y2) + tolerance, near);
                foreach (var i in near)
                {
                    var (gx1, gy1, gx2, gy2) = segments[i];
                    var distance = NetTopologySuite.Algorithm.DistanceComputer.SegmentToSegment(
                        new Coordinate(x1, y1), new Coordinate(x2, y2), new Coordinate(gx1, gy1), new Coordinate(gx2, gy2));
                    if (distance <= tolerance) return true;
                }
            }
            return false;
        }
    }

    private static void AddSegments(CoordinateSequence ring, List<(double, double, double, double)> segments)
    {
        for (var j = 1; j < ring.Count; j++) segments.Add((ring.GetX(j - 1), ring.GetY(j - 1), ring.GetX(j), ring.GetY(j)));
    }

    private IndexedFacetDistance Facets(MetricItem item)
    {
        if (!_facets.TryGetValue(item.Index, out var facets))
        {
            facets = new IndexedFacetDistance(item.Geometry);
            _facets[item.Index] = facets;
        }
        return facets;
    }

    private IPreparedGeometry Prepared(MetricItem item)
    {
        if (!_prepared.TryGetValue(item.Index, out var prepared))
        {
            prepared = PreparedGeometryFactory.Prepare(item.Geometry);
            _prepared[item.Index] = prepared;
        }
        return prepared;
    }

    private Polygon LonLat(Polygon metric) => _coverage.Projection.Inverse(metric);

    private static Envelope Expanded(Envelope envelope, double by)
    {
        var copy = envelope.Copy();
        copy.ExpandBy(by);
        return copy;
    }
}
