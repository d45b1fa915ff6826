using MapControl.Core.Crs;
using MapControl.Core.Grids;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>Patrol coverage of a window ending at the latest GPS fix, with that end time.</summary>
/// <param name="Report">The coverage (PatrolCoverage.Compute, same code as the CLI).</param>
/// <param name="End">The latest fix: "now" for the 24 h / 7 day checks.</param>
/// <param name="Fixes">The fixes of the window (for recency cells).</param>
public sealed record PatrolSnapshot(PatrolCoverageReport Report, DateTimeOffset End, IReadOnlyList<GpsFix> Fixes);

/// <summary>A key well with its last visit and whether a camera watches it.</summary>
public sealed record KeyWellStatus(string Code, double Lon, double Lat, string? Department, DateTimeOffset? LastVisit, bool Watched);

/// <summary>Reads GPS fixes and runs <see cref="PatrolCoverage"/> over the current jurisdictions; cached per data stamp.</summary>
public sealed class PatrolService(NpgsqlDataSource dataSource, DomainReader reader)
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
        var end = await LatestFixAsync(ct).ConfigureAwait(false) ?? DateTimeOffset.UtcNow;
        // Read before the input: a change after this read changes the next stamp, so it is never kept as current.
        var stamp = await reader.PatrolInputMarkerAsync(end - Window, end.AddTicks(1), ct).ConfigureAwait(false) + "@" + end.UtcTicks;
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_cache is { } c && c.Stamp == stamp) return c.Snapshot;
            var from = end - Window;
            var fixes = await FixesAsync(from, end.AddTicks(1), ct).ConfigureAwait(false);
            var units = await UnitsAsync(ct).ConfigureAwait(false);
            var jurisdictions = (await reader.CurrentJurisdictionsAsync(ct).ConfigureAwait(false))
                .ToDictionary(j => j.DepartmentCode, j => (Geometry)j.Geometry);
            var wells = await reader.WellsAsync(ct).ConfigureAwait(false);
            var input = new PatrolCoverageInput(jurisdictions, fixes, units, KeyWell.From(wells), from, end.AddTicks(1));
            var report = await Task.Run(() => PatrolCoverage.Compute(input, new PatrolCoverageOptions()), ct).ConfigureAwait(false);
            var snapshot = new PatrolSnapshot(report, end, fixes);
            _cache = (stamp, snapshot);
            return snapshot;
        }
        finally { _lock.Release(); }
    }

    /// <summary>Key wells with last visit (in the window) and camera watch.</summary>
    public async Task<IReadOnlyList<KeyWellStatus>> KeyWellsAsync(PatrolSnapshot snapshot, CancellationToken ct)
    {
        var watched = new HashSet<string>(StringComparer.Ordinal);
        await using (var cmd = dataSource.CreateCommand("SELECT DISTINCT well_code FROM camera WHERE well_code IS NOT NULL"))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) watched.Add(r.GetString(0));
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

    private async Task<DateTimeOffset?> LatestFixAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT max(recorded_at) FROM gps_point");
        var v = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return v is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : null;
    }

    private async Task<IReadOnlyList<GpsFix>> FixesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var list = new List<GpsFix>();
        await using var cmd = dataSource.CreateCommand("""
            SELECT unit_code, recorded_at, ST_X(geom), ST_Y(geom), speed_kmh, bearing FROM gps_point
            WHERE recorded_at >= @from AND recorded_at < @to ORDER BY unit_code, recorded_at
            """);
        cmd.Parameters.Add(GeoJsonSql.Parameter("from", from));
        cmd.Parameters.Add(GeoJsonSql.Parameter("to", to));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new GpsFix(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetDouble(2), r.GetDouble(3),
                r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5)));
        return list;
    }

    private async Task<IReadOnlyList<PatrolUnit>> UnitsAsync(CancellationToken ct)
    {
        var list = new List<PatrolUnit>();
        await using var cmd = dataSource.CreateCommand("SELECT code, department_code, name, device_key FROM patrol_unit");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(new PatrolUnit(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        return list;
    }
}
