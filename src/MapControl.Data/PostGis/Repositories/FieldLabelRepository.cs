using MapControl.Core.Labels;
using Npgsql;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>
/// The open label vocabularies of well kinds (井别) and idle-site kinds (闲置场地类型), stored in <c>field_label</c> (migration 0012)
/// the way <see cref="IncidentKindRepository"/> stores incident kinds: a label the vocabulary lacks is kept as its own unmapped
/// term (mapped = false) for an admin to map later, never refused.
/// </summary>
public sealed class FieldLabelRepository(NpgsqlDataSource dataSource)
{
    /// <summary>The field of well kinds.</summary>
    public const string WellKind = "well_kind";

    /// <summary>The field of idle-site kinds.</summary>
    public const string IdleSiteKind = "idle_site_kind";

    private const string SelectSql = "SELECT code, label_zh, label_en, synonyms, colour, mapped FROM field_label WHERE field = $1 ORDER BY sort_order, code";
    private const string AddUnmappedSql = """
        INSERT INTO field_label (field, code, label_zh, label_en, synonyms, colour, mapped, sort_order)
        SELECT $1, label, label, label, '{}', '#7f7f7f', false, 10000 FROM unnest($2::text[]) AS label
        ON CONFLICT (field, code) DO NOTHING
        """;

    /// <summary>The built-in vocabulary of a field (Core's <see cref="FieldVocabularies"/>), also the migration's rows.</summary>
    public static Vocabulary Builtin(string field) => field switch
    {
        WellKind => FieldVocabularies.WellKinds,
        IdleSiteKind => FieldVocabularies.IdleSiteKinds,
        _ => throw new ArgumentException($"'{field}' is not an open label field (well_kind, idle_site_kind)", nameof(field)),
    };

    /// <summary>The stored vocabulary of <paramref name="field"/> (the built-in one when it has no rows).</summary>
    public async Task<Vocabulary> LoadAsync(string field, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await LoadAsync(connection, field, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored vocabulary of <paramref name="field"/>, read on <paramref name="connection"/> (inside the caller's transaction).</summary>
    public static async Task<Vocabulary> LoadAsync(NpgsqlConnection connection, string field, CancellationToken cancellationToken)
    {
        var builtin = Builtin(field);
        var terms = new List<VocabularyTerm>();
        await using var command = new NpgsqlCommand(SelectSql, connection) { Parameters = { new() { Value = field } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            terms.Add(new VocabularyTerm(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
                reader.GetString(4), reader.GetBoolean(5)));
        return terms.Count == 0 ? builtin : new Vocabulary(terms);
    }

    /// <summary>Records labels the vocabulary lacks as unmapped terms of <paramref name="field"/>; known codes are left alone.</summary>
    public static async Task AddUnmappedAsync(NpgsqlConnection connection, string field, IEnumerable<string> labels, CancellationToken cancellationToken)
    {
        Builtin(field);
        var list = labels.Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0) return;
        await using var command = new NpgsqlCommand(AddUnmappedSql, connection) { Parameters = { new() { Value = field }, new() { Value = list } } };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
