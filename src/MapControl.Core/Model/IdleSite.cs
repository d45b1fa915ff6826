using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>Kind of idle site (闲置场地).</summary>
public enum IdleSiteKind { WellPad, Yard, Platform, Station }

/// <summary>Status of an idle site: neighbours encroach on idle sites; the centre reclaims them.</summary>
public enum IdleSiteStatus { Idle, Encroached, Reclaimed }

/// <summary>An idle well pad, yard, platform or station and what happened to it.</summary>
public sealed record IdleSite(string Code, string Name, IdleSiteKind Kind, Polygon Geometry, IdleSiteStatus Status,
    DateOnly? EncroachedOn, DateOnly? ReclaimedOn);
