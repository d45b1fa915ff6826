using MapControl.Core.Coverage;

namespace MapControl.Core.Redraw;

/// <summary>Runs the coverage check after a redraw in the baseline's projection and compares it with the baseline's check.</summary>
internal sealed class RedrawWorker(RedrawBaseline baseline)
{
    private readonly RedrawInput _input = baseline.Current;
    private readonly CoverageOptions _options = baseline.Options;

    public RedrawReport Run(IReadOnlyList<RedrawProposal> proposals)
    {
        var after = _input.Items.ToArray();
        var stored = baseline.Stored;
        var measured = new List<RedrawProposal>();
        foreach (var proposal in proposals)
        {
            if (proposal.ItemIndex < 0 || proposal.ItemIndex >= after.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(RedrawInput.Proposals), proposal.ItemIndex, "proposal for an item that does not exist");
            }
            // Vertices within 10 cm of a stored vertex are that vertex (VertexSnap): an untouched edge changes nothing.
            var snapped = VertexSnap.Snap(proposal.NewGeometry, stored);
            measured.Add(proposal with { NewGeometry = snapped });
            after[proposal.ItemIndex] = after[proposal.ItemIndex] with { Geometry = snapped };
        }

        var before = baseline.Before;
        var unchanged = after.Select((a, i) => ReferenceEquals(a.Geometry, stored[i]) || a.Geometry.EqualsExact(stored[i])).All(x => x);
        var afterAnalysis = unchanged ? before : CoverageCheck.Analyse(baseline.InputOf(after), _options, baseline.Points);
        var grid = before.Coverage.Overlay;
        var gaps = ChangeMatcher.Compare(before.Report.Gaps, before.GapsMetric, afterAnalysis.Report.Gaps, afterAnalysis.GapsMetric,
            grid);
        var overlaps = ChangeMatcher.Compare(before.Report.Overlaps, before.OverlapsMetric, afterAnalysis.Report.Overlaps,
            afterAnalysis.OverlapsMetric, grid);

        _options.Trace?.Invoke("redraw: changes matched");
        var workloadBefore = baseline.WorkloadBefore;
        var changedOwners = proposals.Select(p => _input.Items[p.ItemIndex].Owner).ToHashSet(StringComparer.Ordinal);
        var workloadAfter = baseline.Workload.PerDepartment(afterAnalysis.Coverage, baseline.Departments,
            workloadBefore.Where(w => !changedOwners.Contains(w.Department)).ToDictionary(w => w.Department));
        _options.Trace?.Invoke("redraw: workload after");

        return new RedrawReport(before.Report, afterAnalysis.Report, gaps, overlaps, workloadBefore, workloadAfter,
            WorkloadCalculator.Balance(workloadBefore), WorkloadCalculator.Balance(workloadAfter))
        {
            GapArea = new AreaChange(before.GapAreaM2, afterAnalysis.GapAreaM2),
            OverlapArea = new AreaChange(before.OverlapAreaM2, afterAnalysis.OverlapAreaM2),
            Measured = measured,
        };
    }
}
