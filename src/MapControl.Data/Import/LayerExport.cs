using System.Text.Json;
using MapControl.Data.Analysis;
using MapControl.Data.Files;
using MapControl.Data.PostGis.Ogc;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.Import;

/// <summary>Exports a collection of <see cref="FeatureCollections"/> to GeoJSON, Shapefile, GeoPackage or XLSX (chosen by the file extension).</summary>
public static class LayerExport
{
    /// <summary>Extensions <see cref="ExportAsync"/> writes.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".geojson", ".json", ".shp", ".gpkg", ".xlsx"];

    /// <summary>Reads every feature of a collection (patrol tracks: all time) as file records; gaps with a window score their
    /// incidents and risk over it (Core's GapRiskInWindow, as the map's gaps layer and /ogc with datetime).</summary>
    public static async Task<IReadOnlyList<FeatureRecord>> ReadAsync(NpgsqlDataSource dataSource, FeatureCollectionDefinition collection, CancellationToken cancellationToken,
        GapWindow? window = null)
    {
        if (window is not null && !collection.Computed) throw new ArgumentException($"A window applies to the gaps only, not to '{collection.Id}'.", nameof(window));
        if (collection.Computed)
        {
            // Gaps: Core's coverage check, as `coverage-check --from-db` and /ogc compute them; id = rank by risk.
            var gaps = new CoverageGaps(dataSource);
            var snapshot = window is { } w
                ? await gaps.InWindowAsync(w.From, w.To, cancellationToken).ConfigureAwait(false)
                : await gaps.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var names = await gaps.DepartmentNamesAsync(cancellationToken).ConfigureAwait(false);
            return snapshot.Gaps.Select((g, i) =>
            {
                var props = CoverageGaps.Properties(g, i + 1, names, snapshot.Window);
                props["id"] = i + 1;
                return new FeatureRecord(g.Geometry, props);
            }).ToList();
        }
        await using var cmd = dataSource.CreateCommand($"SELECT (to_jsonb(t) - 'geom')::text, t.geom FROM {collection.Source} t ORDER BY {collection.OrderBy}");
        if (collection.Time == FeatureTime.TrackInterval)
        {
            cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = DateTime.UnixEpoch });
            cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
            cmd.Parameters.Add(new NpgsqlParameter("unit", NpgsqlDbType.Text) { Value = DBNull.Value });
        }
        var records = new List<FeatureRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            using var doc = JsonDocument.Parse(r.GetString(0));
            var props = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "id" && doc.RootElement.TryGetProperty("code", out _)) continue; // id duplicates code
                props[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Number => p.Value.TryGetInt64(out var l) ? l : p.Value.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Null => null,
                    _ => p.Value.GetRawText(),
                };
            }
            records.Add(new FeatureRecord(r.GetFieldValue<Geometry>(1), props));
        }
        return records;
    }

    /// <summary>Writes a collection to <paramref name="path"/>; returns the number of features written.</summary>
    /// <param name="chineseHeaders">XLSX only: Chinese column names (<see cref="TableHeaders"/>).</param>
    /// <exception cref="ArgumentException">Unknown collection or unsupported extension.</exception>
    public static async Task<int> ExportAsync(NpgsqlDataSource dataSource, string collectionId, string path, CancellationToken cancellationToken,
        bool chineseHeaders = false, GapWindow? window = null)
    {
        var collection = Collection(collectionId);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (!Extensions.Contains(ext)) throw new ArgumentException($"Cannot write '{ext}' files; use {string.Join(", ", Extensions)}.", nameof(path));
        var records = await ReadAsync(dataSource, collection, cancellationToken, window).ConfigureAwait(false);
        switch (ext)
        {
            case ".shp": FeatureFiles.WriteShapefile(path, records); break;
            case ".gpkg": FeatureFiles.WriteGeoPackage(path, records, collection.Id.Replace('-', '_')); break;
            case ".xlsx":
                var (columns, rows) = TabularWriter.FeatureTable(collection.Id, records, chineseHeaders);
                TabularWriter.WriteXlsx(path, columns, rows, collection.Id);
                break;
            default: FeatureFiles.WriteGeoJson(path, records); break;
        }
        return records.Count;
    }

    /// <summary>Writes a collection as an XLSX workbook (one sheet named after the layer) to <paramref name="output"/>; returns the number of features.</summary>
    /// <exception cref="ArgumentException">Unknown collection.</exception>
    public static async Task<int> WriteXlsxAsync(NpgsqlDataSource dataSource, string collectionId, Stream output, bool chineseHeaders,
        CancellationToken cancellationToken)
    {
        var collection = Collection(collectionId);
        var records = await ReadAsync(dataSource, collection, cancellationToken).ConfigureAwait(false);
        var (columns, rows) = TabularWriter.FeatureTable(collection.Id, records, chineseHeaders);
        TabularWriter.WriteXlsx(output, columns, rows, collection.Id);
        return records.Count;
    }

    private static FeatureCollectionDefinition Collection(string collectionId) => FeatureCollections.Find(collectionId)
        ?? throw new ArgumentException($"Unknown layer '{collectionId}'; layers: {string.Join(", ", FeatureCollections.All.Select(c => c.Id))}.", nameof(collectionId));
}
