using MapControl.Core.Model;

namespace MapControl.Core.Hotspots;

/// <summary>A light incident for hot-spot work: WGS84 lon/lat, when it occurred and its kind.</summary>
public readonly record struct IncidentPoint(double Lon, double Lat, DateTimeOffset OccurredAt, IncidentKind Kind)
{
    /// <summary>The light form of a full incident.</summary>
    public static IncidentPoint From(Incident incident) =>
        new(incident.Location.X, incident.Location.Y, incident.OccurredAt, incident.Kind);
}

/// <summary>Which incidents an analysis keeps: time window [From, To), kinds, season; a null criterion keeps all.</summary>
public sealed record IncidentFilter
{
    /// <summary>Start of the window, inclusive.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the window, exclusive.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Incident kinds kept (null or empty: all).</summary>
    public IReadOnlyCollection<IncidentKind>? Kinds { get; init; }

    /// <summary>Season kept, by the month of occurrence in China Standard Time (null: all).</summary>
    public Season? Season { get; init; }

    /// <summary>Keeps everything.</summary>
    public static IncidentFilter All { get; } = new();

    /// <summary>True when the incident passes every criterion.</summary>
    public bool Matches(in IncidentPoint incident) => Matches(incident.OccurredAt, incident.Kind);

    /// <summary>True when an incident of this time and kind passes every criterion.</summary>
    public bool Matches(DateTimeOffset occurredAt, IncidentKind kind)
    {
        if (From is { } from && occurredAt < from) return false;
        if (To is { } to && occurredAt >= to) return false;
        if (Kinds is { Count: > 0 } kinds && !kinds.Contains(kind)) return false;
        if (Season is { } season && ChinaTime.SeasonOf(occurredAt) != season) return false;
        return true;
    }

    /// <summary>The same filter over the same window one calendar year earlier (on the China Standard Time clock).</summary>
    public IncidentFilter OneYearEarlier() => this with
    {
        From = From is { } from ? ChinaTime.ToChinaTime(from).AddYears(-1) : null,
        To = To is { } to ? ChinaTime.ToChinaTime(to).AddYears(-1) : null,
    };
}
