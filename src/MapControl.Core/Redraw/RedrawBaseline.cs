using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Redraw;

/// <summary>
/// The "before" half of a redraw impact (<see cref="RedrawImpact.Prepare"/>): the coverage check of the current items in the one
/// projection of the redraw, the wells and incidents indexed in it, and the workload per department before. It depends only on
/// the current data, not on a proposal, so a caller may keep it while that data is unchanged (the web keeps it per change
/// versions of the tables it was read from) and measure each proposal of an edit session against it
/// (<see cref="RedrawImpact.Compute(RedrawBaseline, IReadOnlyList{RedrawProposal})"/>). Immutable once made; read by concurrent
/// computations.
/// </summary>
public sealed class RedrawBaseline
{
    internal RedrawBaseline(RedrawInput current, CoverageOptions options)
    {
        Current = current with { Proposals = [] };
        // One projection for both states, so that before and after compare in the same metres.
        Options = options with { Projection = options.Projection ?? MetricProjection.CentredOn(current.Frame.EnvelopeInternal) };
        Stored = current.Items.Select(i => i.Geometry).ToArray();
        // Wells and incidents projected and indexed once: the checks before and after and the workload count in them.
        Points = new MetricPoints(current.Wells, current.Incidents, current.AsOf, Options.Projection!);
        Options.Trace?.Invoke("redraw: points projected");
        Before = CoverageCheck.Analyse(InputOf(current.Items), Options, Points);
        Departments = current.Items.Select(i => i.Owner).Distinct().ToList();
        Workload = new WorkloadCalculator(current, Points);
        WorkloadBefore = Workload.PerDepartment(Before.Coverage, Departments);
        Options.Trace?.Invoke("redraw: workload before");
    }

    /// <summary>The current items, frame, wells, incidents and routes the baseline was made of (no proposals).</summary>
    public RedrawInput Current { get; }

    /// <summary>Total gap area before any proposal, m².</summary>
    public double GapAreaM2 => Before.GapAreaM2;

    /// <summary>Total overlap area inside the frame before any proposal, m².</summary>
    public double OverlapAreaM2 => Before.OverlapAreaM2;

    internal CoverageOptions Options { get; }
    internal Geometry[] Stored { get; }
    internal CoverageAnalysis Before { get; }
    internal MetricPoints Points { get; }
    internal List<string> Departments { get; }
    internal WorkloadCalculator Workload { get; }
    internal List<DepartmentWorkload> WorkloadBefore { get; }

    /// <summary>The coverage input of a state of the items, with the baseline's frame, wells and incidents.</summary>
    internal CoverageInput InputOf(IReadOnlyList<CoverageItem> items) => new(Current.Frame, items)
    {
        Wells = Current.Wells,
        Incidents = Current.Incidents,
        AsOf = Current.AsOf,
    };
}
