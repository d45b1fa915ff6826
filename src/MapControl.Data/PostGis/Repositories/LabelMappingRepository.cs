using System.Text.Json;
using System.Text.RegularExpressions;
using MapControl.Core.Model;
using Npgsql;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>A label kept as written (unmapped) in one of the open vocabularies, with the number of stored rows that carry it.</summary>
/// <param name="Vocabulary">incident_kind, well_kind or idle_site_kind (<see cref="LabelMappingRepository.Vocabularies"/>).</param>
/// <param name="Label">The label as written, which is also its code until mapped.</param>
/// <param name="Rows">Stored incidents, wells or idle sites with this label as their kind.</param>
public sealed record KeptLabel(string Vocabulary, string Label, long Rows);

/// <summary>A mapped code of an open vocabulary: what an unmapped label can be mapped onto.</summary>
public sealed record LabelTarget(string Vocabulary, string Code, string LabelZh, string LabelEn);

/// <summary>What a mapping did.</summary>
public enum LabelMappingOutcome
{
    /// <summary>Mapped (or kept as a code) and committed.</summary>
    Done,

    /// <summary>The caller is not an admin; nothing changed.</summary>
    Forbidden,

    /// <summary>The vocabulary has no unmapped label of that spelling (already mapped, or never kept); nothing changed.</summary>
    NotFound,

    /// <summary>A bad vocabulary, code or label text; nothing changed.</summary>
    Invalid,
}

/// <summary>The outcome of <see cref="LabelMappingRepository.MapAsync"/> or <see cref="LabelMappingRepository.KeepAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">For a refusal, why (one sentence, English).</param>
/// <param name="Rows">Stored rows moved from the label to the code.</param>
public sealed record LabelMappingResult(LabelMappingOutcome Outcome, string Message, long Rows = 0);

/// <summary>
/// Maps labels kept as written (the unmapped terms of <c>incident_kind</c>, migration 0005, and of <c>field_label</c>, migration
/// 0012) — the one place this is done, for every door. A mapping is one transaction: admin rights checked, the label becomes a
/// synonym of an existing mapped code (or a mapped code of its own with zh/en labels), the stored rows of the label take the
/// code (so analyses, KPIs and <c>kind=</c> filters count them under it), the unmapped term goes, and an audit entry records it.
/// </summary>
public sealed partial class LabelMappingRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Longest code or label (the tables' checks).</summary>
    public const int MaxText = 200;

    /// <summary>The open vocabularies: incident kinds, well kinds, idle-site kinds (well and idle-site statuses are closed lists).</summary>
    public static readonly IReadOnlyList<string> Vocabularies = ["incident_kind", FieldLabelRepository.WellKind, FieldLabelRepository.IdleSiteKind];

    /// <summary>The SQL of one vocabulary: its terms (a table and a filter) and the rows that carry its codes. Constants only.</summary>
    private sealed record Sql(string Terms, string? Field, string Rows)
    {
        private string Where => Field is null ? "" : $"field = '{Field}' AND";
        public string Lock => $"SELECT mapped FROM {Terms} WHERE {Where} code = $1 FOR UPDATE";
        public string AddSynonym => $"UPDATE {Terms} SET synonyms = array_append(synonyms, $1) WHERE {Where} code = $2 AND mapped AND NOT $1 = ANY (synonyms)";
        public string MoveRows => $"UPDATE {Rows} SET kind = $2 WHERE kind = $1";
        public string DropLabel => $"DELETE FROM {Terms} WHERE {Where} code = $1 AND NOT mapped";
        public string KeepAsCode => $"UPDATE {Terms} SET mapped = true, label_zh = $2, label_en = $3 WHERE {Where} code = $1 AND NOT mapped";
        public string Insert => Field is null
            ? "INSERT INTO incident_kind (code, label_zh, label_en, synonyms, mapped) VALUES ($1, $2, $3, ARRAY[$4], true)"
            : $"INSERT INTO field_label (field, code, label_zh, label_en, synonyms, mapped) VALUES ('{Field}', $1, $2, $3, ARRAY[$4], true)";
    }

    private static readonly Dictionary<string, Sql> ByVocabulary = new(StringComparer.Ordinal)
    {
        ["incident_kind"] = new("incident_kind", null, "incident"),
        [FieldLabelRepository.WellKind] = new("field_label", FieldLabelRepository.WellKind, "well"),
        [FieldLabelRepository.IdleSiteKind] = new("field_label", FieldLabelRepository.IdleSiteKind, "idle_site"),
    };

    private const string UnmappedSql = """
        WITH label AS (
            SELECT 'incident_kind' AS vocabulary, code FROM incident_kind WHERE NOT mapped
            UNION ALL SELECT field, code FROM field_label WHERE NOT mapped),
        counted AS (
            SELECT 'incident_kind' AS vocabulary, kind, count(*) AS n FROM incident
                WHERE kind IN (SELECT code FROM label WHERE vocabulary = 'incident_kind') GROUP BY kind
            UNION ALL SELECT 'well_kind', kind, count(*) FROM well
                WHERE kind IN (SELECT code FROM label WHERE vocabulary = 'well_kind') GROUP BY kind
            UNION ALL SELECT 'idle_site_kind', kind, count(*) FROM idle_site
                WHERE kind IN (SELECT code FROM label WHERE vocabulary = 'idle_site_kind') GROUP BY kind)
        SELECT l.vocabulary, l.code, coalesce(c.n, 0) FROM label l
        LEFT JOIN counted c ON c.vocabulary = l.vocabulary AND c.kind = l.code
        ORDER BY l.vocabulary, 3 DESC, l.code
        """;

    private const string TargetsSql = """
        SELECT 'incident_kind', code, label_zh, label_en, sort_order FROM incident_kind WHERE mapped
        UNION ALL SELECT field, code, label_zh, label_en, sort_order FROM field_label WHERE mapped
        ORDER BY 1, 5, 2
        """;

    private const string AuditSql = """
        INSERT INTO audit_log (actor, action, entity, entity_key, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
        """;

    /// <summary>Who may map labels: admins only.</summary>
    public static string? Refusal(User caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Role == Role.Admin ? null : "Only admins map labels.";
    }

    /// <summary>The unmapped labels of every open vocabulary with their row counts (by vocabulary, most rows first).</summary>
    public async Task<IReadOnlyList<KeptLabel>> ListUnmappedAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<KeptLabel>();
        await using var command = dataSource.CreateCommand(UnmappedSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new KeptLabel(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return list;
    }

    /// <summary>The mapped codes of every open vocabulary (in display order): what a label can be mapped onto.</summary>
    public async Task<IReadOnlyList<LabelTarget>> ListTargetsAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<LabelTarget>();
        await using var command = dataSource.CreateCommand(TargetsSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new LabelTarget(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return list;
    }

    /// <summary>
    /// Maps the unmapped <paramref name="label"/> of <paramref name="vocabulary"/> onto the existing mapped <paramref name="code"/>: the
    /// label becomes a synonym of the code, the label's rows take the code, the unmapped term goes. Admins only; one transaction; audited.
    /// </summary>
    public Task<LabelMappingResult> MapAsync(User caller, string vocabulary, string label, string code, CancellationToken cancellationToken = default) =>
        RunAsync(caller, vocabulary, label, code, null, null, cancellationToken);

    /// <summary>
    /// Keeps the unmapped <paramref name="label"/> as a mapped code of its own with Chinese and English labels: under the label itself
    /// (<paramref name="code"/> null or equal to it), or under a new code (<c>snake_case</c>, not yet in the vocabulary; the label
    /// becomes its synonym and the rows take it). Admins only; one transaction; audited.
    /// </summary>
    public Task<LabelMappingResult> KeepAsync(User caller, string vocabulary, string label, string? code, string labelZh, string labelEn,
        CancellationToken cancellationToken = default) =>
        RunAsync(caller, vocabulary, label, string.IsNullOrWhiteSpace(code) ? label : code.Trim(), labelZh?.Trim() ?? "", labelEn?.Trim() ?? "", cancellationToken);

    private async Task<LabelMappingResult> RunAsync(User caller, string vocabulary, string label, string code, string? labelZh, string? labelEn,
        CancellationToken cancellationToken)
    {
        if (Refusal(caller) is { } refused) return new LabelMappingResult(LabelMappingOutcome.Forbidden, refused);
        if (vocabulary is null || !ByVocabulary.TryGetValue(vocabulary, out var sql))
            return Invalid($"Unknown vocabulary (expected one of {string.Join(", ", Vocabularies)}).");
        if (string.IsNullOrWhiteSpace(label) || label.Length > MaxText) return Invalid($"The label must have 1..{MaxText} characters.");
        if (string.IsNullOrWhiteSpace(code) || code.Length > MaxText) return Invalid($"The code must have 1..{MaxText} characters.");
        var keep = labelZh is not null;
        if (keep && (labelZh!.Length is 0 or > MaxText || labelEn!.Length is 0 or > MaxText))
            return Invalid($"The Chinese and English labels must have 1..{MaxText} characters.");
        if (keep && code != label && !NewCode().IsMatch(code))
            return Invalid("A new code is snake_case: a lower-case letter, then letters, digits or '_' (at most 64).");

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var labelMapped = await MappedAsync(connection, sql.Lock, label, cancellationToken).ConfigureAwait(false);
        if (labelMapped is not false) return new LabelMappingResult(LabelMappingOutcome.NotFound, $"\"{label}\" is not an unmapped label of {vocabulary}.");
        long rows = 0;
        string action;
        if (!keep)
        {
            if (code == label) return Invalid("Map the label onto another code, or keep it as its own code.");
            if (await MappedAsync(connection, sql.Lock, code, cancellationToken).ConfigureAwait(false) is not true)
                return Invalid($"\"{code}\" is not a mapped code of {vocabulary}.");
            await ExecuteAsync(connection, sql.AddSynonym, cancellationToken, label, code).ConfigureAwait(false);
            rows = await ExecuteAsync(connection, sql.MoveRows, cancellationToken, label, code).ConfigureAwait(false);
            await ExecuteAsync(connection, sql.DropLabel, cancellationToken, label).ConfigureAwait(false);
            action = "map_label";
        }
        else if (code == label)
        {
            await ExecuteAsync(connection, sql.KeepAsCode, cancellationToken, label, labelZh!, labelEn!).ConfigureAwait(false);
            action = "keep_label";
        }
        else
        {
            if (await MappedAsync(connection, sql.Lock, code, cancellationToken).ConfigureAwait(false) is not null)
                return Invalid($"\"{code}\" is already a code of {vocabulary}: map the label onto it instead.");
            await ExecuteAsync(connection, sql.Insert, cancellationToken, code, labelZh!, labelEn!, label).ConfigureAwait(false);
            rows = await ExecuteAsync(connection, sql.MoveRows, cancellationToken, label, code).ConfigureAwait(false);
            await ExecuteAsync(connection, sql.DropLabel, cancellationToken, label).ConfigureAwait(false);
            action = "keep_label";
        }
        var before = JsonSerializer.Serialize(new { label, mapped = false, rows });
        var after = JsonSerializer.Serialize(new { code, label_zh = labelZh, label_en = labelEn, rows });
        await ExecuteAsync(connection, AuditSql, cancellationToken, caller.UserName, action, vocabulary, label, before, after).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LabelMappingResult(LabelMappingOutcome.Done, "", rows);
    }

    private static LabelMappingResult Invalid(string message) => new(LabelMappingOutcome.Invalid, message);

    /// <summary>The mapped flag of a term (locked for the transaction), null when the vocabulary has no such code.</summary>
    private static async Task<bool?> MappedAsync(NpgsqlConnection connection, string sql, string code, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = code } } };
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is bool mapped ? mapped : null;
    }

    private static async Task<long> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NewCode();
}
