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

    public static FeatureSet Read(string path, FeatureReadOptions options)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw FeatureFileException.For(path, $"not valid XML ({ex.Message})", ex);
        }

        if (document.Root is null || document.Root.Name.LocalName != "kml")
        {
            throw FeatureFileException.For(path, "not KML (the root element is not <kml>)");
        }

        var builder = new FeatureSetBuilder(path, Name, CrsRegistry.Get(CrsRegistry.Wgs84), options);
        var index = 0;
        foreach (var placemark in document.Descendants().Where(e => e.Name.LocalName == "Placemark"))
        {
            index++;
            var where = $"Placemark {index} (line {((IXmlLineInfo)placemark).LineNumber})";
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
            var geometry = geometryElement is null ? null : ReadGeometry(geometryElement, path, where);
            builder.Add(geometry, properties, where);
        }

        return builder.Build();
    }

    private static bool IsGeometry(string name) => name is "Point" or "LineString" or "LinearRing" or "Polygon" or "MultiGeometry";

    private static Geometry ReadGeometry(XElement element, string path, string where)
    {
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
                var parts = element.Elements().Where(e => IsGeometry(e.Name.LocalName)).Select(e => ReadGeometry(e, path, where)).ToArray();
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
