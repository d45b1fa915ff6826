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
        var limits = _options.Limits;
        if (_features.Count >= limits.MaxFeatures)
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

        _vertices += vertices;
        if (_vertices > limits.MaxVertices)
        {
            throw FeatureFileException.Limit(_path, $"more than {limits.MaxVertices:N0} vertices (the import limit of vertices per file)");
        }

        foreach (var coordinate in geometry.Coordinates)
        {
            if (!double.IsFinite(coordinate.X) || !double.IsFinite(coordinate.Y))
            {
                throw FeatureFileException.For(_path, $"{where} has a non-finite coordinate ({coordinate.X}, {coordinate.Y})");
            }

            if (_source.IsGeographic && (Math.Abs(coordinate.X) > 180 || Math.Abs(coordinate.Y) > 90))
            {
                throw FeatureFileException.For(_path, $"{where}: ({coordinate.X}, {coordinate.Y}) is not a lon/lat position in {_source.Name} (latitude and longitude swapped, or projected coordinates? give the EPSG code)");
            }
        }

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

            _notes.Add($"{where}: repaired invalid geometry ({reason})");
            geometry = fixedGeometry;
        }

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
