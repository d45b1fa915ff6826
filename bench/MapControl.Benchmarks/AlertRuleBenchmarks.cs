using BenchmarkDotNet.Attributes;
using MapControl.Core.Alerts;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Benchmarks;

/// <summary>
/// The live <c>outside_zone</c> rule on one batch of a unit that has been outside its department's area for half an hour, in a neighbour's area inside its envelope
/// (1 Hz: 1,800 recent fixes, all walked back) against an area of 2,000 + 300 vertices (a jagged jurisdiction with a hole; the unit is in the hole).
/// <see cref="UnindexedArea"/> is the test as it was before the area carried an index (<c>Geometry.IsWithinDistance</c> per fix),
/// kept here only as the baseline of the ratio.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class AlertRuleBenchmarks
{
    private DepartmentArea _own = null!;
    private List<(DateTimeOffset, Coordinate, double, double)> _fixes = null!;
    private static readonly PatrolUnit Unit = new("U1", "D1", "河口1号车", "dev-1");

    [GlobalSetup]
    public void Setup()
    {
        var factory = new GeometryFactory();
        var random = new Random(16);
        LinearRing Ring(double r, int n, bool reverse)
        {
            var ring = Enumerable.Range(0, n).Select(k =>
            {
                var a = 2 * Math.PI * k / n * (reverse ? -1 : 1);
                var rr = r * (1 + 0.2 * (random.NextDouble() - 0.5));
                return new Coordinate(rr * Math.Cos(a), rr * Math.Sin(a));
            }).ToList();
            ring.Add(ring[0].Copy());
            return factory.CreateLinearRing([.. ring]);
        }
        _own = new DepartmentArea("D1", "河口护卫部", factory.CreatePolygon(Ring(20_000, 2_000, false), [Ring(5_000, 300, true)]));
        var start = new DateTimeOffset(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);
        _fixes = [.. Enumerable.Range(0, 1_800).Select(k => (start.AddSeconds(k), new Coordinate(-900 + k, 1_000), 118.0, 37.0))];
    }

    [Benchmark]
    public bool IndexedArea() => AlertRules.OutsideZone(Unit, _fixes, _own, [_own], AlertThresholds.Default) is not null;

    [Benchmark(Baseline = true)]
    public bool UnindexedArea()
    {
        var area = _own.Area;
        var inside = 0;
        foreach (var f in _fixes)
            if (area.IsWithinDistance(area.Factory.CreatePoint(f.Item2), AlertThresholds.Default.OutsideZoneMarginM)) inside++;
        return inside == 0;
    }
}
