using MapControl.Core.Grids;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Tests.Grids;

public sealed class HexGridTests
{
    [Fact]
    public void CellAt_centreOfEveryCell_roundTrips()
    {
        var grid = new HexGrid(250);
        for (var q = -20; q <= 20; q++)
        {
            for (var r = -20; r <= 20; r++)
            {
                var cell = new HexCell(q, r);
                var (x, y) = grid.Centre(cell);
                grid.CellAt(x, y).Should().Be(cell);
            }
        }
    }

    [Fact]
    public void CellAt_randomPoints_inTheCellsHexagonAndNearestCentre()
    {
        var grid = new HexGrid(100);
        var random = new Random(3);
        for (var i = 0; i < 2000; i++)
        {
            double x = HexGrid.OriginX + random.NextDouble() * 4000 - 2000, y = random.NextDouble() * 4000 - 2000;
            var cell = grid.CellAt(x, y);
            var point = new Point(x, y);
            grid.Polygon(cell).Distance(point).Should().BeLessThan(1e-9);
            var (cx, cy) = grid.Centre(cell);
            var own = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
            foreach (var neighbour in HexGrid.Neighbours(cell))
            {
                var (nx, ny) = grid.Centre(neighbour);
                Math.Sqrt((x - nx) * (x - nx) + (y - ny) * (y - ny)).Should().BeGreaterThanOrEqualTo(own - 1e-9);
            }
        }
    }

    [Fact]
    public void Polygon_area_isThreeRootThreeOverTwoSSquared()
    {
        var grid = new HexGrid(300);
        var expected = 3 * Math.Sqrt(3) / 2 * 300 * 300;

        grid.CellArea.Should().BeApproximately(expected, 1e-6);
        grid.Polygon(new HexCell(3, -7)).Area.Should().BeApproximately(expected, 1e-6);
        grid.Polygon(new HexCell(3, -7)).Shell.IsCCW.Should().BeTrue();
        grid.Polygon(new HexCell(3, -7)).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Neighbours_shareOneEdgeAndAreRootThreeSApart()
    {
        var grid = new HexGrid(50);
        var cell = new HexCell(2, 5);
        var hexagon = grid.Polygon(cell);
        var (cx, cy) = grid.Centre(cell);

        var neighbours = HexGrid.Neighbours(cell);

        neighbours.Should().HaveCount(6).And.OnlyHaveUniqueItems();
        foreach (var neighbour in neighbours)
        {
            HexGrid.Distance(cell, neighbour).Should().Be(1);
            var (nx, ny) = grid.Centre(neighbour);
            Math.Sqrt((nx - cx) * (nx - cx) + (ny - cy) * (ny - cy)).Should().BeApproximately(Math.Sqrt(3) * 50, 1e-9);
            var other = grid.Polygon(neighbour);
            OverlayNGRobust.Overlay(hexagon, other, SpatialFunction.Intersection).Area.Should().BeLessThan(1e-6);
            hexagon.Boundary.Intersection(other.Boundary).Length.Should().BeApproximately(50, 1e-6);
        }
    }

    [Fact]
    public void RingAndDisk_haveSixKAndCentredHexagonalNumbers()
    {
        var centre = new HexCell(-4, 9);

        HexGrid.Ring(centre, 0).Should().Equal(centre);
        for (var k = 1; k <= 4; k++)
        {
            var ring = HexGrid.Ring(centre, k);
            ring.Should().HaveCount(6 * k).And.OnlyHaveUniqueItems();
            ring.Should().AllSatisfy(c => HexGrid.Distance(centre, c).Should().Be(k));
        }

        var disk = HexGrid.Disk(centre, 3);
        disk.Should().HaveCount(37).And.OnlyHaveUniqueItems();
        disk[0].Should().Be(centre);
        HexGrid.Disk(centre, 1).Should().BeEquivalentTo(HexGrid.Neighbours(centre).Append(centre));
    }

    [Fact]
    public void CellsIntersecting_envelope_coverItExactlyWithNoExtraCells()
    {
        var grid = new HexGrid(70);
        var envelope = new Envelope(HexGrid.OriginX - 333, HexGrid.OriginX + 512, 120, 777);
        var box = new GeometryFactory().ToGeometry(envelope);

        var cells = grid.CellsIntersecting(envelope);

        cells.Should().OnlyHaveUniqueItems();
        var union = OverlayNGRobust.Union(cells.Select(c => (Geometry)grid.Polygon(c)).ToList());
        OverlayNGRobust.Overlay(box, union, SpatialFunction.Difference).Area.Should().BeLessThan(1e-6);
        cells.Should().AllSatisfy(c => grid.Polygon(c).Intersects(box).Should().BeTrue());
        // Every cell meeting the box is found: compare with a brute-force scan.
        var brute = new List<HexCell>();
        for (var q = -20; q <= 20; q++)
        {
            for (var r = -20; r <= 20; r++)
            {
                if (grid.Polygon(new HexCell(q, r)).Intersects(box))
                {
                    brute.Add(new HexCell(q, r));
                }
            }
        }

        cells.Should().BeEquivalentTo(brute);
    }

    [Fact]
    public void Constructor_nonPositiveSize_throws()
    {
        var act = () => new HexGrid(0);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
