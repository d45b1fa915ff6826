using MapControl.Core.Grids;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;

namespace MapControl.Core.Tests.Hotspots;

/// <summary>The accumulators the analyst endpoints stream incidents into: hexagon binner, heat grid, bounded cluster points.</summary>
public sealed class StreamedBinningTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static List<IncidentPoint> Incidents(int n, int seed = 5)
    {
        var random = new Random(seed);
        var kinds = new[] { IncidentKind.CasingTheft, IncidentKind.PipelineTapping, IncidentKind.EquipmentTheft };
        var list = new List<IncidentPoint>(n);
        for (var i = 0; i < n; i++)
        {
            var hot = i % 4 == 0;
            list.Add(new(hot ? 118.42 + random.NextDouble() * 0.01 : 118.3 + random.NextDouble() * 0.4,
                hot ? 37.45 + random.NextDouble() * 0.01 : 37.3 + random.NextDouble() * 0.3, T0.AddHours(-random.Next(0, 24 * 400)), kinds[i % 3]));
        }
        list.Add(new(double.NaN, 37.4, T0.AddDays(-1), IncidentKind.CasingTheft));
        return list;
    }

    [Fact]
    public void Binning_in_any_order_and_chunks_gives_the_report_of_the_list()
    {
        var incidents = Incidents(20_000);
        var options = new HotSpotOptions { Filter = new IncidentFilter { From = T0.AddDays(-365), To = T0, Kinds = [IncidentKind.CasingTheft, IncidentKind.PipelineTapping] } };
        var expected = HotSpotAnalysis.Run(incidents, options);

        var binner = HotSpotAnalysis.Binner(options);
        var shuffled = incidents.OrderBy(i => i.Lat * 7919 % 1).ToList();
        foreach (var chunk in shuffled.Chunk(999)) binner.AddRange(chunk);
        var actual = HotSpotAnalysis.Run(binner, options);

        (actual.IncidentsTotal, actual.IncidentsBinned, actual.IncidentsInvalid).Should().Be((expected.IncidentsTotal, expected.IncidentsBinned, expected.IncidentsInvalid));
        actual.IncidentsInvalid.Should().Be(1);
        actual.Cells.Select(c => (c.Id, c.Count, BitConverter.DoubleToInt64Bits(c.GiZ), BitConverter.DoubleToInt64Bits(c.GiP), c.Hot, c.Cold))
            .Should().Equal(expected.Cells.Select(c => (c.Id, c.Count, BitConverter.DoubleToInt64Bits(c.GiZ), BitConverter.DoubleToInt64Bits(c.GiP), c.Hot, c.Cold)));
        expected.HotCells.Should().NotBeEmpty();
    }

    [Fact]
    public void A_binner_of_other_options_is_refused()
    {
        var binner = HotSpotAnalysis.Binner(new HotSpotOptions { CellSizeM = 250 });
        var act = () => HotSpotAnalysis.Run(binner, new HotSpotOptions());
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Year_over_year_from_binners_equals_the_list()
    {
        var incidents = Incidents(10_000);
        var options = new HotSpotChangeOptions { Filter = new IncidentFilter { From = T0.AddDays(-120), To = T0 } };
        var expected = HotSpotChange.Run(incidents, options);
        var (now, then) = HotSpotChange.Binners(options);
        foreach (var i in Enumerable.Reverse(incidents)) { now.Add(i); then.Add(i); }
        var actual = HotSpotChange.Run(now, then, options);
        actual.Cells.Select(c => (c.Id, c.Now, c.Then)).Should().Equal(expected.Cells.Select(c => (c.Id, c.Now, c.Then)));
        (actual.TotalNow, actual.TotalThen).Should().Be((expected.TotalNow, expected.TotalThen));
        actual.TotalThen.Should().BePositive();
    }

    [Fact]
    public void Heat_grid_counts_each_filtered_incident_once_in_its_100_m_square()
    {
        var incidents = Incidents(5_000);
        var filter = new IncidentFilter { Kinds = [IncidentKind.CasingTheft] };
        var grid = new HeatGrid(filter);
        foreach (var i in incidents) grid.Add(i);
        var cells = grid.Cells();

        var expected = incidents.Where(i => filter.Matches(i) && double.IsFinite(i.Lon))
            .GroupBy(i => { var (x, y) = HexGrid.Projection.Forward(i.Lon, i.Lat); return (Col: (int)Math.Floor((x - 500_000) / 100), Row: (int)Math.Floor(y / 100)); })
            .ToDictionary(g => g.Key, g => g.Count());
        cells.ToDictionary(c => (c.Col, c.Row), c => c.Count).Should().BeEquivalentTo(expected);
        cells.Sum(c => c.Count).Should().Be(grid.Counted).And.Be(incidents.Count(i => i.Kind == IncidentKind.CasingTheft) - 1);
        cells.Select(c => (c.Row, c.Col)).Should().BeInAscendingOrder();
        foreach (var c in cells)
        {
            var (x, y) = HexGrid.Projection.Forward(c.Lon, c.Lat);
            HeatGrid.CellAt(x, y).Should().Be((c.Col, c.Row), "a cell's point is its centre");
        }
    }

    [Fact]
    public void Heat_grid_cell_edges_belong_to_the_cell_east_and_north_of_them()
    {
        HeatGrid.CellAt(500_000, 0).Should().Be((0, 0));
        HeatGrid.CellAt(499_999.999, -0.001).Should().Be((-1, -1));
        HeatGrid.CellAt(500_100, 4_150_250).Should().Be((1, 41_502));
        var (lon, lat) = HeatGrid.CentreOf(0, 0);
        HexGrid.Projection.Forward(lon, lat).X.Should().BeApproximately(500_050, 1e-6);
    }

    [Fact]
    public void Cluster_points_are_the_incidents_up_to_the_bound_then_cells()
    {
        var incidents = Incidents(3_000);
        var grid = new HexGrid(500);
        var below = new ClusterPoints(IncidentFilter.All, grid, maxPoints: 2_999);
        foreach (var i in incidents.Take(2_999)) below.Add(i);
        below.Aggregated.Should().BeFalse();
        below.Points().Should().HaveCount(2_999).And.BeInAscendingOrder(p => p.OccurredAt);

        var above = new ClusterPoints(new IncidentFilter { Kinds = [IncidentKind.CasingTheft, IncidentKind.PipelineTapping] }, grid, maxPoints: 1_000);
        foreach (var i in incidents) above.Add(i);
        above.Aggregated.Should().BeTrue();
        var matched = incidents.Count(i => i.Kind != IncidentKind.EquipmentTheft && double.IsFinite(i.Lon));
        above.Matched.Should().Be(matched);
        var cells = above.Cells();
        cells.Sum(c => c.Count).Should().Be(matched);
        foreach (var c in cells)
        {
            grid.CellAtLonLat(c.Lon, c.Lat).Should().Be(c.Id, "the mean of a cell's incidents lies in it (hexagons are convex)");
            c.Kinds.Sum(k => k.Count).Should().Be(c.Count);
            c.Kind.Should().Be(c.Kinds[0].Kind);
            c.Kinds.Select(k => k.Count).Should().BeInDescendingOrder();
        }
        var act = () => above.Points();
        act.Should().Throw<InvalidOperationException>();
    }
}
