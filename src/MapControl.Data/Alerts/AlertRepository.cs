using MapControl.Core.Alerts;
using MapControl.Core.Model;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.Alerts;

/// <summary>Why a step of an alert's loop was refused.</summary>
public enum AlertStepOutcome { Done, NotFound, Forbidden, WrongState, UnknownUnit, UnitUnavailable }

/// <summary>The result of a step: the alert after it, or why not.</summary>
public sealed record AlertStep(AlertStepOutcome Outcome, Alert? Alert, string Message);

/// <summary>Alert KPIs of a department (null: the centre, listed first) for a window.</summary>
public sealed record AlertKpi(string? DepartmentCode, int Alerts, int Closed, int Incidents, int FalseAlarms, double? MedianResponseMinutes,
    double? MedianClosureMinutes);

/// <summary>An alert and whether this call opened it (false: an alert with the same cause was already open).</summary>
public sealed record OpenedAlert(Alert Alert, bool Opened);

/// <summary>
/// Alerts (docs/DEFINITIONS.md "Alerts"): opened once per cause while open, listed per department, taken through
/// acknowledged → dispatched → closed by the caller's rights; closing as an incident writes the incident (attributed by the one
/// rule) in the same transaction, with discovered_at = the alert's time and discovered_by from the alert's kind.
/// </summary>
public sealed class AlertRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id, kind, status, opened_at, occurred_at, department_code, ST_X(geom), ST_Y(geom), unit_code, well_code, camera_code, text_zh,
        text_en, acknowledged_at, acknowledged_by, dispatched_at, dispatched_unit, on_scene_at, closed_at, outcome, note, incident_code
        """;
    // A closed alert of the cause keeps it quiet while the condition has not held for the rule's whole duration ($13) since the close
    // ($12: the time the rule judged at): docs/DEFINITIONS.md "Alerts", "After a close".
    private const string QuietSql = "$13 > interval '0' AND closed_at > $12 - $13";
    private const string OpenSql = $"""
        INSERT INTO alert (kind, cause, occurred_at, department_code, geom, unit_code, well_code, camera_code, text_zh, text_en)
        SELECT $1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, $8, $9, $10, $11
        WHERE NOT EXISTS (SELECT 1 FROM alert WHERE cause = $2 AND status = 'closed' AND {QuietSql})
        ON CONFLICT (cause) WHERE status <> 'closed' DO NOTHING
        RETURNING {Columns}
        """;
    private const string OpenByCauseSql = $"SELECT {Columns} FROM alert WHERE cause = $1 AND status <> 'closed'";
    // The closed alert that keeps the cause quiet ($1 as $12 and $3 as $13 of QuietSql).
    private const string QuietByCauseSql = $"""
        SELECT {Columns} FROM alert WHERE cause = $2 AND status = 'closed' AND $3 > interval '0' AND closed_at > $1 - $3
        ORDER BY closed_at DESC LIMIT 1
        """;
    private const string GetSql = $"SELECT {Columns} FROM alert WHERE id = $1";
    private const string GetManySql = $"SELECT {Columns} FROM alert WHERE id = ANY($1) ORDER BY id";
    private const string GetForUpdateSql = $"SELECT {Columns} FROM alert WHERE id = $1 FOR UPDATE";
    private const string ListSql = $"""
        SELECT {Columns} FROM alert
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR department_code = $2)
        ORDER BY (status = 'closed'), opened_at DESC, id DESC LIMIT $3
        """;
    private const string AckSql = "UPDATE alert SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1";
    private const string DispatchSql = """
        UPDATE alert SET status = 'dispatched', dispatched_at = now(), dispatched_by = $2, dispatched_unit = $3, on_scene_at = NULL,
               acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, $2)
        WHERE id = $1
        """;
    private const string CloseSql = """
        UPDATE alert SET status = 'closed', closed_at = now(), closed_by = $2, outcome = $3, note = $4, incident_code = $5
        WHERE id = $1
        """;
    private const string OnSceneSql = """
        UPDATE alert SET on_scene_at = $3 WHERE id = $1 AND dispatched_unit = $2 AND on_scene_at IS NULL AND status = 'dispatched'
        """;
    private const string UnitExistsSql = "SELECT department_code FROM patrol_unit WHERE code = $1";
    // What the dispatch rule needs (Core Dispatch.Unavailable): the database's time, the unit's latest fix of the availability
    // window (primary key unit_code, recorded_at) and another alert in progress the unit is dispatched to.
    private const string UnitAvailabilitySql = """
        SELECT now(),
               (SELECT max(recorded_at) FROM gps_point WHERE unit_code = $1 AND recorded_at >= now() - make_interval(secs => $2)),
               (SELECT min(id) FROM alert WHERE dispatched_unit = $1 AND status = 'dispatched' AND id <> $3)
        """;
    private const string IncidentExistsSql = "SELECT count(*) FROM incident WHERE code = $1";

    private const string KpiSql = """
        SELECT department_code, count(*)::int, count(*) FILTER (WHERE status = 'closed')::int,
               count(*) FILTER (WHERE outcome = 'incident')::int, count(*) FILTER (WHERE outcome = 'false_alarm')::int,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM on_scene_at - opened_at) / 60) FILTER (WHERE on_scene_at IS NOT NULL),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM closed_at - opened_at) / 60) FILTER (WHERE closed_at IS NOT NULL)
        FROM alert WHERE opened_at >= $1 AND opened_at < $2
        GROUP BY GROUPING SETS ((department_code), ())
        ORDER BY GROUPING(department_code) DESC, department_code
        """;

    /// <summary>
    /// Alert KPIs of alerts opened in [from, to): per department (and first the centre, department null): alerts, closed,
    /// closed as incident, false alarms, median response minutes (open → on scene) and median closure minutes (open → closed).
    /// </summary>
    public async Task<IReadOnlyList<AlertKpi>> KpisAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, KpiSql, r => new AlertKpi(r.GetStringOrNull(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4),
            r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6)), cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);

    /// <summary>Most alerts one list returns.</summary>
    public const int MaxList = 500;

    /// <summary>
    /// Opens an alert unless one with the same cause is open (then that one), or one of the cause was closed less than the rule's
    /// <see cref="NewAlert.Hold"/> before <see cref="NewAlert.AsOf"/> (then that closed one; not opened).
    /// </summary>
    public async Task<OpenedAlert> OpenAsync(NewAlert alert, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await OpenAsync(connection, alert, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens an alert on the caller's connection (and transaction).</summary>
    public static async Task<OpenedAlert> OpenAsync(NpgsqlConnection connection, NewAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        for (var attempt = 0; ; attempt++)
        {
            var asOf = Utc(alert.AsOf ?? alert.OccurredAt);
            var inserted = await QueryAsync(connection, OpenSql, Read, cancellationToken, Name(alert.Kind), alert.Cause, Utc(alert.OccurredAt),
                alert.DepartmentCode, alert.Lon, alert.Lat, alert.UnitCode, alert.WellCode, alert.CameraCode, alert.TextZh, alert.TextEn,
                asOf, alert.Hold).ConfigureAwait(false);
            if (inserted.Count == 1) return new OpenedAlert(inserted[0], true);
            var open = await QueryAsync(connection, OpenByCauseSql, Read, cancellationToken, alert.Cause).ConfigureAwait(false);
            if (open.Count == 1) return new OpenedAlert(open[0], false);
            var quiet = await QueryAsync(connection, QuietByCauseSql, Read, cancellationToken, asOf, alert.Cause, alert.Hold).ConfigureAwait(false);
            if (quiet.Count == 1) return new OpenedAlert(quiet[0], false);
            // Closed between the two statements: try again (a closed alert no longer blocks its cause).
            if (attempt >= 3) throw new InvalidOperationException($"Could not open or find the alert of cause {alert.Cause}.");
        }
    }

    /// <summary>One alert, or null.</summary>
    public async Task<Alert?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, GetSql, Read, cancellationToken, id).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>The alerts of these ids that exist (at most <see cref="MaxList"/> ids are read).</summary>
    public async Task<IReadOnlyList<Alert>> GetManyAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, GetManySql, Read, cancellationToken, ids.Take(MaxList).ToArray()).ConfigureAwait(false);

    /// <summary>Alerts, open ones first and newest first; by status and department when given (at most <see cref="MaxList"/>).</summary>
    public async Task<IReadOnlyList<Alert>> ListAsync(AlertStatus? status, string? departmentCode, int limit = MaxList,
        CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, ListSql, Read, cancellationToken, status is { } s ? Name(s) : null, departmentCode,
            Math.Clamp(limit, 1, MaxList)).ConfigureAwait(false);

    /// <summary>Acknowledges an open alert.</summary>
    public Task<AlertStep> AcknowledgeAsync(long id, User caller, CancellationToken cancellationToken = default) =>
        StepAsync(id, caller, [AlertStatus.Open], async (c, a) =>
        {
            await ExecuteAsync(c, AckSql, cancellationToken, id, caller.UserName).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    /// <summary>
    /// Dispatches an available unit (Core <see cref="Dispatch.Unavailable"/>) to an open or acknowledged alert (or re-dispatches
    /// another unit to a dispatched one).
    /// </summary>
    public Task<AlertStep> DispatchAsync(long id, string unitCode, User caller, CancellationToken cancellationToken = default) =>
        StepAsync(id, caller, [AlertStatus.Open, AlertStatus.Acknowledged, AlertStatus.Dispatched], async (c, a) =>
        {
            var unitDepartment = (await QueryAsync(c, UnitExistsSql, r => r.GetString(0), cancellationToken, unitCode).ConfigureAwait(false))
                .SingleOrDefault();
            if (unitDepartment is null) return new AlertStep(AlertStepOutcome.UnknownUnit, a, $"No patrol unit '{unitCode}'.");
            if (caller.DepartmentCode is { } d && d != unitDepartment)
                return new AlertStep(AlertStepOutcome.Forbidden, a, $"Unit {unitCode} belongs to another department.");
            var (now, latest, busyWith) = (await QueryAsync(c, UnitAvailabilitySql, r => (r.GetUtc(0), r.GetUtcOrNull(1), r.IsDBNull(2) ? (long?)null : r.GetInt64(2)),
                cancellationToken, unitCode, Dispatch.AvailableWithin.TotalSeconds, id).ConfigureAwait(false)).Single();
            if (Dispatch.Unavailable(unitCode, latest, busyWith, now) is { } unavailable)
                return new AlertStep(AlertStepOutcome.UnitUnavailable, a, unavailable);
            await ExecuteAsync(c, DispatchSql, cancellationToken, id, caller.UserName, unitCode).ConfigureAwait(false);
            // The unit's device learns of it through its command queue, in this transaction (a full queue does not stop the dispatch).
            var text = $"出警 #{a.Id}: {a.TextZh}";
            await DeviceCommandRepository.EnqueueAsync(c, unitCode, "dispatch", text.Length > DeviceCommandRepository.MaxText ? text[..DeviceCommandRepository.MaxText] : text,
                a.Id, a.Lon, a.Lat, caller.UserName, cancellationToken).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    /// <summary>
    /// Closes an alert. With <see cref="AlertOutcome.Incident"/> the incident is created (code <c>AL-{id}</c>, kind
    /// <paramref name="incidentKind"/> or <c>trespass</c> (非法侵入: a person or vehicle where it should not be) — at
    /// the alert's place and time, discovered_at = the alert's opening, discovered_by from the alert's kind) or, with
    /// <paramref name="linkIncident"/>, an existing incident is linked.
    /// </summary>
    public Task<AlertStep> CloseAsync(long id, AlertOutcome outcome, string? note, User caller, IncidentKind? incidentKind = null,
        string? linkIncident = null, CancellationToken cancellationToken = default) =>
        StepAsync(id, caller, [AlertStatus.Open, AlertStatus.Acknowledged, AlertStatus.Dispatched], async (c, a) =>
        {
            string? incidentCode = null;
            if (outcome == AlertOutcome.Incident)
            {
                if (linkIncident is not null)
                {
                    if (await ScalarAsync<long>(c, IncidentExistsSql, cancellationToken, linkIncident).ConfigureAwait(false) == 0)
                        return new AlertStep(AlertStepOutcome.NotFound, a, $"No incident '{linkIncident}' to link.");
                    incidentCode = linkIncident;
                }
                else
                {
                    incidentCode = $"AL-{a.Id}";
                    var incident = new Incident(incidentCode, incidentKind ?? new IncidentKind("trespass"), a.OccurredAt <= a.OpenedAt ? a.OccurredAt : a.OpenedAt,
                        a.OpenedAt, DiscoveredBy(a.Kind), new Point(a.Lon, a.Lat) { SRID = Srid }, 0, IncidentStatus.Open);
                    await IncidentRepository.EnsurePartitionsAsync(c, [incident], cancellationToken).ConfigureAwait(false);
                    var attribution = await IncidentRepository.LoadAttributionAsync(c, cancellationToken).ConfigureAwait(false);
                    await IncidentRepository.CopyAsync(c, [incident], attribution, cancellationToken).ConfigureAwait(false);
                }
            }
            await ExecuteAsync(c, CloseSql, cancellationToken, id, caller.UserName, Name(outcome), note, incidentCode).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    /// <summary>Marks the moment the dispatched unit reached the alert (first fix within the on-scene radius); false when not applicable.</summary>
    public async Task<bool> MarkOnSceneAsync(long id, string unitCode, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dataSource, OnSceneSql, cancellationToken, id, unitCode, Utc(at)).ConfigureAwait(false) == 1;

    /// <summary>Who discovered an incident that an alert of this kind revealed.</summary>
    public static DiscoverySource DiscoveredBy(AlertKind kind) => kind switch
    {
        AlertKind.VideoEvent => DiscoverySource.Video,
        AlertKind.EmergingHotspot or AlertKind.GapCreated => DiscoverySource.Inspection,
        _ => DiscoverySource.Patrol,
    };

    private async Task<AlertStep> StepAsync(long id, User caller, AlertStatus[] from, Func<NpgsqlConnection, Alert, Task<AlertStep?>> step,
        CancellationToken cancellationToken)
    {
        if (caller.Role is not (Role.Commander or Role.Admin))
            return new AlertStep(AlertStepOutcome.Forbidden, null, "Only commanders and admins act on alerts.");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var alert = (await QueryAsync(connection, GetForUpdateSql, Read, cancellationToken, id).ConfigureAwait(false)).SingleOrDefault();
        // Another department's alert is answered as an absent one, as GET answers it: a refusal would tell that it exists.
        if (alert is null || (caller.DepartmentCode is { } department && alert.DepartmentCode != department))
            return new AlertStep(AlertStepOutcome.NotFound, null, $"No alert {id}.");
        if (!from.Contains(alert.Status))
            return new AlertStep(AlertStepOutcome.WrongState, alert,
                $"Alert {id} is {alert.StatusName}; this step needs it {string.Join(" or ", from.Select(s => Name(s)))}.");
        if (await step(connection, alert).ConfigureAwait(false) is { } refused) return refused;
        var after = (await QueryAsync(connection, GetSql, Read, cancellationToken, id).ConfigureAwait(false)).Single();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AlertStep(AlertStepOutcome.Done, after, "");
    }

    internal static Alert Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), Parse<AlertKind>(r, 1), Parse<AlertStatus>(r, 2), r.GetUtc(3), r.GetUtc(4), r.GetStringOrNull(5), r.GetDouble(6),
            r.GetDouble(7), r.GetStringOrNull(8), r.GetStringOrNull(9), r.GetStringOrNull(10), r.GetString(11), r.GetString(12))
        {
            AcknowledgedAt = r.GetUtcOrNull(13), AcknowledgedBy = r.GetStringOrNull(14), DispatchedAt = r.GetUtcOrNull(15),
            DispatchedUnit = r.GetStringOrNull(16), OnSceneAt = r.GetUtcOrNull(17), ClosedAt = r.GetUtcOrNull(18),
            Outcome = r.IsDBNull(19) ? null : Parse<AlertOutcome>(r, 19), Note = r.GetStringOrNull(20), IncidentCode = r.GetStringOrNull(21),
        };
}
