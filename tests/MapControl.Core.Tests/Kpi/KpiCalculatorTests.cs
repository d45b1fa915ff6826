using MapControl.Core.Crs;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Kpi;

public sealed class KpiCalculatorTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Redraw = new(2025, 7, 1, 0, 0, 0, Cst);
    private static readonly WKTReader Wkt = new();

    private static MultiPolygon Box(double x0, double y0, double x1, double y1) =>
        (MultiPolygon)Wkt.Read($"MULTIPOLYGON ((({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0})))");

    private static Point P(double lon, double lat) => new(lon, lat) { SRID = 4326 };

    private static DateTimeOffset D(int y, int m, int d, int h = 12) => new(y, m, d, h, 0, 0, Cst);

    private static Incident Case(string code, double lon, DateTimeOffset occurred, DiscoverySource by = DiscoverySource.Patrol,
        double delayHours = 1, double oil = 0, IncidentKind? kind = null) =>
        new(code, kind ?? IncidentKind.CasingTheft, occurred, occurred.AddHours(delayHours), by, P(lon, 37.2), oil, IncidentStatus.Closed);

    /// <summary>
    /// Two departments: until 2025-07-01 A holds 118.0–118.5 and B 118.5–119.0; the redraw moves 118.3–118.5 to B.
    /// Oil zones: W 118.0–118.5, E 118.5–119.0 (all boxes 37.0–37.5).
    /// </summary>
    private static KpiInput Input(IReadOnlyList<Incident> incidents, IReadOnlyList<Well>? wells = null,
        IReadOnlyList<Camera>? cameras = null, IReadOnlyList<IdleSite>? sites = null, IReadOnlyList<PatrolHours>? hours = null)
    {
        var v1 = new VersionInfo(D(2020, 1, 1, 0), Redraw, "planner", "initial");
        var v2 = new VersionInfo(Redraw, null, "planner", "redraw");
        return new KpiInput
        {
            Incidents = incidents,
            Jurisdictions =
            [
                new Jurisdiction(1, "A", Box(118.0, 37.0, 118.5, 37.5), v1),
                new Jurisdiction(2, "B", Box(118.5, 37.0, 119.0, 37.5), v1),
                new Jurisdiction(3, "A", Box(118.0, 37.0, 118.3, 37.5), v2),
                new Jurisdiction(4, "B", Box(118.3, 37.0, 119.0, 37.5), v2),
            ],
            OilZones = [new OilZone("W", "西区", Box(118.0, 37.0, 118.5, 37.5)), new OilZone("E", "东区", Box(118.5, 37.0, 119.0, 37.5))],
            Wells = wells ?? [],
            Cameras = cameras ?? [],
            IdleSites = sites ?? [],
            PatrolHours = hours ?? [],
        };
    }

    private static KpiOptions Year2025 => new() { From = D(2025, 1, 1, 0), To = D(2026, 1, 1, 0) };

    private static KpiRow Row(KpiReport report, KpiScopeKind kind, string key, string? period = null) =>
        report.Rows.Single(r => r.ScopeKind == kind && r.ScopeKey == key && (period is null || r.PeriodLabel == period));

    [Fact]
    public void Compute_yoyAndTimelyRate_handMadeIncidents()
    {
        Incident[] incidents =
        [
            // 2025: 4 cases in department A (118.1)
            Case("c1", 118.1, D(2025, 2, 1), DiscoverySource.Patrol, delayHours: 2, oil: 0.5),     // timely
            Case("c2", 118.1, D(2025, 3, 1), DiscoverySource.Video, delayHours: 24, oil: 1.25),    // timely (≤ 24 h)
            Case("c3", 118.1, D(2025, 4, 1), DiscoverySource.Inspection, delayHours: 25),          // too late
            Case("c4", 118.1, D(2025, 5, 1), DiscoverySource.PublicReport, delayHours: 1),         // not own forces
            // 2024: 5 cases
            Case("p1", 118.1, D(2024, 1, 10)), Case("p2", 118.1, D(2024, 2, 10)), Case("p3", 118.1, D(2024, 3, 10)),
            Case("p4", 118.1, D(2024, 4, 10)), Case("p5", 118.1, D(2024, 12, 31, 23)),
            // outside both years
            Case("x1", 118.1, D(2026, 1, 1, 0)), Case("x2", 118.1, D(2023, 12, 31, 23)),
        ];

        var report = KpiCalculator.Compute(Input(incidents), Year2025);

        var centre = Row(report, KpiScopeKind.Centre, "centre");
        centre.Cases.Should().Be(4);
        centre.CasesLastYear.Should().Be(5);
        centre.YoyPct.Should().BeApproximately(-20.0, 1e-12);          // (4 − 5) / 5
        centre.TimelyRate.Should().BeApproximately(0.5, 1e-12);        // c1, c2 of 4
        centre.OilRecoveredT.Should().BeApproximately(1.75, 1e-12);
        Row(report, KpiScopeKind.Department, "A").Cases.Should().Be(4);
        Row(report, KpiScopeKind.Department, "B").Cases.Should().Be(0);
        Row(report, KpiScopeKind.Department, "B").YoyPct.Should().BeNull();
        Row(report, KpiScopeKind.Department, "B").TimelyRate.Should().BeNull();
        Row(report, KpiScopeKind.OilZone, "W").CasesLastYear.Should().Be(5);
        report.IncidentsWithoutDepartment.Should().Be(0);

        var strict = KpiCalculator.Compute(Input(incidents), Year2025 with { TimelyThreshold = TimeSpan.FromHours(12) });
        Row(strict, KpiScopeKind.Centre, "centre").TimelyRate.Should().BeApproximately(0.25, 1e-12); // only c1
    }

    [Fact]
    public void Compute_timelyRate_leavesOutCasesWithoutDiscoveryTime()
    {
        Incident[] incidents =
        [
            Case("c1", 118.1, D(2025, 2, 1), DiscoverySource.Patrol, delayHours: 2),      // timely
            Case("c2", 118.1, D(2025, 3, 1), DiscoverySource.Inspection, delayHours: 30), // too late
            Case("u1", 118.1, D(2025, 4, 1), DiscoverySource.Patrol) with { DiscoveredAt = null },   // unknown: not in the rate
            Case("u2", 118.1, D(2025, 5, 1), DiscoverySource.Video) with { DiscoveredAt = null },
            Case("u3", 118.7, D(2025, 5, 1), DiscoverySource.Video) with { DiscoveredAt = null },    // department B: only unknowns
        ];

        var report = KpiCalculator.Compute(Input(incidents), Year2025);

        var centre = Row(report, KpiScopeKind.Centre, "centre");
        centre.Cases.Should().Be(5, "a case without a discovery time is still a case");
        centre.CasesWithoutDiscoveryTime.Should().Be(3);
        centre.TimelyRate.Should().BeApproximately(0.5, 1e-12, "c1 of c1, c2 — never c1 of five, nor with u1 taken as found at once");
        Row(report, KpiScopeKind.Department, "A").TimelyRate.Should().BeApproximately(0.5, 1e-12);
        Row(report, KpiScopeKind.Department, "B").Cases.Should().Be(1);
        Row(report, KpiScopeKind.Department, "B").TimelyRate.Should().BeNull("no case of B has a discovery time");
        Row(report, KpiScopeKind.Department, "B").CasesWithoutDiscoveryTime.Should().Be(1);
    }

    [Fact]
    public void Compute_byMonth_yoyPerMonthAndPeriodLabels()
    {
        Incident[] incidents =
        [
            Case("a", 118.1, D(2025, 3, 5)), Case("b", 118.1, D(2025, 3, 6)), Case("c", 118.1, D(2024, 3, 7)),
            // 2025-03-31 20:00 UTC is 1 April in Beijing
            new("d", IncidentKind.CasingTheft, new DateTimeOffset(2025, 3, 31, 20, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero),
                DiscoverySource.Police, P(118.1, 37.2), 0, IncidentStatus.Open),
        ];

        var report = KpiCalculator.Compute(Input(incidents), Year2025 with { Period = KpiPeriodKind.Month });

        report.Rows.Select(r => r.PeriodLabel).Distinct().Should().HaveCount(12);
        var march = Row(report, KpiScopeKind.Centre, "centre", "2025-03");
        (march.Cases, march.CasesLastYear).Should().Be((2, 1));
        march.YoyPct.Should().BeApproximately(100.0, 1e-12);
        Row(report, KpiScopeKind.Centre, "centre", "2025-04").Cases.Should().Be(1);
        Row(report, KpiScopeKind.Centre, "centre", "2025-04").TimelyRate.Should().Be(0);
    }

    [Fact]
    public void Compute_jurisdictionRedraw_incidentGoesToOwnerInForceOnItsDate()
    {
        Incident[] incidents =
        [
            Case("before", 118.4, Redraw.AddTicks(-1)), // A's until the redraw
            Case("after", 118.4, Redraw),               // B's from the redraw on
            Case("east", 118.7, D(2025, 8, 1)),
            Case("outside", 117.5, D(2025, 8, 1)),
        ];

        var report = KpiCalculator.Compute(Input(incidents), Year2025 with { Period = KpiPeriodKind.Quarter });

        Row(report, KpiScopeKind.Department, "A", "2025-Q2").Cases.Should().Be(1);
        Row(report, KpiScopeKind.Department, "B", "2025-Q2").Cases.Should().Be(0);
        Row(report, KpiScopeKind.Department, "A", "2025-Q3").Cases.Should().Be(0);
        Row(report, KpiScopeKind.Department, "B", "2025-Q3").Cases.Should().Be(2);
        // Oil zones are not versioned: 118.4 stays in W.
        Row(report, KpiScopeKind.OilZone, "W", "2025-Q3").Cases.Should().Be(1);
        Row(report, KpiScopeKind.OilZone, "E", "2025-Q3").Cases.Should().Be(1);
        Row(report, KpiScopeKind.Centre, "centre", "2025-Q3").Cases.Should().Be(3);
        report.IncidentsWithoutDepartment.Should().Be(1);
        report.IncidentsWithoutOilZone.Should().Be(1);
    }

    [Fact]
    public void Compute_wellsCamerasAndExposureRates()
    {
        var projection = MetricProjection.Dongying;
        (double Lon, double Lat) Near(double lon, double lat, double east)
        {
            var (x, y) = projection.Forward(lon, lat);
            return projection.Inverse(x + east, y);
        }
        var (c1Lon, c1Lat) = Near(118.2, 37.2, -100);  // 100 m west of K1
        var (c2Lon, c2Lat) = Near(118.25, 37.2, 40);   // 40 m east of K2
        var (c3Lon, c3Lat) = Near(118.4, 37.2, -40);   // 40 m west of K3
        Well[] wells =
        [
            new("K1", P(118.2, 37.2), WellKind.Oil, WellStatus.Producing, true, "W"),   // watched by cam-1
            new("K2", P(118.25, 37.2), WellKind.Oil, WellStatus.Producing, true, "W"),  // watched by cam-2
            new("K3", P(118.4, 37.2), WellKind.Oil, WellStatus.Producing, true, "W"),   // cam-3 is 40 m away but looks away
            new("N1", P(118.6, 37.2), WellKind.Gas, WellStatus.ShutIn, false, "E"),
        ];
        Camera[] cameras =
        [
            new("cam-1", P(c1Lon, c1Lat), 90, 30, 150, "K1"),   // looks east at K1, 100 m < 150 m
            new("cam-2", P(c2Lon, c2Lat), 270, 30, 50, null),   // looks west at K2, 40 m < 50 m
            new("cam-3", P(c3Lon, c3Lat), 270, 90, 150, null),  // looks west, K3 is behind it
        ];
        Incident[] incidents = [Case("a", 118.1, D(2025, 2, 1)), Case("b", 118.1, D(2025, 3, 1)), Case("c", 118.6, D(2025, 3, 1))];
        PatrolHours[] hours = [new("A", new DateOnly(2025, 2, 1), 8), new("A", new DateOnly(2025, 6, 1), 2), new("B", new DateOnly(2025, 1, 2), 4), new("A", new DateOnly(2024, 6, 1), 100)];

        var report = KpiCalculator.Compute(Input(incidents, wells, cameras, hours: hours), Year2025);

        var a = Row(report, KpiScopeKind.Department, "A");
        // At the end of 2025 A holds 118.0–118.3 (K1, K2); K3 went to B with the redraw.
        (a.Wells, a.KeyWells, a.KeyWellsWatched).Should().Be((2, 2, 2));
        a.CasesPer100Wells.Should().BeApproximately(100.0, 1e-12);    // 2 cases / 2 wells · 100
        a.PatrolHours.Should().Be(10);
        a.CasesPerPatrolHour.Should().BeApproximately(0.2, 1e-12);
        var b = Row(report, KpiScopeKind.Department, "B");
        (b.Wells, b.KeyWells, b.KeyWellsWatched).Should().Be((2, 1, 0));
        b.CasesPerPatrolHour.Should().BeApproximately(0.25, 1e-12);
        var centre = Row(report, KpiScopeKind.Centre, "centre");
        (centre.Wells, centre.KeyWells, centre.KeyWellsWatched).Should().Be((4, 3, 2));
        centre.CasesPer100Wells.Should().BeApproximately(75.0, 1e-12);
        centre.PatrolHours.Should().Be(14);
        var w = Row(report, KpiScopeKind.OilZone, "W");
        (w.Wells, w.KeyWells).Should().Be((3, 3));
        w.PatrolHours.Should().BeNull();
        w.CasesPerPatrolHour.Should().BeNull();
    }

    [Fact]
    public void Compute_reclaimedSites_areaInMetresWithinPeriod()
    {
        var projection = MetricProjection.Dongying;
        var (x, y) = projection.Forward(118.2, 37.2);
        var square = projection.Inverse(new GeometryFactory().CreatePolygon(
        [
            new Coordinate(x, y), new Coordinate(x + 100, y), new Coordinate(x + 100, y + 50), new Coordinate(x, y + 50), new Coordinate(x, y),
        ]));
        IdleSite[] sites =
        [
            new("s1", "井场1", IdleSiteKind.WellPad, square, IdleSiteStatus.Reclaimed, new DateOnly(2024, 5, 1), new DateOnly(2025, 6, 30)),
            new("s2", "井场2", IdleSiteKind.WellPad, square, IdleSiteStatus.Reclaimed, null, new DateOnly(2024, 12, 31)), // last year
            new("s3", "院落", IdleSiteKind.Yard, square, IdleSiteStatus.Encroached, new DateOnly(2025, 3, 1), null),
        ];

        var report = KpiCalculator.Compute(Input([], sites: sites), Year2025 with { Period = KpiPeriodKind.Quarter });

        Row(report, KpiScopeKind.Centre, "centre", "2025-Q2").ReclaimedAreaM2.Should().BeApproximately(5000, 0.01);
        Row(report, KpiScopeKind.Department, "A", "2025-Q2").ReclaimedAreaM2.Should().BeApproximately(5000, 0.01);
        Row(report, KpiScopeKind.OilZone, "W", "2025-Q2").ReclaimedAreaM2.Should().BeApproximately(5000, 0.01);
        report.Rows.Where(r => r.PeriodLabel != "2025-Q2").Should().OnlyContain(r => r.ReclaimedAreaM2 == 0);
    }

    [Fact]
    public void Compute_kindsOption_countsOnlyThoseKinds()
    {
        Incident[] incidents =
        [
            Case("a", 118.1, D(2025, 2, 1), kind: IncidentKind.PipelineTapping),
            Case("b", 118.1, D(2025, 2, 1), kind: IncidentKind.CasingTheft),
        ];
        var report = KpiCalculator.Compute(Input(incidents), Year2025 with { Kinds = [IncidentKind.PipelineTapping] });
        Row(report, KpiScopeKind.Centre, "centre").Cases.Should().Be(1);
    }

    /// <summary>
    /// The streaming accumulator: incidents added one at a time in time order, with only the context in the input, give Compute's rows
    /// to the last bit (oil sums included); its windows are the periods and the periods a year earlier, merged; it finishes once.
    /// </summary>
    [Fact]
    public void Accumulator_addedOneByOne_givesComputesRows_andReadsOnlyItsWindows()
    {
        var random = new Random(3);
        var incidents = Enumerable.Range(0, 400)
            .Select(i => Case($"s{i:D3}", 118.0 + random.NextDouble(), D(2023, 6, 1).AddHours(random.Next(0, 24 * 900)),
                (DiscoverySource)(i % 4), delayHours: random.Next(0, 48), oil: Math.Round(random.NextDouble() * 3, 3)))
            .OrderBy(i => i.OccurredAt).ThenBy(i => i.Code, StringComparer.Ordinal).ToList();
        foreach (var options in new[] { Year2025, Year2025 with { Period = KpiPeriodKind.Month }, Year2025 with { Period = KpiPeriodKind.Quarter, Kinds = [IncidentKind.CasingTheft] } })
        {
            var expected = KpiCalculator.Compute(Input(incidents), options);
            var context = Input([]);
            var attribution = new MapControl.Core.Spatial.IncidentAttribution(context.Jurisdictions, context.OilZones);
            var accumulator = new KpiAccumulator(context, options);
            foreach (var incident in incidents) accumulator.Add(KpiIncident.From(incident, attribution));
            var streamed = accumulator.Finish();

            expected.Rows.Should().Contain(r => r.Cases > 0 && r.CasesLastYear > 0 && r.OilRecoveredT > 0);
            streamed.Rows.Should().Equal(expected.Rows);
            (streamed.IncidentsWithoutDepartment, streamed.IncidentsWithoutOilZone).Should().Be((expected.IncidentsWithoutDepartment, expected.IncidentsWithoutOilZone));
            accumulator.Windows.Should().Equal([(D(2024, 1, 1, 0), D(2026, 1, 1, 0))], "2024 and 2025 touch: one window");
            FluentActions.Invoking(() => accumulator.Finish()).Should().Throw<InvalidOperationException>();
        }

        // A month and the same month a year earlier: two windows, nothing read in between.
        var march = new KpiAccumulator(Input([]), new KpiOptions { From = D(2025, 3, 1, 0), To = D(2025, 4, 1, 0) });
        march.Windows.Should().Equal([(D(2024, 3, 1, 0), D(2024, 4, 1, 0)), (D(2025, 3, 1, 0), D(2025, 4, 1, 0))]);
        KpiAccumulator.Merge([(D(2025, 3, 1, 0), D(2025, 4, 1, 0)), (D(2024, 1, 1, 0), D(2025, 3, 2, 0)), (D(2026, 1, 1, 0), D(2026, 1, 1, 0))])
            .Should().Equal([(D(2024, 1, 1, 0), D(2025, 4, 1, 0))], "overlapping windows merge; empty ones go");
    }
}
