using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Redraw;

public sealed class PolsbyPopperTests
{
    private static readonly WKTReader Reader = new();

    [Fact]
    public void PolsbyPopper_square_isPiOverFour()
    {
        PolygonMeasures.PolsbyPopper(Reader.Read("POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))")).Should().BeApproximately(Math.PI / 4, 1e-12);
    }

    [Fact]
    public void PolsbyPopper_circle_isAboutOne()
    {
        var circle = new GeometryFactory().CreatePoint(new Coordinate(0, 0)).Buffer(1000, 256);

        PolygonMeasures.PolsbyPopper(circle).Should().BeApproximately(1.0, 1e-4);
    }

    [Fact]
    public void PolsbyPopper_longThinBand_isSmall()
    {
        PolygonMeasures.PolsbyPopper(Reader.Read("POLYGON ((0 0, 1000 0, 1000 10, 0 10, 0 0))")).Should().BeLessThan(0.05);
    }

    [Theory]
    [InlineData("POLYGON ((0 0, 1000 0, 1000 0.5, 0 0.5, 0 0))", 0.5)]
    [InlineData("POLYGON ((0 0, 1000 0, 1000 600, 0 600, 0 0))", 600)]
    [InlineData("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))", 100)]
    public void Width_rectangle_isShortSide(string wkt, double expected)
    {
        PolygonMeasures.Width(Reader.Read(wkt)).Should().BeApproximately(expected, 1e-9 * Math.Max(1, expected));
    }
}
