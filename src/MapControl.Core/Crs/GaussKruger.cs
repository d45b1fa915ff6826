using System.Globalization;
using ProjNet.CoordinateSystems;

namespace MapControl.Core.Crs;

/// <summary>
/// The CGCS2000 Gauss-Kruger families (EPSG:4491–4554): 6-degree zones 13–23 with the zone number prefixed to the false
/// easting (4491–4501) or without (CM 75°E…135°E, 4502–4512), 3-degree zones 25–45 with prefix (4513–4533) or without
/// (4534–4554). Ledgers in X/Y carry the zone in the easting's leading digits: 20 412 345.6 is 6-degree zone 20 (CM 117°E),
/// 40 512 345.6 is 3-degree zone 40 (CM 120°E) — zone numbers 13–23 are 6-degree and 25–45 3-degree in China, so the prefix
/// alone decides.
/// </summary>
public static class GaussKruger
{
    /// <summary>The CRS of an EPSG code of the four families; false for other codes.</summary>
    public static bool TryGet(int srid, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SpatialReference? reference)
    {
        reference = null;
        if (srid is >= 4491 and <= 4554 && CrsRegistry.TryGet(srid, out reference)) return true;
        (int Width, double CentralMeridian, double FalseEasting, string Name)? spec = srid switch
        {
            >= 4491 and <= 4501 => (6, 6 * (srid - 4491 + 13) - 3, (srid - 4491 + 13) * 1e6 + 500_000, $"CGCS2000 / Gauss-Kruger zone {srid - 4491 + 13}"),
            >= 4502 and <= 4512 => (6, 75 + 6 * (srid - 4502), 500_000, $"CGCS2000 / Gauss-Kruger CM {75 + 6 * (srid - 4502)}E"),
            >= 4513 and <= 4533 => (3, 3 * (srid - 4513 + 25), (srid - 4513 + 25) * 1e6 + 500_000, $"CGCS2000 / 3-degree Gauss-Kruger zone {srid - 4513 + 25}"),
            >= 4534 and <= 4554 => (3, 75 + 3 * (srid - 4534), 500_000, $"CGCS2000 / 3-degree Gauss-Kruger CM {75 + 3 * (srid - 4534)}E"),
            _ => null,
        };
        if (spec is not { } s) return false;
        var wkt = string.Create(CultureInfo.InvariantCulture,
            $"""PROJCS["{s.Name}",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{s.CentralMeridian}],PARAMETER["scale_factor",1],PARAMETER["false_easting",{s.FalseEasting}],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","{srid}"]]""");
        var cs = (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wkt);
        reference = new SpatialReference(srid, s.Name, cs);
        return true;
    }

    /// <summary>
    /// The zone CRS of an easting with its zone prefix (13–23: 6-degree, 25–45: 3-degree); false when the easting has none
    /// (under 10⁷ m) or names no zone of China.
    /// </summary>
    public static bool TryZoneOfEasting(double easting, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SpatialReference? reference)
    {
        reference = null;
        if (!double.IsFinite(easting) || easting < 1e7) return false;
        var zone = (int)Math.Floor(easting / 1e6);
        var inZone = easting - zone * 1e6;
        if (inZone is < 100_000 or > 900_000) return false;
        return zone switch
        {
            >= 13 and <= 23 => TryGet(4491 + zone - 13, out reference),
            >= 25 and <= 45 => TryGet(4513 + zone - 25, out reference),
            _ => false,
        };
    }

    /// <summary>A supported EPSG code: <see cref="CrsRegistry"/>'s, else one of the Gauss-Kruger families.</summary>
    public static bool TryResolve(int srid, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SpatialReference? reference) =>
        CrsRegistry.TryGet(srid, out reference) || TryGet(srid, out reference);
}
