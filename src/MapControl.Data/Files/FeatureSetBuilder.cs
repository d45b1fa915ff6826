using MapControl.Core.Crs;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace MapControl.Data.Files;

/// <summary>Collects the features of one file: checks and repairs geometries, reprojects them to EPSG:4326.</summary>
internal sealed class FeatureSetBuilder
{
    private readonly string _path;
    private readonly string _format;
    private readonly SpatialReference _source;
    private readonly FeatureReadOptions _options;
    private readonly CrsTransformer? _toWgs84;
    private readonly List<FeatureRecord> _features = [];
    private readonly List<string> _notes = [];
    private long _vertices;

    public FeatureSetBuilder(string path, string format, SpatialReference source, FeatureReadOptions options)
    {
        _path = path;
        _format = format;
        _source = source;
        _options = options;
        _toWgs84 = source.Srid == CrsRegistry.Wgs84 ? null : CrsTransformer.Create(source, CrsRegistry.Get(CrsRegistry.Wgs84));
    }

    /// <summary>Adds a feature given in the source CRS; <paramref name="where"/> names it in messages ("feature 3", "line 12").</summary>
    public void Add(Geometry? geometry, IReadOnlyDictionary<string, object?> properties, string where)
    {
        CheckLimits(geometry, where);
        var (valid, note) = Validate(geometry!, where);
        Store(valid, note, properties);
    }

    /// <summary>
    /// Adds features in order, as <see cref="Add"/> one by one would (the same result, the same first error), with the
    /// geometry checks of a large file (thousands of polygon vertices each) spread over the cores.
    /// </summary>
    public void AddAll(IReadOnlyList<(Geometry? Geometry, Dictionary<string, object?> Properties, string Where)> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        // The limits in order first (cheap); the checks only for the features before the first that breaks one.
        var count = 0;
        long vertices = _vertices, total = 0;
        FeatureFileException? limit = null;
        for (; count < features.Count; count++)
        {
            try
            {
                CheckLimits(features[count].Geometry, features[count].Where, _features.Count + count, ref vertices);
            }
            catch (FeatureFileException e)
            {
                limit = e;
                break;
            }
            total += features[count].Geometry!.NumPoints;
        }
        var checkedGeometries = new (Geometry Geometry, string? Note)[count];
        var errors = new Exception?[count];
        void Check(int i)
        {
            try
            {
                checkedGeometries[i] = Validate(features[i].Geometry!, features[i].Where);
            }
            catch (FeatureFileException e)
            {
                errors[i] = e;
            }
        }
        if (total >= ParallelVertices && count > 1) Parallel.For(0, count, Check);
        else for (var i = 0; i < count; i++) Check(i);
        for (var i = 0; i < count; i++)
        {
            if (errors[i] is { } error) throw error;
            _vertices += features[i].Geometry!.NumPoints;
            Store(checkedGeometries[i].Geometry, checkedGeometries[i].Note, features[i].Properties);
        }
        if (limit is not null) throw limit;
    }

    /// <summary>Vertices in a file from which <see cref="AddAll"/> checks geometries in parallel.</summary>
    private const long ParallelVertices = 50_000;

    private void CheckLimits(Geometry? geometry, string where)
    {
        var vertices = _vertices;
        CheckLimits(geometry, where, _features.Count, ref vertices);
        _vertices = vertices;
    }

    private void CheckLimits(Geometry? geometry, string where, int stored, ref long fileVertices)
    {
        var limits = _options.Limits;
        if (stored >= limits.MaxFeatures)
        {
            throw FeatureFileException.Limit(_path, $"more than {limits.MaxFeatures:N0} features (the import limit of features per file)");
        }

        if (geometry is null || geometry.IsEmpty)
        {
            throw FeatureFileException.For(_path, $"{where} has no geometry");
        }

        var vertices = geometry.NumPoints;
        if (vertices > limits.MaxVerticesPerFeature)
        {
            throw FeatureFileException.Limit(_path, $"{where} has {vertices:N0} vertices, more than {limits.MaxVerticesPerFeature:N0} (the import limit of vertices per feature)");
        }

        fileVertices += vertices;
        if (fileVertices > limits.MaxVertices)
        {
            throw FeatureFileException.Limit(_path, $"more than {limits.MaxVertices:N0} vertices (the import limit of vertices per file)");
        }
    }

    /// <summary>The geometry checked (finite, lon/lat in range for a geographic CRS, valid or repaired), with the repair's note; thread-safe.</summary>
    private (Geometry Geometry, string? Note) Validate(Geometry geometry, string where)
    {
        CheckCoordinates(geometry, where);

        // NTS validity, proven in one pass for the common valid polygon (Core's FastValidity), else by NTS IsValid.
        if (!FastValidity.IsCertainlyValid(geometry) && !geometry.IsValid)
        {
            var reason = new IsValidOp(geometry).ValidationError?.Message ?? "invalid";
            if (!_options.RepairInvalidGeometries)
            {
                throw FeatureFileException.For(_path, $"{where} has an invalid geometry ({reason})");
            }

            var fixedGeometry = GeometryFixer.Fix(geometry);
            if (fixedGeometry.IsEmpty)
            {
                throw FeatureFileException.For(_path, $"{where} has an invalid geometry ({reason}) that cannot be repaired");
            }

            return (fixedGeometry, $"{where}: repaired invalid geometry ({reason})");
        }

        return (geometry, null);
    }

    private void CheckCoordinates(Geometry geometry, string where)
    {
        if (geometry is Point point)
        {
            Check(point.X, point.Y, where);
            return;
        }

        var filter = new CoordinateCheck(this, where);
        geometry.Apply(filter);
    }

    private void Check(double x, double y, string? where = null)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            throw FeatureFileException.For(_path, $"{where} has a non-finite coordinate ({x}, {y})");
        }

        if (_source.IsGeographic && (Math.Abs(x) > 180 || Math.Abs(y) > 90))
        {
            throw FeatureFileException.For(_path, $"{where}: ({x}, {y}) is not a lon/lat position in {_source.Name} (latitude and longitude swapped, or projected coordinates? give the EPSG code)");
        }
    }

    /// <summary>Checks every coordinate of a geometry's sequences without copying them out (<see cref="Geometry.Coordinates"/> would).</summary>
    private sealed class CoordinateCheck(FeatureSetBuilder builder, string where) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => false;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++) builder.Check(seq.GetX(i), seq.GetY(i), where);
        }
    }

    private void Store(Geometry geometry, string? note, IReadOnlyDictionary<string, object?> properties)
    {
        if (note is not null) _notes.Add(note);
        Geometry result;
        if (_toWgs84 is null)
        {
            result = geometry;
            result.SRID = CrsRegistry.Wgs84;
        }
        else
        {
            result = _toWgs84.Transform(geometry);
            result.SRID = CrsRegistry.Wgs84;
        }

        _features.Add(new FeatureRecord(result, properties));
    }

    /// <summary>Adds a one-line note (an assumption the reader made).</summary>
    public void Note(string note) => _notes.Add(note);

    public FeatureSet Build() => new(_features, _source.Srid, _format)
    {
        SourceCrsName = _source.Name,
        Notes = _notes,
    };

    /// <summary>True when every coordinate lies within lon −180…180 and lat −90…90.</summary>
    public static bool LooksLikeLonLat(Envelope envelope) =>
        envelope.IsNull || (envelope.MinX >= -180 && envelope.MaxX <= 180 && envelope.MinY >= -90 && envelope.MaxY <= 90);
}
