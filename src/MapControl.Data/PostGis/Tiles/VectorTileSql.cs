using System.Text;

namespace MapControl.Data.PostGis.Tiles;

/// <summary>Builds the ST_AsMVT query of a tile layer; identifiers come only from <see cref="TileLayers"/>.</summary>
public static class VectorTileSql
{
    /// <summary>Tile extent in tile units.</summary>
    public const int Extent = 4096;

    /// <summary>Clipping buffer in tile units.</summary>
    public const int Buffer = 64;

    /// <summary>
    /// The query for one layer: parameters @z, @x, @y (int), @layer (text), and @from/@to (timestamptz) when the layer is
    /// time-filtered and the window has that end (tracks always bind both). Returns one bytea row.
    /// </summary>
    public static string For(TileLayer layer, bool hasFrom, bool hasTo)
    {
        var sb = new StringBuilder();
        sb.Append("WITH mvtgeom AS (SELECT ST_AsMVTGeom(ST_Transform(t.geom, 3857), ST_TileEnvelope(@z, @x, @y), ")
          .Append(Extent).Append(", ").Append(Buffer).Append(", true) AS geom");
        foreach (var a in layer.Attributes) sb.Append(", ").Append(a.SelectItem);
        sb.Append(" FROM ").Append(layer.Source).Append(" t");
        // The tile envelope with the buffer, back in EPSG:4326 so the GiST index on geom serves the && test.
        sb.Append(" WHERE t.geom && ST_Transform(ST_TileEnvelope(@z, @x, @y, margin => ")
          .Append(((double)Buffer / Extent).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("), 4326)");
        if (layer.TimeFilter == TileTimeFilter.Column && layer.TimeColumn is { } c)
        {
            if (hasFrom) sb.Append(" AND t.").Append(c).Append(" >= @from");
            if (hasTo) sb.Append(" AND t.").Append(c).Append(" < @to");
        }
        sb.Append(") SELECT ST_AsMVT(mvtgeom.*, @layer, ").Append(Extent).Append(", 'geom') FROM mvtgeom WHERE geom IS NOT NULL");
        return sb.ToString();
    }
}
