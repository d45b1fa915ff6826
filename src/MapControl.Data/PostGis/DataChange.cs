namespace MapControl.Data.PostGis;

/// <summary>The change versions the <c>data_change</c> triggers keep per table (migration 0002, docs/SCHEMA.md).</summary>
public static class DataChange
{
    /// <summary>Tables whose statements bump their version.</summary>
    public static readonly IReadOnlySet<string> Tracked = new HashSet<string>(StringComparer.Ordinal)
        { "oil_zone", "jurisdiction", "well", "incident", "patrol_unit" };

    /// <summary>
    /// A scalar SQL subquery giving the tables' versions as one text (<c>table=version,…</c>), to embed in a change marker:
    /// it changes when a transaction that wrote one of the tables commits, and never returns to an earlier value.
    /// </summary>
    /// <exception cref="ArgumentException">A table is not tracked.</exception>
    public static string VersionsSql(params string[] tables)
    {
        if (tables.Length == 0) throw new ArgumentException("At least one table.", nameof(tables));
        foreach (var t in tables)
        {
            if (!Tracked.Contains(t)) throw new ArgumentException($"Not a table with a change version: {t}.", nameof(tables));
        }
        return $"(SELECT string_agg(table_name || '=' || version, ',' ORDER BY table_name) FROM data_change WHERE table_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))}))";
    }
}
