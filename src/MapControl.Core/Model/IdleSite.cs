using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>
/// Kind of idle site (闲置场地类型): a code of the idle-site-kind vocabulary (<see cref="Labels.FieldVocabularies.IdleSiteKinds"/>),
/// or — for a label the vocabulary lacks — that label as written, kept as its own unmapped kind. Equal when the codes are equal.
/// </summary>
public readonly record struct IdleSiteKind
{
    /// <summary>A kind by its code (a vocabulary code such as <c>well_pad</c>, or an unmapped label as written).</summary>
    public IdleSiteKind(string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>The stored code.</summary>
    public string Code { get; }

    /// <summary>Well pad (井场).</summary>
    public static IdleSiteKind WellPad { get; } = new("well_pad");

    /// <summary>Yard (堆场).</summary>
    public static IdleSiteKind Yard { get; } = new("yard");

    /// <summary>Platform (平台).</summary>
    public static IdleSiteKind Platform { get; } = new("platform");

    /// <summary>Station (站).</summary>
    public static IdleSiteKind Station { get; } = new("station");

    /// <summary>The built-in kinds, in order.</summary>
    public static IReadOnlyList<IdleSiteKind> Builtin { get; } = [WellPad, Yard, Platform, Station];

    /// <inheritdoc />
    public override string ToString() => Code ?? string.Empty;
}

/// <summary>Status of an idle site: neighbours encroach on idle sites; the centre reclaims them.</summary>
public enum IdleSiteStatus { Idle, Encroached, Reclaimed }

/// <summary>An idle well pad, yard, platform or station and what happened to it.</summary>
public sealed record IdleSite(string Code, string Name, IdleSiteKind Kind, Polygon Geometry, IdleSiteStatus Status,
    DateOnly? EncroachedOn, DateOnly? ReclaimedOn);
