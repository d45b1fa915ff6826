using MapControl.Core.Grids;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Hotspots;

/// <summary>Options of a hot-spot analysis.</summary>
public sealed record HotSpotOptions
{
    /// <summary>
    /// The one default hexagon size, in metres: the CLI's, the analyst view's and the API's, the monthly report's, and the
    /// <c>emerging_hotspot</c> alert's grid — so a cell an alert names is a cell the analyst sees.
    /// </summary>
    public const double DefaultCellSizeM = 500;

    /// <summary>Hexagon size s of the analysis grid (<see cref="HexGrid"/>): centre-to-vertex distance in metres.</summary>
    public double CellSizeM { get; init; } = DefaultCellSizeM;

    /// <summary>Which incidents count (time window [from, to), kinds, season).</summary>
    public IncidentFilter Filter { get; init; } = IncidentFilter.All;

    /// <summary>Neighbourhood of Gi*: the cell and its first k rings (default 1: the cell and its six neighbours).</summary>
    public int Rings { get; init; } = 1;

    /// <summary>False discovery rate of the Benjamini–Hochberg correction.</summary>
    public double FdrQ { get; init; } = 0.05;
}

/// <summary>One hexagon of a hot-spot analysis.</summary>
/// <param name="Id">Axial (q, r) of the cell in the analysis grid (<see cref="HexGrid"/>).</param>
/// <param name="Polygon">The hexagon in WGS84 lon/lat (SRID 4326).</param>
/// <param name="GiZ">Getis-Ord Gi* z-score.</param>
/// <param name="GiP">Two-sided p-value of <paramref name="GiZ"/>.</param>
/// <param name="Hot">Significant after Benjamini–Hochberg and z &gt; 0.</param>
/// <param name="Cold">Significant after Benjamini–Hochberg and z &lt; 0.</param>
public sealed record HotSpotCell(HexCell Id, Polygon Polygon, int Count, double GiZ, double GiP, bool Hot, bool Cold);

/// <summary>Result of a hot-spot analysis: every cell of the study area (non-empty cells and their neighbourhoods).</summary>
/// <param name="IncidentsTotal">Incidents given.</param>
/// <param name="IncidentsBinned">Incidents that passed the filter and were counted.</param>
/// <param name="IncidentsInvalid">Incidents skipped for a non-finite or out-of-range lon/lat.</param>
/// <param name="CellAreaM2">Area of one hexagon in m².</param>
public sealed record HotSpotReport(IReadOnlyList<HotSpotCell> Cells, int IncidentsTotal, int IncidentsBinned,
    int IncidentsInvalid, double CellSizeM, double CellAreaM2, int Rings, double FdrQ)
{
    /// <summary>Cells flagged hot.</summary>
    public IEnumerable<HotSpotCell> HotCells => Cells.Where(c => c.Hot);
}

/// <summary>
/// Statistically significant hot spots (DESIGN §4): incidents binned into hexagons of size s in the metric plane,
/// Getis-Ord Gi* per cell (<see cref="GetisOrd"/>), Benjamini–Hochberg at q over all cells of the study area.
/// </summary>
public static class HotSpotAnalysis
{
    /// <summary>Runs the analysis on light incidents.</summary>
    public static HotSpotReport Run(IReadOnlyList<IncidentPoint> incidents, HotSpotOptions options)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var binner = Binner(options);
        binner.AddRange(incidents);
        return Run(binner, options);
    }

    /// <summary>
    /// The binner of an analysis with these options (their grid and filter): give it the incidents one at a time or in chunks
    /// (<see cref="HexBinner.Add(in IncidentPoint)"/>), as a reader streams them, then <see cref="Run(HexBinner, HotSpotOptions)"/>.
    /// Memory grows with the cells, not with the incidents.
    /// </summary>
    public static HexBinner Binner(HotSpotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HexBinner(new HexGrid(options.CellSizeM), options.Filter);
    }

    /// <summary>Runs the analysis on the counts of a binner made by <see cref="Binner"/> with the same options.</summary>
    public static HotSpotReport Run(HexBinner binned, HotSpotOptions options)
    {
        ArgumentNullException.ThrowIfNull(binned);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.FdrQ > 0 && options.FdrQ < 1)) throw new ArgumentOutOfRangeException(nameof(options), options.FdrQ, "FdrQ must be in (0, 1).");
        if (binned.Grid.Size != options.CellSizeM || !Equals(binned.Filter, options.Filter))
            throw new ArgumentException("The binner was made with another cell size or filter than the options.", nameof(binned));
        var bins = binned.Grid;
        var gi = GetisOrd.Compute(binned.Counts, options.Rings);
        var significant = BenjaminiHochberg.Significant(gi.Select(g => g.P).ToArray(), options.FdrQ);
        var cells = new HotSpotCell[gi.Count];
        for (var i = 0; i < gi.Count; i++)
        {
            var g = gi[i];
            cells[i] = new HotSpotCell(g.Cell, bins.LonLatPolygon(g.Cell), g.Count,
                g.Z, g.P, significant[i] && g.Z > 0, significant[i] && g.Z < 0);
        }
        return new HotSpotReport(cells, binned.Total, binned.Binned, binned.Invalid, bins.Size, bins.CellArea,
            options.Rings, options.FdrQ);
    }

    /// <summary>Runs the analysis on full incidents.</summary>
    public static HotSpotReport Run(IReadOnlyList<Incident> incidents, HotSpotOptions options)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        return Run(incidents.Select(IncidentPoint.From).ToArray(), options);
    }
}

/// <summary>
/// Hashes packed (q, r) keys well: long's own hash is q XOR r, which collides for every cell with the same q ^ r and made
/// binning 10× slower on a real extent.
/// </summary>
internal sealed class PackedCellComparer : IEqualityComparer<long>
{
    public static readonly PackedCellComparer Instance = new();

    public bool Equals(long x, long y) => x == y;

    public int GetHashCode(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15UL)) >> 32);
}
