using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Hotspots;

public sealed class HotSpotChangeTests
{
    private static readonly DateTimeOffset From = new(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset To = new(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static IncidentPoint At(double lon, double lat, DateTimeOffset t) => new(lon, lat, t, IncidentKind.PipelineTapping);

    [Fact]
    public void Run_sameWindowLastYear_changeAndRatioPerCell()
    {
        IncidentPoint[] incidents =
        [
            // cell A: 3 now, 1 a year earlier
            At(118.50, 37.40, From), At(118.50, 37.40, From.AddDays(10)), At(118.50, 37.40, To.AddTicks(-1)),
            At(118.50, 37.40, From.AddYears(-1)),
            // cell B: 0 now, 2 then (one at the exclusive end of last year's window is out)
            At(118.70, 37.60, From.AddYears(-1).AddDays(5)), At(118.70, 37.60, To.AddYears(-1).AddDays(-1)), At(118.70, 37.60, To.AddYears(-1)),
            // cell C: 1 now, 0 then
            At(118.90, 37.80, From.AddDays(1)),
            // outside both windows
            At(118.50, 37.40, To), At(118.50, 37.40, From.AddYears(-2)),
        ];

        var report = HotSpotChange.Run(incidents, new HotSpotChangeOptions { CellSizeM = 300, Filter = new IncidentFilter { From = From, To = To } });

        report.TotalNow.Should().Be(4);
        report.TotalThen.Should().Be(3);
        report.Then.From.Should().Be(From.AddYears(-1));
        report.Cells.Should().HaveCount(3);
        var a = report.Cells.Single(c => c.Polygon.Covers(new Point(118.50, 37.40)));
        (a.Now, a.Then, a.Change, a.Ratio).Should().Be((3, 1, 2, 3.0));
        var b = report.Cells.Single(c => c.Polygon.Covers(new Point(118.70, 37.60)));
        (b.Now, b.Then, b.Change, b.Ratio).Should().Be((0, 2, -2, 0.0));
        var c = report.Cells.Single(c => c.Polygon.Covers(new Point(118.90, 37.80)));
        (c.Now, c.Then, c.Change, c.Ratio).Should().Be((1, 0, 1, (double?)null));
    }

    [Fact]
    public void Run_windowWithoutEnd_isRefused()
    {
        var act = () => HotSpotChange.Run([], new HotSpotChangeOptions { Filter = new IncidentFilter { From = From } });
        act.Should().Throw<ArgumentException>();
    }
}
