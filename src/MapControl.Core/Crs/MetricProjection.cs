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
    internal static Geometry Inverse(Geometry metric, MathTransform inverse, VertexMap known) =>
        Apply(metric, seq => Transformed(seq, inverse, known), 4326);

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

    private static Geometry Apply(Geometry geometry, MathTransform transform, int srid) =>
        Apply(geometry, seq => Transformed(seq, transform, known: null), srid);

    /// <summary>A new geometry of <paramref name="geometry"/>'s shape and factory, each coordinate sequence replaced by <paramref name="map"/> of it.</summary>
    private static Geometry Apply(Geometry geometry, Func<CoordinateSequence, CoordinateSequence> map, int srid)
    {
        var result = Rebuild(geometry, map);
        result.SRID = srid;
        return result;
    }

    // The geometry built anew around mapped sequences (cheaper than Copy, which clones every coordinate only for the
    // transform to overwrite it); types and nesting kept as they are, a multi-part of one part stays a multi-part.
    private static Geometry Rebuild(Geometry geometry, Func<CoordinateSequence, CoordinateSequence> map)
    {
        var factory = geometry.Factory;
        switch (geometry)
        {
            case Point point:
                return factory.CreatePoint(map(point.CoordinateSequence));
            case LinearRing ring:
                return factory.CreateLinearRing(map(ring.CoordinateSequence));
            case LineString line:
                return factory.CreateLineString(map(line.CoordinateSequence));
            case Polygon polygon:
                var holes = new LinearRing[polygon.NumInteriorRings];
                for (var h = 0; h < holes.Length; h++) holes[h] = (LinearRing)Rebuild(polygon.GetInteriorRingN(h), map);
                return factory.CreatePolygon((LinearRing)Rebuild(polygon.Shell, map), holes);
            case MultiPolygon multi:
                return factory.CreateMultiPolygon(Parts<Polygon>(multi, map));
            case MultiLineString multi:
                return factory.CreateMultiLineString(Parts<LineString>(multi, map));
            case MultiPoint multi:
                return factory.CreateMultiPoint(Parts<Point>(multi, map));
            case GeometryCollection collection:
                return factory.CreateGeometryCollection(Parts<Geometry>(collection, map));
            default:
                throw new ArgumentException($"Cannot project a {geometry.GeometryType}.", nameof(geometry));
        }
    }

    private static T[] Parts<T>(GeometryCollection collection, Func<CoordinateSequence, CoordinateSequence> map) where T : Geometry
    {
        var parts = new T[collection.NumGeometries];
        for (var i = 0; i < parts.Length; i++) parts[i] = (T)Rebuild(collection.GetGeometryN(i), map);
        return parts;
    }

    /// <summary>
    /// <paramref name="seq"/>'s X and Y through ProjNet's span path at once (a call per point costs several times the arithmetic)
    /// into a new sequence; a vertex found in <paramref name="known"/> takes the position it holds instead. A plain XY array
    /// sequence gets new XY coordinates, and a known vertex the source's own coordinate object (shared: geometries are never
    /// changed in place here, a change starts from a copy); any other sequence is copied (Z and M kept) and its X and Y set.
    /// </summary>
    private static CoordinateSequence Transformed(CoordinateSequence seq, MathTransform transform, VertexMap? known)
    {
        var n = seq.Count;
        if (n == 0) return seq.Copy();
        var at = System.Buffers.ArrayPool<int>.Shared.Rent(n);
        var xs = System.Buffers.ArrayPool<double>.Shared.Rent(n);
        var ys = System.Buffers.ArrayPool<double>.Shared.Rent(n);
        var lons = System.Buffers.ArrayPool<double>.Shared.Rent(n);
        var lats = System.Buffers.ArrayPool<double>.Shared.Rent(n);
        var coordinates = seq is NetTopologySuite.Geometries.Implementation.CoordinateArraySequence { Dimension: 2, Measures: 0 } ? new Coordinate[n] : null;
        try
        {
            // Unknown vertices gathered (their indexes in at) and sent through the transform together.
            var unknown = 0;
            for (var i = 0; i < n; i++)
            {
                var x = seq.GetX(i);
                var y = seq.GetY(i);
                if (known?.Find(x, y) is { } source)
                {
                    if (coordinates is not null && source.GetType() == typeof(Coordinate)) coordinates[i] = source;
                    else (lons[i], lats[i]) = (source.X, source.Y);
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
                lons[at[k]] = xs[k];
                lats[at[k]] = ys[k];
            }

            if (coordinates is not null)
            {
                for (var i = 0; i < n; i++) coordinates[i] ??= new Coordinate(lons[i], lats[i]);
                return new NetTopologySuite.Geometries.Implementation.CoordinateArraySequence(coordinates, 2, 0);
            }

            var copy = seq.Copy();
            for (var i = 0; i < n; i++)
            {
                copy.SetX(i, lons[i]);
                copy.SetY(i, lats[i]);
            }
            return copy;
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(at);
            System.Buffers.ArrayPool<double>.Shared.Return(xs);
            System.Buffers.ArrayPool<double>.Shared.Return(ys);
            System.Buffers.ArrayPool<double>.Shared.Return(lons);
            System.Buffers.ArrayPool<double>.Shared.Return(lats);
        }
    }
}
