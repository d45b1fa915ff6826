using MapControl.Core.Grids;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using static MapControl.Core.Tests.Patrol.PatrolTestData;

namespace MapControl.Core.Tests.Patrol;

public sealed class PatrolCellsTests
{
    private static readonly PatrolCellOptions Options = new(CellSizeM: 500, TrackRules: new TrackOptions(Projection: Projection));

    // T0 is 2026-06-01 00:00 UTC = 08:00 China Standard Time.
    private static GpsFix At(string unit, double hoursAfterT0, double x, double y) => Fix(unit, hoursAfterT0 * 3600, x, y);

    [Fact]
    public void Compute_fixesInOneCell_countsVisitsRecencyAndNightShare()
    {
        GpsFix[] fixes =
        [
            At("u1", 0, 500010, 10),          // 08:00 CST, day, track 1
            At("u1", 0.01, 500020, 10),       // same track
            At("u1", 12, 500030, 10),         // 20:00 CST exactly: night, track 2
            At("u2", 22, 500040, 10),         // 06:00 CST exactly: day, track 3
            At("u2", 21.99, 500050, 10),      // 05:59:24 CST: night, same track as 06:00 (36 s apart)
        ];
        var grid = new HexGrid(500);

        var report = PatrolCells.Compute(fixes.Select(f => f with { Lon = f.Lon }), Options);

        var cell = report.Cells.Should().ContainSingle().Subject;
        cell.Cell.Should().Be(grid.CellAt(Projection.Forward(fixes[0].Lon, fixes[0].Lat).X, Projection.Forward(fixes[0].Lon, fixes[0].Lat).Y));
        cell.FixCount.Should().Be(5);
        cell.VisitCount.Should().Be(3);
        cell.UnitCount.Should().Be(2);
        cell.LastFix.Should().Be(T0.AddHours(22));
        cell.NightFixCount.Should().Be(2);
        cell.NightShare.Should().BeApproximately(0.4, 1e-12);
        cell.Geometry.SRID.Should().Be(4326);
    }

    [Fact]
    public void Compute_trackThroughThreeCells_oneVisitEachAndFixesWhereTheyFall()
    {
        var grid = new HexGrid(500);
        var c0 = grid.Centre(new HexCell(0, 0));
        var c1 = grid.Centre(new HexCell(1, 0));
        var c2 = grid.Centre(new HexCell(2, 0));
        GpsFix[] fixes =
        [
            Fix("u1", 0, c0.X - 500000, c0.Y), Fix("u1", 60, c1.X - 500000, c1.Y), Fix("u1", 120, c1.X - 500000 + 10, c1.Y),
            Fix("u1", 180, c2.X - 500000, c2.Y), Fix("u1", 240, c0.X - 500000, c0.Y),
        ];

        var report = PatrolCells.Compute(fixes, Options);

        report.Cells.Select(c => (c.Cell, c.FixCount, c.VisitCount)).Should().Equal(
            (new HexCell(0, 0), 2, 1), (new HexCell(1, 0), 2, 1), (new HexCell(2, 0), 1, 1));
    }

    [Fact]
    public void Recency_latestFixPerCell_hoursAndBands_andAreaCellsWithoutFixAreNever()
    {
        var grid = new HexGrid(500);
        var c0 = grid.Centre(new HexCell(0, 0));
        var c2 = grid.Centre(new HexCell(2, 0));
        var c4 = grid.Centre(new HexCell(4, 0));
        GpsFix[] fixes =
        [
            At("u1", 0, c0.X - 500000, c0.Y), At("u1", 48, c0.X - 500000 + 5, c0.Y),  // cell (0,0): latest at T0+48 h
            At("u2", 71, c2.X - 500000, c2.Y),                                          // cell (2,0): T0+71 h
            At("u3", 100, c4.X - 500000, c4.Y),                                         // cell (4,0): T0+100 h
        ];
        var asOf = T0.AddHours(120);
        // An area whose only cell centre is that of (6,0), plus one over (0,0) that adds nothing new.
        var area = new[] { LonLat("POLYGON ((5180 -20, 5210 -20, 5210 20, 5180 20, 5180 -20))"), LonLat("POLYGON ((-10 -10, 10 -10, 10 10, -10 10, -10 -10))") };

        var cells = PatrolCells.Recency(fixes, asOf, area, Options);

        cells.Select(c => (c.Cell, c.LastFix, c.HoursSince, c.Band)).Should().Equal(
            (new HexCell(0, 0), (DateTimeOffset?)T0.AddHours(48), (double?)72, PatrolRecencyBand.ThreeDays),
            (new HexCell(2, 0), (DateTimeOffset?)T0.AddHours(71), (double?)49, PatrolRecencyBand.ThreeDays),
            (new HexCell(4, 0), (DateTimeOffset?)T0.AddHours(100), (double?)20, PatrolRecencyBand.Day),
            (new HexCell(6, 0), (DateTimeOffset?)null, (double?)null, PatrolRecencyBand.Never));
        PatrolRecencyBand.Of(24).Should().Be(PatrolRecencyBand.Day);
        PatrolRecencyBand.Of(24.01).Should().Be(PatrolRecencyBand.ThreeDays);
        PatrolRecencyBand.Of(72.01).Should().Be(PatrolRecencyBand.Older);
    }

    [Fact]
    public void IsNight_customWindowWithoutWrap_halfOpen()
    {
        var options = new PatrolCellOptions(UtcOffset: TimeSpan.Zero, NightStart: TimeSpan.FromHours(1), NightEnd: TimeSpan.FromHours(3));

        options.IsNight(T0.AddHours(1)).Should().BeTrue();
        options.IsNight(T0.AddHours(2.99)).Should().BeTrue();
        options.IsNight(T0.AddHours(3)).Should().BeFalse();
        options.IsNight(T0.AddHours(0.99)).Should().BeFalse();
    }
}
