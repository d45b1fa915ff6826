using MapControl.Core.Coverage;
using MapControl.Core.Redraw;
using NetTopologySuite.Geometries;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Redraw;

public sealed class RedrawImpactTests
{
    private const string Frame = "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))";
    private const string West = "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))";
    private const string East = "POLYGON ((1000 0, 2000 0, 2000 1000, 1000 1000, 1000 0))";

    private static RedrawInput TwoDepartments(params RedrawProposal[] proposals) =>
        new(Metres(Frame), [ItemM("A", West), ItemM("B", East)], proposals)
        {
            Wells =
            [
                new WellPoint((Point)Metres("POINT (500 500)"), false),
                new WellPoint((Point)Metres("POINT (1100 500)"), true),
                new WellPoint((Point)Metres("POINT (1500 500)"), false),
            ],
            Incidents = [new CoverageIncident((Point)Metres("POINT (1120 200)"), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))],
            AsOf = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
            Routes =
            [
                new PlannedRoute((LineString)Metres("LINESTRING (100 100, 900 100)"), "A"),
                new PlannedRoute((LineString)Metres("LINESTRING (1100 900, 1900 900)"), "B"),
            ],
        };

    [Fact]
    public void Compute_sharedBoundaryMoved_areaAndWellsShiftAndTotalsStayEqual()
    {
        var input = TwoDepartments(
            new RedrawProposal(0, Metres("POLYGON ((0 0, 1200 0, 1200 1000, 0 1000, 0 0))")),
            new RedrawProposal(1, Metres("POLYGON ((1200 0, 2000 0, 2000 1000, 1200 1000, 1200 0))")));

        var report = RedrawImpact.Compute(input);

        report.WorkloadBefore.Select(w => w.Department).Should().Equal("A", "B");
        report.WorkloadBefore.Select(w => w.AreaM2).Should().AllSatisfy(a => a.Should().BeApproximately(1_000_000, 1));
        report.WorkloadAfter[0].AreaM2.Should().BeApproximately(1_200_000, 1);
        report.WorkloadAfter[1].AreaM2.Should().BeApproximately(800_000, 1);
        report.WorkloadAfter.Sum(w => w.AreaM2).Should().BeApproximately(report.WorkloadBefore.Sum(w => w.AreaM2), 1e-3);
        report.WorkloadBefore.Select(w => (w.Wells, w.KeyWells, w.Incidents)).Should().Equal((1, 0, 0), (2, 1, 1));
        report.WorkloadAfter.Select(w => (w.Wells, w.KeyWells, w.Incidents)).Should().Equal((2, 1, 1), (1, 0, 0));
        report.WorkloadAfter.Sum(w => w.Wells).Should().Be(report.WorkloadBefore.Sum(w => w.Wells));
        report.BalanceBefore.Area.Should().BeApproximately(1.0, 1e-6);
        report.BalanceAfter.Area.Should().BeApproximately(1.5, 1e-6);
        report.BalanceAfter.KeyWells.Should().BeNull("department B has no key well after the redraw");
        report.Gaps.Created.Should().BeEmpty();
        report.Overlaps.Created.Should().BeEmpty();
    }

    [Fact]
    public void Compute_proposalPullsBackFromBoundary_gapReportedAsCreated()
    {
        var input = TwoDepartments(new RedrawProposal(0, Metres("POLYGON ((0 0, 900 0, 900 1000, 0 1000, 0 0))")));

        var report = RedrawImpact.Compute(input);

        report.Before.Gaps.Should().BeEmpty();
        var created = report.Gaps.Created.Should().ContainSingle().Subject;
        created.AreaM2.Should().BeApproximately(100_000, 1);
        created.Departments.Should().Equal("A", "B");
        ShouldMatch(created.Geometry, Metres("POLYGON ((900 0, 1000 0, 1000 1000, 900 1000, 900 0))"));
        report.Gaps.Closed.Should().BeEmpty();
    }

    [Fact]
    public void Compute_proposalClosesExistingGap_gapReportedAsClosed()
    {
        var input = new RedrawInput(Metres(Frame),
            [ItemM("A", "POLYGON ((0 0, 900 0, 900 1000, 0 1000, 0 0))"), ItemM("B", East)],
            [new RedrawProposal(0, Metres(West))]);

        var report = RedrawImpact.Compute(input);

        report.Gaps.Closed.Should().ContainSingle().Which.AreaM2.Should().BeApproximately(100_000, 1);
        report.Gaps.Created.Should().BeEmpty();
        report.After.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void Compute_proposalStepsOverBoundary_overlapCreatedAndItsWellCountsForBoth()
    {
        var input = TwoDepartments(new RedrawProposal(0, Metres("POLYGON ((0 0, 1150 0, 1150 1000, 0 1000, 0 0))")));

        var report = RedrawImpact.Compute(input);

        var overlap = report.Overlaps.Created.Should().ContainSingle().Subject;
        overlap.AreaM2.Should().BeApproximately(150_000, 1);
        overlap.WidthM.Should().BeApproximately(150, 0.01);
        overlap.Departments.Should().Equal("A", "B");
        report.WorkloadAfter.Select(w => (w.Wells, w.KeyWells, w.Incidents)).Should().Equal((2, 1, 1), (2, 1, 1));
        report.Before.Overlaps.Should().BeEmpty();
    }

    [Fact]
    public void Compute_gapWidened_gapReportedAsGrownWithItsDeltaAndTheNetChangeLeads()
    {
        var input = new RedrawInput(Metres(Frame),
            [ItemM("A", "POLYGON ((0 0, 900 0, 900 1000, 0 1000, 0 0))"), ItemM("B", East)],
            [new RedrawProposal(0, Metres("POLYGON ((0 0, 800 0, 800 1000, 0 1000, 0 0))"))]);

        var report = RedrawImpact.Compute(input);

        var grown = report.Gaps.Grown.Should().ContainSingle().Subject;
        grown.AreaBeforeM2.Should().BeApproximately(100_000, 1);
        grown.AreaAfterM2.Should().BeApproximately(200_000, 1);
        grown.DeltaM2.Should().BeApproximately(100_000, 1);
        grown.After.Should().ContainSingle().Which.AreaM2.Should().BeApproximately(200_000, 1);
        report.Gaps.Created.Should().BeEmpty();
        report.Gaps.Closed.Should().BeEmpty();
        report.Gaps.Shrunk.Should().BeEmpty();
        report.GapArea.BeforeM2.Should().BeApproximately(100_000, 1);
        report.GapArea.DeltaM2.Should().BeApproximately(100_000, 1);
        report.OverlapArea.DeltaM2.Should().Be(0);
    }

    [Fact]
    public void Compute_overlapNarrowed_overlapReportedAsShrunk()
    {
        var input = new RedrawInput(Metres(Frame),
            [ItemM("A", "POLYGON ((0 0, 1200 0, 1200 1000, 0 1000, 0 0))"), ItemM("B", East)],
            [new RedrawProposal(0, Metres("POLYGON ((0 0, 1100 0, 1100 1000, 0 1000, 0 0))"))]);

        var report = RedrawImpact.Compute(input);

        var shrunk = report.Overlaps.Shrunk.Should().ContainSingle().Subject;
        shrunk.DeltaM2.Should().BeApproximately(-100_000, 1);
        report.Overlaps.Changes.Should().ContainSingle();
        report.OverlapArea.BeforeM2.Should().BeApproximately(200_000, 1);
        report.OverlapArea.AfterM2.Should().BeApproximately(100_000, 1);
        report.Overlaps.Changes.Sum(c => c.DeltaM2).Should().BeApproximately(report.OverlapArea.DeltaM2, 1e-6);
    }

    [Fact]
    public void Compute_gapSplitInTwo_oneChangeWhoseDeltasAddUpToTheNetChange()
    {
        var input = new RedrawInput(Metres(Frame),
            [ItemM("A", "POLYGON ((0 0, 900 0, 900 1000, 0 1000, 0 0))"), ItemM("B", East)],
            [new RedrawProposal(0, Metres("POLYGON ((0 0, 900 0, 900 400, 1000 400, 1000 600, 900 600, 900 1000, 0 1000, 0 0))"))]);

        var report = RedrawImpact.Compute(input);

        var change = report.Gaps.Changes.Should().ContainSingle().Subject;
        change.Kind.Should().Be(ChangeKind.Shrunk);
        change.Before.Should().ContainSingle();
        change.After.Should().HaveCount(2);
        change.DeltaM2.Should().BeApproximately(-20_000, 1);
        report.GapArea.DeltaM2.Should().BeApproximately(change.DeltaM2, 1e-6);
    }

    [Fact]
    public void Compute_untouchedGeometryRoundedTo6Decimals_exactlyZeroChange()
    {
        // What a browser's GeoJSON at 6 decimals sends back for an untouched polygon: every vertex moved by up to ~7 cm.
        var west = Metres(West);
        var rounded = west.Copy();
        rounded.Apply(new RoundFilter(6));
        rounded.GeometryChanged();
        rounded.EqualsExact(west).Should().BeFalse("the rounding moves vertices");

        var report = RedrawImpact.Compute(TwoDepartments(new RedrawProposal(0, rounded)));

        report.GapArea.DeltaM2.Should().Be(0);
        report.OverlapArea.DeltaM2.Should().Be(0);
        report.Gaps.Changes.Should().BeEmpty();
        report.Overlaps.Changes.Should().BeEmpty();
        report.WorkloadAfter.Should().Equal(report.WorkloadBefore);
        report.Measured.Should().ContainSingle().Which.NewGeometry.EqualsExact(west).Should().BeTrue();
    }

    [Fact]
    public void Compute_halfMetreSliver_stillFound()
    {
        var report = RedrawImpact.Compute(TwoDepartments(new RedrawProposal(0, Metres("POLYGON ((0 0, 999.5 0, 999.5 1000, 0 1000, 0 0))"))));

        var gap = report.Gaps.Created.Should().ContainSingle().Subject;
        gap.AreaM2.Should().BeApproximately(500, 0.5);
        gap.WidthM.Should().BeApproximately(0.5, 0.01);
        report.GapArea.DeltaM2.Should().BeApproximately(500, 0.5);
    }

    private sealed class RoundFilter(int decimals) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, Math.Round(seq.GetX(i), decimals));
            seq.SetY(i, Math.Round(seq.GetY(i), decimals));
        }
    }

    [Fact]
    public void Compute_routes_lengthPerDepartmentAndInsideShare()
    {
        var report = RedrawImpact.Compute(TwoDepartments(new RedrawProposal(0, Metres("POLYGON ((0 0, 500 0, 500 1000, 0 1000, 0 0))"))));

        report.WorkloadBefore[0].PatrolLengthM.Should().BeApproximately(800, 0.01);
        report.WorkloadBefore[0].PatrolLengthInsideM.Should().BeApproximately(800, 0.01);
        report.WorkloadAfter[0].PatrolLengthM.Should().BeApproximately(800, 0.01);
        report.WorkloadAfter[0].PatrolLengthInsideM.Should().BeApproximately(400, 0.01);
        report.BalanceAfter.PatrolLength.Should().BeApproximately(1.0, 1e-6);
    }

    [Fact]
    public void Compute_squareDepartment_compactnessIsPiOverFour()
    {
        var report = RedrawImpact.Compute(TwoDepartments());

        report.WorkloadBefore.Should().OnlyContain(w => Math.Abs(w.Compactness - Math.PI / 4) < 1e-4);
    }

    [Fact]
    public void Compute_proposalForMissingItem_throws()
    {
        var act = () => RedrawImpact.Compute(TwoDepartments(new RedrawProposal(5, Metres(West))));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
