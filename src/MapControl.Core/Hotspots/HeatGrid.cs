using System.Runtime.InteropServices;
using MapControl.Core.Crs;
using MapControl.Core.Grids;

namespace MapControl.Core.Hotspots;

/// <summary>One non-empty cell of a <see cref="HeatGrid"/>: its centre in lon/lat and the incidents it holds.</summary>
public readonly record struct HeatCell(int Col, int Row, double Lon, double Lat, int Count);

/// <summary>
/// The weighted points of the heat (kernel density) layer: incidents counted in fixed square cells of <see cref="CellSizeM"/>
/// metres in the hexagon grid's plane (<see cref="HexGrid.Projection"/>, the Dongying transverse Mercator), cell (col, row)
/// spanning x ∈ [<see cref="HexGrid.OriginX"/> + col·g, … + (col+1)·g) and y ∈ [row·g, (row+1)·g); each non-empty cell is
/// drawn as one point at its centre weighted by its count. Fed one incident at a time (as a reader streams them), so memory
/// grows with the non-empty cells, not the incidents; the map's heat layer sums the weights of its screen cells, so the
/// picture is the one the incidents themselves gave, each moved by at most half a cell diagonal (71 m).
/// The rule of docs/DEFINITIONS.md "Heat layer grid"; this file holds it.
/// </summary>
public sealed class HeatGrid
{
    /// <summary>The cell size g in metres: under half the heat layer's screen cell (17 px) at its full-intensity zoom 14 (7.6 m/px).</summary>
    public const double CellSizeM = 100;

    private readonly MetricProjection _projection = HexGrid.Projection;
    private readonly Dictionary<long, int> _counts = HexBinner.NewCounts();
    private readonly IncidentFilter _filter;

    /// <summary>A grid counting the incidents that pass <paramref name="filter"/>.</summary>
    public HeatGrid(IncidentFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _filter = filter;
    }

    /// <summary>Incidents that passed the filter and were counted.</summary>
    public int Counted { get; private set; }

    /// <summary>The (col, row) of the cell holding a plane point.</summary>
    public static (int Col, int Row) CellAt(double x, double y) =>
        ((int)Math.Floor((x - HexGrid.OriginX) / CellSizeM), (int)Math.Floor((y - HexGrid.OriginY) / CellSizeM));

    /// <summary>The lon/lat of a cell's centre.</summary>
    public static (double Lon, double Lat) CentreOf(int col, int row) =>
        HexGrid.Projection.Inverse(HexGrid.OriginX + (col + 0.5) * CellSizeM, HexGrid.OriginY + (row + 0.5) * CellSizeM);

    /// <summary>Counts one incident if it passes the filter and its lon/lat is valid.</summary>
    public void Add(in IncidentPoint incident)
    {
        if (!_filter.Matches(incident) || !HexBinner.IsLonLat(incident.Lon, incident.Lat)) return;
        var (x, y) = _projection.Forward(incident.Lon, incident.Lat);
        var (col, row) = CellAt(x, y);
        CollectionsMarshal.GetValueRefOrAddDefault(_counts, ((long)col << 32) | (uint)row, out _)++;
        Counted++;
    }

    /// <summary>The non-empty cells, ordered by row then column, with their centres.</summary>
    public IReadOnlyList<HeatCell> Cells()
    {
        var cells = new List<HeatCell>(_counts.Count);
        foreach (var (key, count) in _counts)
        {
            int col = (int)(key >> 32), row = (int)(key & 0xFFFFFFFFL);
            var (lon, lat) = CentreOf(col, row);
            cells.Add(new HeatCell(col, row, lon, lat, count));
        }
        cells.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Col.CompareTo(b.Col));
        return cells;
    }
}
