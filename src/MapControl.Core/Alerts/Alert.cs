using MapControl.Core.Model;

namespace MapControl.Core.Alerts;

/// <summary>What opened an alert (docs/DEFINITIONS.md "Alerts").</summary>
public enum AlertKind { VideoEvent, KeyWellUnvisited, OutsideZone, Stationary, DeviceSilent, EmergingHotspot, GapCreated }

/// <summary>Where an alert is in its loop: open → acknowledged → dispatched → closed (ack and dispatch may be skipped).</summary>
public enum AlertStatus { Open, Acknowledged, Dispatched, Closed }

/// <summary>How an alert was closed.</summary>
public enum AlertOutcome { FalseAlarm, Incident, HandedToPolice, Other }

/// <summary>
/// An alert a rule wants opened. <see cref="Cause"/> says what makes two alerts the same: while an alert with the same cause is
/// open, another one is not opened (e.g. <c>outside_zone:U7</c>, <c>video_event:CAM-12:intrusion</c>).
/// </summary>
/// <param name="Kind">The rule.</param>
/// <param name="Cause">The identity of the cause.</param>
/// <param name="OccurredAt">When the cause happened (the event's time, the moment a threshold was crossed).</param>
/// <param name="DepartmentCode">The department responsible (null: the centre).</param>
/// <param name="Lon">Where, WGS84.</param>
/// <param name="Lat">Where, WGS84.</param>
/// <param name="TextZh">A short text in Chinese.</param>
/// <param name="TextEn">The same in English.</param>
public sealed record NewAlert(AlertKind Kind, string Cause, DateTimeOffset OccurredAt, string? DepartmentCode, double Lon, double Lat,
    string TextZh, string TextEn)
{
    /// <summary>The patrol unit the alert is about, if any.</summary>
    public string? UnitCode { get; init; }

    /// <summary>The well the alert is about, if any.</summary>
    public string? WellCode { get; init; }

    /// <summary>The camera that saw it, if any.</summary>
    public string? CameraCode { get; init; }

    /// <summary>
    /// How long the rule's condition must hold before it alerts (outside_zone's M minutes, key_well_unvisited's N hours, …); zero
    /// for events. Closing an alert restarts that clock: while <see cref="AsOf"/> is less than this after the close of an alert
    /// of the same cause, the cause does not open again (docs/DEFINITIONS.md "Alerts", "After a close").
    /// </summary>
    public TimeSpan Hold { get; init; }

    /// <summary>The time the rule judged the condition at: its latest fix, or the evaluation time for the rules of absence.</summary>
    public DateTimeOffset? AsOf { get; init; }
}

/// <summary>An alert as stored.</summary>
public sealed record Alert(long Id, AlertKind Kind, AlertStatus Status, DateTimeOffset OpenedAt, DateTimeOffset OccurredAt, string? DepartmentCode,
    double Lon, double Lat, string? UnitCode, string? WellCode, string? CameraCode, string TextZh, string TextEn)
{
    /// <summary>When acknowledged, and by whom.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Who acknowledged it.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>When a unit was dispatched.</summary>
    public DateTimeOffset? DispatchedAt { get; init; }

    /// <summary>The unit dispatched.</summary>
    public string? DispatchedUnit { get; init; }

    /// <summary>When the dispatched unit first reported within the on-scene radius.</summary>
    public DateTimeOffset? OnSceneAt { get; init; }

    /// <summary>When closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>How it was closed.</summary>
    public AlertOutcome? Outcome { get; init; }

    /// <summary>The closing note.</summary>
    public string? Note { get; init; }

    /// <summary>The incident created or linked when closed as an incident.</summary>
    public string? IncidentCode { get; init; }

    /// <summary>The stored name of the kind (snake_case).</summary>
    public string KindName => DomainNames.ToName(Kind);

    /// <summary>The stored name of the status.</summary>
    public string StatusName => DomainNames.ToName(Status);
}
