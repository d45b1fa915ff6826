using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>
/// Kind of incident (案件类型): a code of the incident-kind vocabulary (<see cref="Labels.IncidentKinds"/>), or — for a
/// label the vocabulary lacks — that label as written, kept as its own unmapped kind. Equal when the codes are equal (ordinal).
/// </summary>
public readonly record struct IncidentKind
{
    /// <summary>A kind by its code (a vocabulary code such as <c>casing_theft</c>, or an unmapped label as written).</summary>
    public IncidentKind(string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>The stored code.</summary>
    public string Code { get; }

    /// <summary>Casing-gas / casing-oil theft (套管油盗窃).</summary>
    public static IncidentKind CasingTheft { get; } = new("casing_theft");

    /// <summary>Pipeline tapping (管线打孔盗油).</summary>
    public static IncidentKind PipelineTapping { get; } = new("pipeline_tapping");

    /// <summary>Illegal oil collection at workover wells (作业井非法敛油).</summary>
    public static IncidentKind WorkoverOilCollection { get; } = new("workover_oil_collection");

    /// <summary>Theft of equipment (设备盗窃).</summary>
    public static IncidentKind EquipmentTheft { get; } = new("equipment_theft");

    /// <summary>Encroachment of an idle site (侵占).</summary>
    public static IncidentKind Encroachment { get; } = new("encroachment");

    /// <summary>The five kinds the sample oilfield generates, in the generator's order.</summary>
    public static IReadOnlyList<IncidentKind> Sample { get; } = [CasingTheft, PipelineTapping, WorkoverOilCollection, EquipmentTheft, Encroachment];

    /// <inheritdoc />
    public override string ToString() => Code ?? string.Empty;
}

/// <summary>Who discovered an incident; patrol, video and inspection are the centre's own forces.</summary>
public enum DiscoverySource { Patrol, Video, Inspection, PublicReport, Police }

/// <summary>Case status.</summary>
public enum IncidentStatus { Open, Solved, Closed }

/// <summary>An incident (案件) with where, when, how it was discovered and the oil recovered in tonnes.</summary>
/// <param name="DiscoveredAt">When it was discovered; null when the ledger does not say (never guessed: such a case is left
/// out of the timely-discovery rate, <see cref="Kpi.KpiCalculator"/>).</param>
public sealed record Incident(string Code, IncidentKind Kind, DateTimeOffset OccurredAt, DateTimeOffset? DiscoveredAt,
    DiscoverySource DiscoveredBy, Point Location, double OilRecoveredT, IncidentStatus Status)
{
    /// <summary>True when discovered by the centre's own forces (patrol, video, inspection).</summary>
    public bool DiscoveredByOwnForces => IsOwnForce(DiscoveredBy);

    /// <summary>The one rule of the centre's own forces: patrol, video and inspection.</summary>
    public static bool IsOwnForce(DiscoverySource source) => source is DiscoverySource.Patrol or DiscoverySource.Video or DiscoverySource.Inspection;
}
