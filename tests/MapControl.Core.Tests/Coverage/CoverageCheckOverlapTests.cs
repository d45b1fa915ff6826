using MapControl.Core.Coverage;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Coverage;

public sealed class CoverageCheckOverlapTests
{
    private const string Frame = "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))";

    [Fact]
    public void Run_overlapBand_reportsBandAreaWidthAndBothDepartments()
    {
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 1020 0, 1020 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((980 0, 2000 0, 2000 1000, 980 1000, 980 0))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().BeEmpty();
        report.Overlaps.Should().ContainSingle();
        var overlap = report.Overlaps[0];
        overlap.AreaM2.Should().BeApproximately(40_000, 1);
        overlap.WidthM.Should().BeApproximately(40, 0.01);
        overlap.Departments.Should().Equal("A", "B");
        ShouldMatch(overlap.Geometry, Metres("POLYGON ((980 0, 1020 0, 1020 1000, 980 1000, 980 0))"));
    }

    [Fact]
    public void Run_threeItemsOverlappingInOnePlace_oneOverlapWithAllThreeDepartments()
    {
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 1100 0, 1100 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((900 0, 2000 0, 2000 1000, 900 1000, 900 0))"),
            ItemM("C", "POLYGON ((800 400, 1200 400, 1200 600, 800 600, 800 400))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Overlaps.Should().ContainSingle();
        report.Overlaps[0].Departments.Should().Equal("A", "B", "C");
        // band 900–1100 × 1000 plus C's wings 800–900 and 1100–1200 × 200
        report.Overlaps[0].AreaM2.Should().BeApproximately(200_000 + 40_000, 1);
    }

    [Fact]
    public void Run_itemsOverlappingOutsideTheFrame_overlapReportedOnlyInsideTheFrame()
    {
        // Both items stick out 500 m north of the frame; their overlap band runs across the frame edge.
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 1050 0, 1050 1500, 0 1500, 0 0))"),
            ItemM("B", "POLYGON ((950 0, 2000 0, 2000 1500, 950 1500, 950 0))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().BeEmpty();
        report.Overlaps.Should().ContainSingle();
        report.Overlaps[0].AreaM2.Should().BeApproximately(100_000, 1);
        report.CoveredAreaM2.Should().BeApproximately(2_000_000, 1);
    }

    [Fact]
    public void Run_overlapEntirelyOutsideTheFrame_isNotReported()
    {
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((0 1100, 1000 1100, 1000 1500, 0 1500, 0 1100))"),
            ItemM("C", "POLYGON ((500 1100, 1500 1100, 1500 1500, 500 1500, 500 1100))"),
        ]);

        CoverageCheck.Run(input).Overlaps.Should().BeEmpty();
    }

    [Fact]
    public void Run_narrowOverlapBelowMinWidth_isFilteredOut()
    {
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 1000.4 0, 1000.4 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1000 0, 2000 0, 2000 1000, 1000 1000, 1000 0))"),
        ]);

        CoverageCheck.Run(input).Overlaps.Should().ContainSingle().Which.WidthM.Should().BeApproximately(0.4, 0.001);
        CoverageCheck.Run(input, new CoverageOptions { MinWidthM = 0.5 }).Overlaps.Should().BeEmpty();
    }

    [Fact]
    public void Run_itemStraddlingAnotherItemsFrameEdge_overlapOnlyInsideTheFrame()
    {
        // A's south edge lies on the frame; B crosses it (200 m outside, 100 m inside): only the inside part overlaps A.
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((300 -200, 700 -200, 700 100, 300 100, 300 -200))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().BeEmpty();
        var overlap = report.Overlaps.Should().ContainSingle().Subject;
        overlap.AreaM2.Should().BeApproximately(40_000, 1);
        overlap.Departments.Should().Equal("A", "B");
        ShouldMatch(overlap.Geometry, Metres("POLYGON ((300 0, 700 0, 700 100, 300 100, 300 0))"));
    }

    [Fact]
    public void Run_itemCoveringAnotherItemsFrameEdgeWithItsBoundaryOutside_overlapFound()
    {
        // B covers A's whole south-west corner region, frame edges included; B's boundary crosses the frame only on A's inside.
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((-100 -100, 500 -100, 500 300, -100 300, -100 -100))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().BeEmpty();
        report.Overlaps.Should().ContainSingle().Which.AreaM2.Should().BeApproximately(150_000, 1);
    }

    [Theory]
    [InlineData("POLYGON ((800 -300, 1200 -300, 1000 0, 800 -300))")] // touches A's frame edge at one point from outside
    [InlineData("POLYGON ((800 -300, 1200 -300, 1200 0, 800 0, 800 -300))")] // runs along A's frame edge from outside
    public void Run_itemTouchingAnotherItemsFrameEdgeFromOutside_noOverlapNoGap(string outside)
    {
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))"),
            ItemM("B", outside),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().BeEmpty();
        report.Overlaps.Should().BeEmpty();
        report.CoveredAreaM2.Should().BeApproximately(2_000_000, 1);
    }
}
