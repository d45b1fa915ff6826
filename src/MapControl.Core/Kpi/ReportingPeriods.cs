using System.Globalization;
using MapControl.Core.Hotspots;

namespace MapControl.Core.Kpi;

/// <summary>One reporting period [Start, End) and its label.</summary>
public sealed record ReportingPeriod(string Label, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The same period one calendar year earlier (China Standard Time clock; 29 February maps to 28 February).</summary>
    public ReportingPeriod LastYear => new(Label, ChinaTime.ToChinaTime(Start).AddYears(-1), ChinaTime.ToChinaTime(End).AddYears(-1));

    /// <summary>True when <paramref name="at"/> lies in [Start, End).</summary>
    public bool Contains(DateTimeOffset at) => Start <= at && at < End;
}

/// <summary>Cuts a reporting range into calendar periods of China Standard Time.</summary>
public static class ReportingPeriods
{
    /// <summary>The calendar periods of the given kind that meet [from, to), each clipped to the range, in time order.</summary>
    public static IReadOnlyList<ReportingPeriod> Cut(DateTimeOffset from, DateTimeOffset to, KpiPeriodKind kind)
    {
        if (to <= from) throw new ArgumentException($"The range is empty: {from:O} is not before {to:O}.", nameof(to));
        if (kind == KpiPeriodKind.Whole)
            return [new ReportingPeriod($"{ChinaTime.DateOf(from):yyyy-MM-dd}/{ChinaTime.DateOf(to):yyyy-MM-dd}", from, to)];

        var first = ChinaTime.DateOf(from);
        var (startMonth, step) = kind switch
        {
            KpiPeriodKind.Month => (new DateOnly(first.Year, first.Month, 1), 1),
            KpiPeriodKind.Quarter => (new DateOnly(first.Year, (first.Month - 1) / 3 * 3 + 1, 1), 3),
            KpiPeriodKind.Season => (SeasonStart(first), 3),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var periods = new List<ReportingPeriod>();
        for (var start = startMonth; ChinaTime.StartOf(start) < to; start = start.AddMonths(step))
        {
            var s = ChinaTime.StartOf(start);
            var e = ChinaTime.StartOf(start.AddMonths(step));
            periods.Add(new ReportingPeriod(Label(start, kind), s < from ? from : s, e > to ? to : e));
        }
        return periods;
    }

    private static DateOnly SeasonStart(DateOnly date) => date.Month switch
    {
        1 or 2 => new DateOnly(date.Year - 1, 12, 1),
        12 => new DateOnly(date.Year, 12, 1),
        _ => new DateOnly(date.Year, (date.Month - 3) / 3 * 3 + 3, 1),
    };

    private static string Label(DateOnly start, KpiPeriodKind kind) => kind switch
    {
        KpiPeriodKind.Month => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        KpiPeriodKind.Quarter => $"{start.Year}-Q{(start.Month - 1) / 3 + 1}",
        _ => $"{start.Year}-{ChinaTime.SeasonOfMonth(start.Month).ToString().ToLowerInvariant()}",
    };
}
