using System.Text.Json;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO.Converters;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>What is edited: a department's jurisdiction or a patrol zone (by code).</summary>
public enum EditTarget { Jurisdiction, PatrolZone }

/// <summary>One stored version of a jurisdiction or patrol zone.</summary>
public sealed record VersionRow(long Id, string Key, string DepartmentCode, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo,
    string EditedBy, string Reason, double AreaKm2);

/// <summary>Outcome of a save.</summary>
public enum SaveOutcome { Saved, Conflict, NotFound, Invalid }

/// <summary>Result of a save: the outcome, the new (or, on conflict, the current) version id, and a message.</summary>
public sealed record SaveResult(SaveOutcome Outcome, long? VersionId, string? Message = null);

/// <summary>Versioned edits of jurisdictions and patrol zones: history, save with optimistic concurrency, roll back, audit.</summary>
public sealed class PlanningService(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>Parses a GeoJSON Polygon/MultiPolygon (or a Feature/FeatureCollection of them) into a valid geometry with SRID 4326.</summary>
    public static Geometry? ParsePolygonal(string geoJson)
    {
        Geometry? g;
        try
        {
            using var doc = JsonDocument.Parse(geoJson);
            var root = doc.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            g = type switch
            {
                "Feature" => JsonSerializer.Deserialize<Geometry>(root.GetProperty("geometry").GetRawText(), GeoJson),
                "FeatureCollection" => Factory.BuildGeometry(root.GetProperty("features").EnumerateArray()
                    .Select(f => JsonSerializer.Deserialize<Geometry>(f.GetProperty("geometry").GetRawText(), GeoJson)!)),
                _ => JsonSerializer.Deserialize<Geometry>(geoJson, GeoJson),
            };
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
        if (g is null || g.IsEmpty) return null;
        if (!g.IsValid) g = GeometryFixer.Fix(g);
        var polygons = Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>()
            .Concat(Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<MultiPolygon>().SelectMany(m => m.Geometries.Cast<Polygon>()))
            .Select(p => (Polygon)Factory.CreateGeometry(p)).ToArray();
        if (polygons.Length == 0) return null;
        var result = polygons.Length == 1 ? (Geometry)polygons[0] : Factory.CreateMultiPolygon(polygons);
        if (!result.IsValid) result = GeometryFixer.Fix(result);
        result.SRID = 4326;
        return result;
    }

    /// <summary>The version history of a department's jurisdiction or of a patrol zone, newest first.</summary>
    public async Task<IReadOnlyList<VersionRow>> HistoryAsync(EditTarget target, string key, CancellationToken ct)
    {
        var sql = target == EditTarget.Jurisdiction
            ? "SELECT id, department_code, department_code, valid_from, valid_to, edited_by, reason, ST_Area(geom::geography) / 1e6 FROM jurisdiction WHERE department_code = @key ORDER BY valid_from DESC"
            : "SELECT id, code, department_code, valid_from, valid_to, edited_by, reason, ST_Area(geom::geography) / 1e6 FROM patrol_zone WHERE code = @key ORDER BY valid_from DESC";
        var list = new List<VersionRow>();
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("key", key);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new VersionRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), r.GetString(6), Math.Round(r.GetDouble(7), 3)));
        return list;
    }

    /// <summary>The department of a patrol zone (current version), or null.</summary>
    public async Task<string?> DepartmentOfAsync(EditTarget target, string key, CancellationToken ct)
    {
        if (target == EditTarget.Jurisdiction) return key;
        await using var cmd = dataSource.CreateCommand("SELECT department_code FROM patrol_zone WHERE code = @key ORDER BY valid_from DESC LIMIT 1");
        cmd.Parameters.AddWithValue("key", key);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    /// <summary>The stored geometry of a version (of either table), or null.</summary>
    public async Task<Geometry?> VersionGeometryAsync(EditTarget target, long id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(target == EditTarget.Jurisdiction
            ? "SELECT geom FROM jurisdiction WHERE id = @id" : "SELECT geom FROM patrol_zone WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as Geometry;
    }

    /// <summary>
    /// Saves a new version when the current version is still <paramref name="baseVersionId"/> (optimistic concurrency):
    /// closes the current version, inserts the new one and writes an audit entry, in one transaction.
    /// </summary>
    public async Task<SaveResult> SaveAsync(EditTarget target, string key, long baseVersionId, Geometry geometry, string actor, string reason,
        string action, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) return new SaveResult(SaveOutcome.Invalid, null, "A reason is required.");
        var table = target == EditTarget.Jurisdiction ? "jurisdiction" : "patrol_zone";
        var keyColumn = target == EditTarget.Jurisdiction ? "department_code" : "code";
        Geometry stored = target == EditTarget.Jurisdiction
            ? geometry as MultiPolygon ?? Factory.CreateMultiPolygon([(Polygon)geometry])
            : geometry as Polygon ?? (geometry.NumGeometries == 1 ? (Polygon)geometry.GetGeometryN(0) : null!);
        if (stored is null) return new SaveResult(SaveOutcome.Invalid, null, "A patrol zone must be one polygon.");
        stored.SRID = 4326;

        await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        long currentId;
        string? currentName = null;
        string departmentCode;
        await using (var cmd = new NpgsqlCommand($"""
            SELECT id, department_code, {(target == EditTarget.PatrolZone ? "name" : "NULL::text")}
            FROM {table} WHERE {keyColumn} = @key AND valid_to IS NULL FOR UPDATE
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("key", key);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) return new SaveResult(SaveOutcome.NotFound, null, $"No current {table} '{key}'.");
            currentId = r.GetInt64(0);
            departmentCode = r.GetString(1);
            currentName = r.IsDBNull(2) ? null : r.GetString(2);
        }
        if (currentId != baseVersionId)
            return new SaveResult(SaveOutcome.Conflict, currentId,
                $"Version {baseVersionId} is no longer current: version {currentId} was saved in the meantime.");

        var now = clock.GetUtcNow();
        await using (var close = new NpgsqlCommand($"UPDATE {table} SET valid_to = @now WHERE id = @id", conn, tx))
        {
            close.Parameters.AddWithValue("now", now);
            close.Parameters.AddWithValue("id", currentId);
            await close.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        long newId;
        await using (var insert = new NpgsqlCommand(target == EditTarget.Jurisdiction
            ? "INSERT INTO jurisdiction (department_code, geom, valid_from, edited_by, reason) VALUES (@key, @geom, @now, @actor, @reason) RETURNING id"
            : "INSERT INTO patrol_zone (code, department_code, name, geom, valid_from, edited_by, reason) VALUES (@key, @dept, @name, @geom, @now, @actor, @reason) RETURNING id",
            conn, tx))
        {
            insert.Parameters.AddWithValue("key", key);
            insert.Parameters.AddWithValue("dept", departmentCode);
            insert.Parameters.AddWithValue("name", currentName ?? key);
            insert.Parameters.AddWithValue("geom", stored);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("actor", actor);
            insert.Parameters.AddWithValue("reason", reason.Trim());
            newId = (long)(await insert.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        await using (var audit = new NpgsqlCommand($"""
            INSERT INTO audit_log (actor, at, action, entity, entity_key, before, after)
            SELECT @actor, @now, @action, @entity, @key,
                   (SELECT jsonb_build_object('id', id, 'valid_from', valid_from, 'geometry', ST_AsGeoJSON(geom, 7)::jsonb) FROM {table} WHERE id = @old),
                   (SELECT jsonb_build_object('id', id, 'valid_from', valid_from, 'reason', reason, 'geometry', ST_AsGeoJSON(geom, 7)::jsonb) FROM {table} WHERE id = @new)
            """, conn, tx))
        {
            audit.Parameters.AddWithValue("actor", actor);
            audit.Parameters.AddWithValue("now", now);
            audit.Parameters.AddWithValue("action", action);
            audit.Parameters.AddWithValue("entity", table);
            audit.Parameters.AddWithValue("key", key);
            audit.Parameters.AddWithValue("old", currentId);
            audit.Parameters.AddWithValue("new", newId);
            await audit.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new SaveResult(SaveOutcome.Saved, newId);
    }

    /// <summary>Rolls back to an old version: a new version with the old geometry, when the current one is still the base.</summary>
    public async Task<SaveResult> RollBackAsync(EditTarget target, string key, long toVersionId, long baseVersionId, string actor, string reason, CancellationToken ct)
    {
        var geometry = await VersionGeometryAsync(target, toVersionId, ct).ConfigureAwait(false);
        if (geometry is null) return new SaveResult(SaveOutcome.NotFound, null, $"No version {toVersionId}.");
        var history = await HistoryAsync(target, key, ct).ConfigureAwait(false);
        if (history.All(v => v.Id != toVersionId)) return new SaveResult(SaveOutcome.NotFound, null, $"Version {toVersionId} is not a version of '{key}'.");
        var why = string.IsNullOrWhiteSpace(reason) ? $"roll back to version {toVersionId}" : reason;
        return await SaveAsync(target, key, baseVersionId, geometry, actor, why, "rollback", ct).ConfigureAwait(false);
    }
}
