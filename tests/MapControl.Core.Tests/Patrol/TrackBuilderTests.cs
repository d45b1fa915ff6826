using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using static MapControl.Core.Tests.Patrol.PatrolTestData;

namespace MapControl.Core.Tests.Patrol;

public sealed class TrackBuilderTests
{
    private static readonly TrackOptions Options = new(Projection: Projection);

    [Fact]
    public void Build_gapOfExactlyTenMinutes_sameTrack()
    {
        var tracks = TrackBuilder.Build([Fix("u1", 0, 0, 0), Fix("u1", 600, 100, 0)], Options);

        tracks.Should().ContainSingle();
        tracks[0].PointCount.Should().Be(2);
        tracks[0].Geometry.Should().BeOfType<LineString>();
        tracks[0].LengthM.Should().BeApproximately(100, 1e-6);
    }

    [Fact]
    public void Build_gapOfTenMinutesOneSecond_breaks()
    {
        var tracks = TrackBuilder.Build([Fix("u1", 0, 0, 0), Fix("u1", 601, 100, 0)], Options);

        tracks.Should().HaveCount(2);
        tracks.Should().AllSatisfy(t => t.Geometry.Should().BeOfType<Point>());
        tracks.Should().AllSatisfy(t => t.PointCount.Should().Be(1));
    }

    [Fact]
    public void Build_jumpOverTwoKm_breaks()
    {
        var tracks = TrackBuilder.Build([Fix("u1", 0, 0, 0), Fix("u1", 60, 1999, 0), Fix("u1", 120, 4000, 0), Fix("u1", 180, 4010, 0)], Options);

        tracks.Should().HaveCount(2);
        tracks[0].PointCount.Should().Be(2);
        tracks[0].LengthM.Should().BeApproximately(1999, 1e-6);
        tracks[1].PointCount.Should().Be(2);
        tracks[1].Start.Should().Be(T0.AddSeconds(120));
        tracks[1].End.Should().Be(T0.AddSeconds(180));
    }

    [Fact]
    public void Build_drivingAcrossMidnightChinaTime_breaksAtSixteenUtc()
    {
        // T0 is 00:00 UTC = 08:00 China Standard Time; 16:00 UTC is midnight in China. Fixes one minute and 100 m apart.
        var start = 16 * 3600 - 150;
        var fixes = Enumerable.Range(0, 6).Select(i => Fix("u1", start + 60 * i, 100 * i, 0)).ToArray();

        var tracks = TrackBuilder.Build(fixes, Options);

        tracks.Select(t => (t.Start, t.End, t.PointCount)).Should().Equal(
            (T0.AddSeconds(start), T0.AddSeconds(start + 120), 3),          // 15:57:30 – 15:59:30 UTC, the China day of T0
            (T0.AddSeconds(start + 180), T0.AddSeconds(start + 300), 3));   // 16:00:30 – 16:02:30 UTC = 00:00:30 China time, the next day
        TrackBuilder.Build([Fix("u1", 16 * 3600 - 1, 0, 0), Fix("u1", 16 * 3600, 10, 0)], Options).Should().HaveCount(2, "midnight itself starts the new day");
        TrackBuilder.Build([Fix("u1", 16 * 3600, 0, 0), Fix("u1", 16 * 3600 + 60, 10, 0)], Options).Should().ContainSingle();
    }

    [Fact]
    public void Build_customRules_breakByThem()
    {
        var options = Options with { MaxTimeGap = TimeSpan.FromMinutes(1), MaxJumpM = 50 };

        TrackBuilder.Build([Fix("u1", 0, 0, 0), Fix("u1", 61, 10, 0)], options).Should().HaveCount(2);
        TrackBuilder.Build([Fix("u1", 0, 0, 0), Fix("u1", 30, 51, 0)], options).Should().HaveCount(2);
        TrackBuilder.Build([Fix("u1", 0, 0, 0), Fix("u1", 60, 49.99, 0)], options).Should().HaveCount(1);
    }

    [Fact]
    public void Build_unsortedFixesOfTwoUnits_oneTrackPerUnitInTimeOrderWithDepartment()
    {
        GpsFix[] fixes = [Fix("u2", 20, 0, 500), Fix("u1", 20, 20, 0), Fix("u1", 0, 0, 0), Fix("u2", 0, 0, 400), Fix("u1", 10, 10, 0)];
        PatrolUnit[] units = [new("u1", "D1", "Unit 1", "k1"), new("u2", "D2", "Unit 2", "k2")];

        var tracks = TrackBuilder.Build(fixes, units, Options);

        tracks.Select(t => (t.UnitCode, t.DepartmentCode, t.PointCount)).Should().Equal(("u1", "D1", 3), ("u2", "D2", 2));
        tracks[0].Start.Should().Be(T0);
        tracks[0].End.Should().Be(T0.AddSeconds(20));
        tracks[0].LengthM.Should().BeApproximately(20, 1e-6);
        tracks[0].Geometry.SRID.Should().Be(4326);
        var line = (LineString)tracks[0].Geometry;
        line.StartPoint.X.Should().Be(fixes[2].Lon);
        line.EndPoint.X.Should().Be(fixes[1].Lon);
        tracks[1].LengthM.Should().BeApproximately(100, 1e-6);
    }

    [Fact]
    public void Build_window_keepsFixesInHalfOpenInterval()
    {
        var fixes = Enumerable.Range(0, 10).Select(i => Fix("u1", i * 60, i * 10, 0));

        var tracks = TrackBuilder.Build(fixes, Options with { From = T0.AddMinutes(2), To = T0.AddMinutes(5) });

        tracks.Should().ContainSingle().Which.PointCount.Should().Be(3);
        tracks[0].Start.Should().Be(T0.AddMinutes(2));
        tracks[0].End.Should().Be(T0.AddMinutes(4));
    }

    [Fact]
    public void Build_fixesAllAtOneSpot_pointTrack()
    {
        var tracks = TrackBuilder.Build([Fix("u1", 0, 5, 5), Fix("u1", 30, 5, 5), Fix("u1", 60, 5, 5)], Options);

        tracks.Should().ContainSingle().Which.Geometry.Should().BeOfType<Point>();
        tracks[0].PointCount.Should().Be(3);
        tracks[0].LengthM.Should().Be(0);
    }

    [Fact]
    public void Build_fixesLaidOutByUnitAndTime_sameTracksAsShuffled_andTheListUntouched()
    {
        // Laid out (unit after unit in code order, each in time order): the builder reads the list's own storage.
        var laidOut = new List<GpsFix>(16)
        {
            Fix("u1", 0, 0, 0), Fix("u1", 10, 10, 0), Fix("u1", 20, 20, 0), Fix("u1", 900, 30, 0),
            Fix("u2", 0, 0, 400), Fix("u2", 20, 0, 500),
        };
        var copy = laidOut.ToArray();
        var shuffled = new List<GpsFix> { laidOut[4], laidOut[2], laidOut[0], laidOut[5], laidOut[3], laidOut[1] };
        // Not laid out: units out of code order, or a unit's run resumed.
        var outOfOrder = new List<GpsFix> { laidOut[4], laidOut[5], laidOut[0], laidOut[1], laidOut[2], laidOut[3] };
        var resumed = new List<GpsFix> { laidOut[0], laidOut[1], laidOut[4], laidOut[2], laidOut[3], laidOut[5] };
        // Grouped by unit in code order, but a unit's fixes out of time order: sorted in a copy, never in the caller's list.
        var timeUnsorted = new List<GpsFix> { laidOut[1], laidOut[0], laidOut[2], laidOut[3], laidOut[4], laidOut[5] };
        var timeUnsortedCopy = timeUnsorted.ToArray();

        static IEnumerable<(string, DateTimeOffset, DateTimeOffset, int, double, string)> Summary(IReadOnlyList<PatrolTrack> tracks) =>
            tracks.Select(t => (t.UnitCode, t.Start, t.End, t.PointCount, t.LengthM, t.Geometry.AsText()));

        var expected = Summary(TrackBuilder.Build(shuffled, Options)).ToList();
        expected.Should().HaveCount(3, "u1 breaks at the gap of more than ten minutes");
        Summary(TrackBuilder.Build(laidOut, Options)).Should().Equal(expected);
        Summary(TrackBuilder.Build(outOfOrder, Options)).Should().Equal(expected);
        Summary(TrackBuilder.Build(resumed, Options)).Should().Equal(expected);
        Summary(TrackBuilder.Build(timeUnsorted, Options)).Should().Equal(expected);
        laidOut.Should().Equal(copy);
        timeUnsorted.Should().Equal(timeUnsortedCopy);
    }
}
