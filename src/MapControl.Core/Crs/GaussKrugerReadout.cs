namespace MapControl.Core.Crs;

/// <summary>A point in CGCS2000 6-degree Gauss-Kruger: zone, northing X and easting Y with the zone prefix (as ledgers write it).</summary>
/// <param name="Zone">6-degree zone number (20: 114–120°E, CM 117°E; 21: 120–126°E, CM 123°E).</param>
/// <param name="Srid">The EPSG code of the zone with prefix (4491 + zone − 13).</param>
/// <param name="X">Northing in metres.</param>
/// <param name="Y">Easting in metres, zone number prefixed (zone × 10⁶ + 500 000 at the central meridian).</param>
public readonly record struct GaussKrugerPoint(int Zone, int Srid, double X, double Y);

/// <summary>
/// The map's cursor readout in CGCS2000 6-degree Gauss-Kruger: the zone is chosen by longitude (zone = ⌊lon / 6⌋ + 1, so
/// 114–120°E is zone 20 and 120–126°E zone 21) and the point projected with <see cref="GaussKruger"/>'s zone CRS
/// (EPSG:4491–4501, zone-prefixed false easting). WGS84 and CGCS2000 lon/lat are treated as one datum (as <see cref="CrsTransformer"/> does).
/// </summary>
public static class GaussKrugerReadout
{
    /// <summary>The 6-degree zone of a longitude: ⌊lon / 6⌋ + 1; China's zones are 13–23 (72–138°E).</summary>
    public static int ZoneOf(double lon) => (int)Math.Floor(lon / 6.0) + 1;

    /// <summary>The Gauss-Kruger coordinates of a lon/lat point; null outside China's zones 13–23 or for a non-finite input.</summary>
    public static GaussKrugerPoint? Of(double lon, double lat)
    {
        if (!double.IsFinite(lon) || !double.IsFinite(lat) || lat is < -80 or > 84) return null;
        var zone = ZoneOf(lon);
        if (zone is < 13 or > 23) return null;
        var srid = 4491 + zone - 13;
        if (!GaussKruger.TryGet(srid, out var target)) return null;
        var (easting, northing) = CrsTransformer.Create(CrsRegistry.Get(CrsRegistry.Cgcs2000), target).Transform(lon, lat);
        return new GaussKrugerPoint(zone, srid, northing, easting);
    }
}
