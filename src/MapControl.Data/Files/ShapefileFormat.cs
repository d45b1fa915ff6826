using System.Globalization;
using System.Text;
using MapControl.Core.Crs;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;

namespace MapControl.Data.Files;

/// <summary>ESRI Shapefile: CRS from the .prj (OGC or ESRI WKT), attribute encoding from the .cpg (UTF-8, GBK …).</summary>
internal static class ShapefileFormat
{
    public const string Name = "ESRI Shapefile";

    private const int MaxCharacterFieldBytes = 254;

    public static FeatureSet Read(string path, FeatureReadOptions options)
    {
        var dbfPath = Sibling(path, ".dbf");
        if (dbfPath is null)
        {
            throw FeatureFileException.For(path, "the .dbf file is missing (a Shapefile needs .shp, .shx and .dbf side by side)");
        }

        var notes = new List<string>();
        ShapefileCheck.Validate(path, dbfPath, Sibling(path, ".shx"), options.Limits, notes);
        var encoding = options.Encoding;
        var cpgPath = Sibling(path, ".cpg");
        if (encoding is null && cpgPath is not null)
        {
            ShapefileCheck.CheckSidecar(cpgPath);
            var cpg = File.ReadAllText(cpgPath).Trim();
            encoding = TextEncodings.FromCpg(cpg)
                       ?? throw FeatureFileException.For(cpgPath, $"unknown attribute encoding \"{cpg}\"");
        }

        Feature[] features;
        if (encoding is not null)
        {
            features = ReadFeatures(path, encoding);
        }
        else
        {
            try
            {
                features = ReadFeatures(path, TextEncodings.StrictUtf8);
            }
            catch (Exception ex) when (TextEncodings.IsDecodingFailure(ex))
            {
                features = ReadFeatures(path, TextEncodings.Gbk);
                notes.Add("no .cpg and the attributes are not UTF-8: read them as GBK");
            }
        }

        var source = ResolveCrs(path, features, options, notes);
        var builder = new FeatureSetBuilder(path, Name, source, options);
        foreach (var note in notes)
        {
            builder.Note(note);
        }

        for (var i = 0; i < features.Length; i++)
        {
            var properties = new Dictionary<string, object?>();
            foreach (var name in features[i].Attributes?.GetNames() ?? [])
            {
                var value = features[i].Attributes![name];
                properties[name] = value is string text ? text.TrimEnd() : value is DBNull ? null : value;
            }

            builder.Add(SinglePart(features[i].Geometry), properties, $"record {i + 1}");
        }

        return builder.Build();
    }

    public static void Write(string path, IReadOnlyList<FeatureRecord> features, int targetSrid)
    {
        var target = CrsRegistry.Get(targetSrid);
        var geometries = features.Select(f => Reproject(f.Geometry, targetSrid)).ToList();
        var shapeType = ShapeTypeOf(path, geometries);
        var fields = FieldsOf(features);

        var writerOptions = new ShapefileWriterOptions(shapeType)
        {
            Encoding = new UTF8Encoding(false),
            Projection = CrsRegistry.GetEsriWkt(target.Srid),
        };
        foreach (var field in fields)
        {
            switch (field.Kind)
            {
                case FieldKind.Logical:
                    writerOptions.AddLogicalField(field.DbfName);
                    break;
                case FieldKind.Integer:
                    writerOptions.AddNumericInt32Field(field.DbfName);
                    break;
                case FieldKind.LongInteger:
                    writerOptions.AddNumericInt64Field(field.DbfName);
                    break;
                case FieldKind.Real:
                    writerOptions.AddFloatField(field.DbfName);
                    break;
                case FieldKind.Date:
                    writerOptions.AddDateField(field.DbfName);
                    break;
                default:
                    writerOptions.AddCharacterField(field.DbfName, field.Length);
                    break;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var writer = Shapefile.OpenWrite(path, writerOptions))
        {
            for (var i = 0; i < features.Count; i++)
            {
                writer.Geometry = geometries[i];
                foreach (var field in fields)
                {
                    features[i].Properties.TryGetValue(field.Name, out var value);
                    writer.Fields[field.DbfName].Value = field.Convert(value);
                }

                writer.Write();
            }
        }

        File.WriteAllText(Path.ChangeExtension(path, ".prj"), CrsRegistry.GetEsriWkt(target.Srid), Encoding.ASCII);
        File.WriteAllText(Path.ChangeExtension(path, ".cpg"), "UTF-8", Encoding.ASCII);
    }

    private static Feature[] ReadFeatures(string path, Encoding encoding)
    {
        var readerOptions = new ShapefileReaderOptions
        {
            Encoding = encoding,
            GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
        };
        return Shapefile.ReadAllFeatures(path, readerOptions);
    }

    private static SpatialReference ResolveCrs(string path, Feature[] features, FeatureReadOptions options, List<string> notes)
    {
        var prjPath = Sibling(path, ".prj");
        if (prjPath is not null)
        {
            ShapefileCheck.CheckSidecar(prjPath);
            try
            {
                return CrsRecognizer.FromPrj(File.ReadAllText(prjPath));
            }
            catch (UnknownCrsException ex)
            {
                throw FeatureFileException.For(prjPath, ex.Message, ex);
            }
        }

        if (options.AssumeSrid is { } assumed)
        {
            notes.Add($"no .prj: assumed EPSG:{assumed} as asked");
            return CrsRegistry.Get(assumed);
        }

        var envelope = new Envelope();
        foreach (var feature in features)
        {
            if (feature.Geometry is not null)
            {
                envelope.ExpandToInclude(feature.Geometry.EnvelopeInternal);
            }
        }

        if (!FeatureSetBuilder.LooksLikeLonLat(envelope))
        {
            throw FeatureFileException.For(path, $"the .prj file is missing and the coordinates ({envelope.MinX:0.###}…{envelope.MaxX:0.###}, {envelope.MinY:0.###}…{envelope.MaxY:0.###}) are not lon/lat; add the .prj or give the EPSG code");
        }

        notes.Add("no .prj: coordinates look like lon/lat, assumed EPSG:4326");
        return CrsRegistry.Get(CrsRegistry.Wgs84);
    }

    /// <summary>The sibling file with the extension in either case (.dbf or .DBF), or null.</summary>
    private static string? Sibling(string path, string extension)
    {
        foreach (var candidate in new[] { extension, extension.ToUpperInvariant() })
        {
            var sibling = Path.ChangeExtension(path, candidate);
            if (File.Exists(sibling))
            {
                return sibling;
            }
        }

        return null;
    }

    /// <summary>Shapefiles do not tell one part from many: a single-part MultiPolygon/MultiLineString becomes a Polygon/LineString.</summary>
    private static Geometry? SinglePart(Geometry? geometry) => geometry switch
    {
        MultiPolygon { NumGeometries: 1 } multi => multi.GetGeometryN(0),
        MultiLineString { NumGeometries: 1 } multi => multi.GetGeometryN(0),
        _ => geometry,
    };

    private static Geometry Reproject(Geometry geometry, int targetSrid)
    {
        var source = geometry.SRID > 0 ? geometry.SRID : CrsRegistry.Wgs84;
        return source == targetSrid ? geometry : CrsTransformer.Create(source, targetSrid).Transform(geometry);
    }

    private static ShapeType ShapeTypeOf(string path, IReadOnlyList<Geometry> geometries)
    {
        var kinds = geometries.Select(g => g switch
        {
            Point => ShapeType.Point,
            MultiPoint => ShapeType.MultiPoint,
            LineString or MultiLineString => ShapeType.PolyLine,
            Polygon or MultiPolygon => ShapeType.Polygon,
            _ => throw FeatureFileException.For(path, $"a Shapefile cannot hold a {g.GeometryType}"),
        }).Distinct().ToList();

        if (kinds.Count == 0)
        {
            return ShapeType.Polygon;
        }

        if (kinds.Count == 2 && kinds.Contains(ShapeType.Point) && kinds.Contains(ShapeType.MultiPoint))
        {
            return ShapeType.MultiPoint;
        }

        return kinds.Count == 1
            ? kinds[0]
            : throw FeatureFileException.For(path, $"a Shapefile holds one geometry type; got {string.Join(", ", kinds)}");
    }

    private static List<DbfFieldPlan> FieldsOf(IReadOnlyList<FeatureRecord> features)
    {
        var names = new List<string>();
        foreach (var feature in features)
        {
            foreach (var name in feature.Properties.Keys)
            {
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var plans = new List<DbfFieldPlan>();
        foreach (var name in names)
        {
            var values = features.Select(f => f.Properties.GetValueOrDefault(name)).Where(v => v is not null and not DBNull).ToList();
            var kind = KindOf(values);
            var length = kind == FieldKind.Character
                ? Math.Clamp(values.Select(v => Encoding.UTF8.GetByteCount(ToText(v))).DefaultIfEmpty(1).Max(), 1, MaxCharacterFieldBytes)
                : 0;
            plans.Add(new DbfFieldPlan(name, UniqueDbfName(name, used), kind, length));
        }

        return plans;
    }

    private static FieldKind KindOf(List<object?> values)
    {
        if (values.Count == 0)
        {
            return FieldKind.Character;
        }

        if (values.All(v => v is bool))
        {
            return FieldKind.Logical;
        }

        if (values.All(v => v is byte or sbyte or short or ushort or int or uint or long))
        {
            return values.All(v => System.Convert.ToInt64(v, CultureInfo.InvariantCulture) is >= int.MinValue and <= int.MaxValue)
                ? FieldKind.Integer
                : FieldKind.LongInteger;
        }

        if (values.All(v => v is byte or sbyte or short or ushort or int or uint or long or float or double or decimal))
        {
            return FieldKind.Real;
        }

        return values.All(v => v is DateTime or DateOnly) ? FieldKind.Date : FieldKind.Character;
    }

    /// <summary>DBF field names hold at most 10 bytes: truncate on a character boundary and keep them unique.</summary>
    private static string UniqueDbfName(string name, HashSet<string> used)
    {
        var baseName = TruncateBytes(string.IsNullOrWhiteSpace(name) ? "field" : name, 10);
        var candidate = baseName;
        for (var n = 1; !used.Add(candidate); n++)
        {
            var suffix = n.ToString(CultureInfo.InvariantCulture);
            candidate = TruncateBytes(baseName, 10 - suffix.Length) + suffix;
        }

        return candidate;
    }

    private static string TruncateBytes(string text, int maxBytes)
    {
        var result = new StringBuilder();
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > maxBytes)
            {
                break;
            }

            result.Append(rune.ToString());
        }

        return result.ToString();
    }

    private static string ToText(object? value) => value switch
    {
        null => string.Empty,
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private enum FieldKind
    {
        Character,
        Logical,
        Integer,
        LongInteger,
        Real,
        Date,
    }

    private sealed record DbfFieldPlan(string Name, string DbfName, FieldKind Kind, int Length)
    {
        public object? Convert(object? value)
        {
            if (value is null or DBNull)
            {
                return null;
            }

            return Kind switch
            {
                FieldKind.Logical => (bool)value,
                FieldKind.Integer => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
                FieldKind.LongInteger => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
                FieldKind.Real => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
                FieldKind.Date => value is DateOnly date ? date.ToDateTime(TimeOnly.MinValue) : (DateTime)value,
                _ => TruncateBytes(ToText(value), MaxCharacterFieldBytes),
            };
        }
    }
}
