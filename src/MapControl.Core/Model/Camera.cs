using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>A video camera (监控点); heading and field of view in degrees clockwise from north, range in metres.</summary>
public sealed record Camera(string Code, Point Location, double HeadingDeg, double FieldOfViewDeg, double RangeM, string? WellCode);
