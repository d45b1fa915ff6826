using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Coverage;

public sealed class CoverageCheckGapTests
{
    private const string Frame = "POLYGON ((118.48 37.40, 118.53 37.40, 118.53 37.42, 118.48 37.42, 118.48 37.40))";

    [Fact]
    public void Run_gapBetweenTwoNeighbours_reportsGapPolygonAreaAndBothDepartments()
    {
        var input = new CoverageInput(Wkt(Frame),
        [
            Item("A", "POLYGON ((118.48 37.40, 118.50 37.40, 118.50 37.42, 118.48 37.42, 118.48 37.40))"),
            Item("B", "POLYGON ((118.51 37.40, 118.53 37.40, 118.53 37.42, 118.51 37.42, 118.51 37.40))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().ContainSingle();
        var gap = report.Gaps[0];
        ShouldMatch(gap.Geometry, Wkt("POLYGON ((118.50 37.40, 118.51 37.40, 118.51 37.42, 118.50 37.42, 118.50 37.40))"));
        gap.Geometry.SRID.Should().Be(4326);
        gap.AreaM2.Should().BeApproximately(EllipsoidRectangleAreaM2(118.50, 37.40, 118.51, 37.42), 0.001 * gap.AreaM2);
        gap.Departments.Should().Equal("A", "B");
        report.Overlaps.Should().BeEmpty();
        report.CoveredAreaM2.Should().BeApproximately(report.FrameAreaM2 - gap.AreaM2, 1e-6 * report.FrameAreaM2);
    }

    [Fact]
    public void Run_sliverHalfMetreWideAlongOneKilometre_reportsAbout500SquareMetres()
    {
        var input = new CoverageInput(Metres("POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1000.5 0, 2000 0, 2000 1000, 1000.5 1000, 1000.5 0))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().ContainSingle();
        report.Gaps[0].AreaM2.Should().BeApproximately(500, 5);
        report.Gaps[0].WidthM.Should().BeApproximately(0.5, 0.01);
        report.Gaps[0].Departments.Should().Equal("A", "B");
    }

    [Fact]
    public void Run_sliverNarrowerThanMinWidth_isFilteredOutButStillCountedAsUncovered()
    {
        var input = new CoverageInput(Metres("POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1000.5 0, 2000 0, 2000 1000, 1000.5 1000, 1000.5 0))"),
        ]);

        var report = CoverageCheck.Run(input, new CoverageOptions { MinWidthM = 1.0 });

        report.Gaps.Should().BeEmpty();
        (report.FrameAreaM2 - report.CoveredAreaM2).Should().BeApproximately(500, 5);
    }

    [Fact]
    public void Run_jurisdictionHoleTouchingItsShell_holeIsGap()
    {
        // A's hole is the triangle (0 500, 300 300, 300 700), touching A's shell at (0 500).
        var input = new CoverageInput(Metres("POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 500, 0 0), (0 500, 300 700, 300 300, 0 500))"),
            ItemM("B", "POLYGON ((1000 0, 2000 0, 2000 1000, 1000 1000, 1000 0))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().ContainSingle();
        report.Gaps[0].AreaM2.Should().BeApproximately(60_000, 1);
        ShouldMatch(report.Gaps[0].Geometry, Metres("POLYGON ((0 500, 300 300, 300 700, 0 500))"));
        report.Gaps[0].Departments.Should().Equal("A");
    }

    [Fact]
    public void Run_gapsTouchingCoverageBoundaryAtSelfTouchNodes_bothTrianglesAreGaps()
    {
        // The coverage of NTS issue #804 / JTS #1134 (scaled ×100 m): CoverageUnion 2.6.0 gets it wrong.
        var input = new CoverageInput(Metres("POLYGON ((100 100, 900 100, 900 900, 100 900, 100 100))"),
        [
            ItemM("A", "POLYGON ((100 900, 900 900, 900 600, 500 700, 200 600, 100 900))"),
            ItemM("B", "POLYGON ((100 100, 100 900, 200 600, 400 300, 500 700, 700 300, 900 600, 900 100, 100 100))"),
        ]);

        var report = CoverageCheck.Run(input, new CoverageOptions { InvalidEdgeToleranceM = 0 });

        report.Gaps.Select(g => g.AreaM2).Should().BeEquivalentTo(
            new[] { 55_000.0, 70_000.0 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1)).WhenTypeIs<double>());
        report.Gaps.Should().OnlyContain(g => g.Departments.SequenceEqual(new[] { "A", "B" }));
        report.Overlaps.Should().BeEmpty();
    }

    [Fact]
    public void Run_multipolygonJurisdiction_gapBetweenItsPartsTouchesBothDepartments()
    {
        var input = new CoverageInput(Metres("POLYGON ((0 0, 3000 0, 3000 1000, 0 1000, 0 0))"),
        [
            ItemM("A", "MULTIPOLYGON (((0 0, 1000 0, 1000 1000, 0 1000, 0 0)), ((2000 0, 3000 0, 3000 1000, 2000 1000, 2000 0)))"),
            ItemM("B", "POLYGON ((1000 0, 2000 0, 2000 400, 1000 400, 1000 0))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().ContainSingle();
        report.Gaps[0].AreaM2.Should().BeApproximately(600_000, 1);
        report.Gaps[0].WidthM.Should().BeApproximately(600, 1);
        report.Gaps[0].Departments.Should().Equal("A", "B");
    }

    [Fact]
    public void Run_polygonsTouchingOnlyAtAVertex_noGapAndNoOverlap()
    {
        var a = "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))";
        var b = "POLYGON ((1000 1000, 2000 1000, 2000 2000, 1000 2000, 1000 1000))";
        var frame = "MULTIPOLYGON (((0 0, 1000 0, 1000 1000, 0 1000, 0 0)), ((1000 1000, 2000 1000, 2000 2000, 1000 2000, 1000 1000)))";
        var input = new CoverageInput(Metres(frame), [ItemM("A", a), ItemM("B", b)]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().BeEmpty();
        report.Overlaps.Should().BeEmpty();
        report.InvalidEdges.Should().BeEmpty();
        report.CoveredAreaM2.Should().BeApproximately(2_000_000, 1);
    }

    [Fact]
    public void Run_coverageStraddling1185East_gapAcrossTheMeridianIsOnePolygon()
    {
        var input = new CoverageInput(Wkt("POLYGON ((118.49 37.40, 118.51 37.40, 118.51 37.41, 118.49 37.41, 118.49 37.40))"),
        [
            Item("W", "POLYGON ((118.49 37.40, 118.499 37.40, 118.499 37.41, 118.49 37.41, 118.49 37.40))"),
            Item("E", "POLYGON ((118.501 37.40, 118.51 37.40, 118.51 37.41, 118.501 37.41, 118.501 37.40))"),
            Item("S", "POLYGON ((118.499 37.40, 118.501 37.40, 118.501 37.405, 118.499 37.405, 118.499 37.40))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().ContainSingle();
        ShouldMatch(report.Gaps[0].Geometry, Wkt("POLYGON ((118.499 37.405, 118.501 37.405, 118.501 37.41, 118.499 37.41, 118.499 37.405))"));
        report.Gaps[0].AreaM2.Should().BeApproximately(EllipsoidRectangleAreaM2(118.499, 37.405, 118.501, 37.41), 0.001 * report.Gaps[0].AreaM2);
        report.Gaps[0].Departments.Should().Equal("E", "S", "W");
    }

    [Fact]
    public void Run_gapBelowMinArea_isLeftOut()
    {
        var input = new CoverageInput(Metres("POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1000.5 0, 2000 0, 2000 1000, 1000.5 1000, 1000.5 0))"),
        ]);

        CoverageCheck.Run(input, new CoverageOptions { MinAreaM2 = 501 }).Gaps.Should().BeEmpty();
        CoverageCheck.Run(input, new CoverageOptions { MinAreaM2 = 499 }).Gaps.Should().ContainSingle();
    }

    [Fact]
    public void Run_emptyCoverage_wholeFrameIsOneGap()
    {
        var report = CoverageCheck.Run(new CoverageInput(Wkt(Frame), []));

        report.Gaps.Should().ContainSingle();
        report.Gaps[0].Departments.Should().BeEmpty();
        report.Gaps[0].AreaM2.Should().BeApproximately(report.FrameAreaM2, 1e-6 * report.FrameAreaM2);
        report.CoveredAreaM2.Should().BeApproximately(0, 1e-3);
    }

    [Fact]
    public void Run_geometriesOut_areLonLatPolygons()
    {
        var report = CoverageCheck.Run(new CoverageInput(Wkt(Frame), []));

        report.Gaps[0].Geometry.Should().BeOfType<Polygon>();
        report.Gaps[0].Geometry.EnvelopeInternal.MinX.Should().BeApproximately(118.48, 1e-7);
        report.Gaps[0].Geometry.EnvelopeInternal.MaxY.Should().BeApproximately(37.42, 1e-7);
    }

    [Fact]
    public void Run_departmentOneMetreAwayFromGap_isNotTouching()
    {
        var input = new CoverageInput(Metres("POLYGON ((0 0, 3000 0, 3000 1000, 0 1000, 0 0))"),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1000 0, 3000 0, 3000 400, 1000 400, 1000 0))"),
            ItemM("C", "POLYGON ((1000 401, 3000 401, 3000 1000, 1000 1000, 1000 401))"),
            ItemM("D", "POLYGON ((1500 600, 1600 600, 1600 700, 1500 700, 1500 600))"),
        ]);

        var report = CoverageCheck.Run(input);

        // The 1 m strip between B and C touches A, B and C; D lies 200 m away inside C... and overlaps it.
        report.Gaps.Should().ContainSingle().Which.Departments.Should().Equal("A", "B", "C");
        report.Overlaps.Should().ContainSingle().Which.Departments.Should().Equal("C", "D");
    }
}
