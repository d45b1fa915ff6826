using MapControl.Core.Crs;
using MapControl.Core.Model;
using MapControl.Core.Redraw;
using MapControl.Core.Spatial;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using Npgsql;

namespace MapControl.Data.Editing;

/// <summary>The versioned layers: a department's jurisdiction (key = department code) or a patrol zone (key = zone code).</summary>
public enum VersionedLayer { Jurisdiction, PatrolZone }

/// <summary>One stored version of a jurisdiction or patrol zone.</summary>
public sealed record VersionRow(long Id, string Key, string DepartmentCode, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo,
    string EditedBy, string Reason, double AreaKm2);

/// <summary>Outcome of a save.</summary>
public enum SaveOutcome { Saved, Conflict, NotFound, Invalid, Forbidden }

/// <summary>One item of a save: its key, the version the edit started from, and the new geometry (lon/lat).</summary>
public sealed record ItemEdit(string Key, long BaseVersionId, Geometry Geometry);

/// <summary>Result of a save: the outcome, the new (or, on conflict, the current) version id, and a message.</summary>
public sealed record SaveResult(SaveOutcome Outcome, long? VersionId, string? Message = null);

/// <summary>
/// The one save path of the versioned layers, used by the planner UI, <c>/api/planning</c>, <c>/api/import</c> and
/// <c>mapcontrol import</c>: department rights (<see cref="EditRights"/>), the geometry check of every write path
/// (<see cref="EditGeometry"/>), optimistic concurrency on the version the edit started from, an audit entry with the version
/// before and after, and change notification through the <c>data_change</c> versions (every cache sees the save on its next request).
/// </summary>
public sealed class VersionedEdits(NpgsqlDataSource dataSource)
{
    /// <summary>Most characters of a reason.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The version history of a department's jurisdiction or of a patrol zone, newest first.</summary>
    public async Task<IReadOnlyList<VersionRow>> HistoryAsync(VersionedLayer layer, string key, CancellationToken cancellationToken = default)
    {
        var rows = layer == VersionedLayer.Jurisdiction
            ? (await new JurisdictionRepository(dataSource).GetHistoryAsync(key, cancellationToken).ConfigureAwait(false))
                .Select(j => Row(j.Id, j.DepartmentCode, j.DepartmentCode, j.Version, j.Geometry))
            : (await new PatrolZoneRepository(dataSource).GetHistoryAsync(key, cancellationToken).ConfigureAwait(false))
                .Select(z => Row(z.Id, z.Code, z.DepartmentCode, z.Version, z.Geometry));
        return rows.OrderByDescending(r => r.ValidFrom).ToArray();
    }

    /// <summary>The department a key belongs to (a jurisdiction's key is its department; a patrol zone's from its latest version), or null.</summary>
    public async Task<string?> DepartmentOfAsync(VersionedLayer layer, string key, CancellationToken cancellationToken = default)
    {
        if (layer == VersionedLayer.Jurisdiction)
            return (await new DepartmentRepository(dataSource).GetAllAsync(cancellationToken).ConfigureAwait(false)).Any(d => d.Code == key) ? key : null;
        var history = await new PatrolZoneRepository(dataSource).GetHistoryAsync(key, cancellationToken).ConfigureAwait(false);
        return history.Count == 0 ? null : history[^1].DepartmentCode;
    }

    /// <summary>The stored geometry of a version, or null.</summary>
    public async Task<Geometry?> VersionGeometryAsync(VersionedLayer layer, long id, CancellationToken cancellationToken = default) =>
        layer == VersionedLayer.Jurisdiction
            ? (await new JurisdictionRepository(dataSource).GetByIdAsync(id, cancellationToken).ConfigureAwait(false))?.Geometry
            : (await new PatrolZoneRepository(dataSource).GetByIdAsync(id, cancellationToken).ConfigureAwait(false))?.Geometry;

    /// <summary>
    /// Saves <paramref name="geometry"/> as the new current version of <paramref name="key"/> when the current version is still
    /// <paramref name="baseVersionId"/>. Refuses (never throws for) a user without rights, a bad geometry or reason, an unknown key
    /// and a stale base version.
    /// </summary>
    /// <param name="action">The audit action ("save", "rollback", …).</param>
    public Task<SaveResult> SaveAsync(VersionedLayer layer, string key, long baseVersionId, Geometry geometry, User? editor, string reason,
        string action = "save", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return SaveAsync(layer, [new ItemEdit(key, baseVersionId, geometry)], editor, reason, action, avoidOverlaps: false, cancellationToken);
    }

    /// <summary>
    /// Saves several items of one layer in one transaction (topological editing: the edited item first, then the neighbours whose
    /// shared vertices moved with it): all or none. Each item needs the editor's rights on its department (checked here, on the
    /// stored user) and its base version still current. A "save" puts every vertex within 10 cm of a stored vertex onto it
    /// (<see cref="VertexSnap"/>) and, with <paramref name="avoidOverlaps"/>, first clips the first item by the other current items
    /// (<see cref="AvoidOverlaps"/>) — the same steps, on the same stored items, as the impact the planner saw.
    /// </summary>
    public async Task<SaveResult> SaveAsync(VersionedLayer layer, IReadOnlyList<ItemEdit> edits, User? editor, string reason,
        string action, bool avoidOverlaps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edits);
        if (edits.Count == 0) return new SaveResult(SaveOutcome.Invalid, null, "Nothing to save.");
        if (edits.Count > MaxItemsPerSave) return new SaveResult(SaveOutcome.Invalid, null, $"At most {MaxItemsPerSave} items can be saved together.");
        if (edits.Select(e => e.Key).Distinct(StringComparer.Ordinal).Count() != edits.Count) return new SaveResult(SaveOutcome.Invalid, null, "An item is given twice.");
        if (string.IsNullOrWhiteSpace(reason)) return new SaveResult(SaveOutcome.Invalid, null, "A reason is required.");
        if (reason.Length > MaxReasonLength) return new SaveResult(SaveOutcome.Invalid, null, $"The reason is longer than {MaxReasonLength} characters.");
        // Rights as stored now, not as the caller's sign-in remembers them (a deleted user or a changed role or department counts at once).
        var stored = editor is null ? null : await new UserRepository(dataSource).GetAsync(editor.UserName, cancellationToken).ConfigureAwait(false);
        var departments = new List<string>();
        foreach (var edit in edits)
        {
            ArgumentNullException.ThrowIfNull(edit.Geometry);
            var department = await DepartmentOfAsync(layer, edit.Key, cancellationToken).ConfigureAwait(false);
            if (department is null) return new SaveResult(SaveOutcome.NotFound, null, $"No {Name(layer)} '{edit.Key}'.");
            if (!EditRights.CanEdit(stored, department))
                return new SaveResult(SaveOutcome.Forbidden, null, EditRights.Refusal(stored ?? editor, department) + (edits.Count > 1 ? $" ({Name(layer)} '{edit.Key}')" : ""));
            departments.Add(department);
        }

        var geometries = edits.Select(e => e.Geometry).ToArray();
        if (action == "save")
        {
            var current = await CurrentGeometriesAsync(layer, departments[0], cancellationToken).ConfigureAwait(false);
            if (avoidOverlaps) geometries[0] = AvoidOverlaps.Clip(geometries[0], current.Where(c => c.Key != edits[0].Key).Select(c => c.Geometry));
            for (var i = 0; i < geometries.Length; i++) geometries[i] = VertexSnap.Snap(geometries[i], current.Select(c => c.Geometry));
        }
        var shapedAll = new Geometry[edits.Count];
        for (var i = 0; i < edits.Count; i++)
        {
            var prefix = edits.Count > 1 ? $"'{edits[i].Key}': " : "";
            if (Shape(layer, geometries[i]) is not { } shaped)
                return new SaveResult(SaveOutcome.Invalid, null, prefix + (layer == VersionedLayer.PatrolZone ? "A patrol zone must be one polygon." : "A jurisdiction must be polygonal."));
            if (EditGeometry.Problem(shaped) is { } problem) return new SaveResult(SaveOutcome.Invalid, null, prefix + "The geometry is refused: " + problem + ".");
            shapedAll[i] = shaped;
        }
        if (layer == VersionedLayer.PatrolZone)
        {
            // A patrol zone lies inside its department's jurisdiction (Core's PatrolZoneContainment); every action, rollbacks too.
            var jurisdictions = await new JurisdictionRepository(dataSource).GetCurrentAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < edits.Count; i++)
            {
                var jurisdiction = jurisdictions.FirstOrDefault(j => j.DepartmentCode == departments[i]);
                if (jurisdiction is null)
                    return new SaveResult(SaveOutcome.Invalid, null, $"Department '{departments[i]}' has no current jurisdiction: its patrol zones cannot be saved.");
                if (PatrolZoneContainment.Outside(shapedAll[i], jurisdiction.Geometry) is { } outside)
                    return new SaveResult(SaveOutcome.Invalid, null, PatrolZoneContainment.Refusal(edits[i].Key, departments[i], outside));
            }
        }

        var editing = 0;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            long first = 0;
            // Items are written (and their rows locked) in key order: two planners saving the same neighbours from either side
            // queue instead of deadlocking.
            foreach (var index in Enumerable.Range(0, edits.Count).OrderBy(i => edits[i].Key, StringComparer.Ordinal))
            {
                editing = index;
                var edit = edits[editing];
                var id = layer == VersionedLayer.Jurisdiction
                    ? await JurisdictionRepository.SaveNewVersionAsync(connection, edit.Key, (MultiPolygon)shapedAll[editing], edit.BaseVersionId, stored!.UserName,
                        reason.Trim(), action, cancellationToken).ConfigureAwait(false)
                    : await SavePatrolZoneAsync(connection, edit.Key, (Polygon)shapedAll[editing], edit.BaseVersionId, stored!.UserName, reason.Trim(), action,
                        cancellationToken).ConfigureAwait(false);
                if (editing == 0) first = id;
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new SaveResult(SaveOutcome.Saved, first);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            return new SaveResult(SaveOutcome.Conflict, null, "Another save of the same items came first: reload and save again.");
        }
        catch (ConcurrencyException e) when (e.ActualCurrentId is not null)
        {
            var edit = edits[Math.Min(editing, edits.Count - 1)];
            return new SaveResult(SaveOutcome.Conflict, e.ActualCurrentId,
                $"{(edits.Count > 1 ? $"'{edit.Key}': " : "")}Version {edit.BaseVersionId} is no longer current: version {e.ActualCurrentId} was saved in the meantime.");
        }
        catch (ConcurrencyException)
        {
            return new SaveResult(SaveOutcome.NotFound, null, $"No current {Name(layer)} '{edits[Math.Min(editing, edits.Count - 1)].Key}'.");
        }
    }

    /// <summary>Most items one save may change together.</summary>
    public const int MaxItemsPerSave = 8;

    /// <summary>The current geometries of the coverage an item belongs to: every jurisdiction, or the patrol zones of one department.</summary>
    public async Task<IReadOnlyList<(string Key, Geometry Geometry)>> CurrentGeometriesAsync(VersionedLayer layer, string department,
        CancellationToken cancellationToken = default) =>
        layer == VersionedLayer.Jurisdiction
            ? (await new JurisdictionRepository(dataSource).GetCurrentAsync(cancellationToken).ConfigureAwait(false))
                .Select(j => (j.DepartmentCode, (Geometry)j.Geometry)).ToArray()
            : (await new PatrolZoneRepository(dataSource).GetCurrentAsync(cancellationToken).ConfigureAwait(false))
                .Where(z => z.DepartmentCode == department).Select(z => (z.Code, (Geometry)z.Geometry)).ToArray();

    /// <summary>Rolls back to an old version: a new version with the old geometry, when the current one is still the base.</summary>
    public async Task<SaveResult> RollBackAsync(VersionedLayer layer, string key, long toVersionId, long baseVersionId, User? editor, string? reason,
        CancellationToken cancellationToken = default)
    {
        Geometry? geometry = layer == VersionedLayer.Jurisdiction
            ? (await new JurisdictionRepository(dataSource).GetByIdAsync(toVersionId, cancellationToken).ConfigureAwait(false)) is { } j && j.DepartmentCode == key ? j.Geometry : null
            : (await new PatrolZoneRepository(dataSource).GetByIdAsync(toVersionId, cancellationToken).ConfigureAwait(false)) is { } z && z.Code == key ? z.Geometry : null;
        if (geometry is null) return new SaveResult(SaveOutcome.NotFound, null, $"Version {toVersionId} is not a version of '{key}'.");
        var why = string.IsNullOrWhiteSpace(reason) ? $"roll back to version {toVersionId}" : reason;
        return await SaveAsync(layer, key, baseVersionId, geometry, editor, why, "rollback", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A jurisdiction version saved by an import, on the import's connection and transaction (all rows or none); rights and the geometry
    /// check are the import's (<see cref="Import.LayerImport"/> applies <see cref="EditRights"/> and <see cref="EditGeometry"/> per row).
    /// </summary>
    internal static Task<long> SaveImportedJurisdictionAsync(NpgsqlConnection connection, string departmentCode, MultiPolygon geometry,
        long? baseVersionId, string editedBy, string reason, CancellationToken cancellationToken) =>
        JurisdictionRepository.SaveNewVersionAsync(connection, departmentCode, geometry, baseVersionId, editedBy, reason, "import", cancellationToken);

    /// <summary>The stored shape of a layer: a jurisdiction is a MultiPolygon, a patrol zone one Polygon; SRID 4326.</summary>
    public static Geometry? Shape(VersionedLayer layer, Geometry geometry)
    {
        var polygons = Enumerable.Range(0, geometry.NumGeometries).Select(geometry.GetGeometryN).OfType<Polygon>().ToArray();
        if (polygons.Length == 0 || polygons.Length != geometry.NumGeometries) return null;
        Geometry shaped = layer == VersionedLayer.Jurisdiction
            ? DbCommands.Factory.CreateMultiPolygon(polygons.Select(p => (Polygon)DbCommands.Factory.CreateGeometry(p)).ToArray())
            : polygons.Length == 1 ? DbCommands.Factory.CreateGeometry(polygons[0]) : null!;
        if (shaped is null) return null;
        shaped.SRID = 4326;
        return shaped;
    }

    private static async Task<long> SavePatrolZoneAsync(NpgsqlConnection connection, string code, Polygon geometry, long baseVersionId, string editedBy,
        string reason, string action, CancellationToken cancellationToken)
    {
        var latest = await PatrolZoneRepository.LatestAsync(connection, code, cancellationToken).ConfigureAwait(false)
                     ?? throw new ConcurrencyException("patrol_zone", code, baseVersionId, null);
        return await PatrolZoneRepository.SaveNewVersionAsync(connection, code, latest.DepartmentCode, latest.Name, geometry, baseVersionId, editedBy,
            reason, action, cancellationToken).ConfigureAwait(false);
    }

    private static VersionRow Row(long id, string key, string department, VersionInfo v, Geometry geometry) =>
        new(id, key, department, v.ValidFrom, v.ValidTo, v.EditedBy, v.Reason, Math.Round(MetricProjection.CentredOn(geometry.EnvelopeInternal).Forward(geometry).Area / 1e6, 3));

    private static string Name(VersionedLayer layer) => layer == VersionedLayer.Jurisdiction ? "jurisdiction" : "patrol zone";
}
