using MapControl.Core.Labels;
using Npgsql;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>
/// The incident-kind vocabulary stored in <c>incident_kind</c> (migration 0005): codes with labels, synonyms, colours and
/// the mapped flag. Every door (CLI, web, import) resolves labels through the vocabulary this returns; an admin maps kept labels
/// through <see cref="LabelMappingRepository"/>.
/// </summary>
public sealed class IncidentKindRepository(NpgsqlDataSource dataSource)
{
    private const string SelectSql = "SELECT code, label_zh, label_en, synonyms, colour, mapped FROM incident_kind ORDER BY sort_order, code";
    private const string AddUnmappedSql = """
        INSERT INTO incident_kind (code, label_zh, label_en, synonyms, colour, mapped, sort_order)
        SELECT label, label, label, '{}', '#7f7f7f', false, 10000 FROM unnest($1::text[]) AS label
        ON CONFLICT (code) DO NOTHING
        """;

    /// <summary>The stored vocabulary (the built-in one when the table is empty).</summary>
    public async Task<Vocabulary> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await LoadAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored vocabulary, read on <paramref name="connection"/> (inside the caller's transaction).</summary>
    public static async Task<Vocabulary> LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var terms = new List<VocabularyTerm>();
        await using var command = new NpgsqlCommand(SelectSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            terms.Add(new VocabularyTerm(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
                reader.GetString(4), reader.GetBoolean(5)));
        return terms.Count == 0 ? IncidentKinds.Builtin : new Vocabulary(terms);
    }

    /// <summary>Records labels the vocabulary lacks as unmapped kinds (code and labels = the label as written); known codes are left alone.</summary>
    public static async Task AddUnmappedAsync(NpgsqlConnection connection, IEnumerable<string> labels, CancellationToken cancellationToken)
    {
        var list = labels.Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0) return;
        await using var command = new NpgsqlCommand(AddUnmappedSql, connection) { Parameters = { new() { Value = list } } };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
