using MapControl.Core.Labels;
using MapControl.Core.Model;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Web.Apis;

/// <summary>
/// The incident-kind vocabulary of the database (<c>incident_kind</c>, the one admins map labels in) for the web: the analyst's
/// kind list and every <c>kind=</c> filter (analysis layers, KPIs) resolve through it, never through the built-in list. Kept in
/// memory while the table's change version is unchanged (the one invalidation scheme, <see cref="DataVersions"/>).
/// </summary>
public sealed class IncidentKindService(IncidentKindRepository repository, DataVersions versions)
{
    private sealed record Kept(long Version, Vocabulary Vocabulary);

    private volatile Kept? _kept;

    /// <summary>The stored vocabulary (mapped kinds first in display order, then kinds kept as written).</summary>
    public async Task<Vocabulary> VocabularyAsync(CancellationToken ct)
    {
        var version = (await versions.CurrentAsync(ct).ConfigureAwait(false))["incident_kind"];
        if (_kept is { } kept && kept.Version == version) return kept.Vocabulary;
        var vocabulary = await repository.LoadAsync(ct).ConfigureAwait(false);
        _kept = new Kept(version, vocabulary);
        return vocabulary;
    }

    /// <summary>The kinds a <c>kind=</c> filter names: a code, a label or synonym, or a label as written in the data; null for all.</summary>
    public async Task<IReadOnlyCollection<IncidentKind>?> FilterAsync(string? kind, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(kind) ? null : [(await VocabularyAsync(ct).ConfigureAwait(false)).Resolve(kind, out _)];
}
