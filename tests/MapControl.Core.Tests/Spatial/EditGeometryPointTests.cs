using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Spatial;

/// <summary>
/// The point case of <see cref="EditGeometry.Problem"/> (no envelope or validity operation per point) answers as the general
/// check does: the same point as the only member of a MultiPoint takes the general path (envelope, extent, validity).
/// </summary>
public sealed class EditGeometryPointTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static TheoryData<double, double> Points() => new()
    {
        { 118.5, 37.5 }, { 73, 3 }, { 136, 54 }, { 72.9999999, 30 }, { 136.0000001, 30 }, { 100, 2.5 }, { 100, 54.25 },
        { 200, 37.5 }, { -118.5, -37.5 }, { 118.123456789, 37.987654321 },
        { double.NaN, 37.5 }, { 118.5, double.PositiveInfinity }, { double.NegativeInfinity, double.NaN },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public void A_point_gets_the_answer_of_the_general_check(double x, double y)
    {
        var point = Factory.CreatePoint(new Coordinate(x, y));
        var general = Factory.CreateMultiPoint([point]);

        EditGeometry.Problem(point).Should().Be(EditGeometry.Problem(general));
        EditGeometry.Problem(point, (100, 0, 200, 40)).Should().Be(EditGeometry.Problem(general, (100, 0, 200, 40)));
        EditGeometry.Problem(point, (double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity, double.PositiveInfinity))
            .Should().Be(EditGeometry.Problem(general, (double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity, double.PositiveInfinity)));
    }

    [Fact]
    public void An_empty_point_has_no_geometry() => EditGeometry.Problem(Factory.CreatePoint()).Should().Be("no geometry");
}
