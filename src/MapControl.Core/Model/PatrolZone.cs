using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>A patrol zone (巡区) inside a department's jurisdiction, one version of it.</summary>
/// <param name="Id">Database id of this version (0 before it is stored).</param>
/// <param name="Code">Stable code shared by all versions of the zone.</param>
public sealed record PatrolZone(long Id, string Code, string DepartmentCode, string Name, Polygon Geometry, VersionInfo Version);
