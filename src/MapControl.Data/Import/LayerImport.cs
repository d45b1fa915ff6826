using System.Globalization;
using MapControl.Data.Files;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using MapControl.Core.Model;
using MapControl.Core.Spatial;
using MapControl.Data.Editing;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.Import;

/// <summary>Options of an import.</summary>
/// <param name="Mapping">Target field → source attribute name; unmapped targets use the attribute of the same name (case-insensitive).</param>
/// <param name="DryRun">Check and count inserts/updates, store nothing.</param>
/// <param name="EditedBy">Who imports (jurisdiction versions, audit log).</param>
/// <param name="Reason">Why (jurisdiction versions).</param>
/// <param name="Extent">Coordinates outside (minLon, minLat, maxLon, maxLat) are rejected; default: China.</param>
/// <param name="Editor">The signed-in user whose rights apply (<see cref="EditRights"/>); null: the database operator (the CLI), all rights.</param>
public sealed record ImportOptions(IReadOnlyDictionary<string, string>? Mapping = null, bool DryRun = false, string EditedBy = "import",
    string Reason = "import", (double MinLon, double MinLat, double MaxLon, double MaxLat)? Extent = null, User? Editor = null)
{
    /// <summary>Diagnostics (<c>mapcontrol import --timings</c>): one line per phase of the import; null for none.</summary>
    public Action<string>? Trace { get; init; }

    /// <summary>
    /// How long one bulk statement of the import (the COPY, the deletion of replaced cases) may take: 10⁶ rows with their
    /// indexes and checks take minutes on a busy server, more than a query's default 30 s.
    /// </summary>
    public TimeSpan BulkTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// From how many rows an incident import takes the large-import path (<see cref="IncidentBulkLoad"/>): the incident table and
    /// the tables its foreign keys reference locked for the import's duration, keys and indexes dropped and put back once, when
    /// the file also holds at least a third as many rows as the table (<see cref="IncidentBulkLoad.WorthItAsync"/>;
    /// docs/DEFINITIONS.md, "Incident import: one COPY, all or nothing", says why). Tests lower it to run that path fast.
    /// </summary>
    public int LargeImportRows { get; init; } = DefaultLargeImportRows;

    /// <summary>The default of <see cref="LargeImportRows"/>.</summary>
    public const int DefaultLargeImportRows = 50_000;

    /// <summary>The default plausibility extent (China, with margin).</summary>
    public static readonly (double, double, double, double) China = EditGeometry.China;
}

/// <summary>A label of an open-vocabulary field (a kind) that the vocabulary lacks: kept as written, with the rows that carry it.</summary>
public sealed record UnmappedLabel(string Field, string Label, int Rows);

/// <summary>A refused row: where (as "feature N", 1-based in file order, or as the reader named it) and why.</summary>
public sealed record ImportRejection(string Where, string Reason);

/// <summary>What an import did or, in a dry run, would do.</summary>
public sealed record ImportReport(string Layer, string SourceFormat, int SourceSrid, string SourceCrsName, int Rows, int Inserts, int Updates,
    IReadOnlyList<ImportRejection> Rejections, bool DryRun, bool Committed)
{
    /// <summary>True when the editor may not write some row (nothing stored); the rejections say which and why.</summary>
    public bool Forbidden { get; init; }

    /// <summary>What the import noticed without refusing: labels kept as unmapped kinds, optional fields the file lacks.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Labels the vocabularies lack, kept as written and listed for mapping (most rows first).</summary>
    public IReadOnlyList<UnmappedLabel> Unmapped { get; init; } = [];

    /// <summary>True when no row was refused.</summary>
    public bool Accepted => Rejections.Count == 0;
}

/// <summary>Imports a feature file into one layer: mapping, checks per row, all or nothing in one transaction.</summary>
public static class LayerImport
{
    /// <summary>
    /// Reads <paramref name="path"/> and imports it into <paramref name="layer"/> (as <see cref="RunAsync(NpgsqlDataSource, ImportLayer, FeatureSet, ImportOptions, CancellationToken)"/>
    /// does the features <see cref="FeatureFiles.Read"/> gives). Incidents from a table (CSV, XLSX) take the typed path: each row
    /// checked as it is read, by the same checks, and kept as the incident it stores (no per-row dictionaries; 10⁶ rows).
    /// A <see cref="FeatureFileException"/> for a file that cannot be read.
    /// </summary>
    public static async Task<(FeatureSet Features, ImportReport Report)> RunFileAsync(NpgsqlDataSource dataSource, ImportLayer layer, string path,
        FeatureReadOptions read, ImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (layer != ImportLayer.Incidents || !TabularReader.IsTabular(path))
        {
            var set = FeatureFiles.Read(path, read);
            options.Trace?.Invoke($"read {set.Features.Count} features");
            return (set, await RunAsync(dataSource, layer, set, options, cancellationToken).ConfigureAwait(false));
        }
        if (!File.Exists(path)) FeatureFiles.Read(path, read); // the reader's error for a missing file, before the database is asked
        var spec = ImportLayers.Get(layer);
        Dictionary<string, MapControl.Core.Labels.Vocabulary> vocabularies;
        IncidentPlaces? places = null;
        try
        {
            await using (var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                vocabularies = await VocabulariesAsync(conn, spec, cancellationToken).ConfigureAwait(false);
                // The rows are attributed (the one rule) on another thread while the file is read; the COPY uses these places
                // only if the jurisdictions and oil zones are still those they were computed from (the basis, read first).
                if (!options.DryRun)
                {
                    var basis = await IncidentRepository.AttributionBasisAsync(conn, cancellationToken).ConfigureAwait(false);
                    places = new IncidentPlaces(await IncidentRepository.LoadAttributionAsync(conn, cancellationToken).ConfigureAwait(false), basis);
                }
            }
            // Incidents carry no department or oil zone code (attributed by the rule), so the check needs neither key set.
            var worker = new Worker(spec, options, [], [], [], vocabularies) { Places = places };
            var table = TabularFormat.Read(path, read, worker);
            places?.Complete();
            options.Trace?.Invoke($"read and checked {table.Features.Count} rows, {worker.Rejections.Count} rejected");
            return (table, await RunAsync(dataSource, spec, table, worker, options, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            places?.Dispose();
        }
    }

    private static async Task<Dictionary<string, MapControl.Core.Labels.Vocabulary>> VocabulariesAsync(NpgsqlConnection conn, ImportLayerSpec spec, CancellationToken ct)
    {
        var vocabularies = new Dictionary<string, MapControl.Core.Labels.Vocabulary>(StringComparer.Ordinal);
        foreach (var field in spec.Fields.Where(f => f.Stored is not null))
            vocabularies[field.Name] = field.Stored == ImportLayers.IncidentKindStore
                ? await IncidentKindRepository.LoadAsync(conn, ct).ConfigureAwait(false)
                : await FieldLabelRepository.LoadAsync(conn, field.Stored!, ct).ConfigureAwait(false);
        return vocabularies;
    }

    /// <summary>Imports <paramref name="features"/> into <paramref name="layer"/>; any rejected row rejects the whole file (nothing stored).</summary>
    public static Task<ImportReport> RunAsync(NpgsqlDataSource dataSource, ImportLayer layer, FeatureSet features, ImportOptions options,
        CancellationToken cancellationToken) => RunAsync(dataSource, ImportLayers.Get(layer), features, null, options, cancellationToken);

    // typed: the worker of the typed path, which has checked the rows as they were read (its Incidents).
    private static async Task<ImportReport> RunAsync(NpgsqlDataSource dataSource, ImportLayerSpec spec, FeatureSet features, Worker? typed, ImportOptions options,
        CancellationToken cancellationToken)
    {
        var layer = spec.Layer;
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // A large incident import locks its tables first, before it reads them (docs/DEFINITIONS.md: readers wait until it commits).
        var large = layer == ImportLayer.Incidents && !options.DryRun && features.Features.Count >= options.LargeImportRows
            && await IncidentBulkLoad.WorthItAsync(conn, features.Features.Count, cancellationToken).ConfigureAwait(false);
        if (large)
        {
            await IncidentBulkLoad.LockAsync(conn, cancellationToken).ConfigureAwait(false);
            options.Trace?.Invoke("large import: incident, department and oil_zone locked");
        }
        var departments = await KeysAsync(conn, "SELECT code FROM department", cancellationToken).ConfigureAwait(false);
        var zones = await KeysAsync(conn, "SELECT code FROM oil_zone", cancellationToken).ConfigureAwait(false);

        // Rows the reader had to repair are refused with the reader's reason (an import must not store a silently changed shape).
        var repaired = new Dictionary<int, string>();
        var unplaced = new List<ImportRejection>();
        foreach (var note in features.Notes.Where(n => n.Contains("repaired invalid geometry", StringComparison.Ordinal)))
        {
            var cut = note.IndexOf(": ", StringComparison.Ordinal);
            var reason = "invalid geometry: " + (cut > 0 ? note[(cut + 2)..] : note).Replace("repaired invalid geometry ", "").Trim('(', ')');
            var m = System.Text.RegularExpressions.Regex.Match(note, @"^(?:feature|record|Placemark) (\d+)");
            if (m.Success) repaired[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] = reason;
            else unplaced.Add(new ImportRejection(cut > 0 ? note[..cut] : "?", reason));
        }
        // Open vocabularies (kinds) resolve through the database's vocabulary, the one admins map labels in.
        var worker = typed ?? new Worker(spec, options, departments, zones, repaired, await VocabulariesAsync(conn, spec, cancellationToken).ConfigureAwait(false));
        options.Trace?.Invoke("vocabularies and keys loaded");
        var rows = typed is null ? worker.Check(features) : [];
        // The incidents to store: checked as read (typed path), else made from the checked rows.
        var incidents = typed?.Incidents ?? (layer == ImportLayer.Incidents ? ToIncidents(rows) : null);
        var rowCount = incidents?.Count ?? rows.Count;
        options.Trace?.Invoke($"{rowCount} rows checked, {worker.Rejections.Count} rejected");
        var rejections = worker.Rejections;
        rejections.AddRange(unplaced);
        var refusals = Refusals(spec, rows, options);
        // The existing keys decide inserts vs updates.
        // Jurisdictions: the current versions are locked, so that each new version is based on the one current now (one save path).
        var currentJurisdictions = new Dictionary<string, long>(StringComparer.Ordinal);
        if (spec.Layer == ImportLayer.Jurisdictions)
        {
            await using var lockCurrent = new NpgsqlCommand("SELECT department_code, id FROM jurisdiction WHERE valid_to IS NULL FOR UPDATE", conn);
            await using var r = await lockCurrent.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) currentJurisdictions[r.GetString(0)] = r.GetInt64(1);
        }
        // A layer without a key (roads) is replaced as a whole: every row is an insert.
        var keyed = spec.Key.Length > 0;
        var existing = !keyed ? [] : spec.Layer == ImportLayer.Jurisdictions
            ? currentJurisdictions.Keys.ToHashSet(StringComparer.Ordinal)
            : await KeysAsync(conn, $"SELECT {spec.Key} FROM {spec.Table}", cancellationToken).ConfigureAwait(false);
        List<string> keys = !keyed ? [] : incidents is not null ? incidents.Select(i => i.Code).ToList() : rows.Select(r => (string)r.Values[spec.Key]!).ToList();
        var updates = keys.Count(existing.Contains);
        var report = new ImportReport(spec.Name, features.SourceFormat, features.SourceSrid, features.SourceCrsName, features.Features.Count,
            keyed ? keys.Count - updates : rowCount, updates, refusals.Count > 0 ? refusals : rejections, options.DryRun, Committed: false)
        { Forbidden = refusals.Count > 0, Notes = worker.Notes(features), Unmapped = worker.UnmappedLabels() };
        if (spec.Layer == ImportLayer.Roads && refusals.Count == 0 && rejections.Count == 0)
        {
            // The one noding path, in this transaction (a dry run nodes too, to report what it would make, then rolls back).
            var lines = rows.SelectMany(r => Parts(r.Geometry).Select(part => new RoadLine(r.Values["name"] as string, (string)r.Values["kind"]!, part))).ToList();
            var network = await Routing.RoadNetwork.ReplaceAsync(conn, lines, cancellationToken).ConfigureAwait(false);
            report = report with
            {
                Notes = [.. report.Notes, $"the road network is replaced: {network.Lines} lines noded into {network.Segments} segments between {network.Vertices} vertices"],
            };
        }
        if (refusals.Count > 0 || rejections.Count > 0 || options.DryRun)
        {
            await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return report;
        }
        var now = DateTimeOffset.UtcNow;
        if (spec.Layer == ImportLayer.Incidents)
        {
            // One binary COPY (10⁶ rows in seconds, not one round trip per row); cases of a code already stored are replaced.
            // Each incident gets its department and oil zone from the one rule (Core IncidentAttribution) in the copied row.
            // A large one drops the table's keys and indexes and puts them back after the COPY: a stored row that breaks a key
            // (none should: the checks above and the lock forestall it) refuses the import, nothing stored, the keys back as they were.
            try
            {
                await CopyIncidentsAsync(conn, incidents!, keys.Where(existing.Contains).ToArray(), large, typed?.Places, options, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (large && e.SqlState is PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.UniqueViolation)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return report with { Rejections = [new ImportRejection("stored rows", $"the keys checked after the COPY refuse the import: {e.MessageText}" + (e.Detail is { } d ? $" ({d})" : ""))] };
            }
        }
        else
        {
            foreach (var row in rows)
            {
                if (spec.Layer == ImportLayer.Jurisdictions)
                {
                    var department = (string)row.Values["department_code"]!;
                    await VersionedEdits.SaveImportedJurisdictionAsync(conn, department, (MultiPolygon)row.Geometry,
                        currentJurisdictions.TryGetValue(department, out var id) ? id : null, options.EditedBy, options.Reason, cancellationToken).ConfigureAwait(false);
                }
                else if (spec.Layer != ImportLayer.Roads) await WriteAsync(conn, spec, row, options, now, cancellationToken).ConfigureAwait(false);
            }
        }
        // Labels the vocabularies lack become unmapped terms, listed for an admin to map (mapped = false).
        foreach (var field in spec.Fields.Where(f => f.Stored is not null && worker.Unmapped.ContainsKey(f.Name)))
        {
            var labels = worker.Unmapped[field.Name].Keys;
            if (field.Stored == ImportLayers.IncidentKindStore) await IncidentKindRepository.AddUnmappedAsync(conn, labels, cancellationToken).ConfigureAwait(false);
            else await FieldLabelRepository.AddUnmappedAsync(conn, field.Stored!, labels, cancellationToken).ConfigureAwait(false);
        }
        // New oil zones, and the first jurisdictions of a database, change the attribution of incidents already stored.
        if (spec.Layer is ImportLayer.OilZones or ImportLayer.Jurisdictions) await IncidentRepository.AttributeAsync(conn, null, cancellationToken).ConfigureAwait(false);
        await using (var audit = new NpgsqlCommand("INSERT INTO audit_log (actor, action, entity, entity_key, after) VALUES (@a, 'import', @e, @k, @j::jsonb)", conn))
        {
            audit.Parameters.AddWithValue("a", options.EditedBy);
            audit.Parameters.AddWithValue("e", spec.Table);
            audit.Parameters.AddWithValue("k", spec.Name);
            audit.Parameters.AddWithValue("j", System.Text.Json.JsonSerializer.Serialize(new { rows = rowCount, inserts = report.Inserts, updates, options.Reason }));
            await audit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return report with { Committed = true };
    }

    /// <summary>
    /// The rows the editor may not write (<see cref="EditRights"/>): a jurisdiction of a department not theirs; any row of a
    /// centre-wide layer for a user who is not of the centre. The database operator (no editor) may write everything.
    /// </summary>
    private static List<ImportRejection> Refusals(ImportLayerSpec spec, List<Row> rows, ImportOptions options)
    {
        var refusals = new List<ImportRejection>();
        if (options.Editor is not { } editor) return refusals;
        if (spec.Layer != ImportLayer.Jurisdictions)
        {
            if (!EditRights.CanEditCentre(editor)) refusals.Add(new ImportRejection("file", EditRights.Refusal(editor, null)));
            return refusals;
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var department = (string)rows[i].Values["department_code"]!;
            if (!EditRights.CanEdit(editor, department)) refusals.Add(new ImportRejection($"row {i + 1} ({department})", EditRights.Refusal(editor, department)));
        }
        return refusals;
    }

    private static IEnumerable<LineString> Parts(Geometry g) =>
        Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<LineString>().Where(l => !l.IsEmpty);

    private static async Task<HashSet<string>> KeysAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) set.Add(r.GetString(0));
        return set;
    }

    internal sealed record Row(Geometry Geometry, Dictionary<string, object?> Values);

    /// <summary>
    /// Writes checked incident rows with binary COPY on the import's connection and transaction: first the yearly partitions their
    /// times need, then the stored cases of the codes being replaced are deleted (one statement), then one COPY with the
    /// attribution of each row (<see cref="IncidentRepository.CopyAsync"/>, the bulk path of every incident write).
    /// </summary>
    private static List<Incident> ToIncidents(List<Row> rows)
    {
        var kinds = new IncidentNames();
        var incidents = new List<Incident>(rows.Count);
        foreach (var row in rows)
        {
            var v = row.Values;
            incidents.Add(ToIncident((Point)row.Geometry, v["code"], v["kind"], v["occurred_at"], v["discovered_at"], v["discovered_by"], v["oil_recovered_t"], v["status"], kinds));
        }
        return incidents;
    }

    /// <summary>The incident a checked row stores (its values as the check gives them); kinds and names shared through <paramref name="names"/>.</summary>
    private static Incident ToIncident(Point point, object? code, object? kindCode, object? occurredAt, object? discoveredAt, object? discoveredBy,
        object? oilRecovered, object? status, IncidentNames names)
    {
        if (!names.Kinds.TryGetValue((string)kindCode!, out var kind)) names.Kinds[(string)kindCode!] = kind = new IncidentKind((string)kindCode!);
        return new Incident((string)code!, kind, AsUtc((DateTime)occurredAt!), discoveredAt is DateTime found ? AsUtc(found) : null,
            names.Parse(names.Sources, (string)discoveredBy!), point, oilRecovered is double oil ? oil : 0.0, names.Parse(names.Statuses, (string)status!));

        static DateTimeOffset AsUtc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
    }

    /// <summary>The kinds and the stored names of an import's incidents, each distinct one made or parsed once (10⁶ rows, a handful of names).</summary>
    private sealed class IncidentNames
    {
        public Dictionary<string, IncidentKind> Kinds { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, DiscoverySource> Sources { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, IncidentStatus> Statuses { get; } = new(StringComparer.Ordinal);

        public TEnum Parse<TEnum>(Dictionary<string, TEnum> parsed, string name) where TEnum : struct, Enum =>
            parsed.TryGetValue(name, out var value) ? value : parsed[name] = DomainNames.Parse<TEnum>(name);
    }

    // places: the rows' departments and oil zones computed while the file was read (the typed path), used when still current.
    private static async Task CopyIncidentsAsync(NpgsqlConnection conn, List<Incident> incidents, string[] replaced, bool large, IncidentPlaces? places,
        ImportOptions options, CancellationToken ct)
    {
        var timeout = (int)Math.Ceiling(options.BulkTimeout.TotalSeconds);
        if (incidents.Count == 0) return;
        // Large: keys and indexes set aside first (the partitions created and the deletion below then maintain none of them).
        var setAside = large ? await IncidentBulkLoad.DropAsync(conn, timeout, ct).ConfigureAwait(false) : null;
        if (setAside is not null) options.Trace?.Invoke("keys and indexes of incident dropped");
        await IncidentRepository.EnsurePartitionsAsync(conn, incidents, ct).ConfigureAwait(false);
        options.Trace?.Invoke("partitions ensured");
        if (replaced.Length > 0)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM incident i USING unnest($1::text[]) AS r(code) WHERE i.code = r.code", conn)
            {
                CommandTimeout = timeout,
                Parameters = { new NpgsqlParameter { Value = replaced } },
            };
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            options.Trace?.Invoke($"{replaced.Length} stored cases deleted (replaced)");
        }
        if (places is not null && places.Basis == await IncidentRepository.AttributionBasisAsync(conn, ct).ConfigureAwait(false))
        {
            options.Trace?.Invoke("jurisdictions and oil zones unchanged since the rows were attributed while reading");
            await IncidentRepository.CopyPlacedAsync(conn, incidents, places.Attribution, places, ct, options.BulkTimeout).ConfigureAwait(false);
        }
        else
        {
            var attribution = await IncidentRepository.LoadAttributionAsync(conn, ct).ConfigureAwait(false);
            options.Trace?.Invoke("attribution loaded");
            await IncidentRepository.CopyAsync(conn, incidents, attribution, ct, options.BulkTimeout).ConfigureAwait(false);
        }
        options.Trace?.Invoke($"{incidents.Count} rows copied");
        if (setAside is not null)
        {
            await IncidentBulkLoad.RestoreAsync(conn, setAside, timeout, options.Trace is { } t ? s => t("restored: " + s) : null, ct).ConfigureAwait(false);
            options.Trace?.Invoke("keys and indexes of incident built and validated");
        }
    }

    private static async Task WriteAsync(NpgsqlConnection conn, ImportLayerSpec spec, Row row, ImportOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var names = spec.Fields.Select(f => f.Name).ToList();
        string sql;
        if (spec.Layer == ImportLayer.Incidents)
        {
            // The key of the partitioned table is (code, occurred_at): replace a case of the same code.
            sql = $"DELETE FROM incident WHERE code = @code; INSERT INTO incident ({string.Join(", ", names)}, geom) VALUES ({string.Join(", ", names.Select(n => "@" + n))}, @geom)";
        }
        else
        {
            var updates = string.Join(", ", names.Where(n => n != spec.Key).Select(n => $"{n} = EXCLUDED.{n}").Append("geom = EXCLUDED.geom"));
            sql = $"INSERT INTO {spec.Table} ({string.Join(", ", names)}, geom) VALUES ({string.Join(", ", names.Select(n => "@" + n))}, @geom) ON CONFLICT ({spec.Key}) DO UPDATE SET {updates}";
        }
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var f in spec.Fields)
        {
            var v = row.Values.GetValueOrDefault(f.Name);
            cmd.Parameters.Add(new NpgsqlParameter(f.Name, f.Type switch
            {
                ImportFieldType.Boolean => NpgsqlDbType.Boolean,
                ImportFieldType.Number => NpgsqlDbType.Double,
                ImportFieldType.Timestamp => NpgsqlDbType.TimestampTz,
                ImportFieldType.Date => NpgsqlDbType.Date,
                _ => NpgsqlDbType.Text,
            }) { Value = v ?? DBNull.Value });
        }
        cmd.Parameters.Add(new NpgsqlParameter("geom", row.Geometry));
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("by", options.EditedBy);
        cmd.Parameters.AddWithValue("reason", options.Reason);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Checks and converts rows; collects rejections.</summary>
    private sealed class Worker(ImportLayerSpec spec, ImportOptions options, HashSet<string> departments, HashSet<string> zones,
        Dictionary<int, string> repaired, Dictionary<string, MapControl.Core.Labels.Vocabulary> vocabularies) : TabularFormat.IRows
    {
        // Each field's place in a row's values (the checks below read them by name).
        private readonly Dictionary<string, int> _index = spec.Fields.Select((f, k) => (f.Name, k)).ToDictionary(x => x.Name, x => x.k, StringComparer.Ordinal);
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<ImportRejection> Rejections { get; } = [];

        /// <summary>Per open-vocabulary field: labels kept as written, with their row counts.</summary>
        public Dictionary<string, Dictionary<string, int>> Unmapped { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<UnmappedLabel> UnmappedLabels() =>
            Unmapped.SelectMany(f => f.Value.Select(kv => new UnmappedLabel(f.Key, kv.Key, kv.Value)))
                .OrderByDescending(u => u.Rows).ThenBy(u => u.Field, StringComparer.Ordinal).ThenBy(u => u.Label, StringComparer.Ordinal).ToArray();


        /// <summary>The report's notes: unmapped labels and optional fields no row had.</summary>
        public IReadOnlyList<string> Notes(FeatureSet set)
        {
            var notes = new List<string>();
            foreach (var (field, labels) in Unmapped.Where(u => u.Value.Count > 0))
                notes.Add($"{labels.Count} {(field == "kind" ? "kinds" : field + " labels")} not in the vocabulary, kept as written and listed for mapping: " +
                    string.Join(", ", labels.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10).Select(kv => $"\"{kv.Key}\" ×{kv.Value}")));
            var missing = spec.Fields.Select((f, k) => (f, k)).Where(x => !x.f.Required && set.Features.Count > 0
                && (_present is { } present ? !present[x.k] : set.Features.All(r => Source(r.Properties, x.f.Name) is null))).Select(x => x.f.Name).ToList();
            if (WithoutDiscoveryTime > 0 && !missing.Contains("discovered_at"))
                notes.Add($"{WithoutDiscoveryTime} cases without a discovery time: stored empty, left out of the timely-discovery rate");
            if (missing.Count > 0)
                notes.Add($"no column for {string.Join(", ", missing)}: " + string.Join("; ", missing.Select(m => m switch
                {
                    "discovered_at" => "discovery time unknown: stored empty, these cases are left out of the timely-discovery rate",
                    "oil_recovered_t" => "no oil recovered counted",
                    _ => $"{m} defaults to {spec.Fields.First(f => f.Name == m).Default ?? "empty"}",
                })));
            return notes;
        }

        /// <summary>Incident rows without a discovery time (kept empty, never set to the occurrence time).</summary>
        public int WithoutDiscoveryTime { get; private set; }

        public List<Row> Check(FeatureSet set)
        {
            var rows = new List<Row>();
            var extent = options.Extent ?? ImportOptions.China;
            for (var i = 0; i < set.Features.Count; i++)
            {
                var f = set.Features[i];
                string? error = repaired.GetValueOrDefault(i + 1);
                var geometry = error is null ? Shape(f.Geometry, ref error) : null;
                if (geometry is not null) error = EditGeometry.Problem(geometry, extent);
                var values = new object?[spec.Fields.Count];
                for (var k = 0; k < spec.Fields.Count && error is null; k++)
                {
                    var raw = Source(f.Properties, spec.Fields[k].Name);
                    error = Accept(k, raw is null || (raw is string s0 && string.IsNullOrWhiteSpace(s0)) ? null : raw, values);
                }
                error ??= RowProblem(values);
                if (error is not null) { Rejections.Add(new ImportRejection($"feature {i + 1}", error)); continue; }
                if (spec.Layer == ImportLayer.Incidents && V(values, "discovered_at") is null) WithoutDiscoveryTime++;
                var named = new Dictionary<string, object?>(spec.Fields.Count, StringComparer.Ordinal); // sized once: no growth per row
                for (var k = 0; k < spec.Fields.Count; k++) named[spec.Fields[k].Name] = values[k];
                rows.Add(new Row(geometry!, named));
            }
            return rows;
        }

        private object? V(object?[] values, string field) => _index.TryGetValue(field, out var k) ? values[k] : null;

        /// <summary>Field <paramref name="k"/> of a row from its value in the file (null: none or empty): converted into <paramref name="values"/>, or why not.</summary>
        private string? Accept(int k, object? raw, object?[] values)
        {
            var field = spec.Fields[k];
            if (raw is null)
            {
                if (field.Required) return $"missing {field.Name}" + (Mapped(field.Name) is { } m ? $" (mapped from '{m}')" : "");
                values[k] = field.Default;
                return null;
            }
            return TryConvert(field, raw, out var value, out var why) ? Keep(k, value, values) : $"{field.Name}: {why}";
        }

        private string? Keep(int k, object? value, object?[] values)
        {
            var field = spec.Fields[k];
            if (field.Labels is not null && field.Allowed is null && value is string label && IsUnmapped(field, label))
            {
                var counts = Unmapped.TryGetValue(field.Name, out var c) ? c : Unmapped[field.Name] = new Dictionary<string, int>(StringComparer.Ordinal);
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
            values[k] = value;
            return null;
        }

        /// <summary>The checks of a row across its fields (keys, duplicates, lengths, times), after each field converted.</summary>
        private string? RowProblem(object?[] values)
        {
            if (V(values, "department_code") is string d && !departments.Contains(d)) return $"unknown department '{d}'";
            if (V(values, "oil_zone_code") is string z && !zones.Contains(z) && spec.Layer != ImportLayer.OilZones) return $"unknown oil zone '{z}'";
            if (V(values, spec.Key) is string key && !_seen.Add(key)) return $"{spec.Key} '{key}' appears twice in the file";
            for (var k = 0; k < spec.Fields.Count; k++)
                if (spec.Fields[k].Stored is not null && values[k] is string { Length: > 200 } longLabel)
                    return $"{spec.Fields[k].Name}: {longLabel.Length} characters, at most 200"; // an open vocabulary's codes (migrations 0005, 0012)
            if (spec.Layer == ImportLayer.Roads && V(values, "name") is string { Length: > 200 } longName) return $"name: {longName.Length} characters, at most 200";
            if (spec.Layer == ImportLayer.Roads && V(values, "kind") is string { Length: > 50 } longKind) return $"kind: {longKind.Length} characters, at most 50";
            if (spec.Layer == ImportLayer.Incidents && V(values, "discovered_at") is DateTime da && V(values, "occurred_at") is DateTime oa && da < oa)
                return "discovered_at is before occurred_at";
            return null;
        }

        // The typed path (RunFileAsync, incidents from a table): the columns of each field resolved once from the header by the
        // same rule as Source; each row checked as it is read by Accept/Keep/RowProblem, text cells parsed from their spans
        // (labels found in the label cache without a string), and kept as the incident it stores.
        public List<Incident> Incidents { get; } = [];

        /// <summary>Where each kept incident is also handed, in order, to be attributed while the file is read; null for none.</summary>
        public IncidentPlaces? Places { get; init; }

        private (int Name, int Alias, int Cut)[] _columns = [];
        private bool[]? _present;
        private object?[] _row = [];
        private Dictionary<string, (object? Value, string Why)>.AlternateLookup<ReadOnlySpan<char>>[] _labelLookups = [];
        private readonly IncidentNames _kinds = new();

        public void Header(IReadOnlyList<(string Name, int Column)> properties)
        {
            var props = new Dictionary<string, object?>(StringComparer.Ordinal);
            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (name, column) in properties)
            {
                props[name] = null;
                columns[name] = column;
            }
            _columns = [.. spec.Fields.Select(f => SourceNames(props, f.Name)).Select(s =>
                (s.Name is null ? -1 : columns[s.Name], s.Alias is null ? -1 : columns[s.Alias], s.Cut is null ? -1 : columns[s.Cut]))];
            _present = new bool[spec.Fields.Count];
            _row = new object?[spec.Fields.Count];
            _labelLookups = [.. spec.Fields.Select(f => LabelCache(f.Name).GetAlternateLookup<ReadOnlySpan<char>>())];
        }

        public void Row(TabularReader reader, int index, Point point)
        {
            // Which optional fields some row has (the notes), whether or not the row is refused.
            for (var k = 0; k < _present!.Length; k++)
                if (!_present[k] && Column(reader, k) is >= 0 and var at && !(reader.IsTextCell(at) ? reader.Text(at).IsEmpty : reader.Value(at) is null)) _present[k] = true;
            string? error = null;
            var geometry = Shape(point, ref error);
            if (geometry is not null) error = EditGeometry.Problem(geometry, options.Extent ?? ImportOptions.China);
            var values = _row;
            Array.Clear(values);
            for (var k = 0; k < spec.Fields.Count && error is null; k++) error = AcceptCell(reader, k, values);
            error ??= RowProblem(values);
            if (error is not null) { Rejections.Add(new ImportRejection($"feature {index + 1}", error)); return; }
            if (V(values, "discovered_at") is null) WithoutDiscoveryTime++;
            var incident = ToIncident((Point)geometry!, V(values, "code"), V(values, "kind"), V(values, "occurred_at"), V(values, "discovered_at"),
                V(values, "discovered_by"), V(values, "oil_recovered_t"), V(values, "status"), _kinds);
            Incidents.Add(incident);
            Places?.Add(incident);
        }

        // The column a field is read from in this row, as Source picks it: the name, else the alias when its cell is not empty, else the cut name.
        private int Column(TabularReader reader, int k)
        {
            var (name, alias, cut) = _columns[k];
            if (name >= 0) return name;
            if (alias >= 0 && !(reader.IsTextCell(alias) && reader.Text(alias).IsEmpty)) return alias;
            return cut;
        }

        private string? AcceptCell(TabularReader reader, int k, object?[] values)
        {
            var column = Column(reader, k);
            if (column < 0) return Accept(k, null, values);
            if (!reader.IsTextCell(column)) return Accept(k, reader.Value(column), values); // date and number cells as the generic path gets them
            var text = reader.Text(column);
            if (text.IsEmpty) return Accept(k, null, values);
            var field = spec.Fields[k];
            switch (field.Type)
            {
                case ImportFieldType.Timestamp:
                    return TimeText.TryParse(text, out var time) ? Keep(k, time.UtcDateTime, values) : $"{field.Name}: '{text}' is not a date-time";
                case ImportFieldType.Number:
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return $"{field.Name}: '{text}' is not a number";
                    return n < 0 ? $"{field.Name}: {n} is negative" : Keep(k, n, values);
                case ImportFieldType.Text when field.Labels is not null || field.Allowed is not null:
                    if (_labelLookups[k].TryGetValue(text, out var known)) return known.Why.Length == 0 ? Keep(k, known.Value, values) : $"{field.Name}: {known.Why}";
                    break;
                case ImportFieldType.Text:
                    return Keep(k, text.ToString(), values);
            }
            return Accept(k, text.ToString(), values);
        }

        private string? Mapped(string target) => options.Mapping?.GetValueOrDefault(target);

        // The attribute each target field is read from depends only on the feature's attribute names: decided once per set of
        // names (every row of a table has the same), not per row and field (10⁶ rows × 7 fields of header matching).
        private string[] _names = [];
        private readonly Dictionary<string, (string? Name, string? Alias, string? Cut)> _sourceNames = new(StringComparer.Ordinal);

        private IReadOnlyDictionary<string, object?>? _checked;

        private object? Source(IReadOnlyDictionary<string, object?> props, string target)
        {
            // The names are compared once per feature (its properties object), not once per field.
            if (!ReferenceEquals(props, _checked))
            {
                if (!SameNames(props))
                {
                    _names = [.. props.Keys];
                    _sourceNames.Clear();
                }
                _checked = props;
            }
            if (!_sourceNames.TryGetValue(target, out var source)) _sourceNames[target] = source = SourceNames(props, target);
            if (source.Name is not null) return props[source.Name];
            if (source.Alias is not null && props[source.Alias] is { } aliased) return aliased;
            return source.Cut is not null ? props[source.Cut] : null;
        }

        private bool SameNames(IReadOnlyDictionary<string, object?> props)
        {
            if (props.Count != _names.Length) return false;
            foreach (var name in _names) if (!props.ContainsKey(name)) return false;
            return true;
        }

        /// <summary>
        /// Where <paramref name="target"/> is read from: the mapped or same name (any case); else a header alias (when its cell is
        /// not empty), else the name cut as dBase cuts it.
        /// </summary>
        private (string? Name, string? Alias, string? Cut) SourceNames(IReadOnlyDictionary<string, object?> props, string target)
        {
            var name = Mapped(target) ?? target;
            if (props.ContainsKey(name)) return (name, null, null);
            foreach (var k in props.Keys) if (k.Equals(name, StringComparison.OrdinalIgnoreCase)) return (k, null, null);
            string? alias = null, cut = null;
            // Headers as people write them (发案时间, 案件类型 …): the one header rule of tabular files.
            if (Mapped(target) is null)
            {
                var keys = props.Keys.ToArray();
                // A column mapped to another field is not taken by alias for this one (报警时间 mapped to occurred_at is not
                // also the discovery time).
                if (Files.TabularColumns.Find(keys, target, options.Mapping) is >= 0 and var at) alias = keys[at];
            }
            // dBase (Shapefile) field names are cut at 10 characters: oil_zone_code arrives as oil_zone_c.
            if (name.Length > 10 && Mapped(target) is null)
                cut = props.Keys.FirstOrDefault(k => k.Equals(name[..10], StringComparison.OrdinalIgnoreCase));
            return (null, alias, cut);
        }

        private Geometry? Shape(Geometry? g, ref string? error)
        {
            if (g is null || g.IsEmpty) { error = "no geometry"; return null; }
            Geometry? result = spec.GeometryType switch
            {
                "Point" => g as Point ?? (g is MultiPoint { NumGeometries: 1 } mp ? mp.GetGeometryN(0) : null),
                "LineString" => g as LineString ?? (g is MultiLineString { NumGeometries: 1 } ml ? ml.GetGeometryN(0) : null),
                "Lines" => g is LineString or MultiLineString ? g : null,
                "Polygon" => g as Polygon ?? (g is MultiPolygon { NumGeometries: 1 } mpo ? mpo.GetGeometryN(0) : null),
                "MultiPolygon" => g as MultiPolygon ?? (g is Polygon p ? g.Factory.CreateMultiPolygon([p]) : null),
                _ => null,
            };
            if (result is null) { error = $"geometry is a {g.GeometryType}, expected {spec.GeometryType}"; return null; }
            // Stored columns are 2D: drop Z/M that GeoPackage or KML readers may carry (a point directly: an import may hold 10⁶).
            if (result is Point point)
                return point.SRID == PostGis.DbCommands.Srid && !point.CoordinateSequence.HasZ && !point.CoordinateSequence.HasM
                    ? point // already a 2D lon/lat point (every row of a table): kept, not copied
                    : PostGis.DbCommands.Factory.CreatePoint(new Coordinate(point.X, point.Y));
            result = new NetTopologySuite.IO.WKBReader().Read(new NetTopologySuite.IO.WKBWriter(NetTopologySuite.IO.ByteOrder.LittleEndian, false, false, false).Write(result));
            result.SRID = 4326;
            return result;
        }

        private bool TryConvert(ImportField field, object raw, out object? value, out string why)
        {
            why = "";
            value = null;
            var text = Convert.ToString(raw, CultureInfo.InvariantCulture)!.Trim();
            switch (field.Type)
            {
                case ImportFieldType.Boolean:
                    value = raw switch
                    {
                        bool b => b,
                        long l => l != 0,
                        double d => d != 0,
                        _ => text.ToLowerInvariant() switch
                        {
                            "true" or "t" or "yes" or "y" or "1" or "是" => true,
                            "false" or "f" or "no" or "n" or "0" or "否" => false,
                            _ => null,
                        },
                    };
                    if (value is null) why = $"'{text}' is not a yes/no value";
                    break;
                case ImportFieldType.Number:
                    if (raw is long or double or int) value = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                    else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) value = n;
                    else why = $"'{text}' is not a number";
                    if (value is double dv && dv < 0) { value = null; why = $"{dv} is negative"; }
                    break;
                case ImportFieldType.Timestamp:
                    // One rule for times in files (Files.TimeText): without an offset on China time.
                    if (Files.TimeText.TryFromValue(raw, out var dto)) value = dto.UtcDateTime;
                    else why = $"'{text}' is not a date-time";
                    break;
                case ImportFieldType.Date:
                    if (raw is DateTime d0) value = DateOnly.FromDateTime(d0);
                    else if (DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var d1)) value = d1;
                    else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d2)) value = DateOnly.FromDateTime(d2.UtcDateTime);
                    else why = $"'{text}' is not a date";
                    break;
                default:
                    if (field.Labels is not null || field.Allowed is not null)
                    {
                        // A ledger repeats a handful of labels: each distinct one is resolved once per import.
                        var cache = LabelCache(field.Name);
                        if (!cache.TryGetValue(text, out var known)) cache[text] = known = Label(field, text);
                        (value, why) = known;
                    }
                    else value = raw is double d3 && d3 == Math.Floor(d3) ? ((long)d3).ToString(CultureInfo.InvariantCulture) : text;
                    break;
            }
            return why.Length == 0;
        }

        // Per field: each label as written, resolved (its code, or why not); the typed path looks labels up by span.
        private readonly Dictionary<string, Dictionary<string, (object? Value, string Why)>> _labels = new(StringComparer.Ordinal);

        private Dictionary<string, (object? Value, string Why)> LabelCache(string field) =>
            _labels.TryGetValue(field, out var cache) ? cache : _labels[field] = new Dictionary<string, (object? Value, string Why)>(StringComparer.Ordinal);
        private readonly Dictionary<(string Field, string Label), bool> _unmapped = [];

        /// <summary>A label of a field with a vocabulary or a list of names: its code, the label as written (open vocabulary), or why not.</summary>
        private (object? Value, string Why) Label(ImportField field, string text)
        {
            if (field.Labels is { } labels && (vocabularies.GetValueOrDefault(field.Name) ?? labels).TryFind(text, out var term)) return (term.Code, "");
            if (field.Labels is not null && field.Allowed is null) return (MapControl.Core.Labels.Vocabulary.AsWritten(text), "");
            var allowed = field.Allowed!;
            var snake = System.Text.RegularExpressions.Regex.Replace(text, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
            return allowed.Contains(snake) ? (snake, "") : (null, $"'{text}' is not one of {string.Join(", ", allowed)}");
        }

        /// <summary>True when a stored value of an open vocabulary is not one of its terms (a label kept as written).</summary>
        private bool IsUnmapped(ImportField field, string label)
        {
            if (!_unmapped.TryGetValue((field.Name, label), out var unmapped))
                _unmapped[(field.Name, label)] = unmapped = !(vocabularies.GetValueOrDefault(field.Name) ?? field.Labels!).TryFind(label, out _);
            return unmapped;
        }
    }
}
