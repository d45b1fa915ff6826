using MapControl.Core.Coverage;
using MapControl.Core.Crs;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Tests.Coverage;

/// <summary>WKT helpers for coverage tests near Dongying (118.5E 37.4N), plus an independent ellipsoidal area.</summary>
internal static class CoverageTestGeometry
{
    /// <summary>Projection used by tests that build shapes in local metres.</summary>
    public static readonly MetricProjection Local = MetricProjection.CentredOn(118.5, 37.4);

    private static readonly GeometryFactory LonLatFactory = NtsGeometryServices.Instance.CreateGeometryFactory(4326);
    private static readonly WKTReader Reader = new(new NtsGeometryServices(PrecisionModel.Floating.Value, 4326));

    /// <summary>A lon/lat geometry from WKT.</summary>
    public static Geometry Wkt(string wkt) => Reader.Read(wkt);

    /// <summary>A lon/lat geometry from WKT in local metres (x east of 118.5E, y north of 37.4N) through <see cref="Local"/>; edges straight in metres (densified every 10 m).</summary>
    public static Geometry Metres(string localWkt)
    {
        var local = LonLatDensifier.Densify(Reader.Read(localWkt), 10.0);
        local.Apply(new ShiftFilter(Local.Forward(118.5, 37.4).X, 0));
        local.GeometryChanged();
        return Local.Inverse(local);
    }

    /// <summary>A coverage item from lon/lat WKT.</summary>
    public static CoverageItem Item(string owner, string wkt) => new(Wkt(wkt), owner);

    /// <summary>A coverage item from local-metre WKT.</summary>
    public static CoverageItem ItemM(string owner, string localWkt) => new(Metres(localWkt), owner);

    /// <summary>Area (m², in <see cref="Local"/>) of the symmetric difference of two lon/lat geometries.</summary>
    public static double SymDiffAreaM2(Geometry a, Geometry b) =>
        OverlayNGRobust.Overlay(Project(a), Project(b), SpatialFunction.SymDifference).Area;

    /// <summary>Asserts two lon/lat polygons are the same to within 1 mm mean offset along the boundary (results are snap-rounded to 1 mm).</summary>
    public static void ShouldMatch(Geometry actual, Geometry expected)
    {
        var perimeter = Project(expected).Length;
        SymDiffAreaM2(actual, expected).Should().BeLessThan(0.001 * perimeter, "the symmetric difference of {0} and {1} is the measure", actual, expected);
    }

    /// <summary>Area (m², in <see cref="Local"/>) of a lon/lat geometry.</summary>
    public static double AreaM2(Geometry lonLat) => Project(lonLat).Area;

    /// <summary>A lon/lat geometry in <see cref="Local"/> metres, edges straight in lon/lat (densified every 0.0002°).</summary>
    public static Geometry Project(Geometry lonLat) => Local.Forward(LonLatDensifier.Densify(lonLat, 0.0002));

    /// <summary>A lon/lat rectangle with edges densified every 0.001° (so its edges follow meridians and parallels).</summary>
    public static Geometry LonLatRectangle(double lon1, double lat1, double lon2, double lat2) =>
        LonLatDensifier.Densify(LonLatFactory.ToGeometry(new Envelope(lon1, lon2, lat1, lat2)), 0.001);

    /// <summary>
    /// Ellipsoidal (WGS84) area of the lon/lat rectangle bounded by two meridians and two parallels:
    /// A = (π a² (1−e²) / 180) · Δλ[deg] · [q(φ2) − q(φ1)], q(φ) = ½ [ sinφ / (1 − e² sin²φ) + (1/(2e)) ln((1 + e sinφ) / (1 − e sinφ)) ].
    /// </summary>
    public static double EllipsoidRectangleAreaM2(double lon1, double lat1, double lon2, double lat2)
    {
        const double a = 6378137.0;
        const double f = 1.0 / 298.257223563;
        var e2 = f * (2 - f);
        var e = Math.Sqrt(e2);
        double Q(double latDeg)
        {
            var s = Math.Sin(latDeg * Math.PI / 180.0);
            return 0.5 * (s / (1 - e2 * s * s) + 1.0 / (2 * e) * Math.Log((1 + e * s) / (1 - e * s)));
        }
        return Math.PI * a * a * (1 - e2) / 180.0 * Math.Abs(lon2 - lon1) * Math.Abs(Q(lat2) - Q(lat1));
    }

    private sealed class ShiftFilter(double dx, double dy) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, seq.GetX(i) + dx);
                seq.SetY(i, seq.GetY(i) + dy);
            }
        }
    }
}
