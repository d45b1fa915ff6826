using FluentAssertions;
using MapControl.Core.Coverage;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Coverage;

public sealed class SegmentGridTests
{
    [Fact]
    public void Query_returnsEverySegmentWhoseEnvelopeMeetsTheQuery_onceEach()
    {
        // Mostly short segments along a long thin outline, a few long and diagonal ones, one degenerate (a point).
        var random = new Random(11);
        var segments = new List<(double, double, double, double)>();
        for (var i = 0; i < 3000; i++)
        {
            var x = random.NextDouble() * 10_000;
            var y = 500 + random.NextDouble() * 20;
            segments.Add((x, y, x + random.NextDouble() * 8 - 4, y + random.NextDouble() * 8 - 4));
        }
        for (var i = 0; i < 20; i++) segments.Add((random.NextDouble() * 10_000, random.NextDouble() * 1_000, random.NextDouble() * 10_000, random.NextDouble() * 1_000));
        segments.Add((42, 42, 42, 42));
        var grid = new SegmentGrid(segments);

        var hits = 0;
        for (var q = 0; q < 500; q++)
        {
            var x = random.NextDouble() * 10_400 - 200;
            var y = random.NextDouble() * 1_200 - 100;
            var query = new Envelope(x, x + random.NextDouble() * (q % 10 == 0 ? 2_000 : 30), y, y + random.NextDouble() * 30);
            var found = new List<int>();
            grid.Query(query, found);

            found.Should().OnlyHaveUniqueItems();
            var expected = Enumerable.Range(0, segments.Count)
                .Where(i => query.Intersects(new Envelope(segments[i].Item1, segments[i].Item3, segments[i].Item2, segments[i].Item4)))
                .ToList();
            found.Intersect(expected).Should().HaveCount(expected.Count, $"every segment meeting {query} is found");
            hits += expected.Count;
        }
        hits.Should().BeGreaterThan(1000, "the queries hit segments");
    }

    [Fact]
    public void Query_outsideTheSegments_findsNothing()
    {
        var grid = new SegmentGrid([(0, 0, 1, 1), (1, 1, 2, 0)]);
        var found = new List<int>();
        grid.Query(new Envelope(5, 6, 5, 6), found);
        found.Should().BeEmpty();
        grid.Query(0.5, 0.5, 0.5, 0.5, found);
        found.Should().Equal(0);
    }
}
