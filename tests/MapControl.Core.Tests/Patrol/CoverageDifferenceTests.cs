using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Tests.Patrol;

/// <summary>
/// <see cref="CoverageDifference"/> (J − ∪ C by cutting and linking boundaries) against NetTopologySuite's overlay of the same
/// sets: jittered jurisdictions (with a hole, as a MultiPolygon), coverages of several departments that overlap each other,
/// have holes, lie wholly inside J or hold J wholly.
/// </summary>
public sealed class CoverageDifferenceTests
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>A ring of n vertices around (cx, cy) with radius r jittered by ±jitter.</summary>
    private static Coordinate[] Blob(Random random, double cx, double cy, double r, int n, double jitter)
    {
        var ring = new Coordinate[n + 1];
        for (var k = 0; k < n; k++)
        {
            var a = 2 * Math.PI * k / n;
            var rr = r + (random.NextDouble() * 2 - 1) * jitter;
            ring[k] = new Coordinate(cx + rr * Math.Cos(a), cy + rr * Math.Sin(a));
        }

        ring[n] = ring[0].Copy();
        return ring;
    }

    /// <summary>One department's coverage: the union of 300 m buffers of a few random road-like polylines (disjoint polygons, holes).</summary>
    private static Geometry Cover(Random random, double cx, double cy, double spread)
    {
        var lines = new List<Geometry>();
        for (var l = 0; l < 4; l++)
        {
            var x = cx + (random.NextDouble() * 2 - 1) * spread;
            var y = cy + (random.NextDouble() * 2 - 1) * spread;
            var points = new List<Coordinate> { new(x, y) };
            for (var k = 0; k < 8; k++)
            {
                if (random.Next(2) == 0) x += (random.Next(2) * 2 - 1) * 800 + random.NextDouble() * 4;
                else y += (random.Next(2) * 2 - 1) * 800 + random.NextDouble() * 4;
                points.Add(new Coordinate(x, y));
            }

            lines.Add(Factory.CreateLineString([.. points]));
        }

        return BufferOp.Buffer(Factory.BuildGeometry(lines), 300, new BufferParameters(8));
    }

    private static Geometry Expected(Geometry jurisdiction, IReadOnlyList<Geometry> covers) =>
        OverlayNGRobust.Overlay(jurisdiction, OverlayNGRobust.Union(Factory.BuildGeometry(covers)), SpatialFunction.Difference);

    /// <summary>Also the own area (J ∩ covers[0]) computed from the same pieces, against the overlay's.</summary>
    private static void ShouldMatchOverlayWithOwnArea(Geometry jurisdiction, IReadOnlyList<Geometry> covers)
    {
        var actual = CoverageDifference.Compute(jurisdiction, covers, 0, Factory, out var ownArea);
        ShouldMatchOverlay(actual, jurisdiction, covers);
        ownArea.Should().BeApproximately(OverlayNGRobust.Overlay(jurisdiction, covers[0], SpatialFunction.Intersection).Area, 1e-6 * jurisdiction.Area + 1e-6);
    }

    private static void ShouldMatchOverlay(Geometry? actual, Geometry jurisdiction, IReadOnlyList<Geometry> covers)
    {
        actual.Should().NotBeNull();
        actual!.IsValid.Should().BeTrue();
        var expected = Expected(jurisdiction, covers);
        actual.Area.Should().BeApproximately(expected.Area, 1e-6 * jurisdiction.Area + 1e-6);
        OverlayNGRobust.Overlay(actual, expected, SpatialFunction.SymDifference).Area.Should().BeLessThan(1e-6 * jurisdiction.Area + 1e-6);
        PolygonCount(actual).Should().Be(PolygonCount(expected));
    }

    private static int PolygonCount(Geometry g) => g.IsEmpty ? 0 : g.NumGeometries;

    [Fact]
    public void Compute_randomJurisdictionsAndOverlappingCoverages_matchesOverlay()
    {
        var random = new Random(16);
        var decided = 0;
        const int cases = 40;
        for (var c = 0; c < cases; c++)
        {
            var jurisdiction = Factory.CreatePolygon(Blob(random, 0, 0, 3000, 600, 40));
            var covers = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Cover(random, 0, 0, 3000)).ToList();
            var actual = CoverageDifference.Compute(jurisdiction, covers, Factory);
            if (actual is null) continue;
            decided++;
            ShouldMatchOverlay(actual, jurisdiction, covers);
            ShouldMatchOverlayWithOwnArea(jurisdiction, covers);
        }

        decided.Should().BeGreaterThan(cases * 9 / 10, "the cut-and-link path must decide the ordinary cases, not hand them all to the overlay");
    }

    [Fact]
    public void Compute_jurisdictionWithHoleAndMultiPolygon_matchesOverlay()
    {
        var random = new Random(3);
        var shell = Factory.CreateLinearRing(Blob(random, 0, 0, 3000, 500, 30));
        var hole = Factory.CreateLinearRing(Blob(random, 500, 300, 900, 200, 20).Reverse().ToArray());
        var withHole = Factory.CreatePolygon(shell, [hole]);
        var multi = Factory.CreateMultiPolygon([withHole, Factory.CreatePolygon(Blob(random, 8000, 0, 1500, 300, 20))]);
        multi.IsValid.Should().BeTrue();
        var covers = new List<Geometry> { Cover(random, 500, 0, 2500), Cover(random, 6000, 0, 2500), Cover(random, 0, 0, 3500) };

        ShouldMatchOverlay(CoverageDifference.Compute(withHole, covers, Factory), withHole, covers);
        ShouldMatchOverlay(CoverageDifference.Compute(multi, covers, Factory), multi, covers);
        ShouldMatchOverlayWithOwnArea(withHole, covers);
        ShouldMatchOverlayWithOwnArea(multi, covers);
    }

    [Fact]
    public void Compute_coverInsideJurisdictionWithIslandInItsHole_punchesHoleAndKeepsIsland()
    {
        var jurisdiction = Factory.CreatePolygon(Blob(new Random(5), 0, 0, 5000, 400, 10));
        // An annulus of department A (outer radius 2000, hole radius 1000) inside J, and an island of department B in its hole.
        var annulus = Factory.CreatePolygon(Factory.CreateLinearRing(Blob(new Random(6), 0, 0, 2000, 100, 5)),
            [Factory.CreateLinearRing(Blob(new Random(7), 0, 0, 1000, 100, 5).Reverse().ToArray())]);
        var island = Factory.CreatePolygon(Blob(new Random(8), 0, 0, 300, 50, 5));
        var covers = new List<Geometry> { annulus, island };

        var actual = CoverageDifference.Compute(jurisdiction, covers, Factory);

        ShouldMatchOverlay(actual, jurisdiction, covers);
        actual!.NumGeometries.Should().Be(2, "J with the annulus' shell as a hole, and the annulus' hole with the island as a hole");
    }

    [Fact]
    public void Compute_jurisdictionInsideOneCoverAndCoverOutside_emptyOrWhole()
    {
        var jurisdiction = Factory.CreatePolygon(Blob(new Random(9), 0, 0, 1000, 200, 10));
        var around = Factory.CreatePolygon(Blob(new Random(10), 0, 0, 2000, 200, 10));
        var crossing = Factory.CreatePolygon(Blob(new Random(11), 1500, 0, 1000, 200, 10));

        ShouldMatchOverlay(CoverageDifference.Compute(jurisdiction, [crossing, around], Factory), jurisdiction, [crossing, around]);
        // No cover boundary within J's envelope: a cover holding J leaves nothing (and all of J as its own area), one beside it all of J.
        var beside = Factory.CreatePolygon(Blob(new Random(12), 5000, 0, 1000, 200, 10));
        CoverageDifference.Compute(jurisdiction, [beside, around], 1, Factory, out var ownArea).Should().NotBeNull().And.Match<Geometry>(g => g.IsEmpty);
        ownArea.Should().BeApproximately(jurisdiction.Area, 1e-6);
        CoverageDifference.Compute(jurisdiction, [beside], 0, Factory, out ownArea).Should().BeSameAs(jurisdiction);
        ownArea.Should().Be(0);
    }

    /// <summary>A small coverage: the buffer of a short road-like polyline starting at (x, y).</summary>
    private static Geometry SmallCover(Random random, double x, double y, int legs)
    {
        var points = new List<Coordinate> { new(x, y) };
        for (var k = 0; k < legs; k++)
        {
            if (random.Next(2) == 0) x += (random.Next(2) * 2 - 1) * 700 + random.NextDouble() * 4;
            else y += (random.Next(2) * 2 - 1) * 700 + random.NextDouble() * 4;
            points.Add(new Coordinate(x, y));
        }

        return BufferOp.Buffer(Factory.CreateLineString([.. points]), 300, new BufferParameters(8));
    }

    [Fact]
    public void Compute_detailedJurisdictionWithSparseCoverages_farPiecesKeptWholeMatchOverlay()
    {
        // 2,000-vertex jurisdictions (J's boundary mostly far from every coverage: kept whole, not noded) with a few small
        // coverages: far inside J, crossing J's boundary, beside J, overlapping each other; J with a hole and as a MultiPolygon.
        var random = new Random(1616);
        for (var c = 0; c < 12; c++)
        {
            var shell = Blob(random, 0, 0, 5000, 2000, 15);
            Geometry jurisdiction = Factory.CreatePolygon(shell);
            if (c % 3 == 1)
            {
                var hole = Factory.CreateLinearRing(Blob(random, -1500, 1500, 800, 400, 10).Reverse().ToArray());
                jurisdiction = Factory.CreatePolygon(Factory.CreateLinearRing(shell), [hole]);
            }
            else if (c % 3 == 2)
            {
                jurisdiction = Factory.CreateMultiPolygon([(Polygon)jurisdiction, Factory.CreatePolygon(Blob(random, 9000, 0, 2000, 800, 10))]);
            }

            jurisdiction.IsValid.Should().BeTrue();
            var covers = new List<Geometry>
            {
                SmallCover(random, (random.NextDouble() - 0.5) * 3000, (random.NextDouble() - 0.5) * 3000, 2),   // inside, far from ∂J
                SmallCover(random, 4800, (random.NextDouble() - 0.5) * 4000, 3),                               // across ∂J
                SmallCover(random, -1500 + random.NextDouble() * 600, 1500, 1 + random.Next(2)),                // at the hole (c % 3 == 1)
                SmallCover(random, 20000, 20000, 2),                                                           // far beside J
            };
            covers.Add(SmallCover(random, 8200, (random.NextDouble() - 0.5) * 2000, 3));                       // the second part (c % 3 == 2)
            var actual = CoverageDifference.Compute(jurisdiction, covers, 0, Factory, out var ownArea);
            ShouldMatchOverlay(actual, jurisdiction, covers);
            ownArea.Should().BeApproximately(OverlayNGRobust.Overlay(jurisdiction, covers[0], SpatialFunction.Intersection).Area, 1e-6 * jurisdiction.Area + 1e-6);
            // Another department's coverage counted as own: pieces of ∂J kept whole inside no coverage add nothing to it.
            CoverageDifference.Compute(jurisdiction, covers, 1, Factory, out ownArea).Should().NotBeNull();
            ownArea.Should().BeApproximately(OverlayNGRobust.Overlay(jurisdiction, covers[1], SpatialFunction.Intersection).Area, 1e-6 * jurisdiction.Area + 1e-6);
        }
    }

    [Fact]
    public void Compute_coverSharingJurisdictionEdge_leftToOverlay()
    {
        var jurisdiction = Factory.CreatePolygon([new(0, 0), new(1000, 0), new(1000, 1000), new(0, 1000), new(0, 0)]);
        var half = Factory.CreatePolygon([new(500, -200), new(1000, -200), new(1000, 1200), new(500, 1200), new(500, -200)]);

        CoverageDifference.Compute(jurisdiction, [half], Factory).Should().BeNull("a piece of J's boundary lies on the cover's boundary");
    }

    [Fact]
    public void PatrolCoverage_cutAndLinkedAgainstOverlayOnly_sameFiguresPerDepartment()
    {
        // Two neighbouring jittered jurisdictions; units of both drive across the shared boundary and back.
        var random = new Random(21);
        var a = PatrolTestData.LonLat(Wkt(Blob(random, -2500, 0, 2600, 300, 15)));
        var b = PatrolTestData.LonLat(Wkt(Blob(random, 2500, 0, 2400, 300, 15)));
        var jurisdictions = new Dictionary<string, Geometry>
        {
            ["A"] = a,
            ["B"] = PatrolTestData.LonLat(Wkt(((Polygon)OverlayNGRobust.Overlay(PatrolTestData.Metric(b), PatrolTestData.Metric(a), SpatialFunction.Difference)).Shell.Coordinates)),
        };
        var fixes = new List<GpsFix>();
        fixes.AddRange(PatrolTestData.Line("a1", -4000, -1000, 3000, -1000));
        fixes.AddRange(PatrolTestData.Line("a1", 3000, -200, -4000, 1200, startSeconds: 2000));
        fixes.AddRange(PatrolTestData.Line("b1", 4000, 800, -3000, 800));
        fixes.AddRange(PatrolTestData.Line("b1", 0, -2500, 0, 2500, startSeconds: 2000));
        var input = new PatrolCoverageInput(jurisdictions, fixes, [new("a1", "A", "A one", "ka1"), new("b1", "B", "B one", "kb1")], []);
        var options = new PatrolCoverageOptions(RadiusM: 300, BlankStripWidthM: 0, Projection: PatrolTestData.Projection);

        var cut = PatrolCoverage.Compute(input, options).Departments;
        var overlay = PatrolCoverage.Compute(input, options with { OverlayOnly = true }).Departments;

        cut.Should().HaveCount(2);
        foreach (var (x, y) in cut.Zip(overlay))
        {
            x.CoverageRatio.Should().BeInRange(0.05, 0.95);
            x.CoverageRatio.Should().BeApproximately(y.CoverageRatio, 1e-9, x.DepartmentCode);
            x.OwnCoveredAreaM2.Should().BeApproximately(y.OwnCoveredAreaM2, 1e-3, x.DepartmentCode);
            x.UncoveredPolygons.Count.Should().Be(y.UncoveredPolygons.Count, x.DepartmentCode);
            x.Uncovered.IsValid.Should().BeTrue();
        }
    }

    private static string Wkt(Coordinate[] ring) =>
        "POLYGON((" + string.Join(", ", ring.Select(c => FormattableString.Invariant($"{c.X:R} {c.Y:R}"))) + "))";

    [Fact]
    public void BandedLocator_answers_as_NTS_indexed_locator_inside_outside_on_vertices_and_edges()
    {
        var random = new Random(16);
        var shell = Blob(random, 0, 0, 1000, 2000, 80);
        var hole = Blob(random, 100, -50, 300, 300, 30).Reverse().ToArray();
        var island = Blob(random, 3000, 500, 400, 500, 40);
        var area = Factory.CreateMultiPolygon([Factory.CreatePolygon(Factory.CreateLinearRing(shell), [Factory.CreateLinearRing(hole)]),
            Factory.CreatePolygon(island)]);
        var banded = new CoverageDifference.BandedLocator(area);
        var indexed = new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(area);
        var probes = new List<Coordinate>();
        for (var i = 0; i < 20000; i++) probes.Add(new Coordinate(-1500 + random.NextDouble() * 5000, -1500 + random.NextDouble() * 3000));
        // Vertices, the middles of edges and points on horizontal lines through vertices: the boundary and the ray's corner cases.
        foreach (var ring in new[] { shell, hole, island })
        {
            for (var i = 0; i + 1 < ring.Length; i += 7)
            {
                probes.Add(ring[i]);
                probes.Add(new Coordinate((ring[i].X + ring[i + 1].X) / 2, (ring[i].Y + ring[i + 1].Y) / 2));
                probes.Add(new Coordinate(ring[i].X - 1, ring[i].Y));
                probes.Add(new Coordinate(ring[i].X + 1, ring[i].Y));
            }
        }

        var locations = new Dictionary<Location, int>();
        foreach (var p in probes)
        {
            var expected = indexed.Locate(p);
            banded.Locate(p).Should().Be(expected, $"at {p}");
            locations[expected] = locations.GetValueOrDefault(expected) + 1;
        }

        locations.Keys.Should().BeEquivalentTo([Location.Interior, Location.Exterior, Location.Boundary]);
    }
}
