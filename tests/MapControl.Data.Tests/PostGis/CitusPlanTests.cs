using MapControl.Data.PostGis;

namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// The migrated schema (read from pg_catalog) against the rules Citus imposes on the layout declared in <see cref="CitusPlan"/>:
/// every table declared; a distributed table's distribution column exists and is NOT NULL, and every primary key, unique
/// index and exclusion constraint on it contains that column; no foreign key from a reference table to a distributed
/// table; foreign keys between distributed tables join on the distribution columns (co-located).
/// </summary>
public sealed class CitusPlanTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private async Task<List<T>> QueryAsync<T>(string sql, Func<Npgsql.NpgsqlDataReader, T> map)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(map(reader));
        return rows;
    }

    /// <summary>Ordinary and partitioned tables of the public schema, partitions left out (Citus distributes the parent).</summary>
    private Task<List<string>> TablesAsync() => QueryAsync("""
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
        """, r => r.GetString(0));

    [Fact]
    public async Task EveryTable_isDeclaredOnce()
    {
        var tables = await TablesAsync();
        var declared = CitusPlan.Distributed.Keys.Concat(CitusPlan.Reference).Concat(CitusPlan.External).ToList();
        declared.Should().OnlyHaveUniqueItems();
        tables.Except(declared).Should().BeEmpty("every table needs a line in CitusPlan (distributed with its column, or reference)");
        CitusPlan.Distributed.Keys.Concat(CitusPlan.Reference).Except(tables).Should().BeEmpty("the plan names only existing tables");
    }

    [Fact]
    public async Task DistributedTables_uniqueIndexesAndKeys_containTheDistributionColumn()
    {
        var problems = new List<string>();
        foreach (var (table, column) in CitusPlan.Distributed)
        {
            var notNull = await QueryAsync($"""
                SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = '{table}'::regclass AND a.attname = '{column}' AND NOT a.attisdropped
                """, r => r.GetBoolean(0));
            if (notNull.Count == 0) problems.Add($"{table}: no column {column}");
            else if (!notNull[0]) problems.Add($"{table}.{column} may be NULL");

            var unique = await QueryAsync($"""
                SELECT i.relname, array_agg(a.attname::text ORDER BY a.attname)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey)
                WHERE x.indrelid = '{table}'::regclass AND x.indisunique
                GROUP BY i.relname
                """, r => (Index: r.GetString(0), Columns: r.IsDBNull(1) ? [] : r.GetFieldValue<string?[]>(1)));
            problems.AddRange(unique.Where(u => !u.Columns.Contains(column))
                .Select(u => $"{table}: unique index {u.Index} ({string.Join(", ", u.Columns)}) lacks {column}"));

            var exclusion = await QueryAsync($"""
                SELECT conname FROM pg_constraint WHERE conrelid = '{table}'::regclass AND contype = 'x'
                  AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = conrelid AND a.attname = '{column}' AND a.attnum = ANY (conkey))
                """, r => r.GetString(0));
            problems.AddRange(exclusion.Select(e => $"{table}: exclusion constraint {e} lacks {column}"));
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task ForeignKeys_neverFromAReferenceTableToADistributedOne_andCoLocatedBetweenDistributedOnes()
    {
        var keys = await QueryAsync("""
            SELECT c.conname, s.relname, t.relname,
                   (SELECT array_agg(a.attname::text) FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)),
                   (SELECT array_agg(a.attname::text) FROM pg_attribute a WHERE a.attrelid = c.confrelid AND a.attnum = ANY (c.confkey))
            FROM pg_constraint c JOIN pg_class s ON s.oid = c.conrelid JOIN pg_class t ON t.oid = c.confrelid
            WHERE c.contype = 'f' AND NOT s.relispartition
            """, r => (Name: r.GetString(0), From: r.GetString(1), To: r.GetString(2), FromColumns: r.GetFieldValue<string[]>(3),
                ToColumns: r.GetFieldValue<string[]>(4)));
        keys.Should().NotBeEmpty();

        var problems = new List<string>();
        foreach (var key in keys)
        {
            var fromDistributed = CitusPlan.Distributed.TryGetValue(key.From, out var fromColumn);
            var toDistributed = CitusPlan.Distributed.TryGetValue(key.To, out var toColumn);
            if (!fromDistributed && toDistributed)
                problems.Add($"{key.Name}: reference table {key.From} → distributed table {key.To}");
            if (fromDistributed && toDistributed && (!key.FromColumns.Contains(fromColumn) || !key.ToColumns.Contains(toColumn)))
                problems.Add($"{key.Name}: {key.From} → {key.To} does not join on the distribution columns ({fromColumn}, {toColumn})");
        }

        problems.Should().BeEmpty();
    }
}
