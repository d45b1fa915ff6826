using MapControl.Core.Crs;
using MapControl.Core.Grids;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using MapControl.Core.Kpi;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Web.Apis;

/// <summary>Patrol coverage of a window ending at the latest GPS fix, with that end time.</summary>
/// <param name="Report">The coverage (PatrolCoverage.Compute, same code as the CLI).</param>
/// <param name="End">The latest fix: "now" for the 24 h / 7 day checks.</param>
/// <param name="Fixes">The fixes of the window (for recency cells).</param>
public sealed record PatrolSnapshot(PatrolCoverageReport Report, DateTimeOffset End, IReadOnlyList<GpsFix> Fixes);

/// <summary>A key well with its last visit and whether a camera watches it.</summary>
public sealed record KeyWellStatus(string Code, double Lon, double Lat, string? Department, DateTimeOffset? LastVisit, bool Watched);

/// <summary>Reads GPS fixes and runs <see cref="PatrolCoverage"/> over the current jurisdictions; cached per data stamp.</summary>
public sealed class PatrolService(AnalysisSource source, GpsPointRepository gps, WellRepository wellRepository, CameraRepository cameraRepository)
{
    /// <summary>The window the commander view looks at, ending at the latest fix.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    /// <summary>Size of the recency hexagons, metres (circumradius).</summary>
    public const double RecencyCellM = 1500;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private (string Stamp, PatrolSnapshot Snapshot)? _cache;

    /// <summary>Patrol coverage of the last <see cref="Window"/> of GPS data over the current jurisdictions.</summary>
    public async Task<PatrolSnapshot> CurrentAsync(CancellationToken ct)
    {
        var end = await gps.LatestAsync(ct).ConfigureAwait(false) ?? DateTimeOffset.UtcNow;
        // Read before the input: a change after this read changes the next stamp, so it is never kept as current.
        var stamp = await source.PatrolInputMarkerAsync(end - Window, end.AddTicks(1), ct).ConfigureAwait(false) + "@" + end.UtcTicks;
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_cache is { } c && c.Stamp == stamp) return c.Snapshot;
            var from = end - Window;
            var input = await source.LoadPatrolInputAsync(from, end.AddTicks(1), ct).ConfigureAwait(false);
            var fixes = input.Fixes;
            var report = await Task.Run(() => PatrolCoverage.Compute(input, new PatrolCoverageOptions()), ct).ConfigureAwait(false);
            var snapshot = new PatrolSnapshot(report, end, fixes);
            _cache = (stamp, snapshot);
            return snapshot;
        }
        finally { _lock.Release(); }
    }

    /// <summary>Key wells with last visit (in the window) and camera watch (<see cref="CameraSector.WatchedKeyWells"/>, the KPI's rule).</summary>
    public async Task<IReadOnlyList<KeyWellStatus>> KeyWellsAsync(PatrolSnapshot snapshot, CancellationToken ct)
    {
        var wells = await wellRepository.GetKeyWellsAsync(ct).ConfigureAwait(false);
        var cameras = await cameraRepository.GetAllAsync(ct).ConfigureAwait(false);
        var watched = CameraSector.WatchedKeyWells(wells, cameras, MetricProjection.Dongying);
        return snapshot.Report.Departments
            .SelectMany(d => d.KeyWells.Select(k => new KeyWellStatus(k.Code, k.Location.X, k.Location.Y, d.DepartmentCode, k.LastVisit, watched.Contains(k.Code))))
            .GroupBy(k => k.Code).Select(g => g.OrderByDescending(k => k.LastVisit).First())
            .OrderBy(k => k.LastVisit ?? DateTimeOffset.MinValue).ThenBy(k => k.Code)
            .ToArray();
    }

    /// <summary>
    /// Hexagon cells (Core <see cref="PatrolCells.Recency"/>, the analysis grid) with a fix or over the uncovered parts of the
    /// jurisdictions, with the hours since the last fix in each (null: none in the window) and the recency band.
    /// </summary>
    public static string RecencyJson(PatrolSnapshot snapshot)
    {
        // Tracks measured in the grid's own plane, so each fix is projected once.
        var options = new PatrolCellOptions(CellSizeM: RecencyCellM, TrackRules: new TrackOptions(Projection: HexGrid.Projection));
        var cells = PatrolCells.Recency(snapshot.Fixes, snapshot.End, snapshot.Report.Departments.Select(d => d.Uncovered), options);
        return FeatureJson.Collection(cells.Select(c => ((Geometry)c.Geometry, (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["cell"] = c.Cell.Id, ["hours_since"] = c.HoursSince is { } h ? Math.Round(h, 1) : null,
            ["last_fix"] = c.LastFix?.ToString("O"), ["band"] = c.Band,
        })));
    }
}
