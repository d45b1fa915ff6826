using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;
using NetTopologySuite.Operation.Linemerge;
using NetTopologySuite.Operation.RelateNG;
using NtsCoverageUnion = NetTopologySuite.Coverage.CoverageUnion;
using NtsCoverageValidator = NetTopologySuite.Coverage.CoverageValidator;

using MapControl.Core.Coverage;

namespace MapControl.Core.Tests.Coverage;

/// <summary>The pre-issue-3 coverage worker (overlay union, frame difference, pairwise overlaps), kept as a test oracle for the edge-matching worker.</summary>
internal sealed class LegacyCoverageWorker
{
    private const string InteriorsIntersect = "T********";

    private readonly CoverageInput _input;
    private readonly MetricCoverage _coverage;
    private readonly CoverageOptions _options;
    private readonly GeometryFactory _factory;
    private readonly MetricOverlay _overlay;
    private readonly STRtree<MetricItem> _itemTree = new();
    private readonly Dictionary<int, IndexedFacetDistance> _facets = [];
    private readonly Dictionary<int, IPreparedGeometry> _prepared = [];

    /// <summary>The old check from lon/lat input.</summary>
    public static CoverageAnalysis Analyse(CoverageInput input, CoverageOptions options) =>
        new LegacyCoverageWorker(input, MetricCoverage.Create(input.Frame, input.Items, options), options).Run();

    public LegacyCoverageWorker(CoverageInput input, MetricCoverage coverage, CoverageOptions options)
    {
        _input = input;
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
        var invalidEdges = geometries.Length == 0
            ? []
            : NtsCoverageValidator.Validate(geometries, Math.Max(0.0, _options.InvalidEdgeToleranceM));
        var coverageIsValid = invalidEdges.All(e => e is null || e.IsEmpty);

        var frame = _coverage.Frame;
        var union = Union(geometries, coverageIsValid);
        var gapPolygons = frame.IsEmpty
            ? []
            : PolygonMeasures.Polygons(_overlay.Difference(frame, union));
        var frameArea = frame.Area;
        var coveredArea = Math.Max(0.0, frameArea - gapPolygons.Sum(g => g.Area));

        var (gaps, gapsMetric) = BuildGaps(gapPolygons);
        var (overlaps, overlapsMetric) = coverageIsValid ? ([], []) : BuildOverlaps();
        var edges = BuildInvalidEdges(invalidEdges);

        var report = new CoverageReport(gaps, overlaps, edges, _coverage.Problems, frameArea, coveredArea);
        return new CoverageAnalysis(report, gapsMetric, overlapsMetric, _coverage);
    }

    /// <summary>
    /// Union of the items: NTS CoverageUnion when the validator found nothing (and its area checks out, which guards the
    /// 2.6.0 bug with holes touching the boundary); OverlayNG unary union (snap-rounded to the grid) otherwise.
    /// </summary>
    private Geometry Union(Geometry[] geometries, bool coverageIsValid)
    {
        if (geometries.Length == 0) return _factory.CreatePolygon();
        if (coverageIsValid)
        {
            try
            {
                var union = NtsCoverageUnion.Union(geometries);
                var expected = geometries.Sum(g => g.Area);
                if (union is not null && Math.Abs(union.Area - expected) <= 1e-9 * Math.Max(1.0, expected) && union.IsValid)
                {
                    return union;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // fall through to the robust union
            }
        }
        return _overlay.Union(geometries.SelectMany(PolygonMeasures.Polygons), _factory);
    }

    private (List<CoverageGap>, List<Polygon>) BuildGaps(List<Polygon> gapPolygons)
    {
        var wells = new PointCounter<WellPoint>(_input.Wells.Select(w => (Project(w.Location), w)));
        var incidents = new PointCounter<CoverageIncident>(_input.Incidents
            .Where(i => i.IsInYearBefore(_input.AsOf))
            .Select(i => (Project(i.Location), i)));
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

    /// <summary>Pairwise intersections of neighbouring items (STRtree pairs, prepared RelateNG filter), clipped to the frame and merged into connected overlaps.</summary>
    private (List<CoverageOverlap>, List<Polygon>) BuildOverlaps()
    {
        var pieces = new List<(Polygon Piece, string OwnerA, string OwnerB)>();
        var frame = _coverage.Frame;
        foreach (var a in _coverage.Items)
        {
            RelateNG? relate = null;
            foreach (var b in _itemTree.Query(a.Geometry.EnvelopeInternal))
            {
                if (b.Index <= a.Index) continue;
                relate ??= RelateNG.Prepare(a.Geometry);
                if (!relate.Evaluate(b.Geometry, InteriorsIntersect)) continue;
                var intersection = _overlay.Intersection(a.Geometry, b.Geometry);
                var clipped = _overlay.Intersection(intersection, frame);
                foreach (var piece in PolygonMeasures.Polygons(clipped))
                {
                    pieces.Add((piece, a.Owner, b.Owner));
                }
            }
        }
        if (pieces.Count == 0) return ([], []);

        var merged = PolygonMeasures.Polygons(_overlay.Union(pieces.Select(p => p.Piece), _factory));
        var componentTree = new STRtree<int>();
        for (var i = 0; i < merged.Count; i++) componentTree.Insert(merged[i].EnvelopeInternal, i);
        componentTree.Build();
        var owners = merged.Select(_ => new SortedSet<string>(StringComparer.Ordinal)).ToArray();
        foreach (var (piece, ownerA, ownerB) in pieces)
        {
            var inside = piece.InteriorPoint;
            foreach (var c in componentTree.Query(inside.EnvelopeInternal))
            {
                if (!merged[c].Intersects(inside)) continue;
                owners[c].Add(ownerA);
                owners[c].Add(ownerB);
                break;
            }
        }

        var found = new List<(CoverageOverlap Overlap, Polygon Metric)>();
        for (var i = 0; i < merged.Count; i++)
        {
            var area = merged[i].Area;
            if (area < _options.MinAreaM2) continue;
            var width = PolygonMeasures.Width(merged[i]);
            if (width < _options.MinWidthM) continue;
            found.Add((new CoverageOverlap(LonLat(merged[i]), area, width, owners[i].ToList()), merged[i]));
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

    /// <summary>Owners of items whose boundary comes within the tolerance of a gap (a gap's interior is outside every item).</summary>
    private List<string> TouchingOwners(Geometry gap, double tolerance)
    {
        var owners = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in _itemTree.Query(Expanded(gap.EnvelopeInternal, tolerance)))
        {
            if (owners.Contains(item.Owner)) continue;
            if (Facets(item).IsWithinDistance(gap, tolerance)) owners.Add(item.Owner);
        }
        return owners.ToList();
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

    private Point Project(Point lonLat) => _coverage.Projection.Forward(lonLat);

    private Polygon LonLat(Polygon metric) => _coverage.Projection.Inverse(metric);

    private static Envelope Expanded(Envelope envelope, double by)
    {
        var copy = envelope.Copy();
        copy.ExpandBy(by);
        return copy;
    }
}
