using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using static MapControl.Core.Tests.Patrol.PatrolTestData;

namespace MapControl.Core.Tests.Patrol;

/// <summary>
/// The long-window rule (<see cref="LongWindowCoverage.Applies"/>) and patrol coverage measured by the field against the buffer
/// path with every pass kept (ρ = 0, 32 segments per quarter circle: the definition's union of buffers) on wandering units over
/// three departments, one of them with a hole.
/// </summary>
public sealed class LongWindowCoverageTests
{
    private static PatrolCoverageInput Input(DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var jurisdictions = new Dictionary<string, Geometry>
        {
            ["A"] = LonLat("POLYGON((0 0, 4000 0, 4000 4000, 0 4000, 0 0), (1500 1500, 2500 1500, 2500 2500, 1500 2500, 1500 1500))"),
            ["B"] = Square(4000, 0, 4000),
            ["C"] = LonLat("POLYGON((0 4000, 8000 4000, 8000 4600, 0 4600, 0 4000))"),
        };
        var random = new Random(16);
        var units = new List<PatrolUnit> { new("U1", "A", "U1", "d1"), new("U2", "B", "U2", "d2"), new("U3", "A", "U3", "d3"), new("U4", "C", "U4", "d4") };
        var fixes = new List<GpsFix>();
        foreach (var unit in units)
        {
            double x = 1000 + random.NextDouble() * 6000, y = 500 + random.NextDouble() * 3500, heading = random.NextDouble() * 6.3, t = 0;
            for (var k = 0; k < 40; k++)
            {
                var nx = Math.Clamp(x + 300 * Math.Cos(heading), -500, 8500);
                var ny = Math.Clamp(y + 300 * Math.Sin(heading), -500, 5000);
                fixes.AddRange(Line(unit.Code, x, y, nx, ny, 10, t).Skip(k == 0 ? 0 : 1));
                t += 30;
                (x, y) = (nx, ny);
                heading += (random.NextDouble() - 0.5) * 2;
            }
        }

        // A repeated pass: U3 drives U1's first stretch again.
        fixes.AddRange(fixes.Where(f => f.UnitCode == "U1").Take(200).Select(f => f with { UnitCode = "U3", Time = f.Time.AddHours(2) }).ToList());
        return new PatrolCoverageInput(jurisdictions, fixes, units, [], from, to);
    }

    [Fact]
    public void The_rule_takes_the_field_for_windows_of_eight_days_or_more()
    {
        var options = new PatrolCoverageOptions();
        Assert.True(LongWindowCoverage.Applies(Input(T0, T0.AddDays(30)), options));
        Assert.True(LongWindowCoverage.Applies(Input(T0, T0.AddDays(8)), options));
        // The commander's 7-day window ends a tick after the latest fix.
        Assert.False(LongWindowCoverage.Applies(Input(T0, T0.AddDays(7).AddTicks(1)), options));
        Assert.False(LongWindowCoverage.Applies(Input(), options));
        Assert.True(LongWindowCoverage.Applies(Input(), options with { Method = PatrolCoverageMethod.Field }));
        Assert.False(LongWindowCoverage.Applies(Input(T0, T0.AddDays(30)), options with { Method = PatrolCoverageMethod.Vector }));
    }

    [Fact]
    public void The_field_matches_the_union_of_buffers_of_every_pass()
    {
        var input = Input();
        var exact = PatrolCoverage.Compute(input, new PatrolCoverageOptions(RepeatToleranceM: 0, QuadrantSegments: 32, BlankStripWidthM: 0) { Method = PatrolCoverageMethod.Vector });
        var field = PatrolCoverage.Compute(input, new PatrolCoverageOptions(BlankStripWidthM: 0) { Method = PatrolCoverageMethod.Field });
        Assert.Equal(3, field.Departments.Count);
        foreach (var (e, f) in exact.Departments.Zip(field.Departments))
        {
            Assert.Equal(e.DepartmentCode, f.DepartmentCode);
            Assert.Equal(e.JurisdictionAreaM2, f.JurisdictionAreaM2, e.JurisdictionAreaM2 * 1e-9);
            Assert.InRange(Math.Abs(e.CoverageRatio - f.CoverageRatio), 0, 0.0005);
            Assert.InRange(Math.Abs(e.OwnCoveredAreaM2 - f.OwnCoveredAreaM2) / e.JurisdictionAreaM2, 0, 0.0005);
            Assert.Equal(e.OwnTrackCount, f.OwnTrackCount);
            // The uncovered geometry for display: J − C to within its 128 m cells.
            var uncovered = Metric(f.Uncovered).Area;
            Assert.InRange(Math.Abs(uncovered - f.UncoveredAreaM2) / e.JurisdictionAreaM2, 0, 0.01);
            Assert.Equal(4326, f.Uncovered.SRID);
        }

        Assert.Contains(field.Departments, d => d.CoverageRatio is > 0.05 and < 0.95);
        Assert.Contains(field.Departments, d => d.NeighbourOnlyAreaM2 > 0);
    }
}
