using MapControl.Core.Grids;
using MapControl.Core.Model;

namespace MapControl.Core.Hotspots;

/// <summary>One hexagon cell standing for the incidents it holds: their mean lon/lat, count and kinds.</summary>
/// <param name="Kind">The most frequent kind (ties: the smaller code, ordinal).</param>
/// <param name="Kinds">Every kind with its count, most frequent first (ties by code).</param>
public sealed record ClusterCell(HexCell Id, double Lon, double Lat, int Count, IncidentKind Kind, IReadOnlyList<(IncidentKind Kind, int Count)> Kinds);

/// <summary>
/// The points of the analyst's clustered incidents layer, bounded: the incidents passing the filter while there are at most
/// <see cref="MaxPoints"/> of them; beyond, one point per non-empty hexagon cell of the analysis grid (<see cref="HexGrid"/>, the
/// Gi* cells' size) at the mean position of its incidents, with their count and kinds. Fed one incident at a time; memory is
/// bounded by <see cref="MaxPoints"/> points and the non-empty cells, whatever the window holds. The rule of
/// docs/DEFINITIONS.md "Clustered incidents, bounded"; this file holds it.
/// </summary>
public sealed class ClusterPoints
{
    /// <summary>The most incidents sent one by one (a year at 10⁶ incidents is ~20× this; leaflet.markercluster stays fluid below it).</summary>
    public const int MaxPoints = 50_000;

    private readonly IncidentFilter _filter;
    private readonly HexGrid _grid;
    private readonly int _maxPoints;
    private List<IncidentPoint>? _points = [];
    private readonly Dictionary<long, Acc> _cells = new(PackedCellComparer.Instance);

    private sealed class Acc
    {
        public double SumLon, SumLat;
        public int Count;
        public readonly Dictionary<IncidentKind, int> Kinds = [];
    }

    /// <summary>Points of the incidents passing <paramref name="filter"/>, cells of <paramref name="grid"/> beyond <paramref name="maxPoints"/>.</summary>
    public ClusterPoints(IncidentFilter filter, HexGrid grid, int maxPoints = MaxPoints)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPoints);
        _filter = filter;
        _grid = grid;
        _maxPoints = maxPoints;
    }

    /// <summary>Incidents that passed the filter with a valid lon/lat.</summary>
    public int Matched { get; private set; }

    /// <summary>True when there were more than the bound: the answer is <see cref="Cells"/>, not <see cref="Points"/>.</summary>
    public bool Aggregated => _points is null;

    /// <summary>Takes one incident.</summary>
    public void Add(in IncidentPoint incident)
    {
        if (!_filter.Matches(incident) || !HexBinner.IsLonLat(incident.Lon, incident.Lat)) return;
        Matched++;
        if (_points is not null)
        {
            if (_points.Count < _maxPoints) _points.Add(incident);
            else _points = null;
        }
        var (x, y) = HexGrid.Projection.Forward(incident.Lon, incident.Lat);
        var key = _grid.CellAt(x, y).Pack();
        if (!_cells.TryGetValue(key, out var acc)) _cells[key] = acc = new Acc();
        acc.SumLon += incident.Lon;
        acc.SumLat += incident.Lat;
        acc.Count++;
        acc.Kinds[incident.Kind] = acc.Kinds.GetValueOrDefault(incident.Kind) + 1;
    }

    /// <summary>The incidents one by one (not <see cref="Aggregated"/>), by time, then lon, lat and kind.</summary>
    public IReadOnlyList<IncidentPoint> Points()
    {
        if (_points is null) throw new InvalidOperationException("More incidents than the bound: the answer is the cells.");
        return _points.OrderBy(p => p.OccurredAt).ThenBy(p => p.Lon).ThenBy(p => p.Lat).ThenBy(p => p.Kind.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>The non-empty cells by (r, q).</summary>
    public IReadOnlyList<ClusterCell> Cells() => _cells
        .Select(kv =>
        {
            var kinds = kv.Value.Kinds.OrderByDescending(k => k.Value).ThenBy(k => k.Key.Code, StringComparer.Ordinal)
                .Select(k => (k.Key, k.Value)).ToList();
            return new ClusterCell(HexCell.Unpack(kv.Key), kv.Value.SumLon / kv.Value.Count, kv.Value.SumLat / kv.Value.Count,
                kv.Value.Count, kinds[0].Key, kinds);
        })
        .OrderBy(c => c.Id.R).ThenBy(c => c.Id.Q)
        .ToList();
}
