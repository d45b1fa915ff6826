using MapControl.Core.Grids;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Hotspots;

/// <summary>Options of a year-over-year comparison per hexagon.</summary>
public sealed record HotSpotChangeOptions
{
    /// <summary>Hexagon size s of the analysis grid (<see cref="HexGrid"/>) in metres.</summary>
    public double CellSizeM { get; init; } = HotSpotOptions.DefaultCellSizeM;

    /// <summary>The current window [From, To) with kinds and season; From and To are required.</summary>
    public required IncidentFilter Filter { get; init; }
}

/// <summary>Counts of one hexagon now and a year earlier.</summary>
/// <param name="Id">Axial (q, r) of the cell in the analysis grid (<see cref="HexGrid"/>): the same cell as a Gi* cell of that size.</param>
/// <param name="Polygon">The hexagon in lon/lat (SRID 4326).</param>
/// <param name="Change">Now − then.</param>
/// <param name="Ratio">Now / then when then &gt; 0, otherwise null.</param>
public sealed record HotSpotChangeCell(HexCell Id, Polygon Polygon, int Now, int Then, int Change, double? Ratio);

/// <summary>Per-cell change between a window and the same window one calendar year earlier (cells non-empty in either).</summary>
public sealed record HotSpotChangeReport(IReadOnlyList<HotSpotChangeCell> Cells, IncidentFilter Now, IncidentFilter Then,
    int TotalNow, int TotalThen);

/// <summary>Year-over-year change of incident counts per hexagon (同比 per cell).</summary>
public static class HotSpotChange
{
    /// <summary>Counts per cell for the window and for the same window one year earlier, with change and ratio.</summary>
    /// <param name="incidents">Incidents of both windows (others are ignored); an incident listed twice counts twice.</param>
    /// <param name="options">Cell size and the current window.</param>
    public static HotSpotChangeReport Run(IReadOnlyList<IncidentPoint> incidents, HotSpotChangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Filter.From is null || options.Filter.To is null)
            throw new ArgumentException("A year-over-year comparison needs a window with both From and To.", nameof(options));
        var bins = new HexGrid(options.CellSizeM);
        var then = options.Filter.OneYearEarlier();
        var nowCounts = HexBinner.Count(incidents, options.Filter, bins);
        var thenCounts = HexBinner.Count(incidents, then, bins);
        var cells = nowCounts.Counts.Keys.Union(thenCounts.Counts.Keys)
            .Select(HexCell.Unpack)
            .OrderBy(c => c.R).ThenBy(c => c.Q)
            .Select(cell =>
            {
                var now = nowCounts.Counts.GetValueOrDefault(cell.Pack());
                var before = thenCounts.Counts.GetValueOrDefault(cell.Pack());
                return new HotSpotChangeCell(cell, bins.LonLatPolygon(cell),
                    now, before, now - before, before > 0 ? (double)now / before : null);
            })
            .ToArray();
        return new HotSpotChangeReport(cells, options.Filter, then, nowCounts.Binned, thenCounts.Binned);
    }
}
