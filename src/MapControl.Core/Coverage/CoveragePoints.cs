using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>A well counted by coverage analyses: its lon/lat location and whether it is a key well (重点井).</summary>
public sealed record WellPoint(Point Location, bool IsKeyWell)
{
    /// <summary>The counted part of a domain well.</summary>
    public static WellPoint From(Well well) => new(well.Location, well.IsKeyWell);
}

/// <summary>An incident counted by coverage analyses: its lon/lat location and when it occurred.</summary>
public sealed record CoverageIncident(Point Location, DateTimeOffset OccurredAt)
{
    /// <summary>The counted part of a domain incident.</summary>
    public static CoverageIncident From(Incident incident) => new(incident.Location, incident.OccurredAt);

    /// <summary>True when the incident falls in the 12 months before <paramref name="asOf"/> (asOf − 12 months ≤ t &lt; asOf); always true without asOf.</summary>
    public bool IsInYearBefore(DateTimeOffset? asOf) =>
        asOf is not { } end || (OccurredAt >= end.AddMonths(-12) && OccurredAt < end);
}
