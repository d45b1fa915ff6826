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
    public static string For(TileLayer layer, bool hasFrom, bool hasTo, bool timeFirst = false)
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
        sb.Append("mvtgeom AS (SELECT ST_AsMVTGeom(ST_Transform(t.geom, 3857), ST_TileEnvelope(@z, @x, @y), ")
          .Append(Extent).Append(", ").Append(Buffer).Append(", true) AS geom");
        foreach (var a in layer.Attributes) sb.Append(", ").Append(a.SelectItem);
        sb.Append(" FROM ").Append(source).Append(" t");
        // The tile envelope with the buffer, back in EPSG:4326 so the GiST index on geom serves the && test.
        sb.Append(" WHERE t.geom && ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => ")
          .Append(((double)Buffer / Extent).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("), 4326)");
        if (columnFilter && layer.TimeColumn is { } c)
        {
            if (hasFrom) sb.Append(" AND t.").Append(c).Append(" >= @from");
            if (hasTo) sb.Append(" AND t.").Append(c).Append(" < @to");
        }
        sb.Append(") SELECT ST_AsMVT(mvtgeom.*, @layer, ").Append(Extent).Append(", 'geom') FROM mvtgeom WHERE geom IS NOT NULL");
        return sb.ToString();
    }
}
