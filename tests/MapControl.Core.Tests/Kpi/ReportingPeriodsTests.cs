using MapControl.Core.Kpi;

namespace MapControl.Core.Tests.Kpi;

public sealed class ReportingPeriodsTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    [Fact]
    public void Cut_months_clippedToRange()
    {
        var periods = ReportingPeriods.Cut(new DateTimeOffset(2025, 1, 15, 0, 0, 0, Cst), new DateTimeOffset(2025, 4, 1, 0, 0, 0, Cst), KpiPeriodKind.Month);
        periods.Select(p => p.Label).Should().Equal("2025-01", "2025-02", "2025-03");
        periods[0].Start.Should().Be(new DateTimeOffset(2025, 1, 15, 0, 0, 0, Cst));
        periods[1].Start.Should().Be(new DateTimeOffset(2025, 2, 1, 0, 0, 0, Cst));
        periods[2].End.Should().Be(new DateTimeOffset(2025, 4, 1, 0, 0, 0, Cst));
    }

    [Fact]
    public void Cut_monthsFromUtcMidnight_followChinaCalendar()
    {
        // 2025-01-31 16:00 UTC is already 1 February in Beijing.
        var periods = ReportingPeriods.Cut(new DateTimeOffset(2025, 1, 31, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 3, 1, 0, 0, 0, Cst), KpiPeriodKind.Month);
        periods.Select(p => p.Label).Should().Equal("2025-02");
    }

    [Fact]
    public void Cut_quartersAndSeasons_labels()
    {
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, Cst);
        var to = new DateTimeOffset(2026, 1, 1, 0, 0, 0, Cst);
        ReportingPeriods.Cut(from, to, KpiPeriodKind.Quarter).Select(p => p.Label).Should().Equal("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4");
        var seasons = ReportingPeriods.Cut(from, to, KpiPeriodKind.Season);
        seasons.Select(p => p.Label).Should().Equal("2024-winter", "2025-spring", "2025-summer", "2025-autumn", "2025-winter");
        seasons[0].Start.Should().Be(from);                                              // clipped: Dec 2024 is outside
        seasons[0].End.Should().Be(new DateTimeOffset(2025, 3, 1, 0, 0, 0, Cst));
        seasons[4].Start.Should().Be(new DateTimeOffset(2025, 12, 1, 0, 0, 0, Cst));
        seasons[4].End.Should().Be(to);
        ReportingPeriods.Cut(from, to, KpiPeriodKind.Whole).Single().Label.Should().Be("2025-01-01/2026-01-01");
    }

    [Fact]
    public void LastYear_shiftsOneCalendarYear()
    {
        var period = new ReportingPeriod("2024-02", new DateTimeOffset(2024, 2, 1, 0, 0, 0, Cst), new DateTimeOffset(2024, 3, 1, 0, 0, 0, Cst));
        period.LastYear.Start.Should().Be(new DateTimeOffset(2023, 2, 1, 0, 0, 0, Cst));
        period.LastYear.End.Should().Be(new DateTimeOffset(2023, 3, 1, 0, 0, 0, Cst));
    }
}
