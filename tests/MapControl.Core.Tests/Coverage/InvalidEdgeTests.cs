using MapControl.Core.Coverage;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Coverage;

public sealed class InvalidEdgeTests
{
    private const string Frame = "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))";

    [Fact]
    public void Run_neighboursWithMatchingEdges_noInvalidEdges()
    {
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1000 0, 2000 0, 2000 1000, 1000 1000, 1000 0))"),
        ]);

        CoverageCheck.Run(input).InvalidEdges.Should().BeEmpty();
    }

    [Fact]
    public void Run_boundaryOffByTwentyCentimetres_flagsEdgesOfBothDepartments()
    {
        // B's west edge runs 0.2 m east of A's east edge: a sliver gap narrower than the 1 m tolerance.
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1000.2 0, 2000 0, 2000 1000, 1000.2 1000, 1000.2 0))"),
        ]);

        var report = CoverageCheck.Run(input);

        report.InvalidEdges.Should().NotBeEmpty();
        report.InvalidEdges.Select(e => e.ItemIndex).Distinct().Should().BeEquivalentTo([0, 1]);
        report.InvalidEdges.Should().OnlyContain(e => e.Departments.SequenceEqual(new[] { "A", "B" }));
        report.InvalidEdges.Where(e => e.ItemIndex == 0).Sum(e => e.LengthM).Should().BeApproximately(1000, 1);
        report.InvalidEdges.Should().OnlyContain(e => e.Geometry.SRID == 4326);
        report.Gaps.Should().ContainSingle().Which.AreaM2.Should().BeApproximately(200, 2);
    }

    [Fact]
    public void Run_boundaryOffByMoreThanTolerance_noInvalidEdges()
    {
        var input = new CoverageInput(Metres(Frame),
        [
            ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"),
            ItemM("B", "POLYGON ((1005 0, 2000 0, 2000 1000, 1005 1000, 1005 0))"),
        ]);

        var report = CoverageCheck.Run(input, new CoverageOptions { InvalidEdgeToleranceM = 1 });

        report.InvalidEdges.Should().BeEmpty();
        report.Gaps.Should().ContainSingle();
    }
}
