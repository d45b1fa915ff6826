using System.Diagnostics;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Xunit.Abstractions;

namespace MapControl.Core.Tests.Kpi;

public sealed class PatrolHoursCalculatorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Redraw = new(2025, 7, 1, 0, 0, 0, Cst);
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, Cst);
    private static readonly DateTimeOffset To = new(2026, 1, 1, 0, 0, 0, Cst);
    private static readonly WKTReader Wkt = new();

    private static MultiPolygon Box(double x0, double y0, double x1, double y1) =>
        (MultiPolygon)Wkt.Read(FormattableString.Invariant($"MULTIPOLYGON ((({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0})))"));

    /// <summary>A UTC instant on 2025-03-10 (CST 2025-03-10 is UTC 2025-03-09 16:00 to 2025-03-10 16:00).</summary>
    private static DateTimeOffset U(int h, int m, int s = 0) => new(2025, 3, 10, h, m, s, TimeSpan.Zero);

    private static GpsFix F(string unit, DateTimeOffset t, double lon, double lat = 37.2) => new(unit, t, lon, lat);

    /// <summary>A holds 118.0–118.5 and B 118.5–119.0 (37.0–37.5) before 2025-07-01 CST; the redraw moves 118.3–118.5 to B.</summary>
    private static Jurisdiction[] Redrawn(DateTimeOffset? at = null)
    {
        var redraw = at ?? Redraw;
        var v1 = new VersionInfo(new DateTimeOffset(2020, 1, 1, 0, 0, 0, Cst), redraw, "planner", "initial");
        var v2 = new VersionInfo(redraw, null, "planner", "redraw");
        return
        [
            new Jurisdiction(1, "A", Box(118.0, 37.0, 118.5, 37.5), v1),
            new Jurisdiction(2, "B", Box(118.5, 37.0, 119.0, 37.5), v1),
            new Jurisdiction(3, "A", Box(118.0, 37.0, 118.3, 37.5), v2),
            new Jurisdiction(4, "B", Box(118.3, 37.0, 119.0, 37.5), v2),
        ];
    }

    private static double Hours(IReadOnlyList<PatrolHours> hours, string department, DateOnly? date = null) =>
        hours.Where(h => h.DepartmentCode == department && (date is null || h.Date == date)).Sum(h => h.Hours);

    [Fact]
    public void Compute_twoUnits_hoursPerDepartmentAndDate()
    {
        // u1 in A: 0, 5, 10 min ~90 m steps → 10 min; u2 in B: 0, 6 min → 6 min. Input unsorted on purpose.
        GpsFix[] fixes =
        [
            F("u1", U(2, 10), 118.102), F("u2", U(2, 6), 118.701), F("u1", U(2, 0), 118.100),
            F("u1", U(2, 5), 118.101), F("u2", U(2, 0), 118.700),
        ];

        var hours = PatrolHoursCalculator.Compute(fixes, Redrawn(), From, To);

        hours.Should().HaveCount(2);
        (hours[0].DepartmentCode, hours[0].Date).Should().Be(("A", new DateOnly(2025, 3, 10)));
        hours[0].Hours.Should().BeApproximately(10.0 / 60, 1e-12);
        hours[1].DepartmentCode.Should().Be("B");
        hours[1].Hours.Should().BeApproximately(0.1, 1e-12);
    }

    [Fact]
    public void Compute_gapOverTenMinutes_breaksTrack()
    {
        // 0 → 10:00 stays (exactly equal); 10:00 → 20:01 breaks; 20:01 → 25:01 counts: 15 min.
        GpsFix[] fixes = [F("u", U(3, 0), 118.1), F("u", U(3, 10), 118.1), F("u", U(3, 20, 1), 118.1), F("u", U(3, 25, 1), 118.1)];

        var hours = PatrolHoursCalculator.Compute(fixes, Redrawn(), From, To);

        Hours(hours, "A").Should().BeApproximately(0.25, 1e-12);
    }

    [Fact]
    public void Compute_jumpOverTwoKilometres_breaksTrack()
    {
        // 0.03° of longitude at 37.2° N ≈ 2.66 km (break); 0.02° ≈ 1.77 km (stays); 0.001° ≈ 89 m.
        GpsFix[] fixes =
        [
            F("u", U(4, 0), 118.100), F("u", U(4, 1), 118.130), F("u", U(4, 2), 118.131),
            F("u", U(4, 3), 118.151),
        ];

        var hours = PatrolHoursCalculator.Compute(fixes, Redrawn(), From, To);

        Hours(hours, "A").Should().BeApproximately(2.0 / 60, 1e-12);
    }

    [Fact]
    public void Compute_midnightCst_breaksTheTrack_soNoIntervalStraddlesIt()
    {
        // UTC 15:52, 15:57, 16:03, 16:08 = CST 23:52, 23:57 (10 Mar), 00:03, 00:08 (11 Mar): tracks break at midnight CST.
        GpsFix[] fixes = [F("u", U(15, 52), 118.1), F("u", U(15, 57), 118.1), F("u", U(16, 3), 118.1), F("u", U(16, 8), 118.1)];

        var hours = PatrolHoursCalculator.Compute(fixes, Redrawn(), From, To);

        hours.Should().HaveCount(2);
        Hours(hours, "A", new DateOnly(2025, 3, 10)).Should().BeApproximately(5.0 / 60, 1e-12);  // 23:57 → 00:03 is no interval
        Hours(hours, "A", new DateOnly(2025, 3, 11)).Should().BeApproximately(5.0 / 60, 1e-12);
    }

    [Fact]
    public void Compute_overlapAndSharedBoundary_countOnceForTheSmallestDepartmentCode()
    {
        var v = new VersionInfo(new DateTimeOffset(2020, 1, 1, 0, 0, 0, Cst), null, "planner", "initial");
        Jurisdiction[] jurisdictions =
        [
            new(1, "A", Box(118.0, 37.0, 118.5, 37.5), v),
            new(2, "B", Box(118.5, 37.0, 119.0, 37.5), v),
            new(3, "C", Box(118.45, 37.0, 118.55, 37.5), v),
        ];
        GpsFix[] fixes =
        [
            F("o", U(5, 0), 118.48), F("o", U(5, 6), 118.481),            // A and C: A, 6 min
            F("e", U(5, 0), 118.5, 37.2), F("e", U(5, 3), 118.5, 37.201), // on the A|B edge, inside C: A, 3 min
            F("b", U(5, 0), 118.52), F("b", U(5, 4), 118.521),            // B and C: B, 4 min
        ];

        var hours = PatrolHoursCalculator.Compute(fixes, jurisdictions, From, To);

        Hours(hours, "A").Should().BeApproximately(9.0 / 60, 1e-12);
        Hours(hours, "B").Should().BeApproximately(4.0 / 60, 1e-12);
        hours.Should().NotContain(h => h.DepartmentCode == "C", "C is never the smallest code where it overlaps");
    }

    [Fact]
    public void Compute_jurisdictionRedraw_versionInForceAtIntervalStart()
    {
        // A redraw at noon CST (one at midnight would break the track there anyway).
        var redraw = Redraw.AddHours(12);
        var redrawUtc = redraw.ToUniversalTime();
        GpsFix[] fixes =
        [
            F("u", redrawUtc.AddMinutes(-8), 118.4), F("u", redrawUtc.AddMinutes(-2), 118.4),
            F("u", redrawUtc.AddMinutes(4), 118.4), F("u", redrawUtc.AddMinutes(9), 118.4),
        ];

        var hours = PatrolHoursCalculator.Compute(fixes, Redrawn(redraw), From, To);

        // −8 → −2 and −2 → +4 start under v1 (118.4 is A's); +4 → +9 under v2 (B's).
        hours.Should().BeEquivalentTo(new[]
        {
            new PatrolHours("A", new DateOnly(2025, 7, 1), 12.0 / 60),
            new PatrolHours("B", new DateOnly(2025, 7, 1), 5.0 / 60),
        }, o => o.ComparingByMembers<PatrolHours>().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
    }

    [Fact]
    public void Compute_midpointOutsideEveryJurisdiction_countsForNoDepartment()
    {
        // 117.9 is outside; 117.99 → 118.0: midpoint 117.995 outside; 118.0 → 118.01: midpoint inside A (5 min).
        GpsFix[] fixes =
        [
            F("u", U(6, 0), 117.9), F("u", U(6, 5), 117.9001), F("u", U(6, 10), 117.99), F("u", U(6, 15), 118.0),
            F("u", U(6, 20), 118.01),
        ];

        var hours = PatrolHoursCalculator.Compute(fixes, Redrawn(), From, To);

        hours.Should().ContainSingle().Which.Hours.Should().BeApproximately(5.0 / 60, 1e-12);
    }

    [Fact]
    public void Compute_window_onlyFixesInFromToCount()
    {
        var from = U(7, 0);
        var to = U(7, 20);
        GpsFix[] fixes =
        [
            F("u", from.AddMinutes(-3), 118.1), F("u", from, 118.1), F("u", from.AddMinutes(7), 118.1),
            F("u", to.AddMinutes(-1), 118.1), F("u", to, 118.1),
        ];

        var hours = PatrolHoursCalculator.Compute(fixes, Redrawn(), from, to);

        // from → +7 (7 min) and +7 → +19 (12 min breaks: > 10 min); the fixes at −3 and at `to` are outside.
        Hours(hours, "A").Should().BeApproximately(7.0 / 60, 1e-12);
    }

    [Fact]
    public void Compute_noFixesOrNoJurisdictions_empty()
    {
        PatrolHoursCalculator.Compute([], Redrawn(), From, To).Should().BeEmpty();
        PatrolHoursCalculator.Compute([F("u", U(1, 0), 118.1), F("u", U(1, 1), 118.1)], [], From, To).Should().BeEmpty();
    }

    [Fact]
    public void Compute_feedsKpiCalculator_casesPerPatrolHourIsCasesOverHours()
    {
        // 6 hours of patrol in A in March (fixes every 5 min, 73 fixes), 3 cases in A in March.
        var start = U(1, 0);
        var fixes = Enumerable.Range(0, 73).Select(i => F("u", start.AddMinutes(5 * i), 118.1 + (i % 2) * 0.001)).ToArray();
        Incident Case(string code, int day) =>
            new(code, IncidentKind.CasingTheft, new DateTimeOffset(2025, 3, day, 12, 0, 0, Cst), new DateTimeOffset(2025, 3, day, 13, 0, 0, Cst),
                DiscoverySource.Patrol, new Point(118.2, 37.2) { SRID = 4326 }, 0, IncidentStatus.Closed);
        var input = new KpiInput
        {
            Incidents = [Case("a", 3), Case("b", 4), Case("c", 5)],
            Jurisdictions = Redrawn(),
            PatrolHours = PatrolHoursCalculator.Compute(fixes, Redrawn(), From, To),
        };

        var report = KpiCalculator.Compute(input, new KpiOptions { From = From, To = To, Period = KpiPeriodKind.Month });

        var a = report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == "A" && r.PeriodLabel == "2025-03");
        a.PatrolHours.Should().BeApproximately(6.0, 1e-9);
        a.CasesPerPatrolHour.Should().BeApproximately(3 / 6.0, 1e-9);
        report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == "A" && r.PeriodLabel == "2025-04")
            .CasesPerPatrolHour.Should().BeNull();
    }

    [Fact]
    public void KpiCalculator_rangeNotAtMidnightCst_hoursOfFirstAndLastDateCount()
    {
        // Range 2025-03-10 10:00 CST to 2025-03-12 09:00 CST: fixes at 10:00–11:00 CST on the 10th and 08:00–08:30 CST on the 12th.
        var from = new DateTimeOffset(2025, 3, 10, 10, 0, 0, Cst);
        var to = new DateTimeOffset(2025, 3, 12, 9, 0, 0, Cst);
        var fixes = Enumerable.Range(0, 13).Select(i => F("u", from.AddMinutes(5 * i), 118.1))
            .Concat(Enumerable.Range(0, 7).Select(i => F("u", to.AddHours(-1).AddMinutes(5 * i), 118.1))).ToArray();
        var input = new KpiInput { Incidents = [], Jurisdictions = Redrawn(), PatrolHours = PatrolHoursCalculator.Compute(fixes, Redrawn(), from, to) };

        var report = KpiCalculator.Compute(input, new KpiOptions { From = from, To = to });

        input.PatrolHours.Select(h => h.Date).Should().Equal(new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 12));
        report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == "A").PatrolHours.Should().BeApproximately(1.5, 1e-9);
        report.Rows.Single(r => r.ScopeKind == KpiScopeKind.Centre).PatrolHours.Should().BeApproximately(1.5, 1e-9);
    }

    [Fact]
    public void Compute_500kFixes_timing()
    {
        // 40 units × 12,875 fixes (30 s apart, random walk) over 20 departments with 256-vertex jurisdictions.
        var v = new VersionInfo(new DateTimeOffset(2020, 1, 1, 0, 0, 0, Cst), null, "planner", "initial");
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var jurisdictions = new List<Jurisdiction>();
        for (var d = 0; d < 20; d++)
        {
            var centre = new Point(118.0 + (d % 5) * 0.2, 37.0 + (d / 5) * 0.2);
            var circle = (Polygon)centre.Buffer(0.12, 64);
            jurisdictions.Add(new Jurisdiction(d, $"D{d:00}", factory.CreateMultiPolygon([circle]), v));
        }
        var random = new Random(7);
        var fixes = new List<GpsFix>(515_000);
        for (var u = 0; u < 40; u++)
        {
            double lon = 118.0 + random.NextDouble() * 0.8, lat = 37.0 + random.NextDouble() * 0.6;
            for (var i = 0; i < 12_875; i++)
            {
                lon += (random.NextDouble() - 0.5) * 0.004;
                lat += (random.NextDouble() - 0.5) * 0.004;
                fixes.Add(new GpsFix($"u{u:00}", From.AddSeconds(30 * i + (i / 100) * 900), lon, lat));
            }
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var hours = PatrolHoursCalculator.Compute(fixes, jurisdictions, From, To);
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var tracksWatch = Stopwatch.StartNew();
        var tracks = MapControl.Core.Patrol.TrackBuilder.Build(fixes);
        tracksWatch.Stop();

        output.WriteLine($"{fixes.Count} fixes → {hours.Count} department-days, {hours.Sum(h => h.Hours):0.0} h in {watch.ElapsedMilliseconds} ms "
            + $"(process CPU {cpu.TotalMilliseconds:0} ms; TrackBuilder.Build alone {tracksWatch.ElapsedMilliseconds} ms for {tracks.Count} tracks)");
        hours.Should().NotBeEmpty();
    }
}
