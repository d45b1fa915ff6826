using System.Globalization;
using System.Text.Json;
using MapControl.Core.Alerts;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.Alerts;

/// <summary>The thresholds of one scope: the centre (<see cref="DepartmentCode"/> null) or a department, each with its source.</summary>
/// <param name="DepartmentCode">The department, or null for the centre.</param>
/// <param name="DepartmentName">Its name (null for the centre).</param>
/// <param name="Thresholds">Every threshold (Core's order) with its effective value and source.</param>
public sealed record ThresholdScope(string? DepartmentCode, string? DepartmentName, IReadOnlyList<EffectiveThreshold> Thresholds);

/// <summary>What a threshold change did.</summary>
public enum ThresholdChangeOutcome
{
    /// <summary>Stored (or cleared) and audited; also when nothing was stored to clear.</summary>
    Done,

    /// <summary>The caller may not change this scope; nothing changed.</summary>
    Forbidden,

    /// <summary>Unknown threshold, a value out of bounds, or an unknown department; nothing changed.</summary>
    Invalid,
}

/// <summary>The outcome of <see cref="AlertThresholdRepository.SetAsync"/> or <see cref="AlertThresholdRepository.ClearAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">For a refusal, why (one sentence, English).</param>
/// <param name="Scope">The scope's thresholds after the change (when done).</param>
public sealed record ThresholdChange(ThresholdChangeOutcome Outcome, string Message, ThresholdScope? Scope = null);

/// <summary>
/// Alert thresholds (docs/DEFINITIONS.md "Alert thresholds"), the one path for every door (the admin page
/// <c>/admin/alert-thresholds</c>, <c>PUT|DELETE /api/alerts/thresholds</c>) and for the alert engine's reading: effective values
/// resolved by Core (<see cref="AlertThresholds.Resolve"/>) from the stored rows and the appsettings values given at construction;
/// a change checks the caller's right and the bounds (Core), writes the row and an audit entry in one transaction, and bumps the
/// <c>alert_threshold</c> change version (trigger) that the engine re-reads on.
/// </summary>
public sealed class AlertThresholdRepository(NpgsqlDataSource dataSource, IReadOnlyDictionary<string, double> appsettings)
{
    private const string RowsSql = "SELECT department_code, name, value FROM alert_threshold";
    private const string DepartmentsSql = "SELECT code, name FROM department ORDER BY code";
    private const string DepartmentExistsSql = "SELECT count(*) FROM department WHERE code = $1";
    private const string LockSql = "SELECT value FROM alert_threshold WHERE coalesce(department_code, '') = coalesce($1, '') AND name = $2 FOR UPDATE";
    private const string UpsertSql = """
        INSERT INTO alert_threshold (department_code, name, value) VALUES ($1, $2, $3)
        ON CONFLICT (coalesce(department_code, ''), name) DO UPDATE SET value = excluded.value
        """;
    private const string DeleteSql = "DELETE FROM alert_threshold WHERE coalesce(department_code, '') = coalesce($1, '') AND name = $2";

    /// <summary>The appsettings values (validated by <see cref="ParseAppsettings"/>).</summary>
    public IReadOnlyDictionary<string, double> Appsettings { get; } = appsettings ?? throw new ArgumentNullException(nameof(appsettings));

    /// <summary>
    /// The threshold values among configuration entries (appsettings section <c>Alerts</c>: key → text); other keys are not
    /// thresholds and are ignored. A threshold that is not a number or out of bounds throws, so a bad setting stops the start.
    /// </summary>
    /// <exception cref="InvalidOperationException">A threshold entry is not a number within its bounds.</exception>
    public static IReadOnlyDictionary<string, double> ParseAppsettings(IEnumerable<KeyValuePair<string, string?>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, text) in entries)
        {
            if (AlertThresholds.Spec(key) is not { } spec) continue;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || AlertThresholds.Check(spec.Name, value) is not null)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"appsettings Alerts:{key} = '{text}': expected a number from {spec.Min} to {spec.Max} {spec.Unit}."));
            values[spec.Name] = value;
        }
        return values;
    }

    /// <summary>The thresholds the rules use: the centre's and each department's that stores any value of its own.</summary>
    public async Task<(AlertThresholds Centre, IReadOnlyDictionary<string, AlertThresholds> ByDepartment)> ThresholdsAsync(
        CancellationToken cancellationToken = default)
    {
        var (centre, byDepartment) = await RowsAsync(null, cancellationToken).ConfigureAwait(false);
        return (AlertThresholds.Of(AlertThresholds.Resolve(Appsettings, centre, null)),
            byDepartment.ToDictionary(d => d.Key, d => AlertThresholds.Of(AlertThresholds.Resolve(Appsettings, centre, d.Value)), StringComparer.Ordinal));
    }

    /// <summary>The centre's scope, then every department's (by code), each threshold with its effective value and source.</summary>
    public async Task<IReadOnlyList<ThresholdScope>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var departments = await QueryAsync(connection, DepartmentsSql, r => (Code: r.GetString(0), Name: r.GetString(1)), cancellationToken).ConfigureAwait(false);
        var (centre, byDepartment) = await RowsAsync(connection, cancellationToken).ConfigureAwait(false);
        var scopes = new List<ThresholdScope> { new(null, null, AlertThresholds.Resolve(Appsettings, centre, null)) };
        scopes.AddRange(departments.Select(d => new ThresholdScope(d.Code, d.Name,
            AlertThresholds.Resolve(Appsettings, centre, byDepartment.GetValueOrDefault(d.Code) ?? new Dictionary<string, double>()))));
        return scopes;
    }

    /// <summary>One scope (null: the centre); null when the department does not exist.</summary>
    public async Task<ThresholdScope?> GetAsync(string? departmentCode, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.DepartmentCode == departmentCode);

    /// <summary>Stores a threshold for the centre (<paramref name="departmentCode"/> null) or a department. Admins; bounds by Core; audited.</summary>
    public Task<ThresholdChange> SetAsync(User caller, string? departmentCode, string? name, double value, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, departmentCode, name, value, cancellationToken);

    /// <summary>Clears a stored threshold so the scope inherits it again (the centre's, appsettings or the default). Admins; audited.</summary>
    public Task<ThresholdChange> ClearAsync(User caller, string? departmentCode, string? name, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, departmentCode, name, null, cancellationToken);

    private async Task<ThresholdChange> ChangeAsync(User caller, string? departmentCode, string? name, double? value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        departmentCode = string.IsNullOrWhiteSpace(departmentCode) ? null : departmentCode.Trim();
        if (AlertThresholds.Refusal(caller, departmentCode) is { } refused) return new ThresholdChange(ThresholdChangeOutcome.Forbidden, refused);
        if (AlertThresholds.Spec(name) is null) return Invalid(AlertThresholds.Check(name, 0)!);
        if (value is { } v && AlertThresholds.Check(name, v) is { } bad) return Invalid(bad);
        if (departmentCode is { Length: > 64 }) return Invalid("Unknown department.");

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (departmentCode is not null
            && await ScalarAsync<long>(connection, DepartmentExistsSql, cancellationToken, departmentCode).ConfigureAwait(false) == 0)
            return Invalid($"Unknown department '{departmentCode}'.");
        var before = (await QueryAsync(connection, LockSql, r => (double?)r.GetDouble(0), cancellationToken, departmentCode, name).ConfigureAwait(false))
            .SingleOrDefault();
        if (before != value)
        {
            if (value is { } set) await ExecuteAsync(connection, UpsertSql, cancellationToken, departmentCode, name, set).ConfigureAwait(false);
            else await ExecuteAsync(connection, DeleteSql, cancellationToken, departmentCode, name).ConfigureAwait(false);
            await AuditLogRepository.AppendAsync(connection, caller.UserName, value is null ? "clear_threshold" : "set_threshold", "alert_threshold",
                $"{departmentCode ?? "centre"}/{name}", JsonSerializer.Serialize(new { value = before }), JsonSerializer.Serialize(new { value }),
                cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ThresholdChange(ThresholdChangeOutcome.Done, "", await GetAsync(departmentCode, cancellationToken).ConfigureAwait(false));
    }

    private static ThresholdChange Invalid(string message) => new(ThresholdChangeOutcome.Invalid, message);

    private async Task<(IReadOnlyDictionary<string, double> Centre, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ByDepartment)> RowsAsync(
        NpgsqlConnection? connection, CancellationToken cancellationToken)
    {
        Func<NpgsqlDataReader, (string? Dept, string Name, double Value)> read = r => (r.GetStringOrNull(0), r.GetString(1), r.GetDouble(2));
        var rows = connection is null
            ? await QueryAsync(dataSource, RowsSql, read, cancellationToken).ConfigureAwait(false)
            : await QueryAsync(connection, RowsSql, read, cancellationToken).ConfigureAwait(false);
        var centre = rows.Where(r => r.Dept is null).ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal);
        var byDepartment = rows.Where(r => r.Dept is not null).GroupBy(r => r.Dept!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal),
                StringComparer.Ordinal);
        return (centre, byDepartment);
    }
}
