using Npgsql;

namespace MapControl.Data.Import;

/// <summary>
/// The large-import path of the incident table (docs/DEFINITIONS.md, "Incident import: one COPY, all or nothing"): inside the
/// import's one transaction, <c>incident</c> and the tables its foreign keys reference are locked ACCESS EXCLUSIVE, the
/// table's keys (primary, foreign) and indexes are dropped, the rows are written, and everything is put back from the
/// definitions the catalog held (the migrations stay the one place that defines them): the primary key and the indexes are
/// built once over the table, the foreign keys validated by one set-based query per partition instead of a lookup per row.
/// A failure of any step rolls back the transaction, and with it the drops (DDL is transactional).
/// </summary>
internal static class IncidentBulkLoad
{
    /// <summary>What was set aside: statements that put it back, in order (primary key, indexes, foreign keys).</summary>
    internal sealed record SetAside(IReadOnlyList<string> Restore);

    /// <summary>
    /// Putting the keys and indexes back costs per stored row about a third of what keeping them costs per written row
    /// (measured, docs/DEFINITIONS.md): the large path pays only when the file holds at least a third as many rows as the table.
    /// </summary>
    public const int StoredRowsPerImportedRow = 3;

    /// <summary>
    /// True when <paramref name="rows"/> is at least a third of the rows stored in <c>incident</c>, as the catalog estimates them
    /// (reltuples of the partitions, no lock taken; a partition never analysed counts as empty). The estimate decides speed only.
    /// </summary>
    public static async Task<bool> WorthItAsync(NpgsqlConnection conn, int rows, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'incident'::regclass
            """, conn);
        var stored = (double)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        return (double)rows * StoredRowsPerImportedRow >= stored;
    }

    /// <summary>
    /// Takes the locks: <c>incident</c> and the tables its foreign keys reference (department, oil zone), ACCESS EXCLUSIVE, all in
    /// one statement at the start of the transaction (dropping a foreign key needs this lock on the referenced table too; taken
    /// here, before the import reads them, it is never an upgrade that could deadlock with another import).
    /// </summary>
    public static async Task LockAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var referenced = new List<string>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT DISTINCT format('%I.%I', n.nspname, r.relname) FROM pg_constraint c
              JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace n ON n.oid = r.relnamespace
             WHERE c.conrelid = 'incident'::regclass AND c.contype = 'f' AND c.conparentid = 0 ORDER BY 1
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) referenced.Add(r.GetString(0));
        await using var lockTables = new NpgsqlCommand($"LOCK TABLE {string.Join(", ", referenced.Append("incident"))} IN ACCESS EXCLUSIVE MODE", conn);
        await lockTables.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Drops the keys and indexes of <c>incident</c> (its parent's, which the partitions inherit), keeping what puts them back.</summary>
    public static async Task<SetAside> DropAsync(NpgsqlConnection conn, int timeoutSeconds, CancellationToken ct)
    {
        var constraints = new List<(string Name, char Type, string Definition)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid = 'incident'::regclass AND contype IN ('p', 'u', 'f') AND conparentid = 0
             ORDER BY contype DESC, conname
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) constraints.Add((r.GetString(0), r.GetChar(1), r.GetString(2)));
        var indexes = new List<(string Name, string Definition)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT format('%I', c.relname), pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = 'incident'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
             ORDER BY 1
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) indexes.Add((r.GetString(0), r.GetString(1)));

        var drop = new List<string>();
        if (constraints.Count > 0) drop.Add($"ALTER TABLE incident {string.Join(", ", constraints.Select(c => $"DROP CONSTRAINT {Quote(c.Name)}"))}");
        if (indexes.Count > 0) drop.Add($"DROP INDEX {string.Join(", ", indexes.Select(i => i.Name))}");
        foreach (var sql in drop)
        {
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = timeoutSeconds };
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        // The catalog writes a partitioned table's index as "ON ONLY" (the parent alone); built again it must cover the partitions.
        var restore = new List<string>();
        restore.AddRange(constraints.Where(c => c.Type is 'p' or 'u').Select(c => $"ALTER TABLE incident ADD CONSTRAINT {Quote(c.Name)} {c.Definition}"));
        restore.AddRange(indexes.Select(i => i.Definition.Replace(" ON ONLY ", " ON ", StringComparison.Ordinal)));
        var foreign = constraints.Where(c => c.Type == 'f').Select(c => $"ADD CONSTRAINT {Quote(c.Name)} {c.Definition}").ToList();
        if (foreign.Count > 0) restore.Add($"ALTER TABLE incident {string.Join(", ", foreign)}");
        return new SetAside(restore);
    }

    /// <summary>
    /// Puts back what <see cref="DropAsync"/> set aside: builds the primary key and the indexes, adds and validates the foreign keys.
    /// A stored row that breaks a key throws (<see cref="PostgresException"/> 23503 or 23505); the caller rolls back.
    /// </summary>
    public static async Task RestoreAsync(NpgsqlConnection conn, SetAside setAside, int timeoutSeconds, Action<string>? trace, CancellationToken ct)
    {
        // Index builds sort: more memory than the default 64 MB makes them one pass (this transaction only).
        await using (var memory = new NpgsqlCommand("SET LOCAL maintenance_work_mem = '256MB'", conn))
            await memory.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        foreach (var sql in setAside.Restore)
        {
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = timeoutSeconds };
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            trace?.Invoke(sql.Length > 90 ? sql[..90] + "…" : sql);
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
