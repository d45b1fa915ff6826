using System.Globalization;
using System.Text;
using System.Text.Json;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>The reading half of <see cref="GeoJsonFormat"/>: one <see cref="Utf8JsonReader"/> pass, objects collected member by member.</summary>
internal static partial class GeoJsonFormat
{
    /// <summary>The members of one JSON object that GeoJSON gives meaning to (any order); the rest is skipped.</summary>
    private sealed class Members
    {
        public string? Type;
        public bool HasFeatures;
        public Dictionary<string, object?>? Properties;
        public object? Id;
        public bool HasId;
        public Members? Geometry;
        public bool GeometryNotObject;
        public object? Coordinates;
        public List<Members>? Geometries;
        public string? Malformed;

        /// <summary>The properties with the Feature's "id" added when the properties have none.</summary>
        public Dictionary<string, object?> PropertiesWithId()
        {
            var properties = Properties ?? [];
            if (HasId) properties.TryAdd("id", Id);
            return properties;
        }

        /// <summary>The geometry of a Feature: null when absent or null (the builder says "has no geometry").</summary>
        public Geometry? FeatureGeometry(string path, string where)
        {
            if (GeometryNotObject) throw FeatureFileException.For(path, $"{where} has a malformed geometry (the geometry is not an object)");
            return Geometry?.AsGeometry(path, where);
        }

        /// <summary>This object as a geometry; a malformed one is a <see cref="FeatureFileException"/> naming <paramref name="where"/>.</summary>
        public Geometry AsGeometry(string path, string where)
        {
            try
            {
                return Build(this);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                throw FeatureFileException.For(path, $"{where} has a malformed geometry ({FeatureFileException.OneLine(ex.Message)})", ex);
            }
        }

        private static Geometry Build(Members m)
        {
            if (m.Malformed is not null) throw new FormatException(m.Malformed);
            if (m.Type == "GeometryCollection")
            {
                var parts = m.Geometries ?? throw new FormatException("GeometryCollection without \"geometries\"");
                return s_factory.CreateGeometryCollection([.. parts.Select(Build)]);
            }

            var c = m.Coordinates is Deferred deferred ? deferred.Resolve() : m.Coordinates;
            if (c is null && m.Type is not null && s_geometryTypes.Contains(m.Type)) throw new FormatException($"{m.Type} without \"coordinates\"");
            return m.Type switch
            {
                "Point" => c is Coordinate p ? s_factory.CreatePoint(p) : Positions(c).Length == 0 ? s_factory.CreatePoint() : throw Nesting("Point"),
                "MultiPoint" => s_factory.CreateMultiPointFromCoords(Positions(c)),
                "LineString" => s_factory.CreateLineString(Positions(c)),
                "MultiLineString" => s_factory.CreateMultiLineString([.. Lists(c).Select(l => s_factory.CreateLineString(Positions(l)))]),
                "Polygon" => Polygon(c),
                "MultiPolygon" => s_factory.CreateMultiPolygon([.. Lists(c).Select(Polygon)]),
                null => throw new FormatException("a geometry without \"type\""),
                _ => throw new FormatException($"unknown geometry type \"{m.Type}\""),
            };
        }

        private static Polygon Polygon(object? c)
        {
            var rings = Lists(c);
            if (rings.Count == 0) return s_factory.CreatePolygon();
            var holes = new LinearRing[rings.Count - 1];
            for (var i = 1; i < rings.Count; i++) holes[i - 1] = s_factory.CreateLinearRing(Positions(rings[i]));
            return s_factory.CreatePolygon(s_factory.CreateLinearRing(Positions(rings[0])), holes);
        }

        /// <summary>An array of positions.</summary>
        private static Coordinate[] Positions(object? c) => c as Coordinate[] ?? throw Nesting("an array of positions");

        /// <summary>An array of arrays (empty: no parts).</summary>
        private static IReadOnlyList<object> Lists(object? c) => c switch
        {
            List<object> list => list,
            Coordinate[] { Length: 0 } => [],
            _ => throw Nesting("an array of arrays of positions"),
        };

        private static FormatException Nesting(string expected) => new($"the coordinates are not {expected}");
    }

    /// <summary>Reads the object the reader stands on (its StartObject) to its end; the top level's features go to <paramref name="features"/>.</summary>
    private static Members ReadObject(ref Utf8JsonReader reader, Source source, string path, string where,
        List<(Geometry? Geometry, Dictionary<string, object?> Properties, string Where)>? features, ref int? crs)
    {
        var m = new Members();
        var top = features is not null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                m.Type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            }
            else if (reader.ValueTextEquals("coordinates"u8))
            {
                if (TryScanCoordinates(ref reader, source, out var scanned))
                {
                    m.Coordinates = scanned;
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    m.Malformed ??= "\"coordinates\" is not an array";
                    reader.Skip();
                    continue;
                }

                var depth = reader.CurrentDepth;
                try
                {
                    m.Coordinates = ReadCoordinates(ref reader);
                }
                catch (FormatException ex)
                {
                    // Malformed coordinates are the feature's error (named with its number), not the file's: skip to their end.
                    m.Malformed ??= ex.Message;
                    while (!(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth)) reader.Read();
                }
            }
            else if (reader.ValueTextEquals("geometry"u8))
            {
                reader.Read();
                int? ignored = null;
                if (reader.TokenType == JsonTokenType.StartObject) m.Geometry = ReadObject(ref reader, source, path, where, null, ref ignored);
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    m.GeometryNotObject = true;
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("geometries"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    m.Malformed ??= "\"geometries\" is not an array";
                    reader.Skip();
                    continue;
                }

                m.Geometries = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    int? ignored = null;
                    if (reader.TokenType == JsonTokenType.StartObject) m.Geometries.Add(ReadObject(ref reader, source, path, where, null, ref ignored));
                    else
                    {
                        m.Malformed ??= "a member of \"geometries\" is not an object";
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("properties"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    m.Properties = [];
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString()!;
                        reader.Read();
                        m.Properties[name] = ReadValue(ref reader, source);
                    }
                }
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                m.Id = ReadValue(ref reader, source);
                m.HasId = true;
            }
            else if (top && reader.ValueTextEquals("features"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                m.HasFeatures = true;
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var featureWhere = string.Create(CultureInfo.InvariantCulture, $"feature {++index}");
                    int? ignored = null;
                    var feature = reader.TokenType == JsonTokenType.StartObject ? ReadObject(ref reader, source, path, featureWhere, null, ref ignored) : null;
                    if (feature?.Type != "Feature") throw FeatureFileException.For(path, $"{featureWhere} is not a GeoJSON Feature");
                    if (HasDeferred(feature.Geometry))
                    {
                        // Its numbers are scanned and its geometry built on the pool while the file is read on (Parse collects it).
                        var (members, at) = (feature, featureWhere);
                        source.Pending.Add((features!.Count, Task.Run(() => members.FeatureGeometry(path, at))));
                        features.Add((null, feature.PropertiesWithId(), featureWhere));
                        continue;
                    }

                    features!.Add((feature.FeatureGeometry(path, featureWhere), feature.PropertiesWithId(), featureWhere));
                }
            }
            else if (top && reader.ValueTextEquals("crs"u8))
            {
                reader.Read();
                crs = ReadCrsMember(ref reader, path);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (top && m.Type == "Feature") m.Properties = m.PropertiesWithId();
        return m;
    }

    /// <summary>Whether a geometry object (or one of a collection's) has deferred coordinates.</summary>
    private static bool HasDeferred(Members? geometry) =>
        geometry is not null && (geometry.Coordinates is Deferred || (geometry.Geometries?.Exists(HasDeferred) ?? false));

    [ThreadStatic]
    private static List<Coordinate>? t_positions;

    /// <summary>
    /// The thread's list for gathering one array of positions, cleared and holding <paramref name="first"/> (a 2,000-vertex ring
    /// does not grow a list of its own eleven times). The reader's path and the scan both use it, one array at a time: a
    /// position is read without it, and an array nested among positions ends the array's reading (an error, or a scan that fails).
    /// </summary>
    private static List<Coordinate> StartPositions(Coordinate first)
    {
        var positions = t_positions ??= new List<Coordinate>(256);
        positions.Clear();
        positions.Add(first);
        return positions;
    }

    /// <summary>The positions gathered as an array; the list emptied, and let go when it grew large.</summary>
    private static Coordinate[] TakePositions(List<Coordinate> positions)
    {
        var ring = positions.ToArray();
        positions.Clear();
        if (positions.Capacity > 1 << 16) t_positions = null;
        return ring;
    }

    /// <summary>
    /// A coordinates value (the reader on its StartArray): a position as a <see cref="Coordinate"/>, an array of positions as
    /// <c>Coordinate[]</c>, deeper arrays as <c>List&lt;object&gt;</c>; an empty array as an empty <c>Coordinate[]</c>.
    /// </summary>
    /// <remarks>The shapes it gives are those <see cref="ScanValue"/> gives on the fast path: keep the two in step.</remarks>
    private static object ReadCoordinates(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("unexpected end of the coordinates");
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                return Array.Empty<Coordinate>();
            case JsonTokenType.Number:
            {
                var x = reader.GetDouble();
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number) throw new FormatException("a position has fewer than two numbers");
                var y = reader.GetDouble();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number) throw new FormatException("a position holds something other than numbers");
                }

                return new Coordinate(x, y);
            }
            case JsonTokenType.StartArray:
            {
                var first = ReadCoordinates(ref reader);
                if (first is Coordinate position)
                {
                    var positions = StartPositions(position);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.StartArray || ReadCoordinates(ref reader) is not Coordinate next)
                            throw new FormatException("positions and arrays are mixed");
                        positions.Add(next);
                    }

                    return TakePositions(positions);
                }

                var list = new List<object> { first };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray) throw new FormatException("positions and arrays are mixed");
                    var next = ReadCoordinates(ref reader);
                    if (next is Coordinate) throw new FormatException("positions and arrays are mixed");
                    list.Add(next);
                }

                return list;
            }
            default:
                throw new FormatException("a coordinate is not a number");
        }
    }

    /// <summary>A property value: string, long or double, bool, null; an object or array as its JSON text.</summary>
    private static object? ReadValue(ref Utf8JsonReader reader, Source source)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var integer) ? (object)integer : reader.GetDouble();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            default:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return Encoding.UTF8.GetString(source.Json.Span[start..(int)reader.BytesConsumed]);
        }
    }

    /// <summary>The EPSG code of a pre-RFC 7946 "crs" member (ogr2ogr writes one for non-WGS84 GeoJSON), or null; the reader on its value.</summary>
    private static int? ReadCrsMember(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isProperties = reader.ValueTextEquals("properties"u8);
            reader.Read();
            if (isProperties && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isName = reader.ValueTextEquals("name"u8);
                    reader.Read();
                    if (isName && reader.TokenType == JsonTokenType.String) name = reader.GetString();
                    else reader.Skip();
                }
            }
            else reader.Skip();
        }

        if (name is null) return null;
        if (name.Contains("CRS84", StringComparison.OrdinalIgnoreCase)) return CrsRegistry.Wgs84;
        var match = EpsgRegex().Match(name);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? code
            : throw FeatureFileException.For(path, $"unknown \"crs\" name \"{name}\"");
    }
}
