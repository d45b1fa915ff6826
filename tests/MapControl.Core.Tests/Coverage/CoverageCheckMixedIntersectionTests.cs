using MapControl.Core.Coverage;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Coverage;

public sealed class CoverageCheckMixedIntersectionTests
{
    private const string Frame = "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))";

    [Fact]
    public void Run_itemsOverlappingInOnePlaceAndTouchingAlongALine_reportsTheOverlap()
    {
        // A and B share the edge x = 1000 except where A bulges 40 m into B between y = 400 and 600: their
        // intersection is the bulge plus the two shared line pieces (a mixed collection).
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 400, 1040 400, 1040 600, 1000 600, 1000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1000 0, 2000 0, 2000 1000, 1000 1000, 1000 0))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.Gaps.Should().BeEmpty();
        report.Overlaps.Should().ContainSingle();
        report.Overlaps[0].AreaM2.Should().BeApproximately(8_000, 1);
        report.Overlaps[0].Departments.Should().Equal("A", "B");
    }
}
