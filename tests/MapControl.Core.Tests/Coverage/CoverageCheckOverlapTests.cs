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
}
