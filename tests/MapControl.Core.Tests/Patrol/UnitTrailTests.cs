using MapControl.Core.Model;
using MapControl.Core.Patrol;

namespace MapControl.Core.Tests.Patrol;

public sealed class UnitTrailTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static GpsFix Fix(int second, double lon = 118.5, double? speed = null, double? bearing = null) =>
        new("U1", T0.AddSeconds(second), lon + second * 1e-5, 37.4, speed, bearing);

    [Fact]
    public void Add_inOrder_keepsOnlyTheSpanBeforeTheLatest()
    {
        var trail = new UnitTrail("U1", TimeSpan.FromMinutes(30));

        for (var s = 0; s < 3600; s++) trail.Add(Fix(s)).Should().BeTrue();

        trail.Count.Should().Be(1801, "from 30 min before the latest fix (second 1799) to the latest (3599), both ends kept");
        var all = trail.ToArray();
        all[0].Time.Should().Be(T0.AddSeconds(1799));
        all[^1].Time.Should().Be(T0.AddSeconds(3599));
        all.Should().BeInAscendingOrder(f => f.Time);
        trail.Latest!.Value.Should().Be(Fix(3599));
    }

    [Fact]
    public void Add_lateFix_isPutInItsPlace_andARepeatIsRefused()
    {
        var trail = new UnitTrail("U1", TimeSpan.FromMinutes(30));
        foreach (var s in new[] { 0, 10, 20, 30 }) trail.Add(Fix(s));

        trail.Add(Fix(15)).Should().BeTrue();
        trail.Add(Fix(20)).Should().BeFalse("the same report again");
        trail.Add(Fix(-3600)).Should().BeFalse("older than the trail reaches");

        trail.ToArray().Select(f => (f.Time - T0).TotalSeconds).Should().Equal(0, 10, 15, 20, 30);
        trail.Latest!.Value.Time.Should().Be(T0.AddSeconds(30));
    }

    [Fact]
    public void Since_givesTheFixesAtOrAfterTheTime_asTheyCame()
    {
        var trail = new UnitTrail("U1", TimeSpan.FromMinutes(30));
        for (var s = 0; s < 100; s++) trail.Add(Fix(s, speed: s % 7 == 0 ? null : 36.7, bearing: s % 5 == 0 ? null : 271.3));

        var since = trail.Since(T0.AddSeconds(90));

        since.Should().Equal(Enumerable.Range(90, 10).Select(s => Fix(s, speed: s % 7 == 0 ? null : 36.7, bearing: s % 5 == 0 ? null : 271.3)),
            "position, time, speed and bearing come back as reported (speed and bearing to 3 decimals), unknown ones as null");
        trail.Since(T0.AddSeconds(1000)).Should().BeEmpty();
    }

    [Fact]
    public void Blocks_growAndFallOff_withoutLosingOrder()
    {
        const int span = 200;
        var trail = new UnitTrail("U1", TimeSpan.FromSeconds(span));
        var random = new Random(4);
        var expected = new SortedSet<int>();
        var latest = 0;
        for (var s = 0; s < 6000; s++)
        {
            // Phases of reports every second (the trail grows, its head somewhere in a block) and every 10 s (it shrinks),
            // now and then a late report, a repeat, or a long silence.
            var step = (s / 400) % 2 == 0 ? 1 : 10;
            var second = s % 997 == 996 ? latest + 1000 : random.Next(10) == 0 ? latest - random.Next(3 * step) : latest + step;
            var added = trail.Add(Fix(second));
            added.Should().Be(!expected.Contains(second) && second >= latest - span, $"step {s}, second {second}");
            if (added) expected.Add(second);
            latest = Math.Max(latest, second);
            expected.RemoveWhere(x => x < latest - span);
            trail.Count.Should().Be(expected.Count);
            if (s % 7 == 0) trail.ToArray().Select(f => (int)(f.Time - T0).TotalSeconds).Should().Equal(expected, $"step {s}");
        }
    }

    [Fact]
    public void Memory_followsThePointsHeld_aBlockAtATime()
    {
        var trail = new UnitTrail("U1", TimeSpan.FromMinutes(30));
        var most = 0;
        for (var s = 0; s < 4 * 3600; s++)
        {
            var before = trail.Blocks;
            trail.Add(Fix(s));
            (trail.Blocks - before).Should().BeLessThanOrEqualTo(1, "a trail grows by one block at a time, never doubling");
            most = Math.Max(most, trail.Blocks);
        }
        most.Should().Be((1801 + UnitTrail.BlockSize - 1) / UnitTrail.BlockSize + 1, "30 minutes at 1 Hz, the head somewhere in its first block");

        // Reports every 10 s: the old blocks fall off as the trail thins out.
        for (var s = 4 * 3600; s < 5 * 3600; s += 10) trail.Add(Fix(s));
        trail.Count.Should().Be(181);
        trail.Blocks.Should().BeLessThanOrEqualTo(3);
    }
}
