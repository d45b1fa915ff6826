namespace MapControl.Data.PostGis;

/// <summary>
/// A versioned entity was changed by someone else: the current version is not the one the caller edited
/// (optimistic concurrency on jurisdictions and patrol zones).
/// </summary>
public sealed class ConcurrencyException(string entity, string key, long? expectedCurrentId, long? actualCurrentId)
    : Exception($"The {entity} '{key}' was changed by someone else: expected current version {Describe(expectedCurrentId)}, "
                + $"but the current version is {Describe(actualCurrentId)}. Reload and redo the edit.")
{
    /// <summary>The entity table, e.g. "jurisdiction".</summary>
    public string Entity { get; } = entity;

    /// <summary>The department code (jurisdiction) or zone code (patrol zone).</summary>
    public string Key { get; } = key;

    /// <summary>The version id the caller based the edit on (null: the caller expected none).</summary>
    public long? ExpectedCurrentId { get; } = expectedCurrentId;

    /// <summary>The version id that is current in the database (null: none).</summary>
    public long? ActualCurrentId { get; } = actualCurrentId;

    private static string Describe(long? id) => id is null ? "none" : $"#{id}";
}
