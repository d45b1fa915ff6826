using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>Measures of metric polygons used by coverage and redraw analyses.</summary>
public static class PolygonMeasures
{
    /// <summary>
    /// Band width of a metric polygon: the short side of the rectangle with the same area A and perimeter P,
    /// (P/2 − √((P/2)² − 4A)) / 2 — exact for rectangular bands and slivers, P/4 for compact shapes with no such rectangle.
    /// </summary>
    public static double Width(Geometry polygon)
    {
        var area = polygon.Area;
        var halfPerimeter = polygon.Length / 2.0;
        if (area <= 0 || halfPerimeter <= 0) return 0;
        var discriminant = halfPerimeter * halfPerimeter - 4.0 * area;
        if (discriminant <= 0) return halfPerimeter / 2.0;
        // Written as 2A / (P/2 + √…) to keep precision for thin slivers.
        return 2.0 * area / (halfPerimeter + Math.Sqrt(discriminant));
    }

    /// <summary>Polsby–Popper compactness 4πA/P² of a metric polygon or multipolygon (1 for a circle, π/4 for a square, 0 when empty).</summary>
    public static double PolsbyPopper(Geometry polygonal)
    {
        var perimeter = polygonal.Length;
        return perimeter > 0 ? 4.0 * Math.PI * polygonal.Area / (perimeter * perimeter) : 0.0;
    }

    /// <summary>The non-empty polygons of a geometry, with positive area.</summary>
    internal static List<Polygon> Polygons(Geometry geometry)
    {
        var result = new List<Polygon>();
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            switch (geometry.GetGeometryN(i))
            {
                case Polygon p when !p.IsEmpty && p.Area > 0:
                    result.Add(p);
                    break;
                case GeometryCollection c when c != geometry:
                    result.AddRange(Polygons(c));
                    break;
            }
        }
        return result;
    }
}
