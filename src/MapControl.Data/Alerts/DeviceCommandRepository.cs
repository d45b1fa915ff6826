using MapControl.Core.Model;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.Alerts;

/// <summary>A command queued for a patrol unit's device: a dispatch to an alert (with its place) or a message.</summary>
public sealed record DeviceCommand(long Id, string UnitCode, string Kind, string Text, long? AlertId, double? Lon, double? Lat,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DeliveredAt, DateTimeOffset? AckedAt);

/// <summary>Why a command was not queued.</summary>
public enum CommandOutcome { Queued, Forbidden, UnknownUnit, Invalid, QueueFull }

/// <summary>The result of queuing a command.</summary>
public sealed record CommandResult(CommandOutcome Outcome, DeviceCommand? Command, string Message);

/// <summary>
/// The device command channel (docs/DEFINITIONS.md "Device commands"): one queue per patrol unit. People queue commands (rights
/// checked, audited); the device, known by its key as in the GPS ingest, polls its unacknowledged commands (at most
/// <see cref="MaxPoll"/>, oldest first, marked delivered) and acknowledges each (audited).
/// </summary>
public sealed class DeviceCommandRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Most characters of a command's text.</summary>
    public const int MaxText = 500;

    /// <summary>Most unacknowledged commands a unit's queue holds; a further one is refused.</summary>
    public const int MaxPending = 100;

    /// <summary>Most commands one poll returns (written into the SQL).</summary>
    public const int MaxPoll = 20;

    /// <summary>Most commands a listing returns (written into the SQL).</summary>
    public const int MaxList = 200;

    private const string Columns = "id, unit_code, kind, text, alert_id, lon, lat, created_at, created_by, delivered_at, acked_at";
    private const string UnitSql = "SELECT department_code FROM patrol_unit WHERE code = $1";
    private const string PendingCountSql = "SELECT count(*) FROM device_command WHERE unit_code = $1 AND acked_at IS NULL";
    private const string InsertSql = $"""
        INSERT INTO device_command (unit_code, kind, text, alert_id, lon, lat, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {Columns}
        """;
    private const string AuditSql = """
        INSERT INTO audit_log (actor, action, entity, entity_key, after) VALUES ($1, $2, 'device_command', $3, $4::jsonb)
        """;
    private const string PollSql = $"""
        UPDATE device_command c SET delivered_at = coalesce(c.delivered_at, now())
        FROM (SELECT d.id FROM device_command d JOIN patrol_unit u ON u.code = d.unit_code
              WHERE u.device_key = $1 AND d.acked_at IS NULL ORDER BY d.id LIMIT 20 FOR UPDATE OF d) p
        WHERE c.id = p.id
        RETURNING c.id, c.unit_code, c.kind, c.text, c.alert_id, c.lon, c.lat, c.created_at, c.created_by, c.delivered_at, c.acked_at
        """;
    private const string DeviceSql = "SELECT code FROM patrol_unit WHERE device_key = $1";
    private const string AckSql = """
        UPDATE device_command c SET acked_at = coalesce(c.acked_at, now()), delivered_at = coalesce(c.delivered_at, now())
        FROM patrol_unit u WHERE c.id = $2 AND u.code = c.unit_code AND u.device_key = $1
        RETURNING c.id, c.unit_code, c.kind, c.text, c.alert_id, c.lon, c.lat, c.created_at, c.created_by, c.delivered_at, c.acked_at
        """;
    private const string ListSql = $"SELECT {Columns} FROM device_command WHERE unit_code = $1 ORDER BY id DESC LIMIT 200";
    private const string ByAlertSql = $"SELECT {Columns} FROM device_command WHERE alert_id = $1 ORDER BY id";

    /// <summary>Who may command a unit: commanders and admins, a department user only its department's units.</summary>
    public static string? Refusal(User caller, string unitDepartment) =>
        caller.Role is not (Role.Commander or Role.Admin) ? "Only commanders and admins send commands to devices."
        : caller.DepartmentCode is { } d && d != unitDepartment ? "The unit belongs to another department." : null;

    /// <summary>Queues a message for a unit's device (rights checked, audited).</summary>
    public async Task<CommandResult> SendMessageAsync(string unitCode, string text, User caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var department = (await QueryAsync(connection, UnitSql, r => r.GetString(0), cancellationToken, unitCode).ConfigureAwait(false)).SingleOrDefault();
        if (department is null) return new CommandResult(CommandOutcome.UnknownUnit, null, $"No patrol unit '{unitCode}'.");
        if (Refusal(caller, department) is { } refused) return new CommandResult(CommandOutcome.Forbidden, null, refused);
        var result = await EnqueueAsync(connection, unitCode, "message", text, null, null, null, caller.UserName, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == CommandOutcome.Queued) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Queues a command on the caller's connection and transaction (the dispatch of an alert queues its command in its own
    /// transaction); the caller has checked the rights. Audited.
    /// </summary>
    public static async Task<CommandResult> EnqueueAsync(NpgsqlConnection connection, string unitCode, string kind, string text, long? alertId,
        double? lon, double? lat, string by, CancellationToken cancellationToken = default)
    {
        text = (text ?? "").Trim();
        if (text.Length is 0 or > MaxText) return new CommandResult(CommandOutcome.Invalid, null, $"The text must have 1..{MaxText} characters.");
        if (await ScalarAsync<long>(connection, PendingCountSql, cancellationToken, unitCode).ConfigureAwait(false) >= MaxPending)
            return new CommandResult(CommandOutcome.QueueFull, null, $"Unit {unitCode} has {MaxPending} unacknowledged commands; its device must acknowledge them first.");
        var command = (await QueryAsync(connection, InsertSql, Read, cancellationToken, unitCode, kind, text, alertId, lon, lat, by).ConfigureAwait(false)).Single();
        await AuditAsync(connection, by, "command", command, cancellationToken).ConfigureAwait(false);
        return new CommandResult(CommandOutcome.Queued, command, "");
    }

    /// <summary>The unacknowledged commands of the device with this key, oldest first (at most <see cref="MaxPoll"/>), marked delivered; null for an unknown device.</summary>
    public async Task<IReadOnlyList<DeviceCommand>?> PollAsync(string deviceKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if ((await QueryAsync(connection, DeviceSql, r => r.GetString(0), cancellationToken, deviceKey).ConfigureAwait(false)).Count == 0) return null;
        return (await QueryAsync(connection, PollSql, Read, cancellationToken, deviceKey).ConfigureAwait(false)).OrderBy(c => c.Id).ToArray();
    }

    /// <summary>Acknowledges a command of the device with this key (audited once); null when the device has no such command.</summary>
    public async Task<DeviceCommand?> AckAsync(string deviceKey, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var before = (await QueryAsync(connection, $"SELECT acked_at IS NOT NULL FROM device_command WHERE id = $1 FOR UPDATE", r => r.GetBoolean(0),
            cancellationToken, id).ConfigureAwait(false)).SingleOrDefault();
        var acked = (await QueryAsync(connection, AckSql, Read, cancellationToken, deviceKey, id).ConfigureAwait(false)).SingleOrDefault();
        if (acked is null) return null;
        if (!before) await AuditAsync(connection, "device:" + acked.UnitCode, "command_ack", acked, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return acked;
    }

    /// <summary>The latest commands of a unit (at most <see cref="MaxList"/>, newest first) for a caller who may command it; null when refused or unknown.</summary>
    public async Task<(CommandOutcome Outcome, IReadOnlyList<DeviceCommand> Commands, string Message)> ListAsync(string unitCode, User caller,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var department = (await QueryAsync(connection, UnitSql, r => r.GetString(0), cancellationToken, unitCode).ConfigureAwait(false)).SingleOrDefault();
        if (department is null) return (CommandOutcome.UnknownUnit, [], $"No patrol unit '{unitCode}'.");
        if (Refusal(caller, department) is { } refused) return (CommandOutcome.Forbidden, [], refused);
        return (CommandOutcome.Queued, await QueryAsync(connection, ListSql, Read, cancellationToken, unitCode).ConfigureAwait(false), "");
    }

    /// <summary>The commands an alert's dispatches queued, oldest first.</summary>
    public async Task<IReadOnlyList<DeviceCommand>> ForAlertAsync(long alertId, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, ByAlertSql, Read, cancellationToken, alertId).ConfigureAwait(false);

    private static async Task AuditAsync(NpgsqlConnection connection, string actor, string action, DeviceCommand c, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, AuditSql, cancellationToken, actor, action, c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            System.Text.Json.JsonSerializer.Serialize(new { unit = c.UnitCode, kind = c.Kind, text = c.Text, alert = c.AlertId })).ConfigureAwait(false);

    private static DeviceCommand Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4), r.IsDBNull(5) ? null : r.GetDouble(5),
            r.IsDBNull(6) ? null : r.GetDouble(6), r.GetUtc(7), r.GetString(8), r.GetUtcOrNull(9), r.GetUtcOrNull(10));
}
