using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>An oil zone (油区): the frame that jurisdictions must cover without gaps.</summary>
public sealed record OilZone(string Code, string Name, MultiPolygon Geometry);
