using MapControl.Core.Coverage;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Redraw;

/// <summary>A planned redraw (改划): the current coverage in lon/lat, the proposed geometries, and what workload is counted.</summary>
/// <param name="Frame">The area that should be covered (union of oil zones, or a department's jurisdiction for patrol zones), lon/lat.</param>
/// <param name="Items">The current jurisdictions or patrol zones with their departments.</param>
/// <param name="Proposals">New geometries for some of the items.</param>
public sealed record RedrawInput(Geometry Frame, IReadOnlyList<CoverageItem> Items, IReadOnlyList<RedrawProposal> Proposals)
{
    /// <summary>Wells counted per department and per gap.</summary>
    public IReadOnlyList<WellPoint> Wells { get; init; } = [];

    /// <summary>Incidents counted per department and per gap (only those of the 12 months before <see cref="AsOf"/>).</summary>
    public IReadOnlyList<CoverageIncident> Incidents { get; init; } = [];

    /// <summary>End of the 12-month incident window; null counts every incident given.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Planned patrol routes with their departments.</summary>
    public IReadOnlyList<PlannedRoute> Routes { get; init; } = [];
}

/// <summary>A proposed new geometry (lon/lat polygon or multipolygon) for the item at <paramref name="ItemIndex"/> of the current items.</summary>
public sealed record RedrawProposal(int ItemIndex, Geometry NewGeometry);

/// <summary>A planned patrol route (lon/lat LineString) of a department.</summary>
public sealed record PlannedRoute(LineString Geometry, string Department)
{
    /// <summary>The counted part of a domain patrol route.</summary>
    public static PlannedRoute From(PatrolRoute route) => new(route.Geometry, route.DepartmentCode);
}
