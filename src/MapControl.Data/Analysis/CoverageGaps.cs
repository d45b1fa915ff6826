using System.Text.Json;
using MapControl.Core.Coverage;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.Analysis;

/// <summary>One coverage check of the database: the change marker of the data it read, the end of its incident window and the report.</summary>
/// <param name="Marker">The <see cref="CoverageGaps.ChangeMarkerAsync"/> read before the input was loaded.</param>
/// <param name="AsOf">End of the 12-month incident window.</param>
/// <param name="Report">The report of <see cref="CoverageCheck.Run"/>: gaps highest risk first (rank = index + 1), overlaps largest first.</param>
public sealed record CoverageGapSnapshot(string Marker, DateTimeOffset AsOf, CoverageReport Report)
{
    /// <summary>The window the gaps' incidents and risk are of (<see cref="CoverageGaps.InWindowAsync"/>); null: the check's 12 months.</summary>
    public GapWindow? Window { get; init; }

    /// <summary>The gaps, ranked by risk (id = rank).</summary>
    public IReadOnlyList<CoverageGap> Gaps => Report.Gaps;
}

/// <summary>A window [From, To) of gap risk.</summary>
public sealed record GapWindow(DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// The gaps of Core's <see cref="CoverageCheck"/> over the current database content (<see cref="CheckAsync"/> with default
/// <see cref="CoverageOptions"/>, as <c>coverage-check --from-db</c>) —
/// kept in memory until <see cref="ChangeMarkerAsync"/> changes; concurrent callers wait for one computation. Thread-safe.
/// </summary>
public sealed class CoverageGaps(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile CoverageGapSnapshot? _snapshot;

    /// <summary>A cache over the data source on the system clock.</summary>
    public CoverageGaps(NpgsqlDataSource dataSource) : this(dataSource, TimeProvider.System) { }

    /// <summary>The gaps of the current content: the cached check while the change marker is unchanged, else a new check.</summary>
    public async Task<CoverageGapSnapshot> CurrentAsync(CancellationToken cancellationToken = default)
    {
        // The marker is read before the input: a change after this read changes the next marker, so it is never cached as current.
        var marker = await ChangeMarkerAsync(cancellationToken).ConfigureAwait(false);
        if (_snapshot is { } cached && cached.Marker == marker) return cached;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot is { } done && done.Marker == marker) return done;
            var asOf = clock.GetUtcNow();
            var report = await CheckAsync(dataSource, asOf, new CoverageOptions(), cancellationToken).ConfigureAwait(false);
            var snapshot = new CoverageGapSnapshot(marker, asOf, report);
            _snapshot = snapshot;
            return snapshot;
        }
        finally { _lock.Release(); }
    }

    /// <summary>
    /// The current gaps with their incidents counted and their risk scored over [<paramref name="from"/>, <paramref name="to"/>)
    /// by Core's <see cref="GapRiskInWindow"/> (the check's weights; wells, key wells, area stay the check's), ranked by that risk.
    /// </summary>
    public async Task<CoverageGapSnapshot> InWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to <= from) throw new ArgumentException("The window's end must be after its start.", nameof(to));
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var gaps = await RescoreAsync(dataSource, current.Report.Gaps, from, to, new CoverageOptions().Risk, cancellationToken).ConfigureAwait(false);
        return current with { Report = current.Report with { Gaps = gaps }, Window = new GapWindow(from, to) };
    }

    /// <summary>
    /// The one coverage check of the stored content as of <paramref name="asOf"/> — the web's gaps (<see cref="CurrentAsync"/>), the OGC
    /// <c>gaps</c> collection, <c>export --layer gaps</c>, <c>coverage-check --from-db</c> and the monthly report — without reading the
    /// 12 months' incidents into memory: Core's <see cref="CoverageCheck"/> runs on the oil zones, current jurisdictions and wells,
    /// then each gap's incidents of the 12 months before <paramref name="asOf"/> are counted and its risk scored by Core's
    /// <see cref="GapRiskInWindow"/> over the incidents PostGIS finds in the gaps' bounding boxes (a superset; the count is Core's).
    /// Memory grows with the gaps' incidents, not the store's.
    /// </summary>
    public static async Task<CoverageReport> CheckAsync(NpgsqlDataSource dataSource, DateTimeOffset asOf, CoverageOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var input = await new AnalysisSource(dataSource).LoadCoverageInputWithoutIncidentsAsync(asOf, cancellationToken).ConfigureAwait(false);
        var report = CoverageCheck.Run(input, options);
        return report with
        {
            Gaps = await RescoreAsync(dataSource, report.Gaps, asOf.AddYears(-1), asOf, options.Risk, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<IReadOnlyList<CoverageGap>> RescoreAsync(NpgsqlDataSource dataSource, IReadOnlyList<CoverageGap> gaps,
        DateTimeOffset from, DateTimeOffset to, GapRiskWeights weights, CancellationToken cancellationToken)
    {
        if (gaps.Count == 0) return gaps;
        var incidents = await new IncidentRepository(dataSource).GetLocationsInBoxesAsync(from, to,
            gaps.Select(g => g.Geometry.EnvelopeInternal).ToList(), cancellationToken).ConfigureAwait(false);
        return GapRiskInWindow.Rescore(gaps, incidents, weights);
    }

    /// <summary>
    /// A text that changes when the input of the check changes: the versions the <c>data_change</c> triggers (migration 0002) keep
    /// for oil zones, jurisdictions, wells and incidents (bumped in the writer's transaction by every statement, so edits by the
    /// CLI or another process count too), and the bounds of the moving 12-month incident window — the oldest incident inside it
    /// (it changes when an incident leaves the window) and the first one at or after now (it changes when one enters). One round
    /// trip of index lookups, whatever the size of the tables.
    /// </summary>
    public async Task<string> ChangeMarkerAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT concat_ws('/', {DataChange.VersionsSql("oil_zone", "jurisdiction", "well", "incident")},
                (SELECT min(occurred_at) FROM incident WHERE occurred_at >= @since),
                (SELECT min(occurred_at) FROM incident WHERE occurred_at >= @now))
            """);
        var now = clock.GetUtcNow();
        cmd.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = now.AddYears(-1).UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime });
        return (string)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// The one shape of a gap feature's properties, at every door (<c>coverage-check</c>, OGC <c>gaps</c>, <c>export --layer gaps</c>,
    /// <c>/api/layers/gaps</c>, the commander's list): rank (1 = highest risk), kind, area_m2, width_m, departments (codes, array),
    /// department_names (" / "-joined; the codes when no names are known), wells, key_wells, incidents_12m, risk. With a window
    /// (<see cref="GapRiskInWindow"/>) incidents_12m is replaced by incidents_window, window_from and window_to (UTC), and risk is
    /// the window's.
    /// </summary>
    /// <param name="gap">A gap of the report.</param>
    /// <param name="rank">Its rank by risk, 1-based (its index in <see cref="CoverageReport.Gaps"/> + 1).</param>
    /// <param name="departmentNames">Department code → name; null when unknown (files).</param>
    /// <param name="window">The window the gap's incidents and risk are of; null for the check's 12 months.</param>
    public static Dictionary<string, object?> Properties(CoverageGap gap, int rank, IReadOnlyDictionary<string, string>? departmentNames = null, GapWindow? window = null)
    {
        ArgumentNullException.ThrowIfNull(gap);
        var p = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["rank"] = rank,
            ["kind"] = "gap",
            ["area_m2"] = Math.Round(gap.AreaM2, 3),
            ["width_m"] = Math.Round(gap.WidthM, 3),
            ["departments"] = JsonSerializer.SerializeToElement(gap.Departments.ToArray()),
            ["department_names"] = string.Join(" / ", gap.Departments.Select(c => departmentNames?.GetValueOrDefault(c) ?? c)),
            ["wells"] = gap.Wells,
            ["key_wells"] = gap.KeyWells,
            ["incidents_12m"] = gap.Incidents,
            ["risk"] = Math.Round(gap.RiskScore, 3),
        };
        if (window is { } w)
        {
            p.Remove("incidents_12m");
            p["incidents_window"] = gap.Incidents;
            p["window_from"] = w.From.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            p["window_to"] = w.To.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }
        return p;
    }

    /// <summary>Department code → name, for <see cref="Properties"/>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DepartmentNamesAsync(CancellationToken cancellationToken = default) =>
        (await new DepartmentRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);
}
