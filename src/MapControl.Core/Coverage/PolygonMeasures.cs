using NetTopologySuite.Algorithm.Construct;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>Measures of metric polygons used by coverage and redraw analyses.</summary>
public static class PolygonMeasures
{
    /// <summary>Width of a metric polygon: the diameter of its maximum inscribed circle (0 for an empty polygon).</summary>
    public static double Width(Geometry polygon)
    {
        if (polygon.IsEmpty || polygon.Area <= 0) return 0;
        // Band width estimate 2A/P sets a tolerance that is small relative to the width, even for 0.5 m slivers.
        var estimate = 2.0 * polygon.Area / polygon.Length;
        var tolerance = Math.Max(estimate * 1e-3, 1e-6);
        return 2.0 * new MaximumInscribedCircle(polygon, tolerance).GetRadiusLine().Length;
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
