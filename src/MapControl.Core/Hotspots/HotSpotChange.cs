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
        var (now, then) = Binners(options);
        now.AddRange(incidents);
        then.AddRange(incidents);
        return Run(now, then, options);
    }

    /// <summary>
    /// The two binners of a comparison with these options — the window and the same window a year earlier, one grid — to be given
    /// every incident of both windows (each to both, as a reader streams them), then <see cref="Run(HexBinner, HexBinner, HotSpotChangeOptions)"/>.
    /// </summary>
    public static (HexBinner Now, HexBinner Then) Binners(HotSpotChangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Filter.From is null || options.Filter.To is null)
            throw new ArgumentException("A year-over-year comparison needs a window with both From and To.", nameof(options));
        var bins = new HexGrid(options.CellSizeM);
        return (new HexBinner(bins, options.Filter), new HexBinner(bins, options.Filter.OneYearEarlier()));
    }

    /// <summary>The comparison from the binners of <see cref="Binners"/> with the same options.</summary>
    public static HotSpotChangeReport Run(HexBinner nowCounts, HexBinner thenCounts, HotSpotChangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(nowCounts);
        ArgumentNullException.ThrowIfNull(thenCounts);
        ArgumentNullException.ThrowIfNull(options);
        var then = options.Filter.OneYearEarlier();
        if (nowCounts.Grid.Size != options.CellSizeM || thenCounts.Grid.Size != options.CellSizeM
            || !Equals(nowCounts.Filter, options.Filter) || !Equals(thenCounts.Filter, then))
            throw new ArgumentException("The binners were made with another cell size or window than the options.", nameof(options));
        var bins = nowCounts.Grid;
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
