using MapControl.Core.Grids;
using MapControl.Core.Model;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.FdrQ > 0 && options.FdrQ < 1)) throw new ArgumentOutOfRangeException(nameof(options), options.FdrQ, "FdrQ must be in (0, 1).");
        var bins = new HexGrid(options.CellSizeM);
        var binned = HexBinner.Count(incidents, options.Filter, bins);
        var gi = GetisOrd.Compute(binned.Counts, options.Rings);
        var significant = BenjaminiHochberg.Significant(gi.Select(g => g.P).ToArray(), options.FdrQ);
        var cells = new HotSpotCell[gi.Count];
        for (var i = 0; i < gi.Count; i++)
        {
            var g = gi[i];
            cells[i] = new HotSpotCell(g.Cell, bins.LonLatPolygon(g.Cell), g.Count,
                g.Z, g.P, significant[i] && g.Z > 0, significant[i] && g.Z < 0);
        }
        return new HotSpotReport(cells, incidents.Count, binned.Binned, binned.Invalid, bins.Size, bins.CellArea,
            options.Rings, options.FdrQ);
    }

    /// <summary>Runs the analysis on full incidents.</summary>
    public static HotSpotReport Run(IReadOnlyList<Incident> incidents, HotSpotOptions options)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        return Run(incidents.Select(IncidentPoint.From).ToArray(), options);
    }
}

/// <summary>Bins filtered incidents into hexagon counts of the analysis grid, keyed by packed (q, r).</summary>
internal static class HexBinner
{
    internal readonly record struct Result(Dictionary<long, int> Counts, int Binned, int Invalid);

    // Called once per analysis, so tiered JIT would leave the loop in unoptimised code with calls not inlined.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Count(IReadOnlyList<IncidentPoint> incidents, IncidentFilter filter, HexGrid bins)
    {
        var projection = HexGrid.Projection;
        var counts = new Dictionary<long, int>(PackedCellComparer.Instance);
        var filtering = filter.From is not null || filter.To is not null || filter.Kinds is { Count: > 0 } || filter.Season is not null;
        int binned = 0, invalid = 0;
        for (var i = 0; i < incidents.Count; i++)
        {
            var incident = incidents[i];
            if (filtering && !filter.Matches(incident)) continue;
            if (!IsLonLat(incident.Lon, incident.Lat)) { invalid++; continue; }
            var (x, y) = projection.Forward(incident.Lon, incident.Lat);
            CollectionsMarshal.GetValueRefOrAddDefault(counts, bins.CellAt(x, y).Pack(), out _)++;
            binned++;
        }
        return new Result(counts, binned, invalid);
    }

    public static Dictionary<long, int> NewCounts() => new(PackedCellComparer.Instance);

    public static bool IsLonLat(double lon, double lat) =>
        double.IsFinite(lon) && double.IsFinite(lat) && lon is >= -180 and <= 180 && lat is >= -90 and <= 90;
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
