using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>KML (always WGS84 lon/lat): Placemarks with Point, LineString, LinearRing, Polygon and MultiGeometry; name, description and ExtendedData as properties.</summary>
internal static class KmlFormat
{
    public const string Name = "KML";

    private static readonly GeometryFactory s_factory = new();

    /// <summary>No DTD (no entity expansion, no external entities), no resolver: KML never needs them.</summary>
    private static readonly XmlReaderSettings s_settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    /// <summary>Deepest element nesting inside a Placemark (KML needs about 8); deeper is refused before it is built.</summary>
    private const int MaxElementNesting = 64;

    /// <summary>Reads Placemark by Placemark (one element tree in memory at a time).</summary>
    public static FeatureSet Read(string path, FeatureReadOptions options)
    {
        var builder = new FeatureSetBuilder(path, Name, CrsRegistry.Get(CrsRegistry.Wgs84), options);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            using var reader = XmlReader.Create(stream, s_settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "kml")
            {
                throw FeatureFileException.For(path, "not KML (the root element is not <kml>)");
            }

            var index = 0;
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Placemark")
                {
                    var line = ((IXmlLineInfo)reader).LineNumber;
                    var placemark = ReadElement(reader, path, line);
                    index++;
                    AddPlacemark(builder, placemark, path, $"Placemark {index} (line {line})");
                }
                else
                {
                    reader.Read();
                }
            }
        }
        catch (XmlException ex)
        {
            throw FeatureFileException.For(path, $"not valid XML ({ex.Message})", ex);
        }

        return builder.Build();
    }

    /// <summary>The element under the reader as an XElement, built without recursion and refused when nested too deep; leaves the reader after it.</summary>
    private static XElement ReadElement(XmlReader reader, string path, int line)
    {
        var baseDepth = reader.Depth;
        XElement? root = null;
        var open = new Stack<XElement>();
        do
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.Depth - baseDepth > MaxElementNesting)
                    {
                        throw FeatureFileException.For(path, $"Placemark at line {line}: elements nested more than {MaxElementNesting} deep");
                    }

                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            if (reader.NamespaceURI != "http://www.w3.org/2000/xmlns/")
                            {
                                element.SetAttributeValue(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value);
                            }
                        }
                        while (reader.MoveToNextAttribute());

                        reader.MoveToElement();
                    }

                    if (open.TryPeek(out var parent))
                    {
                        parent.Add(element);
                    }
                    else
                    {
                        root = element;
                    }

                    if (!reader.IsEmptyElement)
                    {
                        open.Push(element);
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    if (open.TryPeek(out var owner))
                    {
                        owner.Add(new XText(reader.Value));
                    }

                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    break;
            }

            reader.Read();
        }
        while (open.Count > 0 && !reader.EOF);

        if (open.Count > 0)
        {
            throw FeatureFileException.For(path, $"Placemark at line {line} is not closed");
        }

        return root!;
    }

    private static void AddPlacemark(FeatureSetBuilder builder, XElement placemark, string path, string where)
    {
        var properties = new Dictionary<string, object?>();
        if (Child(placemark, "name") is { } name)
        {
            properties["name"] = name.Value.Trim();
        }

        if (Child(placemark, "description") is { } description)
        {
            properties["description"] = description.Value.Trim();
        }

        if (Child(placemark, "ExtendedData") is { } extended)
        {
            foreach (var data in extended.Elements().Where(e => e.Name.LocalName == "Data"))
            {
                properties[(string?)data.Attribute("name") ?? "data"] = Child(data, "value")?.Value.Trim();
            }

            foreach (var simple in extended.Descendants().Where(e => e.Name.LocalName == "SimpleData"))
            {
                properties[(string?)simple.Attribute("name") ?? "data"] = simple.Value.Trim();
            }
        }

        var geometryElement = placemark.Elements().FirstOrDefault(e => IsGeometry(e.Name.LocalName));
        var geometry = geometryElement is null ? null : ReadGeometry(geometryElement, path, where, 0);
        builder.Add(geometry, properties, where);
    }

    private static bool IsGeometry(string name) => name is "Point" or "LineString" or "LinearRing" or "Polygon" or "MultiGeometry";

    private const int MaxGeometryNesting = 32;

    private static Geometry ReadGeometry(XElement element, string path, string where, int depth)
    {
        if (depth > MaxGeometryNesting)
        {
            throw FeatureFileException.For(path, $"{where}: MultiGeometry nested more than {MaxGeometryNesting} deep");
        }

        switch (element.Name.LocalName)
        {
            case "Point":
                var point = Coordinates(element, path, where);
                return point.Length == 1
                    ? s_factory.CreatePoint(point[0])
                    : throw FeatureFileException.For(path, $"{where}: a Point needs one coordinate, found {point.Length}");
            case "LineString":
                return s_factory.CreateLineString(AtLeast(Coordinates(element, path, where), 2, path, where, "LineString"));
            case "LinearRing":
                return s_factory.CreatePolygon(Ring(element, path, where));
            case "Polygon":
                var outer = Child(element, "outerBoundaryIs")?.Descendants().FirstOrDefault(e => e.Name.LocalName == "LinearRing")
                            ?? throw FeatureFileException.For(path, $"{where}: a Polygon without outerBoundaryIs/LinearRing");
                var holes = element.Elements().Where(e => e.Name.LocalName == "innerBoundaryIs")
                    .SelectMany(e => e.Elements().Where(r => r.Name.LocalName == "LinearRing"))
                    .Select(r => s_factory.CreateLinearRing(Ring(r, path, where)))
                    .ToArray();
                return s_factory.CreatePolygon(s_factory.CreateLinearRing(Ring(outer, path, where)), holes);
            default:
                var parts = element.Elements().Where(e => IsGeometry(e.Name.LocalName)).Select(e => ReadGeometry(e, path, where, depth + 1)).ToArray();
                if (parts.Length > 0 && parts.All(p => p is Point))
                {
                    return s_factory.CreateMultiPoint(parts.Cast<Point>().ToArray());
                }

                if (parts.Length > 0 && parts.All(p => p is LineString))
                {
                    return s_factory.CreateMultiLineString(parts.Cast<LineString>().ToArray());
                }

                if (parts.Length > 0 && parts.All(p => p is Polygon))
                {
                    return s_factory.CreateMultiPolygon(parts.Cast<Polygon>().ToArray());
                }

                return s_factory.CreateGeometryCollection(parts);
        }
    }

    private static Coordinate[] Ring(XElement ring, string path, string where)
    {
        var coordinates = AtLeast(Coordinates(ring, path, where), 3, path, where, "LinearRing").ToList();
        if (!coordinates[0].Equals2D(coordinates[^1]))
        {
            coordinates.Add(coordinates[0].Copy());
        }

        return AtLeast([.. coordinates], 4, path, where, "LinearRing");
    }

    private static Coordinate[] AtLeast(Coordinate[] coordinates, int count, string path, string where, string what) =>
        coordinates.Length >= count
            ? coordinates
            : throw FeatureFileException.For(path, $"{where}: a {what} needs at least {count} coordinates, found {coordinates.Length}");

    private static Coordinate[] Coordinates(XElement element, string path, string where)
    {
        var text = Child(element, "coordinates")?.Value
                   ?? throw FeatureFileException.For(path, $"{where}: <{element.Name.LocalName}> has no <coordinates>");
        var tuples = text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var result = new Coordinate[tuples.Length];
        for (var i = 0; i < tuples.Length; i++)
        {
            var parts = tuples[i].Split(',');
            if (parts.Length < 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                || Math.Abs(lon) > 180 || Math.Abs(lat) > 90)
            {
                throw FeatureFileException.For(path, $"{where}: \"{tuples[i]}\" is not a lon,lat[,alt] coordinate");
            }

            result[i] = new Coordinate(lon, lat);
        }

        return result;
    }

    private static XElement? Child(XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);
}
