using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>What a coverage check looks at: a frame in lon/lat, the coverage items, and optional points to count in gaps.</summary>
/// <param name="Frame">The area that should be covered, lon/lat (e.g. the union of oil zones, or a department's jurisdiction for its patrol zones).</param>
/// <param name="Items">The coverage polygons with their owners.</param>
public sealed record CoverageInput(Geometry Frame, IReadOnlyList<CoverageItem> Items)
{
    /// <summary>Wells to count inside gaps.</summary>
    public IReadOnlyList<WellPoint> Wells { get; init; } = [];

    /// <summary>Incidents to count inside gaps (only those of the 12 months before <see cref="AsOf"/>).</summary>
    public IReadOnlyList<CoverageIncident> Incidents { get; init; } = [];

    /// <summary>End of the 12-month incident window; null counts every incident given.</summary>
    public DateTimeOffset? AsOf { get; init; }
}
