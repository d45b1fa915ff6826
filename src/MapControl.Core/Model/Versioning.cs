namespace MapControl.Core.Model;

/// <summary>Version metadata of a versioned geometry; the current version has no <see cref="ValidTo"/>.</summary>
public sealed record VersionInfo(DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, string EditedBy, string Reason)
{
    /// <summary>True when this version is in force at <paramref name="at"/>.</summary>
    public bool IsInForceAt(DateTimeOffset at) => ValidFrom <= at && (ValidTo is null || at < ValidTo);

    /// <summary>True for the version in force now (no end).</summary>
    public bool IsCurrent => ValidTo is null;
}
