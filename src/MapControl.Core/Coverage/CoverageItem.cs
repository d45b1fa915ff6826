using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>One polygon of a coverage (a jurisdiction 辖区 or a patrol zone 巡区) in lon/lat, with the department that owns it.</summary>
/// <param name="Geometry">Polygon or MultiPolygon in lon/lat (SRID 4326).</param>
/// <param name="Owner">Key of the owning department (or other owner).</param>
public sealed record CoverageItem(Geometry Geometry, string Owner);
