using System.Globalization;
using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Core.Redraw;

/// <summary>The part of a patrol zone outside its department's jurisdiction: lon/lat, its area and a point inside its largest piece.</summary>
public sealed record OutsidePart(Geometry Geometry, double AreaM2, Point Where);

/// <summary>
/// A patrol zone lies inside its department's jurisdiction (docs/DEFINITIONS.md, "Patrol zone inside its jurisdiction"): the
/// zone minus the jurisdiction (planar in lon/lat, as PostGIS <c>ST_Difference</c>/<c>ST_CoveredBy</c> on geometry) must
/// have no more than <see cref="ToleranceM2"/> of area — boundary noise of a shared edge — else the save and the impact are
/// refused, naming the part outside. The one place of the rule; the save path (<c>VersionedEdits</c>) and the impact use it.
/// </summary>
public static class PatrolZoneContainment
{
    /// <summary>Area outside the jurisdiction still taken as inside (noise along a shared edge), m².</summary>
    public const double ToleranceM2 = 1.0;

    /// <summary>The part of <paramref name="zone"/> outside <paramref name="jurisdiction"/>, or null when the zone is inside.</summary>
    public static OutsidePart? Outside(Geometry zone, Geometry jurisdiction)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(jurisdiction);
        if (zone.IsEmpty) return null;
        var outside = OverlayNGRobust.Overlay(zone, jurisdiction, SpatialFunction.Difference);
        if (outside.IsEmpty) return null;
        var projection = MetricProjection.CentredOn(zone.EnvelopeInternal);
        var area = projection.Forward(outside).Area;
        if (area <= ToleranceM2) return null;
        var largest = Enumerable.Range(0, outside.NumGeometries).Select(outside.GetGeometryN).OrderByDescending(g => g.Area).First();
        return new OutsidePart(outside, area, largest.InteriorPoint);
    }

    /// <summary>The refusal, naming the part outside (area and where its largest piece is).</summary>
    public static string Refusal(string zoneKey, string department, OutsidePart outside)
    {
        ArgumentNullException.ThrowIfNull(outside);
        return string.Create(CultureInfo.InvariantCulture,
            $"Patrol zone '{zoneKey}' reaches {outside.AreaM2:0.#} m² outside the jurisdiction of department '{department}' (largest part outside around {outside.Where.X:0.00000} E {outside.Where.Y:0.00000} N): keep the zone inside the jurisdiction, or redraw the jurisdiction first.");
    }
}
