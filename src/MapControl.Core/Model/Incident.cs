using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>Kind of incident (案件).</summary>
public enum IncidentKind
{
    /// <summary>Casing-gas / casing-oil theft (套管油盗窃).</summary>
    CasingTheft,
    /// <summary>Pipeline tapping (管线打孔).</summary>
    PipelineTapping,
    /// <summary>Illegal oil collection at workover wells (作业井非法敛油).</summary>
    WorkoverOilCollection,
    /// <summary>Theft of equipment (设备盗窃).</summary>
    EquipmentTheft,
    /// <summary>Encroachment of an idle site (侵占).</summary>
    Encroachment,
}

/// <summary>Who discovered an incident; patrol, video and inspection are the centre's own forces.</summary>
public enum DiscoverySource { Patrol, Video, Inspection, PublicReport, Police }

/// <summary>Case status.</summary>
public enum IncidentStatus { Open, Solved, Closed }

/// <summary>An incident (案件) with where, when, how it was discovered and the oil recovered in tonnes.</summary>
public sealed record Incident(string Code, IncidentKind Kind, DateTimeOffset OccurredAt, DateTimeOffset DiscoveredAt,
    DiscoverySource DiscoveredBy, Point Location, double OilRecoveredT, IncidentStatus Status)
{
    /// <summary>True when discovered by the centre's own forces (patrol, video, inspection).</summary>
    public bool DiscoveredByOwnForces => DiscoveredBy is DiscoverySource.Patrol or DiscoverySource.Video or DiscoverySource.Inspection;
}
