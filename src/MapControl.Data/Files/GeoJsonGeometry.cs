using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>Reads an edited geometry sent as GeoJSON (the planner's drawing, an API client's body).</summary>
public static class GeoJsonGeometry
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>
    /// A GeoJSON Polygon or MultiPolygon (or a Feature / FeatureCollection of them) as one polygonal geometry with SRID 4326, exactly
    /// as sent — not repaired: the write paths check it (<see cref="Core.Spatial.EditGeometry"/>) and refuse an invalid shape with its
    /// reason. Null when the text is not GeoJSON or holds no polygon, or holds anything but polygons.
    /// </summary>
    public static Geometry? ParsePolygonal(string geoJson)
    {
        ArgumentNullException.ThrowIfNull(geoJson);
        var parts = new List<Polygon>();
        try
        {
            // The one GeoJSON reader (GeoJsonFormat), without the file checks: the geometry exactly as sent.
            foreach (var (g, _, _) in GeoJsonFormat.Parse(System.Text.Encoding.UTF8.GetBytes(geoJson), "GeoJSON").Features)
            {
                switch (g)
                {
                    case Polygon p: parts.Add(p); break;
                    case MultiPolygon m: parts.AddRange(m.Geometries.Cast<Polygon>()); break;
                    case null: break;
                    default: return null;
                }
            }
        }
        catch (FeatureFileException)
        {
            return null;
        }
        parts.RemoveAll(p => p.IsEmpty);
        if (parts.Count == 0) return null;
        Geometry result = parts.Count == 1
            ? Factory.CreatePolygon(Factory.CreateLinearRing(parts[0].Shell.CoordinateSequence), parts[0].Holes.Select(h => Factory.CreateLinearRing(h.CoordinateSequence)).ToArray())
            : Factory.CreateMultiPolygon(parts.Select(p => (Polygon)Factory.CreateGeometry(p)).ToArray());
        result.SRID = 4326;
        return result;
    }
}
