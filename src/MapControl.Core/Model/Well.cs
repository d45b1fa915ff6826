using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>
/// What a well produces or does (井别): a code of the well-kind vocabulary (<see cref="Labels.FieldVocabularies.WellKinds"/>), or —
/// for a label the vocabulary lacks — that label as written, kept as its own unmapped kind. Equal when the codes are equal (ordinal).
/// </summary>
public readonly record struct WellKind
{
    /// <summary>A kind by its code (a vocabulary code such as <c>oil</c>, or an unmapped label as written).</summary>
    public WellKind(string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>The stored code.</summary>
    public string Code { get; }

    /// <summary>Oil well (油井).</summary>
    public static WellKind Oil { get; } = new("oil");

    /// <summary>Water injection well (注水井).</summary>
    public static WellKind WaterInjection { get; } = new("water_injection");

    /// <summary>Gas well (气井).</summary>
    public static WellKind Gas { get; } = new("gas");

    /// <summary>The built-in kinds, in order.</summary>
    public static IReadOnlyList<WellKind> Builtin { get; } = [Oil, WaterInjection, Gas];

    /// <inheritdoc />
    public override string ToString() => Code ?? string.Empty;
}

/// <summary>Operating status of a well.</summary>
public enum WellStatus { Producing, ShutIn, Idle, Workover }

/// <summary>A well (油井); key wells (重点井) are under video.</summary>
public sealed record Well(string Code, Point Location, WellKind Kind, WellStatus Status, bool IsKeyWell, string OilZoneCode);
