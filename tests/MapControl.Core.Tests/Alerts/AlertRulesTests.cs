using MapControl.Core.Alerts;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Alerts;

/// <summary>The alert rules, WKT in (metric coordinates: 1 unit = 1 m) with times, alert or nothing out.</summary>
public sealed class AlertRulesTests
{
    private static readonly WKTReader Reader = new();
    private static readonly PatrolUnit Unit = new("U1", "D1", "河口1号车", "dev-1");
    // 20:30 China time on 2026-12-04 = 12:30 UTC: night.
    private static readonly DateTimeOffset Night = new(2026, 12, 4, 12, 30, 0, TimeSpan.Zero);
    // 10:00 China time = 02:00 UTC: day.
    private static readonly DateTimeOffset Day = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private static DepartmentArea Area(string code, string name, string wkt) => new(code, name, Reader.Read(wkt));

    private static readonly DepartmentArea Own = Area("D1", "河口护卫部", "POLYGON ((0 0, 10000 0, 10000 10000, 0 10000, 0 0))");
    private static readonly DepartmentArea Neighbour = Area("D2", "孤岛护卫部", "POLYGON ((10000 0, 20000 0, 20000 10000, 10000 10000, 10000 0))");

    private static List<(DateTimeOffset, Coordinate, double, double)> Track(DateTimeOffset start, params (double Minutes, double X, double Y)[] points) =>
        points.Select(p => (start.AddMinutes(p.Minutes), new Coordinate(p.X, p.Y), 118.0 + p.X / 1e5, 37.0 + p.Y / 1e5)).ToList();

    [Fact]
    public void OutsideZone_deep_in_a_neighbours_area_for_longer_than_M_opens_an_alert_naming_the_neighbour()
    {
        var fixes = Track(Day, (0, 9000, 5000), (1, 11000, 5000), (6, 12000, 5000), (11.5, 12500, 5000));

        var alert = AlertRules.OutsideZone(Unit, fixes, Own, [Own, Neighbour], AlertThresholds.Default);

        alert.Should().NotBeNull();
        alert!.Kind.Should().Be(AlertKind.OutsideZone);
        alert.Cause.Should().Be("outside_zone:U1");
        alert.UnitCode.Should().Be("U1");
        alert.DepartmentCode.Should().Be("D1");
        alert.TextZh.Should().Contain("孤岛护卫部");
        alert.OccurredAt.Should().Be(Day.AddMinutes(11), "outside since minute 1, threshold 10 min");
        alert.Hold.Should().Be(TimeSpan.FromMinutes(10), "after a close the unit must be outside another 10 min to alert again");
        alert.AsOf.Should().Be(Day.AddMinutes(11.5), "judged at its latest fix");
    }

    [Fact]
    public void OutsideZone_shorter_than_M_or_back_inside_or_within_the_margin_is_no_alert()
    {
        AlertRules.OutsideZone(Unit, Track(Day, (0, 9000, 5000), (1, 11000, 5000), (9, 12000, 5000)), Own, [Neighbour], AlertThresholds.Default)
            .Should().BeNull("nine minutes outside");
        AlertRules.OutsideZone(Unit, Track(Day, (0, 11000, 5000), (12, 12000, 5000), (13, 9000, 5000)), Own, [Neighbour], AlertThresholds.Default)
            .Should().BeNull("back inside");
        AlertRules.OutsideZone(Unit, Track(Day, (0, 10400, 5000), (30, 10450, 5000)), Own, [Neighbour], AlertThresholds.Default)
            .Should().BeNull("patrolling the shared boundary 450 m on the neighbour's side: a crossing, not an absence");
        AlertRules.OutsideZone(Unit, Track(Day, (0, 10400, 5000), (30, 10450, 5000)), Own, [Neighbour], AlertThresholds.Default with { OutsideZoneMarginM = 100 })
            .Should().NotBeNull("with a 100 m margin the same track is outside");
    }

    [Fact]
    public void OutsideZone_outside_every_department_says_so()
    {
        var alert = AlertRules.OutsideZone(Unit, Track(Day, (0, -5000, 5000), (20, -6000, 5000)), Own, [Neighbour], AlertThresholds.Default);
        alert!.TextEn.Should().Contain("outside its department's area");
    }

    [Fact]
    public void Stationary_at_night_for_K_minutes_within_the_radius_but_not_by_day_or_when_moving()
    {
        var still = Track(Night.AddMinutes(-31), (0, 100, 100), (10, 110, 100), (20, 100, 120), (31, 105, 105));
        AlertRules.Stationary(Unit, still, AlertThresholds.Default)!.Cause.Should().Be("stationary:U1");

        var stillByDay = Track(Day.AddMinutes(-31), (0, 100, 100), (10, 110, 100), (20, 100, 120), (31, 105, 105));
        AlertRules.Stationary(Unit, stillByDay, AlertThresholds.Default).Should().BeNull("by day");

        var moved = Track(Night.AddMinutes(-31), (0, 100, 100), (10, 300, 100), (31, 105, 105));
        AlertRules.Stationary(Unit, moved, AlertThresholds.Default).Should().BeNull("moved 200 m within the half hour");

        var shortWatch = Track(Night.AddMinutes(-20), (0, 100, 100), (20, 105, 105));
        AlertRules.Stationary(Unit, shortWatch, AlertThresholds.Default).Should().BeNull("observed for only 20 minutes");
    }

    [Fact]
    public void DeviceSilent_after_30_minutes_within_a_shift_only()
    {
        var fix = new GpsFix("U1", Day, 118.5, 37.5);
        AlertRules.DeviceSilent(Unit, fix, AlertThresholds.Default, Day.AddMinutes(29)).Should().BeNull();
        var alert = AlertRules.DeviceSilent(Unit, fix, AlertThresholds.Default, Day.AddMinutes(31));
        alert!.Cause.Should().Be("device_silent:U1");
        alert.Lon.Should().Be(118.5);
        AlertRules.DeviceSilent(Unit, fix, AlertThresholds.Default, Day.AddHours(13)).Should().BeNull("the shift ended long ago");
        AlertRules.DeviceSilent(Unit, null, AlertThresholds.Default, Day).Should().BeNull("never reported");
    }

    [Fact]
    public void KeyWellUnvisited_when_the_department_reported_long_enough_and_no_fix_came_near()
    {
        var well = new Well("KW-1", new Point(118.5, 37.5), WellKind.Oil, WellStatus.Producing, true, "Z1");
        var now = Day;
        AlertRules.KeyWellUnvisited(well, "D1", now.AddHours(-25), now.AddHours(-48), AlertThresholds.Default, now)!.Cause
            .Should().Be("key_well_unvisited:KW-1");
        AlertRules.KeyWellUnvisited(well, "D1", now.AddHours(-23), now.AddHours(-48), AlertThresholds.Default, now).Should().BeNull("visited 23 h ago");
        AlertRules.KeyWellUnvisited(well, "D1", null, now.AddHours(-2), AlertThresholds.Default, now)
            .Should().BeNull("the department's units have reported for only 2 h: no data to judge");
        AlertRules.KeyWellUnvisited(well, "D1", null, null, AlertThresholds.Default, now).Should().BeNull("no GPS at all");
        AlertRules.KeyWellUnvisited(well with { IsKeyWell = false }, "D1", null, now.AddHours(-48), AlertThresholds.Default, now).Should().BeNull();
    }

    [Fact]
    public void VideoEvent_cause_is_the_camera_and_kind_so_a_repeated_alarm_joins_the_open_alert()
    {
        var a = AlertRules.VideoEvent("CAM-7", "KW-1", "intrusion", Day, 118.5, 37.5, "D1");
        var b = AlertRules.VideoEvent("CAM-7", "KW-1", "intrusion", Day.AddMinutes(1), 118.5, 37.5, "D1");
        var c = AlertRules.VideoEvent(null, null, "intrusion", Day, 118.51234, 37.5, null);
        a.Cause.Should().Be(b.Cause).And.Be("video_event:CAM-7:intrusion");
        c.Cause.Should().Be("video_event:118.51234,37.50000:intrusion");
        a.TextZh.Should().Contain("CAM-7").And.Contain("KW-1");
    }

    [Fact]
    public void GapsCreated_only_gaps_that_meet_no_gap_of_before()
    {
        var old = Reader.Read("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");
        var grown = Reader.Read("POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))");
        var fresh = Reader.Read("POLYGON ((5 5, 6 5, 6 6, 5 6, 5 5))");
        var alerts = AlertRules.GapsCreated([(old, ["D1", "D2"], 100)], [(grown, ["D1", "D2"], 200), (fresh, ["D2", "D3"], 50)], Day);
        alerts.Should().ContainSingle().Which.DepartmentCode.Should().Be("D2");
        alerts[0].Cause.Should().StartWith("gap_created:D2+D3:");
    }

    [Fact]
    public void EmergingHotspots_are_the_recent_hot_cells_not_hot_before()
    {
        var alerts = AlertRules.EmergingHotspots([("h1", 118.5, 37.5, 9), ("h2", 118.6, 37.5, 7)], new HashSet<string> { "h2" }, (_, _) => "D1", Day);
        alerts.Should().ContainSingle().Which.Cause.Should().Be("emerging_hotspot:h1");
    }
}
