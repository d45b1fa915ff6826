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
    public void KeyWellsUnvisited_opens_one_alert_per_department_naming_its_overdue_wells_most_overdue_first()
    {
        static Well Key(string code, double lon) => new(code, new Point(lon, 37.5), WellKind.Oil, WellStatus.Producing, true, "Z1");
        var now = Day;
        var wells = new List<(Well, DateTimeOffset?)>
        {
            (Key("KW-1", 118.50), now.AddHours(-25)), (Key("KW-2", 118.51), now.AddHours(-23)), (Key("KW-3", 118.52), now.AddHours(-30)),
            (Key("KW-4", 118.53), null), (Key("W-5", 118.54) with { IsKeyWell = false }, null),
        };
        var alert = AlertRules.KeyWellsUnvisited("D1", wells, now.AddHours(-48), AlertThresholds.Default, now)!;
        alert.Cause.Should().Be("key_well_unvisited:D1", "one cause per department: while it is open, more overdue wells join it");
        alert.DepartmentCode.Should().Be("D1");
        alert.TextEn.Should().Be("3 key wells have had no patrol within 300 m for over 24 h: KW-4, KW-3, KW-1",
            "KW-4 was never visited since the units began reporting 48 h ago; KW-2 was visited 23 h ago; W-5 is no key well");
        alert.TextZh.Should().Be("3 口重点井已超过 24 小时无巡逻到达（300 米内）：KW-4、KW-3、KW-1");
        (alert.WellCode, alert.Lon, alert.OccurredAt).Should().Be(("KW-4", 118.53, now.AddHours(-24)), "the place of the most overdue well");

        var one = AlertRules.KeyWellsUnvisited("D1", wells.Take(2).ToList(), now.AddHours(-48), AlertThresholds.Default, now)!;
        (one.TextEn, one.WellCode).Should().Be(("Key well KW-1 has had no patrol within 300 m for over 24 h", "KW-1"));
        AlertRules.KeyWellsUnvisited("D1", [wells[1]], now.AddHours(-48), AlertThresholds.Default, now).Should().BeNull("visited 23 h ago");
        AlertRules.KeyWellsUnvisited("D1", wells, now.AddHours(-2), AlertThresholds.Default, now)
            .Should().BeNull("the department's units have reported for only 2 h: no data to judge");
        AlertRules.KeyWellsUnvisited("D1", wells, null, AlertThresholds.Default, now).Should().BeNull("no GPS at all");

        var many = Enumerable.Range(1, 12).Select(i => (Key($"K{i:00}", 118.5), (DateTimeOffset?)null)).ToList();
        AlertRules.KeyWellsUnvisited("D2", many, now.AddHours(-48), AlertThresholds.Default, now)!.TextEn
            .Should().EndWith("K08, K09, K10 and 2 more").And.StartWith("12 key wells");
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
    [Fact]
    public void A_departments_indexed_margin_test_answers_as_IsWithinDistance_on_holes_islands_and_the_margins_edge()
    {
        // A jagged area of 2,000 vertices with a hole, and an island: the shapes a department's jurisdiction ∪ patrol zones take.
        var factory = new GeometryFactory();
        var random = new Random(16);
        Coordinate[] Ring(double cx, double cy, double r, int n, double jag) => [.. Enumerable.Range(0, n).Select(k =>
        {
            var a = 2 * Math.PI * k / n;
            var rr = r * (1 + jag * (random.NextDouble() - 0.5));
            return new Coordinate(cx + rr * Math.Cos(a), cy + rr * Math.Sin(a));
        })];
        LinearRing Closed(Coordinate[] ring) => factory.CreateLinearRing([.. ring, ring[0].Copy()]);
        var shell = Closed(Ring(0, 0, 20_000, 2_000, 0.2));
        var hole = Closed([.. Ring(0, 0, 5_000, 300, 0.2).Reverse()]);
        var island = factory.CreatePolygon(Closed(Ring(40_000, 0, 4_000, 200, 0.3)));
        var geometry = factory.CreateMultiPolygon([factory.CreatePolygon(shell, [hole]), island]);
        geometry.IsValid.Should().BeTrue();
        var area = new DepartmentArea("D1", "河口护卫部", geometry);
        foreach (var margin in new[] { 0.0, 200.0, 500.0 })
        {
            for (var k = 0; k < 3_000; k++)
            {
                var c = new Coordinate(random.NextDouble() * 70_000 - 27_000, random.NextDouble() * 56_000 - 28_000);
                area.IsWithin(c, margin).Should().Be(geometry.IsWithinDistance(factory.CreatePoint(c), margin), $"at {c} with margin {margin}");
            }
            // Exactly on the margin's edge: a vertex of the island pushed out by the margin along x is within; a metre further is not.
            var v = island.Shell.Coordinates.MaxBy(p => p.X)!;
            var d = geometry.Distance(factory.CreatePoint(new Coordinate(v.X + margin, v.Y)));
            area.IsWithin(new Coordinate(v.X + margin, v.Y), d).Should().BeTrue();
            area.IsWithin(new Coordinate(v.X + margin + 1, v.Y), margin).Should().BeFalse();
        }
        area.Contains(new Coordinate(0, 0)).Should().BeFalse("the hole is outside");
        area.Contains(new Coordinate(12_000, 0)).Should().BeTrue();
        (area with { Area = factory.CreatePolygon(Closed(Ring(0, 0, 1_000, 50, 0))) }).Contains(new Coordinate(12_000, 0))
            .Should().BeFalse("a copy with another area answers for its own area, not the index of the first");
        area.Should().Be(new DepartmentArea("D1", "河口护卫部", geometry), "the index is not part of the value");
    }
}
