using MapControl.Core.Coverage;

namespace MapControl.Core.Redraw;

/// <summary>Redraw impact (改划影响): coverage and workload before and after proposed geometries, for the planner to judge before saving.</summary>
public static class RedrawImpact
{
    /// <summary>Computes the impact of the proposals; geometries lon/lat (SRID 4326), areas m², lengths m.</summary>
    public static RedrawReport Compute(RedrawInput input, CoverageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new RedrawWorker(input, options ?? new CoverageOptions()).Run();
    }
}
