using System.Globalization;
using System.Text;
using MapControl.Data.Analysis;
using MapControl.Data.Files;
using MapControl.Data.PostGis.Sql;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace MapControl.Data.PostGis.Ogc;

/// <summary>
/// Reads features of the collections of <see cref="FeatureCollections"/> as GeoJSON pieces: SQL collections with bound values only,
/// the computed gaps from <see cref="CoverageGaps"/> (filtered and paged in memory, in rank order).
/// </summary>
public sealed class FeatureRepository(NpgsqlDataSource dataSource, CoverageGaps gaps)
{
    /// <summary>Decimal places of coordinates in GeoJSON (1e-7° ≈ 1 cm).</summary>
    public const int CoordinateDecimals = 7;

    /// <summary>A page of features matching the query, with the number matched.</summary>
    public async Task<FeaturePage> QueryAsync(FeatureCollectionDefinition collection, FeatureQuery query, CancellationToken cancellationToken)
    {
        if (collection.Computed)
        {
            var matching = (await ComputedAsync(collection, cancellationToken, query.Time).ConfigureAwait(false))
                .Where(f => query.Bbox is not { } b || Intersects(f.Geometry, b)).ToList();
            var page = matching.Skip((int)Math.Min(query.Offset, int.MaxValue)).Take(query.Limit).Select(f => f.Row).ToList();
            return new FeaturePage(page, matching.Count);
        }
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var (where, parameters) = BuildWhere(collection, query);
        var rows = new List<FeatureRow>();
        await using (var cmd = new NpgsqlCommand(
            $"SELECT t.id::text, ST_AsGeoJSON(t.geom, {CoordinateDecimals}), (to_jsonb(t) - 'geom' - 'id')::text FROM {collection.Source} t{where} ORDER BY {collection.OrderBy} LIMIT @limit OFFSET @offset", conn))
        {
            cmd.Parameters.AddRange(parameters.Select(Clone).ToArray());
            cmd.Parameters.AddWithValue("limit", query.Limit);
            cmd.Parameters.AddWithValue("offset", query.Offset);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                rows.Add(new FeatureRow(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        long matched;
        if (query.Offset == 0 && rows.Count < query.Limit) matched = rows.Count;
        else
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {collection.Source} t{where}", conn);
            count.Parameters.AddRange(parameters.Select(Clone).ToArray());
            matched = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        return new FeaturePage(rows, matched);
    }

    /// <summary>One feature by id, or null.</summary>
    public async Task<FeatureRow?> GetAsync(FeatureCollectionDefinition collection, string id, CancellationToken cancellationToken)
    {
        if (collection.Computed)
            return (await ComputedAsync(collection, cancellationToken).ConfigureAwait(false)).Select(f => f.Row).FirstOrDefault(r => r.Id == id);
        var parameters = new List<NpgsqlParameter>();
        if (collection.Time == FeatureTime.TrackInterval)
        {
            // Track ids are unit.day.segment: build only that unit's tracks of that day.
            var parts = id.Split('.');
            if (parts.Length < 3 || !DateOnly.TryParseExact(parts[^2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return null;
            var (from, to) = PatrolTrackSql.DayWindow(day);
            parameters.Add(Ts("from", from));
            parameters.Add(Ts("to", to));
            parameters.Add(new NpgsqlParameter("unit", NpgsqlDbType.Text) { Value = string.Join('.', parts[..^2]) });
        }
        parameters.Add(new NpgsqlParameter("fid", NpgsqlDbType.Text) { Value = id });
        await using var cmd = dataSource.CreateCommand(
            $"SELECT t.id::text, ST_AsGeoJSON(t.geom, {CoordinateDecimals}), (to_jsonb(t) - 'geom' - 'id')::text FROM {collection.Source} t WHERE t.id::text = @fid LIMIT 1");
        cmd.Parameters.AddRange(parameters.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new FeatureRow(reader.GetString(0), reader.GetString(1), reader.GetString(2))
            : null;
    }

    /// <summary>The temporal extent of a collection (null ends when it has no time or no rows).</summary>
    public async Task<(DateTimeOffset? Start, DateTimeOffset? End)> TemporalExtentAsync(FeatureCollectionDefinition collection, CancellationToken cancellationToken)
    {
        string sql = collection.Time switch
        {
            FeatureTime.Instant => $"SELECT min({collection.TimeColumn}), max({collection.TimeColumn}) FROM {collection.Source} t",
            FeatureTime.TrackInterval => "SELECT min(recorded_at), max(recorded_at) FROM gps_point",
            _ => "",
        };
        if (sql.Length == 0) return (null, null);
        await using var cmd = dataSource.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.IsDBNull(0)) return (null, null);
        return (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>The features of a computed collection in their order (gaps: id = rank by risk, 1 = highest), with their geometries for bbox tests.
    /// A closed datetime interval scores the gaps' risk over it (Core's GapRiskInWindow, as the map's gaps layer); otherwise the
    /// check's 12 months.</summary>
    private async Task<IReadOnlyList<(Geometry Geometry, FeatureRow Row)>> ComputedAsync(FeatureCollectionDefinition collection, CancellationToken cancellationToken,
        TimeFilter? time = null)
    {
        if (collection.Id != FeatureCollections.Gaps) throw new ArgumentException($"No computation for collection '{collection.Id}'.", nameof(collection));
        if (time is { IsInstant: false, From: { } from, To: { } to } && to > from)
        {
            var windowed = await gaps.InWindowAsync(from, to, cancellationToken).ConfigureAwait(false);
            var departmentNames = await gaps.DepartmentNamesAsync(cancellationToken).ConfigureAwait(false);
            return windowed.Gaps.Select((g, i) => ((Geometry)g.Geometry, new FeatureRow((i + 1).ToString(CultureInfo.InvariantCulture),
                GeoJsonFormat.GeometryJson(g.Geometry), GeoJsonFormat.PropertiesJson(CoverageGaps.Properties(g, i + 1, departmentNames, windowed.Window))))).ToList();
        }
        var snapshot = await gaps.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (_gapRows is { } cached && ReferenceEquals(cached.Snapshot, snapshot)) return cached.Rows;
        var names = await gaps.DepartmentNamesAsync(cancellationToken).ConfigureAwait(false);
        var rows = snapshot.Gaps.Select((g, i) => ((Geometry)g.Geometry, new FeatureRow((i + 1).ToString(CultureInfo.InvariantCulture),
            GeoJsonFormat.GeometryJson(g.Geometry), GeoJsonFormat.PropertiesJson(CoverageGaps.Properties(g, i + 1, names))))).ToList();
        _gapRows = new GapRows(snapshot, rows);
        return rows;
    }

    /// <summary>The GeoJSON rows of one gap snapshot, made once per snapshot.</summary>
    private sealed record GapRows(CoverageGapSnapshot Snapshot, IReadOnlyList<(Geometry Geometry, FeatureRow Row)> Rows);

    private volatile GapRows? _gapRows;

    /// <summary>True when the geometry intersects the box (as ST_Intersects with ST_MakeEnvelope).</summary>
    private static bool Intersects(Geometry geometry, BoundingBox b) =>
        geometry.EnvelopeInternal.Intersects(new Envelope(b.MinX, b.MaxX, b.MinY, b.MaxY))
        && geometry.Intersects(geometry.Factory.ToGeometry(new Envelope(b.MinX, b.MaxX, b.MinY, b.MaxY)));

    /// <summary>The WHERE clause and its parameters; the tracks source always gets @from, @to and @unit.</summary>
    internal static (string Where, List<NpgsqlParameter> Parameters) BuildWhere(FeatureCollectionDefinition collection, FeatureQuery query)
    {
        var conds = new List<string>();
        var ps = new List<NpgsqlParameter>();
        if (query.Bbox is { } b)
        {
            conds.Add("t.geom && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326) AND ST_Intersects(t.geom, ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326))");
            ps.Add(new NpgsqlParameter("minx", b.MinX));
            ps.Add(new NpgsqlParameter("miny", b.MinY));
            ps.Add(new NpgsqlParameter("maxx", b.MaxX));
            ps.Add(new NpgsqlParameter("maxy", b.MaxY));
        }
        var time = query.Time;
        switch (collection.Time)
        {
            case FeatureTime.Instant when time is { } tf:
                if (tf.IsInstant)
                {
                    conds.Add($"t.{collection.TimeColumn} = @t0");
                    ps.Add(Ts("t0", tf.From!.Value));
                }
                else
                {
                    if (tf.From is { } f) { conds.Add($"t.{collection.TimeColumn} >= @t0"); ps.Add(Ts("t0", f)); }
                    if (tf.To is { } to) { conds.Add($"t.{collection.TimeColumn} <= @t1"); ps.Add(Ts("t1", to)); }
                }
                break;
            case FeatureTime.TrackInterval:
            {
                DateTimeOffset from = DateTimeOffset.UnixEpoch, to = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);
                if (time is { IsInstant: true } inst)
                {
                    var t = inst.From!.Value.ToUniversalTime();
                    from = new DateTimeOffset(t.Date, TimeSpan.Zero);
                    to = from.AddDays(1);
                    conds.Add("t.started_at <= @t0 AND t.ended_at >= @t0");
                    ps.Add(Ts("t0", t));
                }
                else if (time is { } iv)
                {
                    if (iv.From is { } f) from = f;
                    if (iv.To is { } t1) to = t1.AddTicks(10); // closed interval: include points at the end instant
                }
                ps.Add(Ts("from", from));
                ps.Add(Ts("to", to));
                var unit = query.Filters?.FirstOrDefault(kv => kv.Key == "unit_code").Value;
                ps.Add(new NpgsqlParameter("unit", NpgsqlDbType.Text) { Value = (object?)unit ?? DBNull.Value });
                break;
            }
        }
        var i = 0;
        foreach (var (name, value) in query.Filters ?? [])
        {
            var q = collection.FindQueryable(name) ?? throw new ArgumentException($"'{name}' is not a queryable of {collection.Id}.", nameof(query));
            conds.Add($"t.{q.Name}::text = @q{i}");
            ps.Add(new NpgsqlParameter($"q{i}", NpgsqlDbType.Text) { Value = q.Type == "boolean" ? value.ToLowerInvariant() : value });
            i++;
        }
        if (conds.Count == 0) return ("", ps);
        var sb = new StringBuilder(" WHERE ");
        sb.AppendJoin(" AND ", conds);
        return (sb.ToString(), ps);
    }

    private static NpgsqlParameter Ts(string name, DateTimeOffset value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value.UtcDateTime };

    private static NpgsqlParameter Clone(NpgsqlParameter p) => p.Clone();
}
