using System.Collections.Frozen;
using ProjNet.CoordinateSystems;

namespace MapControl.Core.Crs;

/// <summary>The coordinate reference systems MapControl supports by EPSG code, with their WKT1 shipped in code (ProjNet has no EPSG database).</summary>
public static class CrsRegistry
{
    /// <summary>WGS 84 lon/lat — the storage and exchange CRS.</summary>
    public const int Wgs84 = 4326;

    /// <summary>China Geodetic Coordinate System 2000 lon/lat (国家2000).</summary>
    public const int Cgcs2000 = 4490;

    /// <summary>CGCS2000 / 3-degree Gauss-Kruger CM 117E (west of 118.5°E in Dongying).</summary>
    public const int Cgcs2000GkCm117E = 4548;

    /// <summary>CGCS2000 / 3-degree Gauss-Kruger CM 120E (east of 118.5°E in Dongying).</summary>
    public const int Cgcs2000GkCm120E = 4549;

    /// <summary>CGCS2000 / 3-degree Gauss-Kruger zone 39 (CM 117E, zone number prefixed to the false easting: 39 500 000 m).</summary>
    public const int Cgcs2000GkZone39 = 4527;

    /// <summary>CGCS2000 / 3-degree Gauss-Kruger zone 40 (CM 120E, false easting 40 500 000 m).</summary>
    public const int Cgcs2000GkZone40 = 4528;

    /// <summary>WGS 84 / UTM zone 50N.</summary>
    public const int Utm50N = 32650;

    /// <summary>WGS 84 / Pseudo-Mercator (web maps, tiles).</summary>
    public const int WebMercator = 3857;

    // From `gdalsrsinfo -o wkt1 --single-line EPSG:N` (GDAL 3.6.2, PROJ 9.1.1). 3857 differs: GDAL writes
    // Mercator_1SP with a PROJ4 extension; ProjNet needs its own spherical "Pseudo-Mercator" projection name.
    private static readonly FrozenDictionary<int, string> s_wkt = new Dictionary<int, string>
    {
        [Wgs84] = """GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]""",
        [Cgcs2000] = """GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]""",
        [Cgcs2000GkCm117E] = """PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 117E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","4548"]]""",
        [Cgcs2000GkCm120E] = """PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 120E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",120],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","4549"]]""",
        [Cgcs2000GkZone39] = """PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 39",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",1],PARAMETER["false_easting",39500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","4527"]]""",
        [Cgcs2000GkZone40] = """PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 40",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",120],PARAMETER["scale_factor",1],PARAMETER["false_easting",40500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","4528"]]""",
        [Utm50N] = """PROJCS["WGS 84 / UTM zone 50N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","32650"]]""",
        [WebMercator] = """PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Pseudo-Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","3857"]]""",
    }.ToFrozenDictionary();

    // From `gdalsrsinfo -o wkt_esri --single-line EPSG:N`: what ArcGIS writes into a .prj (Gauss_Kruger for CGCS2000 zones).
    private static readonly FrozenDictionary<int, string> s_esriWkt = new Dictionary<int, string>
    {
        [Wgs84] = """GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""",
        [Cgcs2000] = """GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""",
        [Cgcs2000GkCm117E] = """PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""",
        [Cgcs2000GkCm120E] = """PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""",
        [Cgcs2000GkZone39] = """PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""",
        [Cgcs2000GkZone40] = """PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""",
        [Utm50N] = """PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""",
        [WebMercator] = """PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]""",
    }.ToFrozenDictionary();

    // Each CRS is parsed when first asked for (a one-shot CLI run reading lon/lat needs only EPSG:4326).
    private static readonly FrozenDictionary<int, Lazy<SpatialReference>> s_references =
        s_wkt.ToFrozenDictionary(kv => kv.Key, kv => new Lazy<SpatialReference>(() => Parse(kv.Key, kv.Value)));

    /// <summary>The EPSG codes supported, in ascending order.</summary>
    public static IReadOnlyList<int> SupportedSrids { get; } = [.. s_wkt.Keys.Order()];

    /// <summary>True when the EPSG code is supported.</summary>
    public static bool IsSupported(int srid) => s_wkt.ContainsKey(srid);

    /// <summary>The CRS of a supported EPSG code; <see cref="UnknownCrsException"/> otherwise.</summary>
    public static SpatialReference Get(int srid) =>
        TryGet(srid, out var reference)
            ? reference
            : throw new UnknownCrsException($"EPSG:{srid} is not a supported CRS (supported: {string.Join(", ", SupportedSrids)}).");

    /// <summary>The CRS of an EPSG code if it is supported.</summary>
    public static bool TryGet(int srid, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SpatialReference? reference)
    {
        reference = s_references.TryGetValue(srid, out var lazy) ? lazy.Value : null;
        return reference is not null;
    }

    /// <summary>The shipped WKT1 of a supported EPSG code; <see cref="UnknownCrsException"/> otherwise.</summary>
    public static string GetWkt(int srid) =>
        s_wkt.TryGetValue(srid, out var wkt) ? wkt : throw new UnknownCrsException($"EPSG:{srid} is not a supported CRS.");

    /// <summary>The ESRI WKT of a supported EPSG code, as ArcGIS writes it into a Shapefile .prj; <see cref="UnknownCrsException"/> otherwise.</summary>
    public static string GetEsriWkt(int srid) =>
        s_esriWkt.TryGetValue(srid, out var wkt) ? wkt : throw new UnknownCrsException($"EPSG:{srid} is not a supported CRS.");

    /// <summary>All supported CRSs.</summary>
    internal static IEnumerable<SpatialReference> All => s_references.Values.Select(lazy => lazy.Value);

    private static SpatialReference Parse(int srid, string wkt)
    {
        var cs = (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wkt);
        return new SpatialReference(srid, cs.Name, cs);
    }
}
