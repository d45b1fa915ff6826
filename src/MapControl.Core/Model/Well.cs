using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>What a well produces or does.</summary>
public enum WellKind { Oil, WaterInjection, Gas }

/// <summary>Operating status of a well.</summary>
public enum WellStatus { Producing, ShutIn, Idle, Workover }

/// <summary>A well (油井); key wells (重点井) are under video.</summary>
public sealed record Well(string Code, Point Location, WellKind Kind, WellStatus Status, bool IsKeyWell, string OilZoneCode);
