using MapControl.Core.Alerts;

namespace MapControl.Core.Spatial;

/// <summary>
/// The measure tool's lengths and areas on the sphere of the WGS84 mean radius (6 371 008.8 m): lengths are great-circle
/// (<see cref="Dispatch.Haversine"/>, the one distance function), areas the spherical polygon area (Chamberlain &amp; Duquette 2007,
/// the formula of OpenLayers' and Leaflet.draw's geodesic area). Against the ellipsoid (PostGIS geography) both differ by under
/// 0.5 % at the oilfield's latitudes.
/// </summary>
public static class GeodesicMeasure
{
    /// <summary>The sphere's radius in metres.</summary>
    public const double Radius = 6_371_008.8;

    /// <summary>Length in metres of a line through the [lon, lat] points.</summary>
    public static double Length(IReadOnlyList<(double Lon, double Lat)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sum = 0.0;
        for (var i = 1; i < points.Count; i++) sum += Dispatch.Haversine(points[i - 1].Lon, points[i - 1].Lat, points[i].Lon, points[i].Lat);
        return sum;
    }

    /// <summary>Area in m² of the polygon through the [lon, lat] points (closed implicitly; fewer than 3 points: 0).</summary>
    public static double Area(IReadOnlyList<(double Lon, double Lat)> ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var n = ring.Count;
        if (n > 1 && ring[0] == ring[n - 1]) n--;
        if (n < 3) return 0;
        static double Rad(double d) => d * Math.PI / 180;
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var p1 = ring[i];
            var p2 = ring[(i + 1) % n];
            total += Rad(p2.Lon - p1.Lon) * (2 + Math.Sin(Rad(p1.Lat)) + Math.Sin(Rad(p2.Lat)));
        }
        return Math.Abs(total * Radius * Radius / 2);
    }
}
