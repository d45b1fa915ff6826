using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Patrol;

public sealed class PatrolCoverageInputTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 0, 0, 0, TimeSpan.FromHours(8));

    private static PatrolTrack Track(int points) =>
        new("U1", "D1", T0, T0.AddHours(1), Factory.CreateLineString([new(118.5, 37.4), new(118.51, 37.4)]), points, 880);

    [Fact]
    public void FixCount_countsRawFixesAndTheFixesReducedIntoDailyTracks()
    {
        var input = new PatrolCoverageInput(new Dictionary<string, Geometry>(), [new GpsFix("U1", T0, 118.5, 37.4), new GpsFix("U1", T0.AddSeconds(1), 118.5, 37.4)],
            [], [], Tracks: [Track(28_800), Track(100)],
            Parts: [new PatrolDayPart("D1", new DateOnly(2026, 11, 2), [], [Track(7)], [])]);

        input.FixCount.Should().Be(2 + 28_800 + 100 + 7, "a month read from daily tracks is not a month without GPS fixes");
    }
}
