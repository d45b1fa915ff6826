using System.Text;

namespace MapControl.Data.PostGis.Tiles;

/// <summary>Builds the ST_AsMVT query of a tile layer; identifiers come only from <see cref="TileLayers"/>.</summary>
public static class VectorTileSql
{
    /// <summary>Tile extent in tile units.</summary>
    public const int Extent = 4096;

    /// <summary>Clipping buffer in tile units.</summary>
    public const int Buffer = 64;

    /// <summary>Windows up to this long are filtered by time first (see <see cref="For"/>).</summary>
    public static readonly TimeSpan TimeFirstMaxWindow = TimeSpan.FromDays(120);

    /// <summary>
    /// The query for one layer: parameters @z, @x, @y (int), @layer (text), and @from/@to (timestamptz) when the layer is
    /// time-filtered and the window has that end (tracks always bind both). Returns one bytea row.
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <param name="hasFrom">A lower time bound is bound as @from.</param>
    /// <param name="hasTo">An upper time bound is bound as @to.</param>
    /// <param name="timeFirst">
    /// Select the time window first (a MATERIALIZED CTE over the btree index) and test the tile envelope on those rows only. For short
    /// windows PostgreSQL otherwise ANDs a GiST bitmap of every row in the tile (all years of the partition) with the time bitmap.
    /// </param>
    public static string For(TileLayer layer, bool hasFrom, bool hasTo, bool timeFirst = false) => Build(layer, hasFrom, hasTo, timeFirst, aggregated: false);

    /// <summary>Side of an aggregation cell in tile units: 256 of 4096, 16 pixels of a 256-pixel tile (at most 256 cells a tile).</summary>
    public const int AggregateCell = 256;

    /// <summary>
    /// The aggregated query of a point layer (<see cref="TileLayer.AggregateBelowZoom"/>), parameters as <see cref="For"/>: the points
    /// inside the tile itself (tile units x in [0, 4096), y in [0, 4096) from the top: half-open, so each point is in exactly one tile
    /// of a zoom) grouped by cell of <see cref="AggregateCell"/> units and department_code; one point per group at the mean position
    /// of its points, with <c>count</c>, <c>kind</c> (the most frequent; ties by code) and <c>kinds</c> ("code n, code n", most frequent first).
    /// </summary>
    public static string Aggregated(TileLayer layer, bool hasFrom, bool hasTo, bool timeFirst = false) => Build(layer, hasFrom, hasTo, timeFirst, aggregated: true);

    private static string Build(TileLayer layer, bool hasFrom, bool hasTo, bool timeFirst, bool aggregated)
    {
        var sb = new StringBuilder();
        var columnFilter = layer.TimeFilter == TileTimeFilter.Column && layer.TimeColumn is not null && (hasFrom || hasTo);
        var source = layer.Source;
        if (columnFilter && timeFirst && hasFrom && hasTo)
        {
            sb.Append("WITH w AS MATERIALIZED (SELECT * FROM ").Append(layer.Source).Append(" s WHERE s.").Append(layer.TimeColumn)
              .Append(" >= @from AND s.").Append(layer.TimeColumn).Append(" < @to), ");
            source = "w";
            columnFilter = false;
        }
        else sb.Append("WITH ");
        if (aggregated)
            sb.Append("e AS (SELECT ST_XMin(b) AS x0, ST_YMax(b) AS y1, (ST_XMax(b) - ST_XMin(b)) / ").Append(Extent)
              .Append(" AS u FROM ST_TileEnvelope(@z, @x, @y) AS b), ")
              .Append("p AS (SELECT (ST_X(q.m) - e.x0) / e.u AS tx, (e.y1 - ST_Y(q.m)) / e.u AS ty, q.kind, q.department_code FROM e, ")
              .Append("(SELECT ST_Transform(t.geom, 3857) AS m, t.kind, t.department_code");
        else
        {
            sb.Append("mvtgeom AS (SELECT ST_AsMVTGeom(ST_Transform(t.geom, 3857), ST_TileEnvelope(@z, @x, @y), ")
              .Append(Extent).Append(", ").Append(Buffer).Append(", true) AS geom");
            foreach (var a in layer.Attributes) sb.Append(", ").Append(a.SelectItem);
        }
        sb.Append(" FROM ").Append(source).Append(" t");
        // The tile envelope with the buffer, back in EPSG:4326 so the GiST index on geom serves the && test.
        sb.Append(" WHERE t.geom && ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => ")
          .Append(((double)Buffer / Extent).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("), 4326)");
        if (columnFilter && layer.TimeColumn is { } c)
        {
            if (hasFrom) sb.Append(" AND t.").Append(c).Append(" >= @from");
            if (hasTo) sb.Append(" AND t.").Append(c).Append(" < @to");
        }
        if (aggregated)
        {
            sb.Append(") q), c AS (SELECT floor(tx / ").Append(AggregateCell).Append(") AS cx, floor(ty / ").Append(AggregateCell)
              .Append(") AS cy, department_code, kind, count(*) AS n, sum(tx) AS sx, sum(ty) AS sy FROM p WHERE tx >= 0 AND tx < ").Append(Extent)
              .Append(" AND ty >= 0 AND ty < ").Append(Extent).Append(" GROUP BY 1, 2, 3, 4), ")
              .Append("g AS (SELECT ST_MakePoint(round(sum(sx) / sum(n)), round(sum(sy) / sum(n))) AS geom, sum(n)::int AS \"count\", ")
              .Append("(array_agg(kind ORDER BY n DESC, kind))[1] AS kind, string_agg(kind || ' ' || n, ', ' ORDER BY n DESC, kind) AS kinds, ")
              .Append("department_code FROM c GROUP BY cx, cy, department_code) ")
              .Append("SELECT ST_AsMVT(g.*, @layer, ").Append(Extent).Append(", 'geom') FROM g");
            return sb.ToString();
        }
        sb.Append(") SELECT ST_AsMVT(mvtgeom.*, @layer, ").Append(Extent).Append(", 'geom') FROM mvtgeom WHERE geom IS NOT NULL");
        return sb.ToString();
    }
}
