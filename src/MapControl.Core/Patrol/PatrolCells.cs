using MapControl.Core.Crs;
using MapControl.Core.Grids;
using MapControl.Core.Model;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>Parameters of per-hexagon patrol statistics.</summary>
/// <param name="CellSizeM">Hexagon size s (circumradius = edge length), metres.</param>
/// <param name="Orientation">Hexagon orientation.</param>
/// <param name="UtcOffset">Offset of the local clock that defines night (default +08:00, China Standard Time).</param>
/// <param name="NightStart">Local time night starts (inclusive; default 20:00).</param>
/// <param name="NightEnd">Local time night ends (exclusive; default 06:00); may be earlier than the start (wraps midnight).</param>
/// <param name="TrackRules">Track-breaking rules and time window for the visits.</param>
/// <param name="Projection">Metric projection of the grid (null: centred on the fixes).</param>
public sealed record PatrolCellOptions(
    double CellSizeM = 500.0,
    HexOrientation Orientation = HexOrientation.FlatTop,
    TimeSpan? UtcOffset = null,
    TimeSpan? NightStart = null,
    TimeSpan? NightEnd = null,
    TrackOptions? TrackRules = null,
    MetricProjection? Projection = null)
{
    /// <summary>China Standard Time, UTC+8.</summary>
    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>True when the instant falls in the night window of the local clock.</summary>
    public bool IsNight(DateTimeOffset time)
    {
        var local = time.ToOffset(UtcOffset ?? ChinaStandardTime).TimeOfDay;
        var start = NightStart ?? TimeSpan.FromHours(20);
        var end = NightEnd ?? TimeSpan.FromHours(6);
        return start <= end ? local >= start && local < end : local >= start || local < end;
    }
}

/// <summary>
/// Patrol statistics of one hexagon cell. A visit is a track with at least one fix in the cell (a track counts
/// once per cell however often it leaves and re-enters); fixes are the raw GPS fixes in the window.
/// </summary>
/// <param name="Cell">Axial cell id in the report's grid.</param>
/// <param name="Geometry">The hexagon in lon/lat.</param>
/// <param name="FixCount">Number of fixes in the cell.</param>
/// <param name="VisitCount">Number of distinct tracks with a fix in the cell (patrol frequency).</param>
/// <param name="UnitCount">Number of distinct units with a fix in the cell.</param>
/// <param name="LastFix">Time of the latest fix in the cell (recency).</param>
/// <param name="NightFixCount">Fixes at night (default 20:00–06:00 China Standard Time).</param>
/// <param name="NightShare">Night fixes / fixes.</param>
public sealed record PatrolCellStats(
    HexCell Cell,
    Polygon Geometry,
    int FixCount,
    int VisitCount,
    int UnitCount,
    DateTimeOffset LastFix,
    int NightFixCount,
    double NightShare);

/// <summary>Per-cell patrol statistics, non-empty cells only, ordered by (q, r).</summary>
/// <param name="Grid">The metric hexagon grid (cells are in its plane).</param>
/// <param name="Projection">The projection from lon/lat to the grid's plane.</param>
/// <param name="Cells">Cells with at least one fix.</param>
public sealed record PatrolCellReport(HexGrid Grid, MetricProjection Projection, IReadOnlyList<PatrolCellStats> Cells);

/// <summary>Patrol frequency, recency and night-time share per hexagon cell.</summary>
public static class PatrolCells
{
    /// <summary>Bins the fixes of the window into hexagons of the given size.</summary>
    public static PatrolCellReport Compute(IEnumerable<GpsFix> fixes, PatrolCellOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        options ??= new PatrolCellOptions();
        var list = fixes as IReadOnlyCollection<GpsFix> ?? fixes.ToList();
        var rules = options.TrackRules ?? new TrackOptions();
        var projection = options.Projection ?? rules.Projection ?? TrackBuilder.ProjectionFor(list);
        var grid = new HexGrid(options.CellSizeM, options.Orientation);
        var built = TrackBuilder.BuildDetailed(list, new Dictionary<string, string>(), rules, projection);

        var cells = new Dictionary<HexCell, Accumulator>();
        for (var t = 0; t < built.Count; t++)
        {
            var track = built[t];
            for (var k = track.Offset; k < track.Offset + track.Count; k++)
            {
                var cell = grid.CellAt(track.Xs[k], track.Ys[k]);
                if (!cells.TryGetValue(cell, out var acc))
                {
                    acc = new Accumulator();
                    cells.Add(cell, acc);
                }

                var fix = track.Fixes[k];
                acc.Fixes++;
                if (acc.LastTrack != t)
                {
                    acc.LastTrack = t;
                    acc.Visits++;
                    acc.Units.Add(fix.UnitCode);
                }

                if (fix.Time > acc.LastFix)
                {
                    acc.LastFix = fix.Time;
                }

                if (options.IsNight(fix.Time))
                {
                    acc.Night++;
                }
            }
        }

        var factory = NtsGeometryServices.Instance.CreateGeometryFactory(MetricProjection.LocalSrid);
        var stats = cells
            .OrderBy(c => c.Key.Q).ThenBy(c => c.Key.R)
            .Select(c => new PatrolCellStats(c.Key, projection.Inverse(grid.Polygon(c.Key, factory)), c.Value.Fixes, c.Value.Visits,
                c.Value.Units.Count, c.Value.LastFix, c.Value.Night, (double)c.Value.Night / c.Value.Fixes))
            .ToList();
        return new PatrolCellReport(grid, projection, stats);
    }

    private sealed class Accumulator
    {
        public int Fixes;
        public int Visits;
        public int Night;
        public int LastTrack = -1;
        public DateTimeOffset LastFix = DateTimeOffset.MinValue;
        public readonly HashSet<string> Units = new(StringComparer.Ordinal);
    }
}
