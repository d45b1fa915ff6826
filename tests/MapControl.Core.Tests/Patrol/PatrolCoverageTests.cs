using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using static MapControl.Core.Tests.Patrol.PatrolTestData;

namespace MapControl.Core.Tests.Patrol;

public sealed class PatrolCoverageTests
{
    private static readonly PatrolCoverageOptions Options = new(RadiusM: 100, BlankStripWidthM: 0, Projection: Projection);
    private static readonly PatrolUnit[] Units = [new("a1", "A", "A one", "ka1"), new("b1", "B", "B one", "kb1")];

    private static PatrolCoverageInput Input(IReadOnlyDictionary<string, Geometry> jurisdictions, IEnumerable<GpsFix> fixes, params KeyWell[] wells) =>
        new(jurisdictions, fixes.ToList(), Units, wells);

    [Fact]
    public void Compute_straightOneKmTrack_coversRectanglePlusDisc()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(-5000, -5000, 10000) };

        var report = PatrolCoverage.Compute(Input(jurisdictions, Line("a1", 0, 0, 1000, 0)), Options);

        var expected = 1000 * 200 + Math.PI * 100 * 100;
        report.CoverageAreaM2.Should().BeApproximately(expected, expected * 0.005);
        report.Departments.Should().ContainSingle().Which.CoveredAreaM2.Should().BeApproximately(expected, expected * 0.005);
        report.Departments[0].JurisdictionAreaM2.Should().BeApproximately(1e8, 1e8 * 1e-9);
        report.Tracks.Should().ContainSingle().Which.LengthM.Should().BeApproximately(1000, 1e-6);
        report.Coverage.SRID.Should().Be(4326);
    }

    [Fact]
    public void Compute_straightTrackWithJitter_simplificationKeepsAreaWithinTolerance()
    {
        var random = new Random(7);
        var fixes = Enumerable.Range(0, 1001).Select(i => Fix("a1", i, i, random.NextDouble() * 6 - 3)).ToList();
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(-5000, -5000, 10000) };

        var simplified = PatrolCoverage.Compute(Input(jurisdictions, fixes), Options).CoverageAreaM2;
        var raw = PatrolCoverage.Compute(Input(jurisdictions, fixes), Options with { SimplifyToleranceM = 0, RepeatToleranceM = 0 }).CoverageAreaM2;

        // Every raw fix is within 5 m of the simplified line: the areas differ by less than the 5 m rim of the coverage.
        Math.Abs(simplified - raw).Should().BeLessThan(5 * 2 * 1000);
        simplified.Should().BeApproximately(1000 * 200 + Math.PI * 100 * 100, 231416 * 0.03);
    }

    [Fact]
    public void Compute_jurisdictionHalfCovered_ratioHalf()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000) };
        // The band |y| ≤ 500 of a track from x = −500 to 1500 covers exactly the lower half of the square.
        var report = PatrolCoverage.Compute(Input(jurisdictions, Line("a1", -500, 0, 1500, 0)), Options with { RadiusM = 500 });

        var department = report.Departments.Should().ContainSingle().Subject;
        department.CoverageRatio.Should().BeApproximately(0.5, 1e-6);
        department.UncoveredAreaM2.Should().BeApproximately(500_000, 0.5);
        department.UncoveredPolygons.Should().ContainSingle().Which.AreaM2.Should().BeApproximately(500_000, 0.5);
        Metric(department.UncoveredPolygons[0].Geometry).EnvelopeInternal.MinY.Should().BeApproximately(500, 1e-3);
        department.NeighbourShare.Should().Be(0);
        department.OwnCoveredAreaM2.Should().BeApproximately(department.CoveredAreaM2, 1e-6);
        department.OwnTrackCount.Should().Be(1);
        department.OwnPatrolLengthM.Should().BeApproximately(2000, 1e-6);
    }

    [Fact]
    public void Compute_trackAcrossMiddle_twoUncoveredPolygonsLargestFirst()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000) };

        var report = PatrolCoverage.Compute(Input(jurisdictions, Line("a1", -500, 300, 1500, 300)), Options);

        var polygons = report.Departments[0].UncoveredPolygons;
        polygons.Select(p => p.AreaM2).Should().Equal([600_000, 200_000], (a, e) => Math.Abs(a - e) < 0.5);
    }

    [Theory]
    [InlineData(99, true)]
    [InlineData(101, false)]
    public void Compute_keyWellNearFix_visitedWithinRadiusOnly(double distance, bool visited)
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(-1000, -1000, 2000) };
        var well = new KeyWell("W1", (Point)LonLat(FormattableString.Invariant($"POINT(0 {distance})")));
        // The unit passes 0 m from the well's foot at t = 50 s, then drives away east; a later fix of another unit is far away.
        var fixes = Line("b1", -500, 0, 500, 0, stepM: 100).Append(Fix("a1", 5000, 900, 900));

        var report = PatrolCoverage.Compute(Input(jurisdictions, fixes, well), Options);

        var visit = report.Departments[0].KeyWells.Should().ContainSingle().Subject;
        visit.Visited.Should().Be(visited);
        if (visited)
        {
            visit.LastVisit.Should().Be(T0.AddSeconds(50));
            visit.UnitCode.Should().Be("b1");
            visit.DepartmentCode.Should().Be("B");
            visit.VisitFixCount.Should().Be(1);
        }
        else
        {
            visit.LastVisit.Should().BeNull();
            visit.UnitCode.Should().BeNull();
        }
    }

    [Fact]
    public void Compute_keyWellOutsideJurisdiction_notListed()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000), ["B"] = Square(1000, 0, 1000) };
        var well = new KeyWell("W1", (Point)LonLat("POINT(1500 500)"));

        var report = PatrolCoverage.Compute(Input(jurisdictions, Line("a1", 1400, 500, 1600, 500), well), Options);

        report.Departments.Single(d => d.DepartmentCode == "A").KeyWells.Should().BeEmpty();
        report.Departments.Single(d => d.DepartmentCode == "B").KeyWells.Should().ContainSingle().Which.DepartmentCode.Should().Be("A");
    }

    [Fact]
    public void Compute_onlyNeighbourUnitCovers_neighbourShareOne()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000), ["B"] = Square(1000, 0, 1000) };

        var report = PatrolCoverage.Compute(Input(jurisdictions, Line("b1", 200, 500, 800, 500)), Options);

        var a = report.Departments.Single(d => d.DepartmentCode == "A");
        a.CoveredAreaM2.Should().BeGreaterThan(100_000);
        a.OwnCoveredAreaM2.Should().Be(0);
        a.NeighbourOnlyAreaM2.Should().BeApproximately(a.CoveredAreaM2, 1e-9);
        a.NeighbourShare.Should().Be(1);
        var b = report.Departments.Single(d => d.DepartmentCode == "B");
        b.CoveredAreaM2.Should().Be(0);
        b.NeighbourShare.Should().Be(0);
        b.OwnTrackCount.Should().Be(1);
    }

    [Fact]
    public void Compute_ownAndNeighbourCoverOverlappingBands_neighbourShareIsNeighbourOnlyPart()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000), ["B"] = Square(1000, 0, 1000) };
        // Both bands span the square from edge to edge: own y ∈ [200, 400], neighbour y ∈ [300, 500]; neighbour-only y ∈ [400, 500].
        var fixes = Line("a1", -500, 300, 1500, 300).Concat(Line("b1", -500, 400, 1500, 400, startSeconds: 10_000));

        var a = PatrolCoverage.Compute(Input(jurisdictions, fixes), Options).Departments.Single(d => d.DepartmentCode == "A");

        a.CoveredAreaM2.Should().BeApproximately(300_000, 0.5);
        a.OwnCoveredAreaM2.Should().BeApproximately(200_000, 0.5);
        a.NeighbourOnlyAreaM2.Should().BeApproximately(100_000, 0.5);
        a.NeighbourShare.Should().BeApproximately(1.0 / 3.0, 1e-6);
    }

    [Fact]
    public void Compute_loopInsideJurisdiction_uncoveredKeepsTheLoopsInsideAsAnIsland()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(-5000, -5000, 10000) };
        // A closed square loop of side 1000 m well inside the jurisdiction, r = 100: the band leaves an 800 m × 800 m island.
        var fixes = Line("a1", 0, 0, 1000, 0).Concat(Line("a1", 1000, 0, 1000, 1000, startSeconds: 1001))
            .Concat(Line("a1", 1000, 1000, 0, 1000, startSeconds: 2002)).Concat(Line("a1", 0, 1000, 0, 0, startSeconds: 3003));

        var report = PatrolCoverage.Compute(Input(jurisdictions, fixes), Options);

        var department = report.Departments.Single();
        var band = 1200.0 * 1200.0 - 800.0 * 800.0 - (4 - Math.PI) * 100 * 100;
        department.CoveredAreaM2.Should().BeApproximately(band, band * 0.005);
        department.UncoveredAreaM2.Should().BeApproximately(1e8 - department.CoveredAreaM2, 1e-3);
        department.Uncovered.IsValid.Should().BeTrue();
        department.UncoveredPolygons.Should().HaveCount(2);
        department.UncoveredPolygons[1].AreaM2.Should().BeApproximately(800 * 800, 0.5);
        department.UncoveredPolygons[0].Geometry.NumInteriorRings.Should().Be(1);
        var expected = OverlayNGRobust.Overlay(Metric(jurisdictions["A"]), Metric(report.Coverage), SpatialFunction.Difference);
        Metric(department.Uncovered).SymmetricDifference(expected).Area.Should().BeLessThan(1.0);
    }

    [Fact]
    public void Compute_unknownUnit_countsForCoverageAndIsReported()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000) };

        var report = PatrolCoverage.Compute(Input(jurisdictions, Line("x9", 200, 500, 800, 500)), Options);

        report.Departments[0].NeighbourShare.Should().Be(1);
        report.Problems.Should().ContainSingle().Which.Kind.Should().Be("unknown_unit");
    }

    [Fact]
    public void Compute_manyWanderingTracks_coveredPlusUncoveredIsJurisdictionAndTheyDoNotOverlap()
    {
        var jurisdictions = new Dictionary<string, Geometry>
        {
            ["A"] = LonLat("POLYGON((0 0, 4000 0, 4300 2500, 2000 4200, -300 3000, 0 0), (1500 1500, 2500 1500, 2000 2300, 1500 1500))"),
            ["B"] = LonLat("POLYGON((4000 0, 7000 0, 7000 3000, 4300 2500, 4000 0))"),
        };
        var random = new Random(42);
        var fixes = new List<GpsFix>();
        for (var unit = 0; unit < 6; unit++)
        {
            double x = random.Next(0, 7000), y = random.Next(0, 3000), heading = random.NextDouble() * 2 * Math.PI;
            for (var i = 0; i < 3000; i++)
            {
                heading += (random.NextDouble() - 0.5) * 0.3;
                x += 8 * Math.Cos(heading) + random.NextDouble() * 4 - 2;
                y += 8 * Math.Sin(heading) + random.NextDouble() * 4 - 2;
                fixes.Add(Fix(unit % 2 == 0 ? "a1" : "b1", unit * 10_000 + i, x, y));
            }
        }

        var report = PatrolCoverage.Compute(Input(jurisdictions, fixes), Options with { RadiusM = 150 });

        var coverage = Projection.Forward(report.Coverage);
        foreach (var department in report.Departments)
        {
            (department.CoveredAreaM2 + department.UncoveredAreaM2).Should().BeApproximately(department.JurisdictionAreaM2, department.JurisdictionAreaM2 * 1e-6);
            department.CoverageRatio.Should().BeInRange(0.05, 0.95);
            var uncovered = Projection.Forward(department.Uncovered);
            OverlayNGRobust.Overlay(uncovered, coverage, SpatialFunction.Intersection).Area.Should().BeLessThan(department.JurisdictionAreaM2 * 1e-6);
            department.UncoveredPolygons.Sum(p => p.AreaM2).Should().BeApproximately(department.UncoveredAreaM2, department.UncoveredPolygons.Count * 1.0 + 1e-6);
        }
    }

    [Fact]
    public void Compute_readyTrackLines_sameCoverageAsFixes()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000), ["B"] = Square(1000, 0, 1000) };
        var line = LonLat("LINESTRING(-500 300, 1500 300)");
        var input = PatrolCoverageInput.FromTracks(jurisdictions, [PatrolTrack.FromGeometry(line, "B", projection: Projection)]);

        var fromLines = PatrolCoverage.Compute(input, Options).Departments.Single(d => d.DepartmentCode == "A");
        var fromFixes = PatrolCoverage.Compute(Input(jurisdictions, Line("b1", -500, 300, 1500, 300)), Options).Departments.Single(d => d.DepartmentCode == "A");

        fromLines.CoveredAreaM2.Should().BeApproximately(200_000, 0.5);
        fromLines.CoveredAreaM2.Should().BeApproximately(fromFixes.CoveredAreaM2, 1e-3);
        fromLines.NeighbourShare.Should().Be(1);
    }

    [Fact]
    public void Compute_readyTrackNearKeyWell_visitDatedByTrackEnd()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000) };
        var end = T0.AddHours(3);
        var track = PatrolTrack.FromGeometry(LonLat("LINESTRING(0 500, 1000 500)"), "A", "a1", T0, end, Projection);
        var wells = new[] { new KeyWell("near", (Point)LonLat("POINT(500 590)")), new KeyWell("far", (Point)LonLat("POINT(500 620)")) };

        var report = PatrolCoverage.Compute(PatrolCoverageInput.FromTracks(jurisdictions, [track], wells), Options);

        var visits = report.Departments[0].KeyWells;
        visits.Single(v => v.Code == "near").LastVisit.Should().Be(end);
        visits.Single(v => v.Code == "far").Visited.Should().BeFalse();
    }

    [Fact]
    public void Compute_noTracks_everythingUncovered()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000) };

        var report = PatrolCoverage.Compute(Input(jurisdictions, []), Options);

        report.Coverage.IsEmpty.Should().BeTrue();
        report.Departments[0].CoverageRatio.Should().Be(0);
        report.Departments[0].UncoveredAreaM2.Should().BeApproximately(1_000_000, 1e-3);
    }

    [Fact]
    public void Compute_twentyJitteryPassesOfOneRoad_areaWithinToleranceOfExact()
    {
        var random = new Random(11);
        var fixes = new List<GpsFix>();
        for (var pass = 0; pass < 20; pass++)
        {
            for (var i = 0; i <= 100; i++)
            {
                var x = pass % 2 == 0 ? i * 10.0 : 1000 - i * 10.0;
                fixes.Add(Fix("a1", pass * 101 + i, x + random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2));
            }
        }

        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(-5000, -5000, 10000) };

        var fast = PatrolCoverage.Compute(Input(jurisdictions, fixes), Options).CoverageAreaM2;
        var exact = PatrolCoverage.Compute(Input(jurisdictions, fixes), Options with { SimplifyToleranceM = 0, RepeatToleranceM = 0 }).CoverageAreaM2;

        // Kept segments lie within t + 1.5·ρ of every raw fix: the areas differ by less than that band along the outline
        // (measured: 1.8%, as the exact union reaches the outermost of the ±2 m jittered passes and the fast one follows one).
        var perimeter = 2 * 1000 + 2 * Math.PI * 100;
        Math.Abs(fast - exact).Should().BeLessThan(2.5 * 5 * perimeter);
        fast.Should().BeLessThan(exact);
        (Math.Abs(fast - exact) / exact).Should().BeLessThan(0.03);
    }

    [Fact]
    public void Compute_window_ignoresFixesOutsideIt()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = Square(0, 0, 1000) };
        var early = Line("a1", -500, 300, 1500, 300);
        var late = Line("a1", -500, 700, 1500, 700, startSeconds: 7200);
        var input = Input(jurisdictions, early.Concat(late)) with { From = T0.AddHours(1), To = T0.AddHours(3) };

        var report = PatrolCoverage.Compute(input, Options);

        report.Tracks.Should().ContainSingle().Which.Start.Should().Be(T0.AddHours(2));
        report.Departments[0].CoveredAreaM2.Should().BeApproximately(200_000, 0.5);
    }

    [Fact]
    public void Compute_selfIntersectingJurisdiction_repairedAndReported()
    {
        var jurisdictions = new Dictionary<string, Geometry> { ["A"] = LonLat("POLYGON((0 0, 1000 1000, 1000 0, 0 1000, 0 0))") };

        var report = PatrolCoverage.Compute(Input(jurisdictions, []), Options);

        report.Problems.Should().ContainSingle().Which.Kind.Should().Be("invalid_jurisdiction");
        report.Departments[0].JurisdictionAreaM2.Should().BeApproximately(500_000, 1e-3);
        report.Departments[0].UncoveredAreaM2.Should().BeApproximately(500_000, 1e-3);
    }
}
