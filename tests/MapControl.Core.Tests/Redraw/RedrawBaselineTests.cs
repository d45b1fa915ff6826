using MapControl.Core.Coverage;
using MapControl.Core.Redraw;
using NetTopologySuite.Geometries;
using static MapControl.Core.Tests.Coverage.CoverageTestGeometry;

namespace MapControl.Core.Tests.Redraw;

/// <summary>The "before" half kept for an edit session: every proposal measured against one baseline gives the report of a full computation.</summary>
public sealed class RedrawBaselineTests
{
    private const string Frame = "POLYGON ((0 0, 2000 0, 2000 1000, 0 1000, 0 0))";

    private static RedrawInput Current(params RedrawProposal[] proposals) =>
        new(Metres(Frame), [ItemM("A", "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"), ItemM("B", "POLYGON ((1010 0, 2000 0, 2000 1000, 1010 1000, 1010 0))")], proposals)
        {
            Wells = [new WellPoint((Point)Metres("POINT (500 500)"), false), new WellPoint((Point)Metres("POINT (1100 500)"), true)],
            Incidents = [new CoverageIncident((Point)Metres("POINT (1005 200)"), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))],
            AsOf = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
            Routes = [new PlannedRoute((LineString)Metres("LINESTRING (100 100, 900 100)"), "A")],
        };

    private static readonly RedrawProposal[][] Edits =
    [
        [new RedrawProposal(0, Metres("POLYGON ((0 0, 1200 0, 1200 1000, 0 1000, 0 0))"))],                       // overlap created, gap closed
        [new RedrawProposal(0, Metres("POLYGON ((0 0, 900 0, 900 1000, 0 1000, 0 0))"))],                         // gap grown
        [new RedrawProposal(1, Metres("POLYGON ((1000 0, 2000 0, 2000 1000, 1000 1000, 1000 0))"))],              // gap closed
        [new RedrawProposal(0, Metres("POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"))],                       // untouched
        [new RedrawProposal(0, Metres("POLYGON ((0 0, 1100 0, 1100 1000, 0 1000, 0 0))")),
         new RedrawProposal(1, Metres("POLYGON ((1100 0, 2000 0, 2000 1000, 1100 1000, 1100 0))"))],               // shared move
    ];

    [Fact]
    public void Compute_manyProposalsAgainstOneBaseline_sameReportsAsFullComputations()
    {
        var baseline = RedrawImpact.Prepare(Current());
        foreach (var edit in Edits.Concat(Edits.Reverse()))
        {
            var kept = RedrawImpact.Compute(baseline, edit);
            var full = RedrawImpact.Compute(Current(edit));
            Describe(kept).Should().Equal(Describe(full));
        }
        baseline.GapAreaM2.Should().BeApproximately(10_000, 0.01, "the 10 m strip between A and B");
    }

    [Fact]
    public void Prepare_ignoresTheProposalsOfItsInput()
    {
        var withProposal = RedrawImpact.Prepare(Current(Edits[0]));
        withProposal.Current.Proposals.Should().BeEmpty();
        Describe(RedrawImpact.Compute(withProposal, Edits[1])).Should().Equal(Describe(RedrawImpact.Compute(Current(Edits[1]))));
    }

    /// <summary>Everything the panel shows of a report, as text.</summary>
    private static List<string> Describe(RedrawReport r)
    {
        var lines = new List<string>
        {
            $"gap {r.GapArea.BeforeM2:0.###} -> {r.GapArea.AfterM2:0.###}",
            $"overlap {r.OverlapArea.BeforeM2:0.###} -> {r.OverlapArea.AfterM2:0.###}",
            $"balance {r.BalanceBefore} {r.BalanceAfter}",
        };
        lines.AddRange(r.Gaps.Changes.Select(c => $"gap change {c.Kind} {c.AreaBeforeM2:0.###} {c.AreaAfterM2:0.###}"));
        lines.AddRange(r.Overlaps.Changes.Select(c => $"overlap change {c.Kind} {c.AreaBeforeM2:0.###} {c.AreaAfterM2:0.###}"));
        lines.AddRange(r.WorkloadBefore.Concat(r.WorkloadAfter).Select(w => w.ToString()));
        lines.AddRange(r.Measured.Select(m => $"{m.ItemIndex} {m.NewGeometry.AsText()}"));
        return lines;
    }
}
