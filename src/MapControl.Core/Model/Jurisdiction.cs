using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>A department's jurisdiction (辖区), one version of it.</summary>
/// <param name="Id">Database id of this version (0 before it is stored).</param>
public sealed record Jurisdiction(long Id, string DepartmentCode, MultiPolygon Geometry, VersionInfo Version);
