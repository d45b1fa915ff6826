using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace MapControl.Core.Crs;

/// <summary>
/// Projects WGS84/CGCS2000 lon/lat geometries to a metric transverse Mercator and back; analyses measure in it.
/// Centred on the data (scale factor 1 on the central meridian), areas stay within 0.1% of geodesic areas
/// over an oilfield a few hundred kilometres wide.
/// </summary>
public sealed class MetricProjection
{
    private readonly MathTransform _forward;
    private readonly MathTransform _inverse;

    private MetricProjection(double centralMeridian, double latitudeOfOrigin)
    {
        CentralMeridian = centralMeridian;
        LatitudeOfOrigin = latitudeOfOrigin;
        var projected = ProjectedSystem(centralMeridian, latitudeOfOrigin);
        SpatialReference = new SpatialReference(LocalSrid, projected.Name, projected);
        _forward = CreateTransform(projected, forward: true);
        _inverse = CreateTransform(projected, forward: false);
    }

    private static ProjectedCoordinateSystem ProjectedSystem(double centralMeridian, double latitudeOfOrigin)
    {
        var csFactory = new CoordinateSystemFactory();
        var projection = csFactory.CreateProjection("Local Transverse Mercator", "Transverse_Mercator",
        [
            new ProjectionParameter("latitude_of_origin", latitudeOfOrigin),
            new ProjectionParameter("central_meridian", centralMeridian),
            new ProjectionParameter("scale_factor", 1.0),
            new ProjectionParameter("false_easting", FalseEasting),
            new ProjectionParameter("false_northing", 0.0),
        ]);
        return csFactory.CreateProjectedCoordinateSystem("MapControl local TM", GeographicCoordinateSystem.WGS84, projection,
            LinearUnit.Metre, new AxisInfo("East", AxisOrientationEnum.East), new AxisInfo("North", AxisOrientationEnum.North));
    }

    private static MathTransform CreateTransform(ProjectedCoordinateSystem projected, bool forward)
    {
        var ctFactory = new CoordinateTransformationFactory();
        var geographic = GeographicCoordinateSystem.WGS84;
        return (forward ? ctFactory.CreateFromCoordinateSystems(geographic, projected) : ctFactory.CreateFromCoordinateSystems(projected, geographic)).MathTransform;
    }

    /// <summary>
    /// A new lon/lat → metres transform of this projection for one thread (ProjNet does not promise that a transform may
    /// be shared between threads), for callers projecting many coordinates in parallel.
    /// </summary>
    internal MathTransform CreateForwardTransform() =>
        CreateTransform(ProjectedSystem(CentralMeridian, LatitudeOfOrigin), forward: true);

    /// <summary>A new metres → lon/lat transform of this projection for one thread (see <see cref="CreateForwardTransform"/>).</summary>
    internal MathTransform CreateInverseTransform() =>
        CreateTransform(ProjectedSystem(CentralMeridian, LatitudeOfOrigin), forward: false);

    /// <summary>A copy of a metric geometry in lon/lat through a transform of <see cref="CreateInverseTransform"/> (one per thread).</summary>
    internal static Geometry Inverse(Geometry metric, MathTransform inverse) => Apply(metric, inverse, 4326);

    /// <summary>
    /// As <see cref="Inverse(Geometry, MathTransform)"/>, but a vertex found in <paramref name="known"/> (metric → the lon/lat it was
    /// projected from) takes that position instead of being projected back: the uncovered part of a jurisdiction is mostly the
    /// jurisdiction's own vertices, and the inverse projection costs several times a lookup.
    /// </summary>
    internal static Geometry Inverse(Geometry metric, MathTransform inverse, VertexMap known)
    {
        var copy = metric.Copy();
        copy.Apply(new KnownTransformFilter(inverse, known));
        copy.SRID = 4326;
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>A copy of a lon/lat geometry in metres through a transform of <see cref="CreateForwardTransform"/> (one per thread).</summary>
    internal static Geometry Forward(Geometry lonLat, MathTransform forward) => Apply(lonLat, forward, LocalSrid);

    /// <summary>Longitude of the central meridian in degrees.</summary>
    public double CentralMeridian { get; }

    /// <summary>Latitude of origin in degrees.</summary>
    public double LatitudeOfOrigin { get; }

    /// <summary>The projection as a CRS, so <see cref="CrsTransformer"/> can move geometries between it and any registered CRS.</summary>
    public SpatialReference SpatialReference { get; }

    /// <summary>x (metres) of the central meridian; the centre (central meridian, latitude of origin) projects to (FalseEasting, 0).</summary>
    public const double FalseEasting = 500000.0;

    /// <summary>SRID given to projected geometries (0: a local, unregistered CRS).</summary>
    public const int LocalSrid = 0;

    /// <summary>A transverse Mercator centred on the given longitude/latitude.</summary>
    public static MetricProjection CentredOn(double lon, double lat) => new(lon, lat);

    /// <summary>A transverse Mercator centred on the middle of an envelope in lon/lat.</summary>
    public static MetricProjection CentredOn(Envelope lonLat) =>
        lonLat.IsNull ? CentredOn(118.55, 37.45) : CentredOn(lonLat.Centre.X, lonLat.Centre.Y);

    /// <summary>The default for the Yellow River delta deployment (Dongying).</summary>
    public static MetricProjection Dongying { get; } = CentredOn(118.55, 37.45);

    /// <summary>lon/lat → metres.</summary>
    public (double X, double Y) Forward(double lon, double lat) => _forward.Transform(lon, lat);

    /// <summary>metres → lon/lat.</summary>
    public (double Lon, double Lat) Inverse(double x, double y) => _inverse.Transform(x, y);

    /// <summary>
    /// lon/lat → metres for many points at once (ProjNet's span path, no call per point); safe from any thread, each call
    /// with its own transform. <paramref name="x"/> and <paramref name="y"/> may be the same spans as the inputs.
    /// </summary>
    public void ForwardMany(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, Span<double> x, Span<double> y)
    {
        if (lon.Length != lat.Length || x.Length < lon.Length || y.Length < lat.Length)
            throw new ArgumentException("lon, lat, x and y must have the same length.");
        lon.CopyTo(x);
        lat.CopyTo(y);
        CreateForwardTransform().Transform(x[..lon.Length], y[..lat.Length], 1, 1);
    }

    /// <summary>A copy of a lon/lat geometry in metres.</summary>
    public Geometry Forward(Geometry lonLat) => Apply(lonLat, _forward, LocalSrid);

    /// <summary>A copy of a metric geometry in lon/lat (SRID 4326).</summary>
    public Geometry Inverse(Geometry metric) => Apply(metric, _inverse, 4326);

    /// <summary>Typed forward projection.</summary>
    public T Forward<T>(T lonLat) where T : Geometry => (T)Forward((Geometry)lonLat);

    /// <summary>Typed inverse projection.</summary>
    public T Inverse<T>(T metric) where T : Geometry => (T)Inverse((Geometry)metric);

    private static Geometry Apply(Geometry geometry, MathTransform transform, int srid)
    {
        var copy = geometry.Copy();
        copy.Apply(new TransformFilter(transform));
        copy.SRID = srid;
        copy.GeometryChanged();
        return copy;
    }

    private sealed class KnownTransformFilter(MathTransform transform, VertexMap known) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        // Known vertices looked up; the others gathered and sent through ProjNet's span path at once.
        public void Filter(CoordinateSequence seq)
        {
            var n = seq.Count;
            if (n == 0) return;
            var at = System.Buffers.ArrayPool<int>.Shared.Rent(n);
            var xs = System.Buffers.ArrayPool<double>.Shared.Rent(n);
            var ys = System.Buffers.ArrayPool<double>.Shared.Rent(n);
            var unknown = 0;
            for (var i = 0; i < n; i++)
            {
                var x = seq.GetX(i);
                var y = seq.GetY(i);
                if (known.TryGet(x, y, out var lon, out var lat))
                {
                    seq.SetX(i, lon);
                    seq.SetY(i, lat);
                    continue;
                }

                at[unknown] = i;
                xs[unknown] = x;
                ys[unknown] = y;
                unknown++;
            }

            if (unknown > 0) transform.Transform(xs.AsSpan(0, unknown), ys.AsSpan(0, unknown), 1, 1);
            for (var k = 0; k < unknown; k++)
            {
                seq.SetX(at[k], xs[k]);
                seq.SetY(at[k], ys[k]);
            }

            System.Buffers.ArrayPool<int>.Shared.Return(at);
            System.Buffers.ArrayPool<double>.Shared.Return(xs);
            System.Buffers.ArrayPool<double>.Shared.Return(ys);
        }
    }

    private sealed class TransformFilter(MathTransform transform) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        // The sequence's X and Y through ProjNet's span path at once (a call per point costs several times the arithmetic).
        public void Filter(CoordinateSequence seq)
        {
            var n = seq.Count;
            if (n == 0) return;
            var xs = System.Buffers.ArrayPool<double>.Shared.Rent(n);
            var ys = System.Buffers.ArrayPool<double>.Shared.Rent(n);
            for (var i = 0; i < n; i++)
            {
                xs[i] = seq.GetX(i);
                ys[i] = seq.GetY(i);
            }

            transform.Transform(xs.AsSpan(0, n), ys.AsSpan(0, n), 1, 1);
            for (var i = 0; i < n; i++)
            {
                seq.SetX(i, xs[i]);
                seq.SetY(i, ys[i]);
            }

            System.Buffers.ArrayPool<double>.Shared.Return(xs);
            System.Buffers.ArrayPool<double>.Shared.Return(ys);
        }
    }
}
