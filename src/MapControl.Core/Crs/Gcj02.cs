using NetTopologySuite.Geometries;

namespace MapControl.Core.Crs;

/// <summary>
/// GCJ-02 (国测局坐标, the "Mars" offset of Chinese phone apps and web maps) ⇄ WGS84 lon/lat.
/// The forward formula is the public one; the inverse iterates it to sub-millimetre agreement.
/// Outside China's bounding box GCJ-02 equals WGS84.
/// </summary>
public static class Gcj02
{
    private const double SemiMajorAxis = 6378245.0;
    private const double EccentricitySquared = 0.00669342162296594323;
    private const double Tolerance = 1e-11; // degrees, ~1 µm
    private const int MaxIterations = 30;

    /// <summary>True when the point lies in the box where GCJ-02 applies an offset.</summary>
    public static bool IsInChina(double lon, double lat) =>
        lon is >= 72.004 and <= 137.8347 && lat is >= 0.8293 and <= 55.8271;

    /// <summary>WGS84 → GCJ-02.</summary>
    public static (double Lon, double Lat) FromWgs84(double lon, double lat)
    {
        if (!IsInChina(lon, lat))
        {
            return (lon, lat);
        }

        var (dLon, dLat) = Offset(lon, lat);
        return (lon + dLon, lat + dLat);
    }

    /// <summary>GCJ-02 → WGS84 by fixed-point iteration of the forward formula (round trip well under 1 mm).</summary>
    public static (double Lon, double Lat) ToWgs84(double lon, double lat)
    {
        if (!IsInChina(lon, lat))
        {
            return (lon, lat);
        }

        var (wLon, wLat) = (lon, lat);
        for (var i = 0; i < MaxIterations; i++)
        {
            var (gLon, gLat) = FromWgs84(wLon, wLat);
            var (eLon, eLat) = (gLon - lon, gLat - lat);
            wLon -= eLon;
            wLat -= eLat;
            if (Math.Abs(eLon) < Tolerance && Math.Abs(eLat) < Tolerance)
            {
                break;
            }
        }

        return (wLon, wLat);
    }

    /// <summary>A copy of a WGS84 geometry in GCJ-02 (SRID kept).</summary>
    public static Geometry FromWgs84(Geometry wgs84) => Apply(wgs84, FromWgs84);

    /// <summary>A copy of a GCJ-02 geometry in WGS84 (SRID 4326).</summary>
    public static Geometry ToWgs84(Geometry gcj02)
    {
        var result = Apply(gcj02, ToWgs84);
        result.SRID = CrsRegistry.Wgs84;
        return result;
    }

    private static (double DLon, double DLat) Offset(double lon, double lat)
    {
        var x = lon - 105.0;
        var y = lat - 35.0;
        var common = (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x)) + common
                   + (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
                   + (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x)) + common
                   + (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
                   + (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        var radLat = lat / 180.0 * Math.PI;
        var magic = 1 - EccentricitySquared * Math.Sin(radLat) * Math.Sin(radLat);
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (SemiMajorAxis * (1 - EccentricitySquared) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (SemiMajorAxis / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLon, dLat);
    }

    private static Geometry Apply(Geometry geometry, Func<double, double, (double, double)> transform)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var copy = geometry.Copy();
        copy.Apply(new TransformFilter(transform));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class TransformFilter(Func<double, double, (double, double)> transform) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = transform(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
