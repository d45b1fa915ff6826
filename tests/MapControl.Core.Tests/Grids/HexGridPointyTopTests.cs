using MapControl.Core.Grids;

namespace MapControl.Core.Tests.Grids;

public sealed class HexGridPointyTopTests
{
    private const double S = 250.0;

    [Fact]
    public void CellAt_randomPoints_centreWithinSizeAndNearestOfAllNeighbours()
    {
        var bins = new HexGrid(S);
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var x = 400_000 + random.NextDouble() * 200_000;
            var y = 4_100_000 + random.NextDouble() * 200_000;
            var cell = bins.CellAt(x, y);
            var (cx, cy) = bins.Centre(cell);
            var d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
            d.Should().BeLessThanOrEqualTo(S + 1e-9);
            foreach (var n in HexGrid.Neighbours(cell))
            {
                var (nx, ny) = bins.Centre(n);
                Math.Sqrt((x - nx) * (x - nx) + (y - ny) * (y - ny)).Should().BeGreaterThanOrEqualTo(d - 1e-9);
            }
        }
    }

    [Fact]
    public void CellAt_centreOfCell_returnsThatCell()
    {
        var bins = new HexGrid(S);
        foreach (var cell in HexGrid.Disk(new HexCell(1234, 16400), 3))
        {
            var (x, y) = bins.Centre(cell);
            bins.CellAt(x, y).Should().Be(cell);
        }
    }

    [Fact]
    public void Neighbours_six_atDistanceSqrt3TimesSize()
    {
        var bins = new HexGrid(S);
        var cell = new HexCell(-5, 12);
        var (cx, cy) = bins.Centre(cell);
        var neighbours = HexGrid.Neighbours(cell);
        neighbours.Should().HaveCount(6).And.OnlyHaveUniqueItems();
        foreach (var n in neighbours)
        {
            var (x, y) = bins.Centre(n);
            Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)).Should().BeApproximately(Math.Sqrt(3) * S, 1e-6);
            n.DistanceTo(cell).Should().Be(1);
        }
    }

    [Fact]
    public void Polygon_pointyTop_areaAndTopVertex()
    {
        var bins = new HexGrid(S);
        var polygon = bins.Polygon(new HexCell(0, 0));
        polygon.IsValid.Should().BeTrue();
        polygon.Area.Should().BeApproximately(3 * Math.Sqrt(3) / 2 * S * S, 1e-6);
        polygon.Coordinates.Max(c => c.Y).Should().BeApproximately(HexGrid.OriginY + S, 1e-9);          // a vertex at the top
        polygon.Coordinates.Max(c => c.X).Should().BeApproximately(HexGrid.OriginX + Math.Sqrt(3) / 2 * S, 1e-9); // a flat side at the right
    }

    [Fact]
    public void Polygon_neighbours_shareAnEdgeAndDoNotOverlap()
    {
        var bins = new HexGrid(S);
        var a = bins.Polygon(new HexCell(3, 4));
        foreach (var n in HexGrid.Neighbours(new HexCell(3, 4)))
        {
            var b = bins.Polygon(n);
            a.Intersection(b).Area.Should().BeLessThan(1e-6);
            a.Distance(b).Should().BeLessThan(1e-9);
            var shared = a.Coordinates.Take(6).Count(va => b.Coordinates.Any(vb => va.Distance(vb) < 1e-6));
            shared.Should().Be(2); // one common edge of length s
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 7)]
    [InlineData(2, 19)]
    [InlineData(3, 37)]
    public void Disk_kRings_has1Plus3kkPlus1Cells(int k, int expected)
    {
        var disk = HexGrid.Disk(new HexCell(2, -9), k);
        disk.Should().HaveCount(expected).And.OnlyHaveUniqueItems();
        disk.Should().OnlyContain(c => c.DistanceTo(new HexCell(2, -9)) <= k);
    }

    [Fact]
    public void Pack_negativeAndPositive_roundTrips()
    {
        foreach (var cell in new[] { new HexCell(0, 0), new HexCell(-1, -1), new HexCell(int.MaxValue, int.MinValue), new HexCell(-70000, 33000) })
            HexCell.Unpack(cell.Pack()).Should().Be(cell);
        new HexCell(1, 0).Pack().Should().NotBe(new HexCell(0, 1).Pack());
    }
}
