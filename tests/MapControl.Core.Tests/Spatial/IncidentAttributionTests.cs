using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Spatial;

public sealed class IncidentAttributionTests
{
    private static readonly IncidentAttribution Rule = new(IncidentAttributionCases.Jurisdictions, IncidentAttributionCases.OilZones);

    public static TheoryData<string> Codes() => new(IncidentAttributionCases.All.Select(c => c.Code));

    private static IncidentAttributionCases.Case CaseOf(string code) => IncidentAttributionCases.All.Single(c => c.Code == code);

    [Theory]
    [MemberData(nameof(Codes))]
    public void Attribute_awkwardCase_givesTheDefinedDepartmentAndZone(string code)
    {
        var c = CaseOf(code);

        Rule.Attribute(c.Incident).Should().Be((c.Department, c.OilZone), c.What);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void KpiCalculator_countsTheIncidentForTheRulesDepartmentOnly(string code)
    {
        var c = CaseOf(code);
        var input = new KpiInput
        {
            Incidents = [c.Incident],
            Jurisdictions = IncidentAttributionCases.Jurisdictions,
            OilZones = IncidentAttributionCases.OilZones,
        };

        var report = KpiCalculator.Compute(input, new KpiOptions { From = c.At.AddDays(-1), To = c.At.AddDays(1) });

        report.Rows.Where(r => r.ScopeKind == KpiScopeKind.Department && r.Cases > 0).Select(r => r.ScopeKey)
            .Should().Equal(c.Department is null ? [] : [c.Department], c.What);
        report.Rows.Where(r => r.ScopeKind == KpiScopeKind.OilZone && r.Cases > 0).Select(r => r.ScopeKey)
            .Should().Equal(c.OilZone is null ? [] : [c.OilZone], c.What);
        report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Centre).Cases.Should().Be(1);
        report.IncidentsWithoutDepartment.Should().Be(c.Department is null ? 1 : 0);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void PatrolHours_intervalAtTheCase_goesToTheRulesDepartment(string code)
    {
        // An interval of up to 5 minutes whose midpoint is the case's point, starting at the case's time; it ends before the next
        // China-time midnight, where tracks break (K14 starts ten ticks before a midnight redraw).
        var c = CaseOf(code);
        var cst = c.At.ToOffset(TimeSpan.FromHours(8));
        var midnight = new DateTimeOffset(cst.Date.AddDays(1), cst.Offset);
        var end = c.At.AddMinutes(5) < midnight ? c.At.AddMinutes(5) : midnight.AddTicks(-1);
        GpsFix[] fixes = [new("u", c.At, c.Lon - 0.0001, c.Lat), new("u", end, c.Lon + 0.0001, c.Lat)];

        var hours = PatrolHoursCalculator.Compute(fixes, IncidentAttributionCases.Jurisdictions, c.At.AddHours(-1), c.At.AddHours(1));

        hours.Select(h => h.DepartmentCode).Should().Equal(c.Department is null ? [] : [c.Department], c.What);
    }

    [Fact]
    public void Cases_coverEveryAwkwardKind()
    {
        var all = IncidentAttributionCases.All;
        all.Select(c => c.Code).Should().OnlyHaveUniqueItems();
        all.Should().Contain(c => c.Department == null && c.OilZone == null, "outside everything");
        all.Select(c => c.Department).Distinct().Should().BeEquivalentTo(new[] { "A", "B", "C", "D", null });
    }

    [Fact]
    public void MapTime_inForce_beforeFirst_afterGap_andNoMapAtAll()
    {
        var v = (DateTimeOffset from, DateTimeOffset? to) => new VersionInfo(from, to, "p", "r");
        var box = new GeometryFactory(new PrecisionModel(), 4326).CreateMultiPolygon();
        var t = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rule = new IncidentAttribution(
        [
            new Jurisdiction(1, "A", box, v(t, t.AddDays(10))),
            new Jurisdiction(2, "B", box, v(t.AddDays(5), t.AddDays(20))),   // overlaps A's span: one span t..t+20
            new Jurisdiction(3, "A", box, v(t.AddDays(30), t.AddDays(40))),  // after a span with no jurisdiction at all
        ], []);

        rule.MapTime(t.AddDays(-3)).Should().Be(t, "before the first version: the first map");
        rule.MapTime(t.AddDays(12)).Should().Be(t.AddDays(12), "B is in force");
        rule.MapTime(t.AddDays(20)).Should().Be(t.AddDays(30), "no version in force: the next map");
        rule.MapTime(t.AddDays(40)).Should().BeNull("nothing in force then or later");
        new IncidentAttribution([], []).MapTime(t).Should().BeNull();
    }

    [Fact]
    public void DepartmentAt_ordinalCodeOrder_notNumeric()
    {
        var v = new VersionInfo(DateTimeOffset.UnixEpoch, null, "p", "r");
        var square = IncidentAttributionCases.OilZones[0].Geometry;
        var rule = new IncidentAttribution([new Jurisdiction(1, "D9", square, v), new Jurisdiction(2, "D10", square, v)], []);

        rule.DepartmentAt(square.InteriorPoint, DateTimeOffset.UtcNow).Should().Be("D10", "\"D10\" < \"D9\" ordinally");
    }
}
