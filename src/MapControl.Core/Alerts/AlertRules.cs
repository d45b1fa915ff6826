using System.Globalization;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Alerts;

/// <summary>A department's area for the rules, in the rules' metric projection: its current jurisdiction and patrol zones.</summary>
/// <param name="Code">Department code.</param>
/// <param name="Name">Department name (for the alert's text).</param>
/// <param name="Area">Jurisdiction ∪ patrol zones, metric.</param>
public sealed record DepartmentArea(string Code, string Name, Geometry Area)
{
    // Built on first use and kept with the area (the engine keeps one DepartmentArea per area version): a department's area has
    // thousands of vertices, and the rule asks about every recent fix of every unit in each batch. Keyed on the geometry, so a
    // copy made with another area (`with`) builds its own.
    private Index? _index;

    private sealed class Index
    {
        public Index(Geometry of)
        {
            Of = of;
            Locator = new IndexedPointInAreaLocator(of);
            foreach (var ring in LinearComponentExtracter.GetLines(of))
            {
                var c = ring.Coordinates;
                for (var i = 1; i < c.Length; i++)
                {
                    var segment = new LineSegment(c[i - 1], c[i]);
                    Edges.Insert(new Envelope(c[i - 1], c[i]), segment);
                }
            }
            Edges.Build();
        }

        public Geometry Of { get; }
        public IndexedPointInAreaLocator Locator { get; }
        public STRtree<LineSegment> Edges { get; } = new();
    }

    /// <summary>
    /// The point lies in the area or within <paramref name="marginM"/> of its boundary (distance ≤ margin, as
    /// <see cref="Geometry.IsWithinDistance"/> answers), through an index of the area's edges: O(log n) a point instead of O(n).
    /// </summary>
    public bool IsWithin(Coordinate point, double marginM)
    {
        if (Area.IsEmpty) return false;
        var index = _index;
        if (!ReferenceEquals(index?.Of, Area)) _index = index = new Index(Area);
        if (index!.Locator.Locate(point) != Location.Exterior) return true;
        if (!(marginM >= 0)) return false;
        var near = new Envelope(point.X - marginM, point.X + marginM, point.Y - marginM, point.Y + marginM);
        foreach (var edge in index.Edges.Query(near))
            if (edge.Distance(point) <= marginM) return true;
        return false;
    }

    /// <summary>The point lies in the area (boundary included).</summary>
    public bool Contains(Coordinate point) => IsWithin(point, -1);

    /// <summary>Equal when code, name and area are (the index is a cache, not part of the value).</summary>
    public bool Equals(DepartmentArea? other) =>
        other is not null && Code == other.Code && Name == other.Name && EqualityComparer<Geometry>.Default.Equals(Area, other.Area);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, Name, Area);
}

/// <summary>
/// The alert rules (docs/DEFINITIONS.md "Alerts"): pure functions of the data that arrived and the time, each giving the alert to
/// open or nothing. Distances are measured in a metric projection the caller gives (<see cref="Crs.MetricProjection"/>).
/// </summary>
public static class AlertRules
{
    /// <summary>Night, for <see cref="Stationary"/>: 20:00–06:00 China Standard Time.</summary>
    public static bool IsNight(DateTimeOffset at) => ChinaTime.ToChinaTime(at).Hour is >= 20 or < 6;

    /// <summary>A unit is on shift when it reported within this span: silence after that is the end of a shift, not a silent device.</summary>
    public static readonly TimeSpan ShiftSpan = TimeSpan.FromHours(12);

    /// <summary>
    /// <c>outside_zone</c>: the unit's fixes have been outside its own department's area (jurisdiction and patrol zones, widened by
    /// <see cref="AlertThresholds.OutsideZoneMarginM"/>) for at least <see cref="AlertThresholds.OutsideZoneMinutes"/>, up to its latest
    /// fix. The margin lets a unit patrol the shared boundary from the outside ("better a crossing than a gap"); deeper in a
    /// neighbour's area for that long it opens an alert that names the neighbour (it may be on purpose: the commander
    /// acknowledges it). <paramref name="fixes"/> are the unit's recent fixes in time order, metric (X, Y) with their times.
    /// </summary>
    public static NewAlert? OutsideZone(PatrolUnit unit, IReadOnlyList<(DateTimeOffset Time, Coordinate Metric, double Lon, double Lat)> fixes,
        DepartmentArea own, IReadOnlyList<DepartmentArea> others, AlertThresholds thresholds)
    {
        if (fixes.Count == 0) return null;
        bool Inside(Coordinate c) => own.IsWithin(c, thresholds.OutsideZoneMarginM);
        var last = fixes[^1];
        if (Inside(last.Metric)) return null;
        // The first fix of the latest run of fixes outside: the unit has been outside since then (as far as the fixes go back).
        var since = last.Time;
        for (var i = fixes.Count - 1; i >= 0 && !Inside(fixes[i].Metric); i--) since = fixes[i].Time;
        if ((last.Time - since).TotalMinutes < thresholds.OutsideZoneMinutes) return null;
        var neighbour = others.FirstOrDefault(o => o.Code != own.Code && o.Contains(last.Metric));
        var m = Format(thresholds.OutsideZoneMinutes);
        var (zh, en) = neighbour is null
            ? ($"巡逻单元 {unit.Name} 离开本部辖区已超过 {m} 分钟", $"Unit {unit.Name} has been outside its department's area for over {m} min")
            : ($"巡逻单元 {unit.Name} 在 {neighbour.Name} 辖区内已超过 {m} 分钟", $"Unit {unit.Name} has been in {neighbour.Name}'s area for over {m} min");
        return new NewAlert(AlertKind.OutsideZone, $"outside_zone:{unit.Code}", since.AddMinutes(thresholds.OutsideZoneMinutes), unit.DepartmentCode,
            last.Lon, last.Lat, zh, en) { UnitCode = unit.Code, Hold = TimeSpan.FromMinutes(thresholds.OutsideZoneMinutes), AsOf = last.Time };
    }

    /// <summary>
    /// <c>stationary</c>: at night (<see cref="IsNight"/> at the latest fix), every fix of the last
    /// <see cref="AlertThresholds.StationaryMinutes"/> lies within <see cref="AlertThresholds.StationaryRadiusM"/> of the latest, and
    /// the fixes span that long.
    /// </summary>
    public static NewAlert? Stationary(PatrolUnit unit, IReadOnlyList<(DateTimeOffset Time, Coordinate Metric, double Lon, double Lat)> fixes,
        AlertThresholds thresholds)
    {
        if (fixes.Count < 2) return null;
        var last = fixes[^1];
        if (!IsNight(last.Time)) return null;
        var start = last.Time.AddMinutes(-thresholds.StationaryMinutes);
        if (fixes[0].Time > start) return null; // not observed for long enough
        for (var i = fixes.Count - 1; i >= 0 && fixes[i].Time >= start; i--)
        {
            if (fixes[i].Metric.Distance(last.Metric) > thresholds.StationaryRadiusM) return null;
        }
        var m = Format(thresholds.StationaryMinutes);
        return new NewAlert(AlertKind.Stationary, $"stationary:{unit.Code}", last.Time, unit.DepartmentCode, last.Lon, last.Lat,
            $"巡逻单元 {unit.Name} 夜间已停留超过 {m} 分钟", $"Unit {unit.Name} has not moved for over {m} min at night")
        {
            UnitCode = unit.Code, Hold = TimeSpan.FromMinutes(thresholds.StationaryMinutes), AsOf = last.Time,
        };
    }

    /// <summary>
    /// <c>device_silent</c>: the unit's latest fix is at least <see cref="AlertThresholds.DeviceSilentMinutes"/> old but less than
    /// <see cref="ShiftSpan"/> (it was on shift and went quiet).
    /// </summary>
    public static NewAlert? DeviceSilent(PatrolUnit unit, GpsFix? latest, AlertThresholds thresholds, DateTimeOffset now)
    {
        if (latest is not { } fix) return null;
        var quiet = now - fix.Time;
        if (quiet < TimeSpan.FromMinutes(thresholds.DeviceSilentMinutes) || quiet >= ShiftSpan) return null;
        var m = Format(thresholds.DeviceSilentMinutes);
        return new NewAlert(AlertKind.DeviceSilent, $"device_silent:{unit.Code}", fix.Time.AddMinutes(thresholds.DeviceSilentMinutes),
            unit.DepartmentCode, fix.Lon, fix.Lat, $"巡逻单元 {unit.Name} 的定位设备已超过 {m} 分钟无信号",
            $"Unit {unit.Name}'s tracker has been silent for over {m} min")
        {
            UnitCode = unit.Code, Hold = TimeSpan.FromMinutes(thresholds.DeviceSilentMinutes), AsOf = now,
        };
    }

    /// <summary>Most key wells a <c>key_well_unvisited</c> alert names (the count says how many more).</summary>
    public const int MaxWellsNamed = 10;

    /// <summary>
    /// <c>key_well_unvisited</c>, one alert per department: the department's key wells that no fix came within
    /// <see cref="AlertThresholds.KeyWellRadiusM"/> of for <see cref="AlertThresholds.KeyWellUnvisitedHours"/>, most overdue first
    /// (the alert's place and well are the most overdue one; at most <see cref="MaxWellsNamed"/> are named). The cause is the
    /// department: while its alert is open, wells that become overdue join it rather than open more. Judged only when the
    /// department's units have been reporting for at least that long (<paramref name="reportingSince"/>): a platform that just
    /// started, or a department without GPS, is not flooded with alerts it has no data for.
    /// </summary>
    /// <param name="departmentCode">The department whose area holds the wells.</param>
    /// <param name="wells">Its key wells with their latest visit (null: none known).</param>
    /// <param name="reportingSince">Since when the department's units have been reporting.</param>
    /// <param name="thresholds">The department's thresholds.</param>
    /// <param name="now">The evaluation time.</param>
    public static NewAlert? KeyWellsUnvisited(string departmentCode, IReadOnlyList<(Well Well, DateTimeOffset? LastVisit)> wells,
        DateTimeOffset? reportingSince, AlertThresholds thresholds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wells);
        ArgumentNullException.ThrowIfNull(thresholds);
        var span = TimeSpan.FromHours(thresholds.KeyWellUnvisitedHours);
        if (reportingSince is not { } since || now - since < span) return null;
        var overdue = wells.Where(w => w.Well.IsKeyWell && !(w.LastVisit is { } visit && now - visit < span))
            .Select(w => (w.Well, Since: w.LastVisit ?? since))
            .OrderBy(w => w.Since).ThenBy(w => w.Well.Code, StringComparer.Ordinal).ToList();
        if (overdue.Count == 0) return null;
        var h = Format(thresholds.KeyWellUnvisitedHours);
        var r = Format(thresholds.KeyWellRadiusM);
        var named = overdue.Take(MaxWellsNamed).Select(w => w.Well.Code).ToList();
        var more = overdue.Count - named.Count;
        var (zh, en) = overdue.Count == 1
            ? ($"重点井 {named[0]} 已超过 {h} 小时无巡逻到达（{r} 米内）", $"Key well {named[0]} has had no patrol within {r} m for over {h} h")
            : ($"{overdue.Count} 口重点井已超过 {h} 小时无巡逻到达（{r} 米内）：{string.Join("、", named)}{(more > 0 ? $" 等" : "")}",
               $"{overdue.Count} key wells have had no patrol within {r} m for over {h} h: {string.Join(", ", named)}{(more > 0 ? $" and {more} more" : "")}");
        var first = overdue[0];
        return new NewAlert(AlertKind.KeyWellUnvisited, $"key_well_unvisited:{departmentCode}", first.Since + span, departmentCode,
            first.Well.Location.X, first.Well.Location.Y, zh, en) { WellCode = first.Well.Code, Hold = span, AsOf = now };
    }

    /// <summary>
    /// <c>video_event</c>: a camera event posted by the video platform. The cause is the camera (or the position, for events without
    /// one) and the event's kind: a camera repeating the same alarm joins the open alert.
    /// </summary>
    public static NewAlert VideoEvent(string? cameraCode, string? wellCode, string kind, DateTimeOffset at, double lon, double lat, string? departmentCode)
    {
        var source = cameraCode ?? string.Create(CultureInfo.InvariantCulture, $"{lon:0.00000},{lat:0.00000}");
        var where = wellCode is null ? "" : $"（井 {wellCode}）";
        var whereEn = wellCode is null ? "" : $" (well {wellCode})";
        var (zh, en) = cameraCode is null
            ? ($"视频报警：{kind}{where}", $"Video alarm: {kind}{whereEn}")
            : ($"摄像机 {cameraCode} 报警：{kind}{where}", $"Camera {cameraCode} alarm: {kind}{whereEn}");
        return new NewAlert(AlertKind.VideoEvent, $"video_event:{source}:{kind}", at, departmentCode, lon, lat, zh, en)
        {
            CameraCode = cameraCode, WellCode = wellCode,
        };
    }

    /// <summary>
    /// <c>gap_created</c>: gaps of the coverage check after an edit that meet no gap of before (a new blank area between
    /// neighbours). Each gap is given as its shape (lon/lat), departments and area.
    /// </summary>
    public static IReadOnlyList<NewAlert> GapsCreated(IReadOnlyList<(Geometry Shape, IReadOnlyList<string> Departments, double AreaM2)> before,
        IReadOnlyList<(Geometry Shape, IReadOnlyList<string> Departments, double AreaM2)> after, DateTimeOffset at)
    {
        var alerts = new List<NewAlert>();
        foreach (var gap in after)
        {
            if (before.Any(b => b.Shape.EnvelopeInternal.Intersects(gap.Shape.EnvelopeInternal) && b.Shape.Intersects(gap.Shape))) continue;
            var c = gap.Shape.InteriorPoint;
            var names = string.Join(" / ", gap.Departments);
            var area = Format(Math.Round(gap.AreaM2));
            alerts.Add(new NewAlert(AlertKind.GapCreated,
                string.Create(CultureInfo.InvariantCulture, $"gap_created:{string.Join("+", gap.Departments)}:{c.X:0.0000},{c.Y:0.0000}"), at,
                gap.Departments.Count > 0 ? gap.Departments[0] : null, c.X, c.Y,
                $"新出现空白区 {area} 平方米（{names}）", $"New gap of {area} m² ({names})"));
        }
        return alerts;
    }

    /// <summary>
    /// <c>emerging_hotspot</c>, in the spirit of Esri's Emerging Hot Spot Analysis "new hot spot": a cell significantly hot (Gi*,
    /// FDR-corrected) over the last 7 days that was not significantly hot over the 8 weeks before.
    /// </summary>
    /// <param name="recent">Significant hot cells of the last 7 days: id and centre (lon/lat).</param>
    /// <param name="earlierHotCells">Ids of the cells significantly hot over the 8 weeks before.</param>
    /// <param name="departmentOf">The department of a cell centre, or null.</param>
    /// <param name="at">The evaluation time.</param>
    public static IReadOnlyList<NewAlert> EmergingHotspots(IReadOnlyList<(string CellId, double Lon, double Lat, int Count)> recent,
        IReadOnlySet<string> earlierHotCells, Func<double, double, string?> departmentOf, DateTimeOffset at) =>
        recent.Where(c => !earlierHotCells.Contains(c.CellId))
            .Select(c => new NewAlert(AlertKind.EmergingHotspot, $"emerging_hotspot:{c.CellId}", at, departmentOf(c.Lon, c.Lat), c.Lon, c.Lat,
                $"新热点：近7天 {c.Count} 起案件，此前8周不显著", $"New hot spot: {c.Count} incidents in the last 7 days, not significant in the 8 weeks before")
            {
                Hold = EmergingWindow, AsOf = at,
            })
            .ToArray();

    /// <summary>The recent window of <see cref="EmergingHotspots"/>: a cell is judged on its last 7 days against the 8 weeks before.</summary>
    public static readonly TimeSpan EmergingWindow = TimeSpan.FromDays(7);

    private static string Format(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
