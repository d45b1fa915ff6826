using System.Globalization;
using MapControl.Core.Model;

namespace MapControl.Data.Reports;

/// <summary>
/// How the report writes its figures — the one place of their rounding (tests read the figures back with these rules):
/// cases as integers, year-over-year change in percent with one decimal and a sign, rates in percent with one decimal, oil in tonnes
/// with two decimals, areas in m² with one decimal (km² with two), patrol hours with one decimal, cases per patrol hour with three.
/// Thousands are grouped with commas; a missing value is "—".
/// </summary>
public static class ReportFormat
{
    private static readonly CultureInfo s_c = CultureInfo.InvariantCulture;

    /// <summary>What a missing value prints as.</summary>
    public const string Missing = "—";

    /// <summary>An integer count.</summary>
    public static string Count(long value) => value.ToString("#,0", s_c);

    /// <summary>A signed percentage change, e.g. "+41.5%" or "-39.3%".</summary>
    public static string Change(double? percent) => percent is { } p ? Math.Round(p, 1).ToString("+0.0;-0.0;0.0", s_c) + "%" : Missing;

    /// <summary>A share as percent, e.g. 0.8621 → "86.2%".</summary>
    public static string Rate(double? share) => share is { } s ? (Math.Round(s * 100, 1)).ToString("0.0", s_c) + "%" : Missing;

    /// <summary>Tonnes with two decimals.</summary>
    public static string Tonnes(double value) => Math.Round(value, 2).ToString("#,0.00", s_c);

    /// <summary>m² with one decimal.</summary>
    public static string SquareMetres(double value) => Math.Round(value, 1).ToString("#,0.0", s_c);

    /// <summary>km² with two decimals.</summary>
    public static string SquareKilometres(double m2) => Math.Round(m2 / 1e6, 2).ToString("#,0.00", s_c);

    /// <summary>Hours with one decimal.</summary>
    public static string Hours(double? value) => value is { } v ? Math.Round(v, 1).ToString("#,0.0", s_c) : Missing;

    /// <summary>Cases per patrol hour with three decimals.</summary>
    public static string PerHour(double? value) => value is { } v ? Math.Round(v, 3).ToString("0.000", s_c) : Missing;

    /// <summary>A plain number with the given decimals.</summary>
    public static string Number(double value, int decimals) => Math.Round(value, decimals).ToString("#,0." + new string('0', decimals), s_c).TrimEnd('.');

    /// <summary>A month as the title writes it: "2026年10月" or "October 2026".</summary>
    public static string Month(DateOnly month, bool chinese) =>
        chinese ? $"{month.Year}年{month.Month}月" : month.ToString("MMMM yyyy", s_c);

    /// <summary>Kind of incident in the report's language: the vocabulary's label, or the label as written for an unmapped kind.</summary>
    public static string KindName(IncidentKind kind, bool chinese) =>
        MapControl.Core.Labels.IncidentKinds.Builtin.TryFind(kind.Code, out var term) && term.Mapped
            ? (chinese ? term.LabelZh : term.LabelEn)
            : kind.Code;

    /// <summary>The one-map's colour of a kind of incident (the vocabulary's; grey for an unmapped kind).</summary>
    public static string KindColour(IncidentKind kind) =>
        MapControl.Core.Labels.IncidentKinds.Builtin.TryFind(kind.Code, out var term) && term.Mapped ? term.Colour : MapControl.Core.Labels.Vocabulary.UnmappedColour;

    /// <summary>The kinds present, in the vocabulary's order, unmapped kinds last by name.</summary>
    public static IEnumerable<IncidentKind> KindsInOrder(IEnumerable<IncidentKind> present)
    {
        var set = present.ToHashSet();
        var known = MapControl.Core.Labels.IncidentKinds.Defaults.Select(t => new IncidentKind(t.Code)).ToList();
        return known.Where(set.Contains).Concat(set.Except(known).OrderBy(k => k.Code, StringComparer.Ordinal));
    }

    /// <summary>Who discovered a case.</summary>
    public static string SourceName(DiscoverySource source, bool chinese) => (source, chinese) switch
    {
        (DiscoverySource.Patrol, true) => "巡逻", (DiscoverySource.Video, true) => "视频", (DiscoverySource.Inspection, true) => "巡检",
        (DiscoverySource.PublicReport, true) => "群众举报", (DiscoverySource.Police, true) => "公安",
        (DiscoverySource.PublicReport, false) => "Public report",
        _ => source.ToString(),
    };

    /// <summary>Case status.</summary>
    public static string StatusName(IncidentStatus status, bool chinese) => (status, chinese) switch
    {
        (IncidentStatus.Open, true) => "在办", (IncidentStatus.Solved, true) => "已破", (IncidentStatus.Closed, true) => "已结",
        _ => status.ToString(),
    };

    /// <summary>Kind of idle site: its label in the idle-site-kind vocabulary, or the code as written (an unmapped kind).</summary>
    public static string SiteKindName(IdleSiteKind kind, bool chinese) =>
        MapControl.Core.Labels.FieldVocabularies.IdleSiteKinds.TryFind(kind.Code, out var term) ? (chinese ? term.LabelZh : term.LabelEn) : kind.Code;
}
