using MapControl.Core.Coverage;
using MapControl.Core.Crs;

namespace MapControl.Core.Redraw;

/// <summary>Runs the coverage check before and after a redraw in one projection and compares the results.</summary>
internal sealed class RedrawWorker
{
    private readonly RedrawInput _input;
    private readonly CoverageOptions _options;

    public RedrawWorker(RedrawInput input, CoverageOptions options)
    {
        _input = input;
        // One projection for both states, so that before and after compare in the same metres.
        _options = options with { Projection = options.Projection ?? MetricProjection.CentredOn(input.Frame.EnvelopeInternal) };
    }

    public RedrawReport Run()
    {
        var after = _input.Items.ToArray();
        var stored = _input.Items.Select(i => i.Geometry).ToArray();
        var measured = new List<RedrawProposal>();
        foreach (var proposal in _input.Proposals)
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

        var before = Analyse(_input.Items);
        var unchanged = after.Select((a, i) => ReferenceEquals(a.Geometry, stored[i]) || a.Geometry.EqualsExact(stored[i])).All(x => x);
        var afterAnalysis = unchanged ? before : Analyse(after);
        var grid = before.Coverage.Overlay;
        var gaps = ChangeMatcher.Compare(before.Report.Gaps, before.GapsMetric, afterAnalysis.Report.Gaps, afterAnalysis.GapsMetric,
            grid);
        var overlaps = ChangeMatcher.Compare(before.Report.Overlaps, before.OverlapsMetric, afterAnalysis.Report.Overlaps,
            afterAnalysis.OverlapsMetric, grid);

        _options.Trace?.Invoke("redraw: changes matched");
        var departments = _input.Items.Select(i => i.Owner).Distinct().ToList();
        var workload = new WorkloadCalculator(_input, before.Coverage.Projection);
        _options.Trace?.Invoke("redraw: points projected");
        var workloadBefore = workload.PerDepartment(before.Coverage, departments);
        _options.Trace?.Invoke("redraw: workload before");
        var changedOwners = _input.Proposals.Select(p => _input.Items[p.ItemIndex].Owner).ToHashSet(StringComparer.Ordinal);
        var workloadAfter = workload.PerDepartment(afterAnalysis.Coverage, departments,
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

    private CoverageAnalysis Analyse(IReadOnlyList<CoverageItem> items) =>
        CoverageCheck.Analyse(new CoverageInput(_input.Frame, items)
        {
            Wells = _input.Wells,
            Incidents = _input.Incidents,
            AsOf = _input.AsOf,
        }, _options);
}
