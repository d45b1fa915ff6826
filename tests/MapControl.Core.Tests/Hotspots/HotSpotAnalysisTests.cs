using MapControl.Core.Grids;
using System.Diagnostics;
using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using Xunit.Abstractions;

namespace MapControl.Core.Tests.Hotspots;

public sealed class HotSpotAnalysisTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static IncidentPoint At(double lon, double lat, DateTimeOffset t, IncidentKind? kind = null) => new(lon, lat, t, kind ?? IncidentKind.CasingTheft);

    [Fact]
    public void Run_clusterInSparseBackground_clusterCellIsHotAndContainsItsIncidents()
    {
        var random = new Random(3);
        var incidents = new List<IncidentPoint>();
        for (var i = 0; i < 400; i++) // background: 400 incidents over ~40 × 40 km
            incidents.Add(At(118.3 + random.NextDouble() * 0.5, 37.2 + random.NextDouble() * 0.4, T0));
        for (var i = 0; i < 60; i++) // a cluster within ~50 m of one spot
            incidents.Add(At(118.55 + (random.NextDouble() - 0.5) * 0.0005, 37.45 + (random.NextDouble() - 0.5) * 0.0005, T0));

        var report = HotSpotAnalysis.Run(incidents, new HotSpotOptions { CellSizeM = 500 });

        report.IncidentsBinned.Should().Be(460);
        report.Cells.Sum(c => c.Count).Should().Be(460);
        var spot = new Point(118.55, 37.45);
        var cell = report.Cells.Single(c => c.Polygon.Covers(spot));
        cell.Count.Should().BeGreaterThanOrEqualTo(60);
        cell.Hot.Should().BeTrue();
        cell.Cold.Should().BeFalse();
        cell.GiP.Should().BeLessThan(0.001);
        cell.Polygon.SRID.Should().Be(4326);
        report.Cells.Count(c => c.Hot).Should().BeLessThan(10);
        // Every non-empty cell's polygon holds exactly its incidents.
        foreach (var c in report.Cells.Where(c => c.Count > 0).Take(50))
            incidents.Count(p => c.Polygon.Covers(new Point(p.Lon, p.Lat))).Should().Be(c.Count);
    }

    [Fact]
    public void Run_emptyHoleInDenseArea_holeRimIsColdAndHoleCentreOutsideStudyArea()
    {
        // 5 incidents at the centre of every cell within 20 rings, except an empty hole: the middle cell and its ring.
        var projection = MetricProjection.Dongying;
        var bins = new HexGrid(400);
        var (x0, y0) = projection.Forward(118.55, 37.45);
        var middle = bins.CellAt(x0, y0);
        var incidents = new List<IncidentPoint>();
        foreach (var cell in HexGrid.Disk(middle, 20).Where(c => c.DistanceTo(middle) > 1))
        {
            var (x, y) = bins.Centre(cell);
            var (lon, lat) = projection.Inverse(x, y);
            incidents.AddRange(Enumerable.Repeat(At(lon, lat, T0), 5));
        }

        var report = HotSpotAnalysis.Run(incidents, new HotSpotOptions { CellSizeM = 400 });

        // Study area = non-empty cells and their first ring: the middle is two steps from any incident, so it is left out.
        report.Cells.Should().HaveCount(1254 + 6 + 126);
        report.Cells.Should().NotContain(c => c.Id == middle);
        var rim = report.Cells.Where(c => c.Id.DistanceTo(middle) == 1).ToList();
        rim.Should().HaveCount(6).And.OnlyContain(c => c.Count == 0 && c.Cold && !c.Hot && c.GiZ < -3);
        report.Cells.Should().NotContain(c => (c.Hot && c.GiZ <= 0) || (c.Cold && c.GiZ >= 0) || (c.Hot && c.Cold));
    }

    [Fact]
    public void Run_polygon_isHexagonOfSizeSInMetres()
    {
        var report = HotSpotAnalysis.Run([At(118.6, 37.5, T0)], new HotSpotOptions { CellSizeM = 300 });
        var metric = MetricProjection.Dongying.Forward(report.Cells[0].Polygon);
        metric.Area.Should().BeApproximately(1.5 * Math.Sqrt(3) * 300 * 300, 0.01);
        report.Cells.Should().HaveCount(7);
    }

    [Fact]
    public void Filter_window_endExclusiveStartInclusive()
    {
        var filter = new IncidentFilter { From = T0, To = T0.AddDays(30) };
        filter.Matches(At(0, 0, T0)).Should().BeTrue();
        filter.Matches(At(0, 0, T0.AddDays(30).AddTicks(-1))).Should().BeTrue();
        filter.Matches(At(0, 0, T0.AddDays(30))).Should().BeFalse();
        filter.Matches(At(0, 0, T0.AddTicks(-1))).Should().BeFalse();
    }

    [Fact]
    public void Filter_season_byChinaStandardTimeMonth()
    {
        var spring = new IncidentFilter { Season = Season.Spring };
        // 2025-02-28 17:30 UTC is 2025-03-01 01:30 in Beijing: spring, although February in UTC.
        var lateFebUtc = new DateTimeOffset(2025, 2, 28, 17, 30, 0, TimeSpan.Zero);
        spring.Matches(At(0, 0, lateFebUtc)).Should().BeTrue();
        new IncidentFilter { Season = Season.Winter }.Matches(At(0, 0, lateFebUtc)).Should().BeFalse();
        // 2025-05-31 16:00 UTC is 2025-06-01 00:00 CST: summer.
        spring.Matches(At(0, 0, new DateTimeOffset(2025, 5, 31, 16, 0, 0, TimeSpan.Zero))).Should().BeFalse();
        spring.Matches(At(0, 0, new DateTimeOffset(2025, 5, 31, 15, 59, 59, TimeSpan.Zero))).Should().BeTrue();
        ChinaTime.SeasonOfMonth(12).Should().Be(Season.Winter);
        ChinaTime.SeasonOfMonth(9).Should().Be(Season.Autumn);
    }

    [Fact]
    public void Filter_kinds_keepsOnlyListed()
    {
        var filter = new IncidentFilter { Kinds = [IncidentKind.PipelineTapping] };
        filter.Matches(At(0, 0, T0, IncidentKind.PipelineTapping)).Should().BeTrue();
        filter.Matches(At(0, 0, T0, IncidentKind.CasingTheft)).Should().BeFalse();
    }

    [Fact]
    public void Run_filters_countOnlyKeptIncidentsAndSkipInvalidCoordinates()
    {
        IncidentPoint[] incidents =
        [
            At(118.5, 37.4, T0), At(118.5, 37.4, T0.AddDays(10)), At(118.5, 37.4, T0.AddDays(-1)),
            At(118.5, 37.4, T0, IncidentKind.EquipmentTheft), At(double.NaN, 37.4, T0),
        ];
        var report = HotSpotAnalysis.Run(incidents, new HotSpotOptions
        {
            Filter = new IncidentFilter { From = T0, To = T0.AddDays(10), Kinds = [IncidentKind.CasingTheft] },
        });
        report.IncidentsTotal.Should().Be(5);
        report.IncidentsBinned.Should().Be(1);
        report.IncidentsInvalid.Should().Be(1);
        report.Cells.Sum(c => c.Count).Should().Be(1);
    }

    [Fact]
    public void Count_millionIncidents_costsLittleMoreThanProjectingThem()
    {
        var random = new Random(11);
        var incidents = new IncidentPoint[1_000_000];
        for (var i = 0; i < incidents.Length; i++)
            incidents[i] = At(117.9 + random.NextDouble() * 1.2, 37.0 + random.NextDouble() * 1.0, T0);
        var bins = new HexGrid(500);
        var projection = MetricProjection.Dongying;
        new HexBinner(bins, IncidentFilter.All).AddRange(incidents[..100_000]); // warm up (JIT tiers)

        var watch = Stopwatch.StartNew();
        double sink = 0;
        foreach (var p in incidents) sink += projection.Forward(p.Lon, p.Lat).X;
        var projectOnly = watch.Elapsed;
        watch.Restart();
        var result = new HexBinner(bins, IncidentFilter.All);
        result.AddRange(incidents);
        var binning = watch.Elapsed;

        output.WriteLine($"10^6 incidents: projection alone {projectOnly.TotalMilliseconds:F0} ms, binning {binning.TotalMilliseconds:F0} ms, {result.Counts.Count} cells ({sink:E1})");
        result.Binned.Should().Be(1_000_000);
        result.Counts.Values.Sum().Should().Be(1_000_000);
        // The machine is shared (load 20–40 on 2 cores seen), so absolute times vary tenfold; the guard is loose and catches
        // gross regressions such as the q^r hash collisions of long keys (10× slower).
        binning.Should().BeLessThan(projectOnly * 6 + TimeSpan.FromSeconds(1));
    }
}
