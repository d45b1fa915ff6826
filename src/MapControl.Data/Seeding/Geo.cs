using NetTopologySuite.Geometries;

namespace MapControl.Data.Seeding;

/// <summary>
/// Lon/lat helpers of the generator: a local affine "metre" frame around Dongying (good to ~1% over the delta,
/// straight lines stay straight) and the 1e-7° grid every generated coordinate lies on.
/// </summary>
internal static class Geo
{
    public const double Lon0 = 118.55;
    public const double Lat0 = 37.45;

    /// <summary>Metres per degree of longitude at <see cref="Lat0"/>.</summary>
    public static readonly double Kx = 111_320.0 * Math.Cos(Lat0 * Math.PI / 180.0);

    /// <summary>Metres per degree of latitude near <see cref="Lat0"/>.</summary>
    public const double Ky = 110_960.0;

    /// <summary>The 7-decimal grid (≈1 cm).</summary>
    public static readonly PrecisionModel Precision = new(1e7);

    /// <summary>Factory of every lon/lat geometry (SRID 4326, fixed precision so overlays snap-round to the grid).</summary>
    public static readonly GeometryFactory Factory = new(Precision, 4326);

    /// <summary>Factory of the published geometries: SRID 4326, floating precision (coordinates already on the grid).</summary>
    public static readonly GeometryFactory PublicFactory = new(new PrecisionModel(), 4326);

    /// <summary>A copy made by <see cref="PublicFactory"/>, so that users' overlays are not snap-rounded.</summary>
    public static T Publish<T>(T g) where T : Geometry => (T)PublicFactory.CreateGeometry(g);

    /// <summary>Factory of local metre geometries.</summary>
    public static readonly GeometryFactory LocalFactory = new(new PrecisionModel(), 0);

    /// <summary>Rounds a degree value to 7 decimals (the nearest double of the decimal).</summary>
    public static double Round(double degrees) => Math.Round(degrees * 1e7) / 1e7;

    public static (double X, double Y) ToLocal(double lon, double lat) => ((lon - Lon0) * Kx, (lat - Lat0) * Ky);

    public static (double Lon, double Lat) ToLonLat(double x, double y) => (Round(Lon0 + x / Kx), Round(Lat0 + y / Ky));

    public static Coordinate LonLat(double x, double y)
    {
        var (lon, lat) = ToLonLat(x, y);
        return new Coordinate(lon, lat);
    }

    public static Point Point(double lon, double lat) => Factory.CreatePoint(new Coordinate(Round(lon), Round(lat)));

    public static Point PointLocal(double x, double y) => Factory.CreatePoint(LonLat(x, y));

    /// <summary>Distance in metres in the local frame.</summary>
    public static double DistanceM(double lon1, double lat1, double lon2, double lat2)
    {
        var dx = (lon2 - lon1) * Kx;
        var dy = (lat2 - lat1) * Ky;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>Bearing in degrees clockwise from north, in the local frame.</summary>
    public static double BearingDeg(double lon1, double lat1, double lon2, double lat2)
    {
        var b = Math.Atan2((lon2 - lon1) * Kx, (lat2 - lat1) * Ky) * 180.0 / Math.PI;
        return b < 0 ? b + 360.0 : b;
    }

    /// <summary>A copy of a lon/lat geometry in local metres.</summary>
    public static Geometry ToLocal(Geometry lonLat) => Transform(lonLat, LocalFactory, c => ToLocal(c.X, c.Y));

    /// <summary>A copy of a local geometry in lon/lat, on the 7-decimal grid.</summary>
    public static Geometry ToLonLat(Geometry local) => Transform(local, Factory, c => ToLonLat(c.X, c.Y));

    public static T ToLonLat<T>(T local) where T : Geometry => (T)ToLonLat((Geometry)local);

    public static T ToLocal<T>(T lonLat) where T : Geometry => (T)ToLocal((Geometry)lonLat);

    private static Geometry Transform(Geometry g, GeometryFactory factory, Func<Coordinate, (double, double)> f)
    {
        var copy = factory.CreateGeometry(g);
        copy.Apply(new CoordinateMap(f));
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>The geometry as a MultiPolygon (empty when it has no polygon).</summary>
    public static MultiPolygon AsMultiPolygon(Geometry g)
    {
        var polys = new List<Polygon>();
        for (var i = 0; i < g.NumGeometries; i++)
            if (g.GetGeometryN(i) is Polygon { IsEmpty: false } p) polys.Add(p);
        return Orient(Factory.CreateMultiPolygon(polys.ToArray()));
    }

    /// <summary>Polygons with RFC 7946 orientation: exterior rings counter-clockwise, holes clockwise.</summary>
    public static MultiPolygon Orient(MultiPolygon mp) =>
        Factory.CreateMultiPolygon(Enumerable.Range(0, mp.NumGeometries).Select(i => Orient((Polygon)mp.GetGeometryN(i))).ToArray());

    public static Polygon Orient(Polygon p)
    {
        var shell = p.Shell.IsCCW ? p.Shell : (LinearRing)p.Shell.Reverse();
        var holes = p.Holes.Select(h => h.IsCCW ? (LinearRing)h.Reverse() : h).ToArray();
        return Factory.CreatePolygon(Factory.CreateLinearRing(shell.Coordinates), holes.Select(h => Factory.CreateLinearRing(h.Coordinates)).ToArray());
    }

    /// <summary>A standard normal deviate.</summary>
    public static double Gaussian(Random r)
    {
        var u1 = 1.0 - r.NextDouble();
        var u2 = r.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double Uniform(Random r, double a, double b) => a + (b - a) * r.NextDouble();

    /// <summary>Index drawn with probability proportional to its weight.</summary>
    public static int Pick(Random r, IReadOnlyList<double> weights)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++) total += weights[i];
        var u = r.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Count - 1;
    }

    /// <summary>A seed for one named random stream of the dataset.</summary>
    public static int Mix(int seed, int stream) => unchecked(seed * 1_000_003 + stream * 7_919 + 17);

    private sealed class CoordinateMap(Func<Coordinate, (double, double)> f) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = f(seq.GetCoordinate(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
