using MapControl.Data.Files;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries.Implementation;

namespace MapControl.Data.Tests.Files;

/// <summary>The GeoJSON writer's ring orientation (read from the rounded values in place) is NetTopologySuite's Orientation.IsCCW.</summary>
public sealed class GeoJsonOrientationTests
{
    private static void Same(double[] xy) =>
        GeoJsonFormat.IsCounterClockwise(xy).Should().Be(Orientation.IsCCW(new PackedDoubleCoordinateSequence(xy, 2, 0)),
            string.Join(" ", xy));

    private static double[] Closed(params double[] xy) => [.. xy, xy[0], xy[1]];

    [Theory]
    [InlineData(new double[] { 0, 0, 10, 0, 10, 10, 0, 10 })]                  // counter-clockwise square
    [InlineData(new double[] { 0, 0, 0, 10, 10, 10, 10, 0 })]                  // clockwise square (flat top)
    [InlineData(new double[] { 0, 0, 10, 0, 5, 10 })]                          // pointed cap
    [InlineData(new double[] { 0, 0, 5, 10, 10, 0 })]
    [InlineData(new double[] { 0, 0, 10, 0, 10, 10, 10, 10, 0, 10 })]          // a repeated point on the top
    [InlineData(new double[] { 0, 0, 5, 10, 0, 0 })]                           // collapsed A-B-A
    [InlineData(new double[] { 0, 0, 10, 0, 20, 0 })]                          // flat
    [InlineData(new double[] { 0, 0, 10, 0 })]                                 // too few positions
    [InlineData(new double[] { 0, 0, 10, 10, 0, 10, 10, 10, 20, 0 })]          // coincident top segments
    [InlineData(new double[] { 5, 10, 0, 0, 10, 0 })]                          // starting at the top
    [InlineData(new double[] { 0, 10, 0, 0, 10, 0, 10, 10 })]                  // starting on a flat top
    public void A_ring_turns_as_NetTopologySuite_says(double[] open) => Same(Closed(open));

    [Fact]
    public void Random_rings_turn_as_NetTopologySuite_says()
    {
        var random = new Random(20261205);
        for (var round = 0; round < 5_000; round++)
        {
            var n = random.Next(1, 12);
            var open = new double[2 * n];
            for (var i = 0; i < open.Length; i++)
            {
                // Few distinct values: flat tops, repeated points and collinear runs come often.
                open[i] = random.Next(4) == 0 ? random.NextDouble() * 10 : random.Next(4);
            }

            Same(Closed(open));
        }

        // Circle-like rings both ways round, as the uncovered parts of jurisdictions are.
        for (var n = 3; n < 400; n += 7)
        {
            var ring = new double[2 * n];
            for (var i = 0; i < n; i++)
            {
                var angle = 2 * Math.PI * i / n;
                ring[2 * i] = Math.Round(118.5 + 0.01 * Math.Cos(angle), 7);
                ring[2 * i + 1] = Math.Round(37.4 + 0.01 * Math.Sin(angle), 7);
            }

            Same(Closed(ring));
            var reversed = new double[2 * n];
            for (var i = 0; i < n; i++) (reversed[2 * i], reversed[2 * i + 1]) = (ring[2 * (n - 1 - i)], ring[2 * (n - 1 - i) + 1]);
            Same(Closed(reversed));
        }
    }
}
