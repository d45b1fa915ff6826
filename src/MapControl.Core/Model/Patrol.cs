using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>A patrol unit (vehicle or team) of a department, with the key its GPS tracker signs in with.</summary>
public sealed record PatrolUnit(string Code, string DepartmentCode, string Name, string DeviceKey);

/// <summary>One GPS fix of a patrol unit, WGS84 lon/lat; speed in km/h and bearing in degrees when known.</summary>
public readonly record struct GpsFix(string UnitCode, DateTimeOffset Time, double Lon, double Lat, double? SpeedKmh = null, double? Bearing = null);

/// <summary>A planned patrol route of a department.</summary>
public sealed record PatrolRoute(string Code, string DepartmentCode, string Name, LineString Geometry);
