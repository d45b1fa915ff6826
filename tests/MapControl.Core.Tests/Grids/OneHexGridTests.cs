using MapControl.Core.Grids;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Grids;

/// <summary>Gi* hot spots, year-over-year change and patrol recency bin into one grid: same size and point, same cell.</summary>
public sealed class OneHexGridTests
{
    private static readonly DateTimeOffset From = new(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset To = new(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public static TheoryData<double, double, double> Points => new()
    {
        { 118.6312, 37.5123, 750 },   // north-east of the grid origin
        { 118.0417, 37.0611, 500 },   // 45 km west, 43 km south: away from the central meridian
        { 119.1234, 38.0987, 1500 },  // the commander's recency size
    };

    [Theory]
    [MemberData(nameof(Points))]
    public void HotSpot_yearOverYear_and_recency_cells_of_a_point_have_the_same_id_and_polygon(double lon, double lat, double size)
    {
        var incident = new IncidentPoint(lon, lat, From.AddDays(3), IncidentKind.PipelineTapping);
        var fix = new GpsFix("u1", From.AddDays(3), lon, lat);

        var hot = HotSpotAnalysis.Run([incident], new HotSpotOptions { CellSizeM = size }).Cells.Single(c => c.Count == 1);
        var change = HotSpotChange.Run([incident], new HotSpotChangeOptions { CellSizeM = size, Filter = new IncidentFilter { From = From, To = To } })
            .Cells.Single();
        // Default track rules: the tracks measure in a projection centred on the fixes, the cells must not follow it.
        var stats = PatrolCells.Compute([fix], new PatrolCellOptions(CellSizeM: size)).Cells.Single();
        var recency = PatrolCells.Recency([fix], From.AddDays(4), [], new PatrolCellOptions(CellSizeM: size)).Single();

        var expected = new HexGrid(size).CellAtLonLat(lon, lat);
        hot.Id.Should().Be(expected);
        change.Id.Should().Be(expected);
        stats.Cell.Should().Be(expected);
        recency.Cell.Should().Be(expected);
        change.Id.Id.Should().Be(hot.Id.Id);
        recency.Cell.Id.Should().Be(hot.Id.Id);

        hot.Polygon.Covers(new Point(lon, lat)).Should().BeTrue();
        hot.Polygon.SRID.Should().Be(4326);
        foreach (var other in new[] { change.Polygon, stats.Geometry, recency.Geometry })
        {
            other.EqualsExact(hot.Polygon, 0).Should().BeTrue("every analysis draws the cell with the same corners");
            other.SRID.Should().Be(4326);
        }
    }

    [Fact]
    public void Recency_cell_without_a_fix_has_the_same_polygon_as_the_hot_spot_cell()
    {
        const double size = 1000;
        var grid = new HexGrid(size);
        var cell = grid.CellAtLonLat(118.7, 37.6);
        var (cx, cy) = grid.Centre(cell);
        var (lon, lat) = HexGrid.Projection.Inverse(cx, cy);
        var area = new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(new Envelope(lon - 0.001, lon + 0.001, lat - 0.001, lat + 0.001));

        var recency = PatrolCells.Recency([], To, [area], new PatrolCellOptions(CellSizeM: size)).Single();
        var hot = HotSpotAnalysis.Run([new IncidentPoint(lon, lat, From, IncidentKind.PipelineTapping)], new HotSpotOptions { CellSizeM = size })
            .Cells.Single(c => c.Count == 1);

        recency.Cell.Should().Be(hot.Id);
        recency.Geometry.EqualsExact(hot.Polygon, 0).Should().BeTrue();
        (recency.LastFix, recency.HoursSince, recency.Band).Should().Be(((DateTimeOffset?)null, (double?)null, PatrolRecencyBand.Never));
    }

    [Fact]
    public void Grid_is_pointy_top_with_cell_00_centred_on_the_Dongying_origin()
    {
        var (x, y) = HexGrid.Projection.Forward(118.55, 37.45);
        x.Should().BeApproximately(HexGrid.OriginX, 1e-6);
        y.Should().BeApproximately(HexGrid.OriginY, 1e-6);
        var grid = new HexGrid(500);
        grid.CellAtLonLat(118.55, 37.45).Should().Be(new HexCell(0, 0));

        // Pointy-top: a corner due north of the centre at distance s, flat sides east and west at √3/2·s.
        var corners = grid.Corners(new HexCell(0, 0));
        corners.Should().ContainSingle(c => Math.Abs(c.X - HexGrid.OriginX) < 1e-9 && Math.Abs(c.Y - (HexGrid.OriginY + 500)) < 1e-9);
        corners.Max(c => c.X).Should().BeApproximately(HexGrid.OriginX + Math.Sqrt(3) / 2 * 500, 1e-9);
        grid.Centre(new HexCell(1, 0)).Y.Should().Be(HexGrid.OriginY, "cells of one r form a row");
    }
}
