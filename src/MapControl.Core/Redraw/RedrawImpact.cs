using MapControl.Core.Coverage;

namespace MapControl.Core.Redraw;

/// <summary>Redraw impact (改划影响): coverage and workload before and after proposed geometries, for the planner to judge before saving.</summary>
public static class RedrawImpact
{
    /// <summary>Computes the impact of the proposals; geometries lon/lat (SRID 4326), areas m², lengths m.</summary>
    public static RedrawReport Compute(RedrawInput input, CoverageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Compute(Prepare(input, options), input.Proposals);
    }

    /// <summary>
    /// The "before" half of the impact of any proposal on the current items of <paramref name="current"/> (its proposals are not
    /// used): compute it once per state of the data and measure each proposal against it with
    /// <see cref="Compute(RedrawBaseline, IReadOnlyList{RedrawProposal})"/> — the same report as <see cref="Compute(RedrawInput, CoverageOptions?)"/>.
    /// </summary>
    public static RedrawBaseline Prepare(RedrawInput current, CoverageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        return new RedrawBaseline(current, options ?? new CoverageOptions());
    }

    /// <summary>The impact of <paramref name="proposals"/> (indexes into the baseline's items) measured against a baseline.</summary>
    public static RedrawReport Compute(RedrawBaseline baseline, IReadOnlyList<RedrawProposal> proposals)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(proposals);
        return new RedrawWorker(baseline).Run(proposals);
    }
}
