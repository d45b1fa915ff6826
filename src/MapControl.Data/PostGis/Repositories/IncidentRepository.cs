using MapControl.Core.Hotspots;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>An incident with the department and oil zone it was attributed to (null when outside all of them).</summary>
public sealed record AttributedIncident(Incident Incident, string? DepartmentCode, string? OilZoneCode);

/// <summary>
/// Reads and writes incidents (案件). Every write stores the department and oil zone that the one rule,
/// <see cref="IncidentAttribution"/> (Core), gives the incident, computed in memory from the jurisdiction versions and oil zones in
/// the database; bulk loads use binary COPY with the attribution in the copied rows.
/// </summary>
public sealed class IncidentRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code, oil_zone_code";
    private const string SelectAllSql = $"SELECT {Columns} FROM incident ORDER BY occurred_at, code";
    private const string LatestSql = "SELECT max(occurred_at) FROM incident";

    // The point analyses' read: coordinates as numbers, no geometry objects, no columns they do not use. Streamed in no order
    // (the accumulators it feeds do not depend on it; a sort of a year of rows would spill to disk); listed in time order.
    private const string StreamPointsSql = """
        SELECT ST_X(geom), ST_Y(geom), occurred_at, kind FROM incident
        WHERE occurred_at >= $1 AND occurred_at < $2 AND ($3::text IS NULL OR department_code = $3::text)
        """;
    private const string SelectPointsSql = StreamPointsSql + "\nORDER BY occurred_at, code";
    // The KPIs' read: times, discoverer, oil, kind and the stored attribution; no geometry.
    private const string SelectKpiSql = """
        SELECT occurred_at, discovered_at, discovered_by, oil_recovered_t, kind, department_code, oil_zone_code FROM incident
        WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY occurred_at, code
        """;
    private const string SelectWindowSql =
        $"SELECT {Columns} FROM incident WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY occurred_at, code";

    // Department and oil zone are never decided here: they are computed by the Core rule (IncidentAttribution) and written as
    // plain values, by insert, by COPY or by the re-attribution update below.
    private const string InsertSql = """
        INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status,
                              department_code, oil_zone_code)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """;

    private const string CopySql = """
        COPY incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code, oil_zone_code)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string SelectPlacesSql = "SELECT code, occurred_at, geom, department_code, oil_zone_code FROM incident";
    private const string SelectPlacesByCodeSql = SelectPlacesSql + " WHERE code = ANY($1)";

    private const string UpdateAttributionSql = """
        UPDATE incident i SET department_code = u.department_code, oil_zone_code = u.oil_zone_code
          FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS u(code, occurred_at, department_code, oil_zone_code)
         WHERE i.code = u.code AND i.occurred_at = u.occurred_at
        """;

    /// <summary>All incidents, ordered by time.</summary>
    public async Task<IReadOnlyList<Incident>> GetAllAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, ReadIncident, cancellationToken).ConfigureAwait(false);

    /// <summary>Incidents that occurred in [<paramref name="from"/>, <paramref name="to"/>), ordered by time.</summary>
    public async Task<IReadOnlyList<Incident>> GetByWindowAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectWindowSql, ReadIncident, cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);

    /// <summary>Incidents in [<paramref name="from"/>, <paramref name="to"/>) with their department and oil zone.</summary>
    public async Task<IReadOnlyList<AttributedIncident>> GetAttributedByWindowAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectWindowSql, ReadAttributed, cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);

    /// <summary>
    /// The light form of the incidents in [<paramref name="from"/>, <paramref name="to"/>) — location, time, kind — for the point
    /// analyses (hot spots, kernel density, year over year, the alert rules), optionally only those attributed to
    /// <paramref name="department"/>. Read as plain numbers with one kind value per code: 10⁶ incidents as full
    /// <see cref="Incident"/>s with geometries took ~20 s and ~2.5 GB in the web server (bench/results/endpoint-growth.md).
    /// </summary>
    public async Task<IReadOnlyList<IncidentPoint>> GetPointsByWindowAsync(DateTimeOffset from, DateTimeOffset to, string? department,
        CancellationToken cancellationToken = default)
    {
        var kinds = new Dictionary<string, IncidentKind>(StringComparer.Ordinal);
        return await QueryAsync(dataSource, SelectPointsSql, r =>
        {
            var code = r.GetString(3);
            if (!kinds.TryGetValue(code, out var kind)) kinds[code] = kind = new IncidentKind(code);
            return new IncidentPoint(r.GetDouble(0), r.GetDouble(1), r.GetUtc(2), kind);
        }, cancellationToken, Utc(from), Utc(to), department).ConfigureAwait(false);
    }

    /// <summary>
    /// The rows of <see cref="GetPointsByWindowAsync"/>, streamed: each is handed to <paramref name="each"/> as it is read (binary,
    /// sequential, no list), in no particular order, so the caller's memory does not grow with the window. Returns the rows read.
    /// </summary>
    public async Task<long> ReadPointsByWindowAsync(DateTimeOffset from, DateTimeOffset to, string? department, Action<IncidentPoint> each,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(each);
        var kinds = new Dictionary<string, IncidentKind>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, StreamPointsSql, Utc(from), Utc(to), department);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            double lon = reader.GetDouble(0), lat = reader.GetDouble(1);
            var at = reader.GetUtc(2);
            var code = reader.GetString(3);
            if (!kinds.TryGetValue(code, out var kind)) kinds[code] = kind = new IncidentKind(code);
            each(new IncidentPoint(lon, lat, at, kind));
            rows++;
        }
        return rows;
    }

    /// <summary>
    /// The KPIs' form of the incidents in [<paramref name="from"/>, <paramref name="to"/>) as a list (<see cref="ReadKpiCasesByWindowAsync"/>
    /// collected). The KPI loaders stream instead (<see cref="Analysis.AnalysisSource.ComputeKpisAsync(IReadOnlyList{ValueTuple{KpiInput, KpiOptions}}, CancellationToken)"/>).
    /// </summary>
    public async Task<IReadOnlyList<KpiIncident>> GetKpiCasesByWindowAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        var cases = new List<KpiIncident>();
        await ReadKpiCasesByWindowAsync(from, to, c => cases.Add(c), cancellationToken).ConfigureAwait(false);
        return cases;
    }

    /// <summary>
    /// Hands each incident of [<paramref name="from"/>, <paramref name="to"/>) in the KPIs' form to <paramref name="onCase"/>, one row
    /// at a time, without holding them: times, discoverer, oil, kind and the department and oil zone stored when each was written
    /// (by <see cref="IncidentAttribution"/>), as plain values with one string per distinct code — no geometry, no point-in-polygon
    /// test at read time. Ordered by time and code, as the full read: the KPIs' sums (oil recovered) then add in the same order and
    /// come out the same to the last bit. Returns the number of rows read.
    /// </summary>
    public async Task<long> ReadKpiCasesByWindowAsync(DateTimeOffset from, DateTimeOffset to, Action<KpiIncident> onCase,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onCase);
        var kinds = new Dictionary<string, IncidentKind>(StringComparer.Ordinal);
        var sources = new Dictionary<string, DiscoverySource>(StringComparer.Ordinal);
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Shared(NpgsqlDataReader r, int i)
        {
            if (r.IsDBNull(i)) return null;
            var s = r.GetString(i);
            if (codes.TryGetValue(s, out var shared)) return shared;
            codes[s] = s;
            return s;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, SelectKpiSql, Utc(from), Utc(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var by = reader.GetString(2);
            if (!sources.TryGetValue(by, out var source)) sources[by] = source = DomainNames.Parse<DiscoverySource>(by);
            var kindCode = reader.GetString(4);
            if (!kinds.TryGetValue(kindCode, out var kind)) kinds[kindCode] = kind = new IncidentKind(kindCode);
            onCase(new KpiIncident(reader.GetUtc(0), reader.GetUtcOrNull(1), source, reader.GetDouble(3), kind, Shared(reader, 5), Shared(reader, 6)));
            rows++;
        }
        return rows;
    }

    /// <summary>The distinct kinds of the incidents in [<paramref name="from"/>, <paramref name="to"/>) (a kind named by a code not in the vocabulary).</summary>
    public async Task<IReadOnlyList<IncidentKind>> GetKindsByWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, "SELECT DISTINCT kind FROM incident WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY kind",
            r => new IncidentKind(r.GetString(0)), cancellationToken, Utc(from), Utc(to)).ConfigureAwait(false);

    /// <summary>
    /// The locations (lon/lat) of the incidents in [<paramref name="from"/>, <paramref name="to"/>) that lie in one of the lon/lat
    /// <paramref name="boxes"/> (edges included; each incident once): the candidates of a count inside small areas (the gaps), read
    /// through the spatial index instead of the whole window.
    /// </summary>
    public async Task<IReadOnlyList<Point>> GetLocationsInBoxesAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<Envelope> boxes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        if (boxes.Count == 0) return [];
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        return await QueryAsync(dataSource, """
            SELECT ST_X(i.geom), ST_Y(i.geom) FROM incident i
            WHERE i.occurred_at >= $1 AND i.occurred_at < $2
              AND EXISTS (SELECT 1 FROM unnest($3::double precision[], $4::double precision[], $5::double precision[], $6::double precision[]) b(x0, y0, x1, y1)
                          WHERE i.geom && ST_MakeEnvelope(b.x0, b.y0, b.x1, b.y1, 4326))
            """, r => factory.CreatePoint(new Coordinate(r.GetDouble(0), r.GetDouble(1))), cancellationToken, Utc(from), Utc(to),
            boxes.Select(b => b.MinX).ToArray(), boxes.Select(b => b.MinY).ToArray(), boxes.Select(b => b.MaxX).ToArray(), boxes.Select(b => b.MaxY).ToArray())
            .ConfigureAwait(false);
    }

    /// <summary>The latest incident time (the data's "now" for default windows), or null when there are none.</summary>
    public async Task<DateTimeOffset?> LatestOccurredAtAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, LatestSql, r => r.GetUtcOrNull(0), cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Inserts one incident with the department and oil zone the rule gives it.</summary>
    public async Task InsertAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var (department, zone) = (await LoadAttributionAsync(connection, cancellationToken).ConfigureAwait(false)).Attribute(incident);
        await ExecuteAsync(connection, InsertSql, cancellationToken, incident.Code, Name(incident.Kind), Utc(incident.OccurredAt),
            incident.DiscoveredAt is { } found ? Utc(found) : null, Name(incident.DiscoveredBy), As4326(incident.Location), incident.OilRecoveredT,
            Name(incident.Status), department, zone).ConfigureAwait(false);
    }

    /// <summary>Writes many incidents with binary COPY, attributed by the rule, and creates their yearly partitions, in one transaction.</summary>
    public async Task<ulong> BulkInsertAsync(IReadOnlyCollection<Incident> incidents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await EnsurePartitionsAsync(connection, incidents, cancellationToken).ConfigureAwait(false);
        var attribution = await LoadAttributionAsync(connection, cancellationToken).ConfigureAwait(false);
        var count = await CopyAsync(connection, incidents, attribution, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>The attribution rule over the jurisdiction versions and oil zones stored in the database (caller's connection).</summary>
    public static async Task<IncidentAttribution> LoadAttributionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        var jurisdictions = await JurisdictionRepository.GetAllVersionsAsync(connection, cancellationToken).ConfigureAwait(false);
        var zones = await OilZoneRepository.GetAllAsync(connection, cancellationToken).ConfigureAwait(false);
        return new IncidentAttribution(jurisdictions, zones);
    }

    /// <summary>Creates the yearly partitions covering the incidents' times (rows outside any partition go to the default one).</summary>
    public static async Task EnsurePartitionsAsync(NpgsqlConnection connection, IReadOnlyCollection<Incident> incidents,
        CancellationToken cancellationToken = default)
    {
        if (incidents.Count == 0) return;
        var from = incidents.Min(i => i.OccurredAt);
        var to = incidents.Max(i => i.OccurredAt).AddSeconds(1);
        await ExecuteAsync(connection, "SELECT ensure_incident_partitions($1, $2)", cancellationToken, Utc(from), Utc(to))
            .ConfigureAwait(false);
    }

    /// <summary>From how many incidents <see cref="CopyAsync"/> attributes them on a thread of its own, ahead of the rows it writes.</summary>
    internal const int AttributeAheadRows = 10_000;

    /// <summary>Writes incidents with binary COPY on the caller's connection, each with the department and oil zone <paramref name="attribution"/> gives it.</summary>
    /// <param name="timeout">How long the COPY may take (its completion waits for the indexes and statement triggers); null: the connection's command timeout.</param>
    /// <remarks>
    /// The attribution (points in polygons) is the costliest part of a row: from <see cref="AttributeAheadRows"/> rows on it runs on
    /// a thread of its own (<see cref="IncidentPlaces"/>), in row order, while this one encodes the rows and the server stores them.
    /// </remarks>
    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IEnumerable<Incident> incidents, IncidentAttribution attribution,
        CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(attribution);
        var list = incidents as IReadOnlyList<Incident> ?? incidents.ToList();
        if (list.Count < AttributeAheadRows) return await CopyPlacedAsync(connection, list, attribution, null, cancellationToken, timeout).ConfigureAwait(false);
        using var places = new IncidentPlaces(attribution, basis: null);
        foreach (var incident in list) places.Add(incident);
        places.Complete();
        return await CopyPlacedAsync(connection, list, attribution, places, cancellationToken, timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="incidents"/> with binary COPY; their departments and oil zones are those <paramref name="places"/> gives
    /// in order (attributed as the incidents were added to it, by the same rule), or, without it, <paramref name="attribution"/>'s.
    /// </summary>
    internal static async Task<ulong> CopyPlacedAsync(NpgsqlConnection connection, IReadOnlyList<Incident> incidents, IncidentAttribution attribution,
        IncidentPlaces? places, CancellationToken cancellationToken, TimeSpan? timeout)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false);
        if (timeout is { } limit) importer.Timeout = limit;
        var point = new byte[PointEwkbBytes];
        foreach (var incident in incidents)
        {
            var (department, zone) = places is null ? attribution.Attribute(incident) : await places.NextAsync(incident, cancellationToken).ConfigureAwait(false);
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(incident.Code, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Name(incident.Kind), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Utc(incident.OccurredAt), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            if (incident.DiscoveredAt is { } found) await importer.WriteAsync(Utc(found), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            else await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Name(incident.DiscoveredBy), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            // A 2D point as the EWKB the geometry column receives (what the NetTopologySuite plugin writes for it), without a writer per row.
            if (PointEwkb(incident.Location, point)) await importer.WriteAsync(point, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            else await importer.WriteAsync<Geometry>(As4326(incident.Location), cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(incident.OilRecoveredT, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(Name(incident.Status), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteTextOrNullAsync(importer, department, cancellationToken).ConfigureAwait(false);
            await WriteTextOrNullAsync(importer, zone, cancellationToken).ConfigureAwait(false);
        }
        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private const int PointEwkbBytes = 25;

    /// <summary>
    /// Writes a non-empty 2D point as little-endian EWKB with its SRID (4326 when it has none, as <see cref="DbCommands.As4326"/>);
    /// false for any other point (empty, Z or M), which takes the plugin's writer.
    /// </summary>
    internal static bool PointEwkb(Point point, Span<byte> ewkb)
    {
        if (point.IsEmpty || point.CoordinateSequence.HasZ || point.CoordinateSequence.HasM) return false;
        ewkb[0] = 1; // little endian
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(ewkb[1..], 0x20000001); // Point, with SRID
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(ewkb[5..], point.SRID > 0 ? point.SRID : Srid);
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(ewkb[9..], point.X);
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(ewkb[17..], point.Y);
        return true;
    }

    /// <summary>
    /// What the attribution of stored incidents was computed from: the change versions of the jurisdiction and oil zone tables
    /// (data_change, bumped in the writer's transaction). Read before <see cref="LoadAttributionAsync"/>, an unchanged basis later
    /// means the rule loaded then is the rule in force now.
    /// </summary>
    internal static async Task<string> AttributionBasisAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT coalesce(string_agg(table_name || '=' || version, ',' ORDER BY table_name), '') FROM data_change WHERE table_name IN ('jurisdiction', 'oil_zone')",
            connection);
        return (string)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Re-attributes stored incidents by the rule and the jurisdictions and oil zones now in the database, writing only those whose
    /// department or oil zone changes (after an import of incidents, an edit of oil zones or a back-dated jurisdiction version).
    /// </summary>
    /// <param name="codes">Only the incidents with these codes; null for all.</param>
    /// <returns>The number of incidents whose department or oil zone changed.</returns>
    public async Task<int> AttributeAsync(IReadOnlyCollection<string>? codes = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await AttributeAsync(connection, codes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Re-attributes stored incidents (all, or those with <paramref name="codes"/>) on the caller's connection and transaction.</summary>
    /// <returns>The number of incidents whose department or oil zone changed.</returns>
    public static async Task<int> AttributeAsync(NpgsqlConnection connection, IReadOnlyCollection<string>? codes,
        CancellationToken cancellationToken = default)
    {
        if (codes is { Count: 0 }) return 0;
        var attribution = await LoadAttributionAsync(connection, cancellationToken).ConfigureAwait(false);
        var stored = codes is null
            ? await QueryAsync(connection, SelectPlacesSql, ReadPlace, cancellationToken).ConfigureAwait(false)
            : await QueryAsync(connection, SelectPlacesByCodeSql, ReadPlace, cancellationToken, (object)codes.ToArray()).ConfigureAwait(false);
        var changed = new List<(string Code, DateTimeOffset OccurredAt, string? Department, string? Zone)>();
        foreach (var (code, occurredAt, location, department, zone) in stored)
        {
            var rule = (Department: attribution.DepartmentAt(location, occurredAt), Zone: attribution.OilZoneAt(location));
            if (rule.Department != department || rule.Zone != zone) changed.Add((code, occurredAt, rule.Department, rule.Zone));
        }
        if (changed.Count == 0) return 0;
        await ExecuteAsync(connection, UpdateAttributionSql, cancellationToken,
            changed.Select(c => c.Code).ToArray(), changed.Select(c => Utc(c.OccurredAt)).ToArray(),
            changed.Select(c => c.Department).ToArray(), changed.Select(c => c.Zone).ToArray()).ConfigureAwait(false);
        return changed.Count;
    }

    private static (string Code, DateTimeOffset OccurredAt, Point Location, string? Department, string? Zone) ReadPlace(NpgsqlDataReader r) =>
        (r.GetString(0), r.GetUtc(1), r.GetFieldValue<Point>(2), r.GetStringOrNull(3), r.GetStringOrNull(4));

    private static Task WriteTextOrNullAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Incident ReadIncident(NpgsqlDataReader r) => new(r.GetString(0), new IncidentKind(r.GetString(1)), r.GetUtc(2), r.GetUtcOrNull(3),
        Parse<DiscoverySource>(r, 4), r.GetFieldValue<Point>(5), r.GetDouble(6), Parse<IncidentStatus>(r, 7));

    private static AttributedIncident ReadAttributed(NpgsqlDataReader r) => new(ReadIncident(r), r.GetStringOrNull(8), r.GetStringOrNull(9));
}
