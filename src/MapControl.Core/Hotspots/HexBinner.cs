using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MapControl.Core.Grids;
using MapControl.Core.Model;

namespace MapControl.Core.Hotspots;

/// <summary>
/// Counts incidents into the hexagon cells of one grid (<see cref="HexGrid"/>), one incident at a time: those that pass the
/// filter and have a valid lon/lat, keyed by packed (q, r). The one binning of the hot spots, the year-over-year cells and the
/// <c>emerging_hotspot</c> alert, whether the incidents come as a list or streamed from the store; its memory grows with the
/// non-empty cells, not with the incidents.
/// </summary>
public sealed class HexBinner
{
    private readonly bool _filtering;
    private readonly MapControl.Core.Crs.MetricProjection _projection = HexGrid.Projection;

    /// <summary>A binner into <paramref name="grid"/> of the incidents passing <paramref name="filter"/>.</summary>
    public HexBinner(HexGrid grid, IncidentFilter filter)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(filter);
        Grid = grid;
        Filter = filter;
        _filtering = filter.From is not null || filter.To is not null || filter.Kinds is { Count: > 0 } || filter.Season is not null;
    }

    /// <summary>The grid binned into.</summary>
    public HexGrid Grid { get; }

    /// <summary>Which incidents count.</summary>
    public IncidentFilter Filter { get; }

    /// <summary>Incidents given.</summary>
    public int Total { get; private set; }

    /// <summary>Incidents that passed the filter and were counted.</summary>
    public int Binned { get; private set; }

    /// <summary>Incidents that passed the filter but were skipped for a non-finite or out-of-range lon/lat.</summary>
    public int Invalid { get; private set; }

    /// <summary>Count per packed cell (<see cref="HexCell.Pack"/>), non-empty cells only.</summary>
    internal Dictionary<long, int> Counts { get; } = NewCounts();

    /// <summary>Count of each non-empty cell.</summary>
    public IReadOnlyDictionary<HexCell, int> CellCounts => Counts.ToDictionary(kv => HexCell.Unpack(kv.Key), kv => kv.Value);

    /// <summary>Counts one incident (if it passes the filter and its lon/lat is valid).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in IncidentPoint incident)
    {
        Total++;
        if (_filtering && !Filter.Matches(incident)) return;
        if (!IsLonLat(incident.Lon, incident.Lat)) { Invalid++; return; }
        var (x, y) = _projection.Forward(incident.Lon, incident.Lat);
        CollectionsMarshal.GetValueRefOrAddDefault(Counts, Grid.CellAt(x, y).Pack(), out _)++;
        Binned++;
    }

    /// <summary>Counts a list or chunk of incidents in order.</summary>
    // Called once per analysis, so tiered JIT would leave the loop in unoptimised code with calls not inlined.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddRange(IReadOnlyList<IncidentPoint> incidents)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        for (var i = 0; i < incidents.Count; i++) Add(incidents[i]);
    }

    internal static Dictionary<long, int> NewCounts() => new(PackedCellComparer.Instance);

    /// <summary>True for a finite lon in [−180, 180] and lat in [−90, 90].</summary>
    public static bool IsLonLat(double lon, double lat) =>
        double.IsFinite(lon) && double.IsFinite(lat) && lon is >= -180 and <= 180 && lat is >= -90 and <= 90;
}
