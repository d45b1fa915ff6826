using MapControl.Core.Labels;
using Npgsql;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>
/// The incident-kind vocabulary stored in <c>incident_kind</c> (migration 0005): codes with labels, synonyms, colours and
/// the mapped flag. Every door (CLI, web, import) resolves labels through the vocabulary this returns.
/// </summary>
public sealed class IncidentKindRepository(NpgsqlDataSource dataSource)
{
    private const string SelectSql = "SELECT code, label_zh, label_en, synonyms, colour, mapped FROM incident_kind ORDER BY sort_order, code";
    private const string AddUnmappedSql = """
        INSERT INTO incident_kind (code, label_zh, label_en, synonyms, colour, mapped, sort_order)
        SELECT label, label, label, '{}', '#7f7f7f', false, 10000 FROM unnest($1::text[]) AS label
        ON CONFLICT (code) DO NOTHING
        """;
    private const string MapSql = """
        UPDATE incident_kind SET synonyms = array_append(synonyms, $1) WHERE code = $2 AND NOT $1 = ANY (synonyms);
        UPDATE incident SET kind = $2 WHERE kind = $1;
        DELETE FROM incident_kind WHERE code = $1 AND NOT mapped;
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

    /// <summary>
    /// Maps an unmapped label to a kind: the label becomes a synonym of <paramref name="code"/>, stored incidents of the label
    /// take the code, and the unmapped row goes — one transaction.
    /// </summary>
    public async Task MapAsync(string label, string code, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var vocabulary = await LoadAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!vocabulary.Terms.Any(t => t.Code == code && t.Mapped)) throw new ArgumentException($"'{code}' is not a mapped incident kind", nameof(code));
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var sql in MapSql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                batch.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { new() { Value = label }, new() { Value = code } } });
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
