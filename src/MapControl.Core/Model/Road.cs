using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>A road as drawn or imported (lon/lat), before noding: name, kind (motorway, primary, secondary, field…) and line.</summary>
public sealed record RoadLine(string? Name, string Kind, LineString Geometry);
