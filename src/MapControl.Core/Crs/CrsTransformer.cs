using System.Collections.Concurrent;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace MapControl.Core.Crs;

/// <summary>
/// Transforms coordinates and geometries between two CRSs. WGS84 and CGCS2000 lon/lat are treated as the same datum
/// (as PROJ does); x is always easting/longitude and y northing/latitude, whatever axis order the WKT lists.
/// </summary>
public sealed class CrsTransformer
{
    private static readonly ConcurrentDictionary<(int From, int To), CrsTransformer> s_cache = new();

    // The transform runs in up to three steps: source → its lon/lat, lon/lat datum change (none between
    // WGS84 and CGCS2000), lon/lat → target. Each step comes from the factory; MathTransform.Inverse() is never used.
    private readonly MathTransform? _toGeographic;
    private readonly MathTransform? _datumShift;
    private readonly MathTransform? _fromGeographic;

    private CrsTransformer(SpatialReference source, SpatialReference target)
    {
        Source = source;
        Target = target;
        var factory = new CoordinateTransformationFactory();
        var sourceGeographic = GeographicOf(source.CoordinateSystem);
        var targetGeographic = GeographicOf(target.CoordinateSystem);
        if (source.CoordinateSystem is ProjectedCoordinateSystem)
        {
            _toGeographic = factory.CreateFromCoordinateSystems(source.CoordinateSystem, sourceGeographic).MathTransform;
        }

        if (!SameLonLat(sourceGeographic, targetGeographic))
        {
            if (!KnowsWgs84(sourceGeographic) || !KnowsWgs84(targetGeographic))
            {
                var unknown = KnowsWgs84(sourceGeographic) ? targetGeographic : sourceGeographic;
                throw new UnknownCrsException(
                    $"No datum transformation is known from {unknown.HorizontalDatum.Name} to WGS84/CGCS2000 (the WKT has no TOWGS84); reproject the data to CGCS2000 or WGS84 first.");
            }

            _datumShift = factory.CreateFromCoordinateSystems(sourceGeographic, targetGeographic).MathTransform;
        }

        if (target.CoordinateSystem is ProjectedCoordinateSystem)
        {
            _fromGeographic = factory.CreateFromCoordinateSystems(targetGeographic, target.CoordinateSystem).MathTransform;
        }
    }

    /// <summary>The CRS coordinates come from.</summary>
    public SpatialReference Source { get; }

    /// <summary>The CRS coordinates go to; transformed geometries get its SRID.</summary>
    public SpatialReference Target { get; }

    /// <summary>A (cached) transformer between two supported EPSG codes; <see cref="UnknownCrsException"/> for others.</summary>
    public static CrsTransformer Create(int sourceSrid, int targetSrid) =>
        s_cache.GetOrAdd((sourceSrid, targetSrid), key => new CrsTransformer(CrsRegistry.Get(key.From), CrsRegistry.Get(key.To)));

    /// <summary>A transformer between any two CRSs (registered, recognised from a .prj, or a local metric projection).</summary>
    public static CrsTransformer Create(SpatialReference source, SpatialReference target) =>
        CrsRegistry.IsSupported(source.Srid) && CrsRegistry.IsSupported(target.Srid) ? Create(source.Srid, target.Srid) : new CrsTransformer(source, target);

    /// <summary>A copy of a geometry in the target EPSG code, read from the geometry's SRID; the same instance when they agree.</summary>
    public static Geometry Reproject(Geometry geometry, int targetSrid)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.SRID == targetSrid)
        {
            return geometry;
        }

        if (geometry.SRID <= 0)
        {
            throw new UnknownCrsException($"The geometry has no SRID ({geometry.SRID}); cannot reproject it to EPSG:{targetSrid}.");
        }

        return Create(geometry.SRID, targetSrid).Transform(geometry);
    }

    /// <summary>The transformer in the opposite direction.</summary>
    public CrsTransformer Reverse() => Create(Target, Source);

    /// <summary>Transforms one coordinate pair (x = easting or longitude).</summary>
    public (double X, double Y) Transform(double x, double y)
    {
        if (_toGeographic is not null)
        {
            (x, y) = _toGeographic.Transform(x, y);
        }

        if (_datumShift is not null)
        {
            (x, y) = _datumShift.Transform(x, y);
        }

        if (_fromGeographic is not null)
        {
            (x, y) = _fromGeographic.Transform(x, y);
        }

        return (x, y);
    }

    /// <summary>Transforms a coordinate (Z and M are kept).</summary>
    public Coordinate Transform(Coordinate coordinate)
    {
        var copy = coordinate.Copy();
        (copy.X, copy.Y) = Transform(coordinate.X, coordinate.Y);
        return copy;
    }

    /// <summary>A transformed copy of a geometry with the target SRID (0 for an unregistered target).</summary>
    public Geometry Transform(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var copy = geometry.Copy();
        copy.Apply(new TransformFilter(this));
        copy.SRID = Target.Srid;
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>Typed <see cref="Transform(Geometry)"/>.</summary>
    public T Transform<T>(T geometry) where T : Geometry => (T)Transform((Geometry)geometry);

    /// <summary>True when two lon/lat systems can be treated as one datum: same ellipsoid and meridian, or WGS84 ⇄ CGCS2000.</summary>
    internal static bool SameLonLat(GeographicCoordinateSystem a, GeographicCoordinateSystem b)
    {
        if (Math.Abs(a.PrimeMeridian.Longitude - b.PrimeMeridian.Longitude) > 1e-12
            || Math.Abs(a.AngularUnit.RadiansPerUnit - b.AngularUnit.RadiansPerUnit) > 1e-15)
        {
            return false;
        }

        return a.HorizontalDatum.EqualParams(b.HorizontalDatum) || (IsWgs84Like(a) && IsWgs84Like(b));
    }

    /// <summary>True for WGS84/CGCS2000 lon/lat, or a datum whose WKT gives TOWGS84 parameters.</summary>
    private static bool KnowsWgs84(GeographicCoordinateSystem gcs) =>
        IsWgs84Like(gcs) || gcs.HorizontalDatum.Wgs84Parameters is { HasZeroValuesOnly: false };

    private static bool IsWgs84Like(GeographicCoordinateSystem gcs)
    {
        var ellipsoid = gcs.HorizontalDatum.Ellipsoid;
        return Math.Abs(ellipsoid.SemiMajorAxis - 6378137.0) < 1e-6
               && (Math.Abs(ellipsoid.InverseFlattening - 298.257223563) < 1e-8 || Math.Abs(ellipsoid.InverseFlattening - 298.257222101) < 1e-8);
    }

    private static GeographicCoordinateSystem GeographicOf(CoordinateSystem cs) => cs switch
    {
        GeographicCoordinateSystem geographic => geographic,
        ProjectedCoordinateSystem projected => projected.GeographicCoordinateSystem,
        _ => throw new UnknownCrsException($"Unsupported kind of coordinate system: {cs.GetType().Name} ({cs.Name})."),
    };

    private sealed class TransformFilter(CrsTransformer transformer) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = transformer.Transform(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
