using MapControl.Core.Alerts;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Data.Alerts;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Web.Live;

/// <summary>
/// Evaluates the alert rules (Core <see cref="AlertRules"/>) as data arrives: each batch of fixes the ingest stores is judged at once
/// for <c>outside_zone</c>, <c>stationary</c>, key-well visits and on-scene arrival; every <see cref="Tick"/> the rules of absence
/// (<c>device_silent</c>, <c>key_well_unvisited</c>) and, when their data changed, <c>gap_created</c> and <c>emerging_hotspot</c>.
/// Thresholds: appsettings <c>Alerts</c> (centre defaults), then <c>alert_threshold</c> rows (centre, then department).
/// Opened alerts are pushed to open maps (<see cref="LiveFeed"/>) and to the outbound webhook.
/// </summary>
public sealed class AlertEngine(LiveFeed feed, LiveSource source, AlertRepository alerts, AlertThresholdRepository thresholdStore, WellRepository wells,
    CoverageGaps gaps, AnalysisSource analysis, DataVersions versions, AlertWebhook webhook, TimeProvider clock, ILogger<AlertEngine> log)
    : BackgroundService
{
    /// <summary>How often the rules of absence run.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(20);

    /// <summary>How often the fix loop looks for changed data (thresholds, units, areas) at most.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(1);

    private readonly MetricProjection _projection = MetricProjection.Dongying;
    private AlertThresholds _centre = AlertThresholds.Default;
    private IReadOnlyDictionary<string, AlertThresholds> _byDepartment = new Dictionary<string, AlertThresholds>();
    private IReadOnlyDictionary<string, DepartmentArea> _areas = new Dictionary<string, DepartmentArea>();
    private IReadOnlyList<Well> _keyWells = [];
    private STRtree<KeyWellSite>? _keyWellIndex;
    private double _keyWellIndexRadiusM; // the largest radius of any site in the index

    /// <summary>A key well in the plane with the visit radius of the department it lies in (whoever visits it).</summary>
    private sealed record KeyWellSite(string Code, double X, double Y, double RadiusM);
    private readonly Dictionary<string, DateTimeOffset> _visits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _visitRadius = new(StringComparer.Ordinal); // the radius each well's visit was measured with
    private readonly Dictionary<string, DateTimeOffset> _reportingSince = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;
    private string _areaVersions = "", _thresholdVersion = "", _unitVersion = "", _keyWellThresholds = "", _gapVersions = "", _incidentVersion = "", _wellVersion = "", _alertVersion = "";
    private IReadOnlyList<(Geometry Shape, IReadOnlyList<string> Departments, double AreaM2)>? _gaps;
    private DateTimeOffset _lastHotspots = DateTimeOffset.MinValue;
    private IReadOnlyList<Alert> _dispatched = [];

    /// <summary>The latest visit the engine holds for a key well; null before the wells are read or when none is known.</summary>
    internal DateTimeOffset? LastVisit(string wellCode)
    {
        lock (_gate) return _keyWellIndex is not null && _visits.TryGetValue(wellCode, out var t) ? t : null;
    }

    /// <summary>Whether the key wells, their index and their visits have been read.</summary>
    internal bool KeyWellsRead
    {
        get { lock (_gate) return _keyWellIndex is not null; }
    }

    private AlertThresholds For(string? department) => department is not null && _byDepartment.TryGetValue(department, out var t) ? t : _centre;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                var fixes = FixLoopAsync(stoppingToken);
                var ticks = TickLoopAsync(stoppingToken);
                await Task.WhenAll(fixes, ticks).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                log.LogWarning("Alert rules paused for 30 s: {Message}", e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(30), clock, stoppingToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task FixLoopAsync(CancellationToken ct)
    {
        await foreach (var batch in feed.FixesForRules.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                // What changed (a threshold, a unit added or moved to another department) counts for this batch already: the change
                // versions are read at most once a second, and at once when a unit is not known yet (added while the server runs).
                if (clock.GetUtcNow() - _lastRefresh >= RefreshEvery || batch.Any(f => !feed.UnitInfo.ContainsKey(f.UnitCode)))
                    await RefreshAsync(ct).ConfigureAwait(false);
                await OnFixesAsync(batch, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                log.LogWarning("Alert rules skipped a batch of fixes: {Message}", e.Message);
            }
        }
    }

    private async Task TickLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        do
        {
            try
            {
                await RefreshAsync(ct).ConfigureAwait(false);
                await OnTickAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                log.LogWarning("Alert rules tick failed: {Message}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    /// <summary>Re-reads what changed: units, areas, thresholds, key wells, the dispatched alerts (one refresh at a time).</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        await _refreshGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _lastRefresh = clock.GetUtcNow();
            await RefreshChangedAsync(ct).ConfigureAwait(false);
        }
        finally { _refreshGate.Release(); }
    }

    private async Task RefreshChangedAsync(CancellationToken ct)
    {
        var v = await versions.CurrentAsync(ct).ConfigureAwait(false);
        var unitVersion = v.Of(["patrol_unit"]);
        if (unitVersion != _unitVersion)
        {
            await feed.RefreshUnitsAsync(ct).ConfigureAwait(false);
            _unitVersion = unitVersion;
        }
        var areaVersions = v.Of(["jurisdiction", "patrol_zone", "department"]);
        if (areaVersions != _areaVersions)
        {
            var areas = await source.DepartmentAreasAsync(ct).ConfigureAwait(false);
            _areas = areas.ToDictionary(a => a.Code, a => new DepartmentArea(a.Code, a.Name, _projection.Forward(a.Area)), StringComparer.Ordinal);
            _areaVersions = areaVersions;
        }
        var thresholdVersion = v.Of(["alert_threshold"]);
        if (thresholdVersion != _thresholdVersion)
        {
            (_centre, _byDepartment) = await thresholdStore.ThresholdsAsync(ct).ConfigureAwait(false);
            _thresholdVersion = thresholdVersion;
        }
        // Key wells and their last visits: read again when the wells change or a key-well threshold does (a department's radius
        // or hours), each well's visits measured with its own department's radius over the longest span of any department.
        var keyWellThresholds = string.Join(";", _byDepartment.Select(d => $"{d.Key}:{d.Value.KeyWellRadiusM}:{d.Value.KeyWellUnvisitedHours}")
            .Append($":{_centre.KeyWellRadiusM}:{_centre.KeyWellUnvisitedHours}").Order(StringComparer.Ordinal));
        // A well's department (so its radius) follows the departments' areas too (jurisdictions ∪ patrol zones, as _areas).
        var wellVersion = v.Of(["well", "jurisdiction", "patrol_zone", "department"]);
        if (_keyWellIndex is null || wellVersion != _wellVersion || keyWellThresholds != _keyWellThresholds)
        {
            var keyWells = await wells.GetKeyWellsAsync(ct).ConfigureAwait(false);
            var index = new STRtree<KeyWellSite>();
            var radii = new Dictionary<string, double>(StringComparer.Ordinal);
            var largest = 0.0;
            foreach (var w in keyWells)
            {
                var (x, y) = _projection.Forward(w.Location.X, w.Location.Y);
                var radius = radii[w.Code] = For(DepartmentOf(w.Location.X, w.Location.Y)).KeyWellRadiusM;
                largest = Math.Max(largest, radius);
                index.Insert(new Envelope(x, x, y, y), new KeyWellSite(w.Code, x, y, radius));
            }
            index.Build();
            var now = clock.GetUtcNow();
            var scopes = _byDepartment.Values.Append(_centre).ToList();
            var span = TimeSpan.FromHours(scopes.Max(t => t.KeyWellUnvisitedHours) + 1);
            var byRadius = new Dictionary<double, IReadOnlyDictionary<string, DateTimeOffset>>();
            foreach (var radius in scopes.Select(t => t.KeyWellRadiusM).Distinct())
                byRadius[radius] = await source.KeyWellVisitsAsync(radius, now - span, now, ct).ConfigureAwait(false);
            var since = await source.ReportingSinceAsync(now - span, now, ct).ConfigureAwait(false);
            lock (_gate)
            {
                // The wells, their index and their visits change together: a tick never sees new wells with old visits.
                _keyWells = keyWells;
                _keyWellIndex = index;
                _keyWellIndexRadiusM = largest;
                foreach (var w in keyWells)
                {
                    // The store has every fix up to its read: its answer replaces what was recorded when the well's radius
                    // changed (a changed radius counts at once); with the same radius a live visit recorded meanwhile is kept
                    // when it is later.
                    var radius = radii[w.Code];
                    var same = _visitRadius.TryGetValue(w.Code, out var before) && before == radius;
                    if (byRadius[radius].TryGetValue(w.Code, out var t))
                        _visits[w.Code] = same && _visits.TryGetValue(w.Code, out var live) && live > t ? live : t;
                    else if (!same)
                        _visits.Remove(w.Code);
                    _visitRadius[w.Code] = radii[w.Code];
                }
                foreach (var (k, t) in since) if (!_reportingSince.TryGetValue(k, out var s) || t < s) _reportingSince[k] = t;
            }
            _wellVersion = wellVersion;
            _keyWellThresholds = keyWellThresholds;
        }
        var alertVersion = v.Of(["alert"]);
        if (alertVersion != _alertVersion)
        {
            _dispatched = await alerts.ListAsync(AlertStatus.Dispatched, null, AlertRepository.MaxList, ct).ConfigureAwait(false);
            _alertVersion = alertVersion;
        }
    }

    private async Task OnFixesAsync(IReadOnlyList<GpsFix> batch, CancellationToken ct)
    {
        var opened = new List<NewAlert>();
        var areas = _areas.Values.ToList();
        foreach (var unitFixes in batch.GroupBy(f => f.UnitCode))
        {
            if (!feed.UnitInfo.TryGetValue(unitFixes.Key, out var unit)) continue;
            var thresholds = For(unit.DepartmentCode);
            lock (_gate)
            {
                var first = unitFixes.Min(f => f.Time);
                if (!_reportingSince.TryGetValue(unit.DepartmentCode, out var s) || first < s) _reportingSince[unit.DepartmentCode] = first;
                foreach (var fix in unitFixes) RecordVisits(fix);
            }
            var latest = unitFixes.Max(f => f.Time);
            var lookBack = TimeSpan.FromMinutes(Math.Max(thresholds.OutsideZoneMinutes, thresholds.StationaryMinutes) + 5);
            var recent = feed.FixesSince(unit.Code, latest - lookBack)
                .Select(f => { var (x, y) = _projection.Forward(f.Lon, f.Lat); return (f.Time, new Coordinate(x, y), f.Lon, f.Lat); }).ToList();
            if (_areas.TryGetValue(unit.DepartmentCode, out var own)
                && AlertRules.OutsideZone(unit, recent, own, areas, thresholds) is { } outside)
                opened.Add(outside);
            if (AlertRules.Stationary(unit, recent, thresholds) is { } still) opened.Add(still);
            foreach (var alert in _dispatched.Where(a => a.DispatchedUnit == unit.Code && a.OnSceneAt is null))
            {
                var arrived = unitFixes.Where(f => Dispatch.Haversine(f.Lon, f.Lat, alert.Lon, alert.Lat) <= Dispatch.OnSceneRadiusM).OrderBy(f => f.Time).FirstOrDefault();
                if (arrived.UnitCode is not null && await alerts.MarkOnSceneAsync(alert.Id, unit.Code, arrived.Time, ct).ConfigureAwait(false)
                    && await alerts.GetAsync(alert.Id, ct).ConfigureAwait(false) is { } updated)
                    feed.Publish(updated);
            }
        }
        await OpenAllAsync(opened, ct).ConfigureAwait(false);
    }

    /// <summary>A fix visits each key well within the radius of the well's department — as the store's visits are measured at
    /// start — whichever department the visiting unit belongs to.</summary>
    private void RecordVisits(GpsFix fix)
    {
        if (_keyWellIndex is null) return;
        var (x, y) = _projection.Forward(fix.Lon, fix.Lat);
        var reach = _keyWellIndexRadiusM;
        foreach (var w in _keyWellIndex.Query(new Envelope(x - reach, x + reach, y - reach, y + reach)))
        {
            if (Math.Sqrt((w.X - x) * (w.X - x) + (w.Y - y) * (w.Y - y)) > w.RadiusM) continue;
            if (!_visits.TryGetValue(w.Code, out var v) || fix.Time > v) _visits[w.Code] = fix.Time;
        }
    }

    private async Task OnTickAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var opened = new List<NewAlert>();
        foreach (var unit in feed.UnitInfo.Values)
        {
            if (AlertRules.DeviceSilent(unit, feed.Latest(unit.Code), For(unit.DepartmentCode), now) is { } silent) opened.Add(silent);
        }
        lock (_gate)
        {
            // One alert per department for its overdue key wells (wells outside every department's area have nobody to patrol them).
            foreach (var wells in _keyWells.GroupBy(w => DepartmentOf(w.Location.X, w.Location.Y)).Where(g => g.Key is not null))
            {
                var department = wells.Key!;
                var since = _reportingSince.TryGetValue(department, out var s) ? s : (DateTimeOffset?)null;
                var visits = wells.Select(w => (w, _visits.TryGetValue(w.Code, out var v) ? v : (DateTimeOffset?)null)).ToList();
                if (AlertRules.KeyWellsUnvisited(department, visits, since, For(department), now) is { } unvisited) opened.Add(unvisited);
            }
        }
        var v2 = await versions.CurrentAsync(ct).ConfigureAwait(false);
        var gapVersions = v2.Of(["jurisdiction", "oil_zone"]);
        if (gapVersions != _gapVersions)
        {
            var current = await gaps.CurrentAsync(ct).ConfigureAwait(false);
            var shapes = current.Report.Gaps.Select(g => ((Geometry)g.Geometry, g.Departments, g.AreaM2)).ToList();
            if (_gaps is not null) opened.AddRange(AlertRules.GapsCreated(_gaps, shapes, now));
            _gaps = shapes;
            _gapVersions = gapVersions;
        }
        var incidentVersion = v2.Of(["incident"]);
        if (incidentVersion != _incidentVersion && now - _lastHotspots > TimeSpan.FromMinutes(10))
        {
            opened.AddRange(await EmergingHotspotsAsync(now, ct).ConfigureAwait(false));
            _incidentVersion = incidentVersion;
            _lastHotspots = now;
        }
        await OpenAllAsync(opened, ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<NewAlert>> EmergingHotspotsAsync(DateTimeOffset now, CancellationToken ct)
    {
        // One streamed read of the 63 days into the two windows' binners: the engine holds cells, not incidents.
        var options = new HotSpotOptions();
        var recentOptions = options with { Filter = new IncidentFilter { From = now.AddDays(-7), To = now } };
        var earlierOptions = options with { Filter = new IncidentFilter { From = now.AddDays(-7 - 56), To = now.AddDays(-7) } };
        var (recentBins, earlierBins) = (HotSpotAnalysis.Binner(recentOptions), HotSpotAnalysis.Binner(earlierOptions));
        var read = await analysis.StreamIncidentPointsAsync(now.AddDays(-7 - 56), now, null, p => { recentBins.Add(p); earlierBins.Add(p); }, ct)
            .ConfigureAwait(false);
        if (read == 0) return [];
        var recent = HotSpotAnalysis.Run(recentBins, recentOptions);
        var earlier = HotSpotAnalysis.Run(earlierBins, earlierOptions);
        var hotBefore = earlier.HotCells.Select(c => c.Id.Id).ToHashSet();
        var recentHot = recent.HotCells.Select(c => (c.Id.Id, c.Polygon.Centroid.X, c.Polygon.Centroid.Y, c.Count)).ToList();
        return AlertRules.EmergingHotspots(recentHot, hotBefore, DepartmentOf, now);
    }

    private string? DepartmentOf(double lon, double lat)
    {
        var (x, y) = _projection.Forward(lon, lat);
        var point = new Coordinate(x, y);
        // The areas' own index (boundary included, as outside_zone asks it): built once per area version, read-only after.
        return _areas.Values.Where(a => a.Contains(point)).Select(a => a.Code).OrderBy(c => c, StringComparer.Ordinal).FirstOrDefault();
    }

    private async Task OpenAllAsync(IEnumerable<NewAlert> candidates, CancellationToken ct)
    {
        foreach (var candidate in candidates)
        {
            var result = await alerts.OpenAsync(candidate, ct).ConfigureAwait(false);
            if (!result.Opened) continue;
            log.LogInformation("Alert {Id} opened: {Kind} {Cause}", result.Alert.Id, result.Alert.KindName, candidate.Cause);
            feed.Publish(result.Alert);
            webhook.Post(result.Alert);
        }
    }

}
