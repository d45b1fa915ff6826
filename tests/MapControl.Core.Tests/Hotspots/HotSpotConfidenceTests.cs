using MapControl.Core.Hotspots;

namespace MapControl.Core.Tests.Hotspots;

public sealed class HotSpotConfidenceTests
{
    [Theory]
    [InlineData(false, 3.0, null)]
    [InlineData(true, 1.7, 90)]
    [InlineData(true, 1.96, 95)]
    [InlineData(true, 2.5, 95)]
    [InlineData(true, 2.576, 99)]
    [InlineData(true, 4.0, 99)]
    public void Of_stepsAtTheTwoSidedNormalQuantiles(bool hot, double z, int? expected) =>
        HotSpotConfidence.Of(hot, z).Should().Be(expected);

    [Fact]
    public void Z_areTheNormalQuantilesOf90_95_99PercentTwoSided()
    {
        // Φ⁻¹(0.95), Φ⁻¹(0.975), Φ⁻¹(0.995) to three decimals.
        HotSpotConfidence.Z.Should().Equal(1.645, 1.960, 2.576);
    }
}
