using MapControl.Core.Crs;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Patrol;

/// <summary>Builds lon/lat test inputs from coordinates given in metres around Dongying (local TM, origin 118.55E 37.45N).</summary>
internal static class PatrolTestData
{
    public static readonly MetricProjection Projection = MetricProjection.Dongying;
    public static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private const double FalseEasting = 500000.0;
    private static readonly WKTReader Reader = new();

    /// <summary>A lon/lat geometry from WKT in metres relative to the projection origin.</summary>
    public static Geometry LonLat(string metricWkt)
    {
        var metric = Reader.Read(metricWkt);
        metric.Apply(new Shift(FalseEasting));
        metric.GeometryChanged();
        return Projection.Inverse(metric);
    }

    /// <summary>A geometry in the analysis' metric plane, relative to the origin (for comparing with outputs).</summary>
    public static Geometry Metric(Geometry lonLat)
    {
        var metric = Projection.Forward(lonLat);
        metric.Apply(new Shift(-FalseEasting));
        metric.GeometryChanged();
        return metric;
    }

    /// <summary>A fix of a unit at (x, y) metres, t seconds after T0.</summary>
    public static GpsFix Fix(string unit, double seconds, double x, double y)
    {
        var (lon, lat) = Projection.Inverse(FalseEasting + x, y);
        return new GpsFix(unit, T0.AddSeconds(seconds), lon, lat);
    }

    /// <summary>Fixes every <paramref name="stepM"/> metres along a straight line at 10 m/s.</summary>
    public static IEnumerable<GpsFix> Line(string unit, double x0, double y0, double x1, double y1, double stepM = 10.0, double startSeconds = 0)
    {
        var length = Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
        var n = Math.Max(1, (int)Math.Round(length / stepM));
        for (var i = 0; i <= n; i++)
        {
            var f = (double)i / n;
            yield return Fix(unit, startSeconds + f * length / 10.0, x0 + f * (x1 - x0), y0 + f * (y1 - y0));
        }
    }

    /// <summary>A square jurisdiction [x0, x0+size] × [y0, y0+size] in metres.</summary>
    public static Geometry Square(double x0, double y0, double size) =>
        LonLat(FormattableString.Invariant($"POLYGON(({x0} {y0}, {x0 + size} {y0}, {x0 + size} {y0 + size}, {x0} {y0 + size}, {x0} {y0}))"));

    private sealed class Shift(double dx) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, seq.GetX(i) + dx);
            }
        }
    }
}
