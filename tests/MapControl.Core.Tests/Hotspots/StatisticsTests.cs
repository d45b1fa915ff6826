using MapControl.Core.Hotspots;

namespace MapControl.Core.Tests.Hotspots;

public sealed class StatisticsTests
{
    [Theory] // reference values of erfc to 16 digits (Abramowitz & Stegun tables / mpmath)
    [InlineData(0.0, 1.0)]
    [InlineData(0.1, 0.8875370839817150)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.1572992070502851)]
    [InlineData(2.0, 0.004677734981047266)]
    [InlineData(3.0, 2.209049699858544e-05)]
    [InlineData(5.0, 1.537459794428035e-12)]
    [InlineData(-1.0, 1.842700792949715)]
    public void Erfc_knownValues_relativeErrorBelow2e7(double x, double expected)
    {
        var actual = NormalDistribution.Erfc(x);
        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(2e-7 * expected);
    }

    [Theory]
    [InlineData(1.959964, 0.0500)]
    [InlineData(-1.959964, 0.0500)]
    [InlineData(2.575829, 0.0100)]
    [InlineData(3.290527, 0.0010)]
    [InlineData(0.0, 1.0)]
    public void TwoSidedP_criticalValues_matchTables(double z, double expected)
    {
        NormalDistribution.TwoSidedP(z).Should().BeApproximately(expected, expected * 1e-5);
    }

    [Fact]
    public void TwoSidedP_roundedCriticalValues_roundToTablePValues()
    {
        Math.Round(NormalDistribution.TwoSidedP(1.96), 4).Should().Be(0.0500);
        Math.Round(NormalDistribution.TwoSidedP(2.5758), 4).Should().Be(0.0100);
    }

    // Benjamini & Hochberg (1995), section 3.2: 15 p-values; at q = 0.05 the procedure rejects the four smallest.
    private static readonly double[] Bh1995 =
        [0.0201, 0.0001, 0.0004, 0.0019, 0.0095, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000];

    [Fact]
    public void Significant_bh1995Example_rejectsFour()
    {
        var rejected = BenjaminiHochberg.Significant(Bh1995, 0.05);
        rejected.Count(r => r).Should().Be(4);
        Enumerable.Range(0, Bh1995.Length).Where(i => rejected[i]).Select(i => Bh1995[i])
            .Should().BeEquivalentTo(new[] { 0.0001, 0.0004, 0.0019, 0.0095 });
    }

    [Fact]
    public void Significant_stepUp_rejectsBelowLargestPassingRank()
    {
        // p(2) = 0.03 > 2·0.05/3 is not alone decisive: p(3) = 0.04 ≤ 3·0.05/3, so all three are rejected.
        BenjaminiHochberg.Significant([0.04, 0.001, 0.035], 0.05).Should().Equal(true, true, true);
        BenjaminiHochberg.Significant([0.06, 0.001, 0.04], 0.05).Should().Equal(false, true, false);
        BenjaminiHochberg.Significant([], 0.05).Should().BeEmpty();
    }

    [Fact]
    public void Adjusted_bh1995Example_belowQExactlyForRejected()
    {
        var adjusted = BenjaminiHochberg.Adjusted(Bh1995);
        var rejected = BenjaminiHochberg.Significant(Bh1995, 0.05);
        for (var i = 0; i < Bh1995.Length; i++) (adjusted[i] <= 0.05).Should().Be(rejected[i]);
        adjusted[1].Should().BeApproximately(0.0015, 1e-12); // 0.0001 · 15 / 1
    }
}
