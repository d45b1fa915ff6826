using MapControl.Core.Grids;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>Parameters of per-hexagon patrol statistics.</summary>
/// <param name="CellSizeM">Hexagon size s of the analysis grid (<see cref="HexGrid"/>: circumradius = edge length), metres.</param>
/// <param name="UtcOffset">Offset of the local clock that defines night (default +08:00, China Standard Time).</param>
/// <param name="NightStart">Local time night starts (inclusive; default 20:00).</param>
/// <param name="NightEnd">Local time night ends (exclusive; default 06:00); may be earlier than the start (wraps midnight).</param>
/// <param name="TrackRules">Track-breaking rules and time window for the visits (their projection measures the jumps only;
/// the cells are always those of <see cref="HexGrid"/>).</param>
public sealed record PatrolCellOptions(
    double CellSizeM = 500.0,
    TimeSpan? UtcOffset = null,
    TimeSpan? NightStart = null,
    TimeSpan? NightEnd = null,
    TrackOptions? TrackRules = null)
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
/// <param name="Cell">Axial cell id in the analysis grid (<see cref="HexGrid"/>): the same cell as a Gi* cell of that size.</param>
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
/// <param name="Grid">The analysis hexagon grid of the cells.</param>
/// <param name="Cells">Cells with at least one fix.</param>
public sealed record PatrolCellReport(HexGrid Grid, IReadOnlyList<PatrolCellStats> Cells);

/// <summary>Patrol recency of one hexagon: how long before a given moment a unit was last there.</summary>
/// <param name="Cell">Axial cell id in the analysis grid (<see cref="HexGrid"/>).</param>
/// <param name="Geometry">The hexagon in lon/lat (SRID 4326).</param>
/// <param name="LastFix">Time of the latest fix in the cell; null when no fix fell in it.</param>
/// <param name="HoursSince">Hours from <paramref name="LastFix"/> to the moment asked about; null when no fix fell in it.</param>
/// <param name="Band">The recency band (<see cref="PatrolRecencyBand"/>).</param>
public sealed record PatrolRecencyCell(HexCell Cell, Polygon Geometry, DateTimeOffset? LastFix, double? HoursSince, string Band);

/// <summary>Recency bands of a cell, by the hours since its latest fix.</summary>
public static class PatrolRecencyBand
{
    /// <summary>Latest fix at most 24 hours before.</summary>
    public const string Day = "24h";

    /// <summary>Latest fix more than 24 and at most 72 hours before.</summary>
    public const string ThreeDays = "72h";

    /// <summary>Latest fix more than 72 hours before (within the window looked at, a week for the commander).</summary>
    public const string Older = "7d";

    /// <summary>No fix in the cell.</summary>
    public const string Never = "never";

    /// <summary>The band of a cell whose latest fix was <paramref name="hoursSince"/> hours before (null: none).</summary>
    public static string Of(double? hoursSince) => hoursSince switch
    {
        null => Never,
        <= 24 => Day,
        <= 72 => ThreeDays,
        _ => Older,
    };
}

/// <summary>Patrol frequency, recency and night-time share per hexagon cell of the analysis grid (<see cref="HexGrid"/>).</summary>
public static class PatrolCells
{
    /// <summary>Bins the fixes of the window into hexagons of the given size.</summary>
    public static PatrolCellReport Compute(IEnumerable<GpsFix> fixes, PatrolCellOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        options ??= new PatrolCellOptions();
        var list = fixes as IReadOnlyCollection<GpsFix> ?? fixes.ToList();
        var rules = options.TrackRules ?? new TrackOptions();
        var projection = rules.Projection ?? TrackBuilder.ProjectionFor(list);
        var grid = new HexGrid(options.CellSizeM);
        var built = TrackBuilder.BuildDetailed(list, new Dictionary<string, string>(), rules, projection);
        // The tracks' metric fixes are reused when they are in the grid's plane; otherwise each fix is projected again.
        var gridPlane = ReferenceEquals(projection, HexGrid.Projection);

        var cells = new Dictionary<HexCell, Accumulator>();
        for (var t = 0; t < built.Count; t++)
        {
            var track = built[t];
            for (var k = track.Offset; k < track.Offset + track.Count; k++)
            {
                var fix = track.Fixes[k];
                var cell = gridPlane ? grid.CellAt(track.Xs[k], track.Ys[k]) : grid.CellAtLonLat(fix.Lon, fix.Lat);
                if (!cells.TryGetValue(cell, out var acc))
                {
                    acc = new Accumulator();
                    cells.Add(cell, acc);
                }

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

        var stats = cells
            .OrderBy(c => c.Key.Q).ThenBy(c => c.Key.R)
            .Select(c => new PatrolCellStats(c.Key, grid.LonLatPolygon(c.Key), c.Value.Fixes, c.Value.Visits,
                c.Value.Units.Count, c.Value.LastFix, c.Value.Night, (double)c.Value.Night / c.Value.Fixes))
            .ToList();
        return new PatrolCellReport(grid, stats);
    }

    /// <summary>
    /// Patrol recency (巡逻时效) at <paramref name="asOf"/>: every cell with a fix (its latest fix, as <see cref="Compute"/>
    /// finds it) and every cell of <paramref name="area"/> (centre inside, <see cref="HexGrid.CellsCentredIn"/>) that no fix
    /// reached, with the hours since its latest fix and its band; ordered by (q, r).
    /// </summary>
    /// <param name="fixes">GPS fixes of the window looked at.</param>
    /// <param name="asOf">The moment the hours are counted to (the commander view: the latest fix).</param>
    /// <param name="area">Lon/lat areas whose cells are listed even without a fix (e.g. the uncovered parts of the jurisdictions).</param>
    /// <param name="options">Cell size and track rules.</param>
    public static IReadOnlyList<PatrolRecencyCell> Recency(
        IEnumerable<GpsFix> fixes, DateTimeOffset asOf, IEnumerable<Geometry> area, PatrolCellOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(area);
        var report = Compute(fixes, options);
        var last = report.Cells.ToDictionary(c => c.Cell, c => c);
        var cells = new HashSet<HexCell>(last.Keys);
        foreach (var geometry in area)
        {
            if (geometry is null) continue;
            cells.UnionWith(report.Grid.CellsCentredIn(geometry));
        }

        return cells
            .OrderBy(c => c.Q).ThenBy(c => c.R)
            .Select(cell =>
            {
                if (last.TryGetValue(cell, out var stats))
                {
                    var hours = (asOf - stats.LastFix).TotalHours;
                    return new PatrolRecencyCell(cell, stats.Geometry, stats.LastFix, hours, PatrolRecencyBand.Of(hours));
                }

                return new PatrolRecencyCell(cell, report.Grid.LonLatPolygon(cell), null, null, PatrolRecencyBand.Never);
            })
            .ToList();
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
