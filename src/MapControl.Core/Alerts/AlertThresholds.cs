using System.Globalization;
using MapControl.Core.Model;

namespace MapControl.Core.Alerts;

/// <summary>Where a threshold's effective value comes from, nearest first: the department's stored value, the centre's, appsettings, Core's default.</summary>
public enum ThresholdSource
{
    /// <summary>Core's built-in default (<see cref="AlertThresholds.Default"/>).</summary>
    Default,

    /// <summary>appsettings <c>Alerts:&lt;name&gt;</c> (the centre's default of this installation).</summary>
    Appsettings,

    /// <summary>The centre's stored value (table <c>alert_threshold</c>, no department).</summary>
    Centre,

    /// <summary>The department's own stored value.</summary>
    Department,
}

/// <summary>One threshold: its stored name, unit, the bounds a value must lie in (inclusive) and its labels.</summary>
/// <param name="Name">Stored name (<c>alert_threshold.name</c>, appsettings key).</param>
/// <param name="Unit"><c>h</c>, <c>min</c> or <c>m</c>.</param>
/// <param name="Min">Smallest value accepted.</param>
/// <param name="Max">Largest value accepted.</param>
/// <param name="LabelZh">What it is, in Chinese.</param>
/// <param name="LabelEn">What it is, in English.</param>
public sealed record ThresholdSpec(string Name, string Unit, double Min, double Max, string LabelZh, string LabelEn);

/// <summary>A threshold's effective value in one scope (the centre or a department), where it comes from, and what the scope itself stores.</summary>
/// <param name="Name">Stored name.</param>
/// <param name="Value">The value the rules use.</param>
/// <param name="Source">Where <paramref name="Value"/> comes from.</param>
/// <param name="Stored">The value stored for this very scope, or null when it inherits.</param>
public sealed record EffectiveThreshold(string Name, double Value, ThresholdSource Source, double? Stored);

/// <summary>
/// The thresholds of the alert rules, for the centre or one department, and the one place of their rules (docs/DEFINITIONS.md
/// "Alert thresholds"): names, units and bounds (<see cref="Specs"/>, <see cref="Check"/>), the order in which they are inherited
/// (<see cref="Resolve"/>: department, centre, appsettings, default) and who may set them (<see cref="Refusal"/>). Stored in
/// <c>alert_threshold</c>, defaults in appsettings <c>Alerts</c>.
/// </summary>
public sealed record AlertThresholds
{
    /// <summary>The defaults.</summary>
    public static AlertThresholds Default { get; } = new();

    /// <summary>
    /// Longest window of the rules judged on the live trail (<c>outside_zone_minutes</c>, <c>stationary_minutes</c>), minutes: the
    /// engine judges them on the 30-minute trail it keeps per unit (Web <c>LiveFeed.TrailSpan</c>), so a longer window would never fire.
    /// </summary>
    public const double MaxTrailWindowMinutes = 30;

    /// <summary>Every threshold, in display order, with its bounds.</summary>
    public static readonly IReadOnlyList<ThresholdSpec> Specs =
    [
        new("key_well_unvisited_hours", "h", 1, 168, "重点井无巡逻到达时长", "Key well unvisited for"),
        new("key_well_radius_m", "m", 10, 5000, "到达重点井的距离", "Key-well visit radius"),
        new("outside_zone_minutes", "min", 1, MaxTrailWindowMinutes, "离开本部辖区时长", "Outside own area for"),
        new("outside_zone_margin_m", "m", 1, 5000, "辖区边界容差", "Boundary margin"),
        new("stationary_minutes", "min", 5, MaxTrailWindowMinutes, "夜间停留时长", "Stationary at night for"),
        new("stationary_radius_m", "m", 5, 1000, "停留判定半径", "Stationary radius"),
        new("device_silent_minutes", "min", 5, 600, "定位设备无信号时长", "Tracker silent for"),
    ];

    /// <summary>Stored names of the thresholds.</summary>
    public static readonly IReadOnlyList<string> Names = Specs.Select(s => s.Name).ToArray();

    /// <summary>The spec of a name, or null.</summary>
    public static ThresholdSpec? Spec(string? name) => Specs.FirstOrDefault(s => s.Name == name);

    /// <summary>Why a value cannot be set for a threshold (unknown name, not finite, out of bounds), or null when it can.</summary>
    public static string? Check(string? name, double value)
    {
        if (Spec(name) is not { } spec) return $"Unknown threshold '{name}'; known: {string.Join(", ", Names)}.";
        if (!double.IsFinite(value) || value < spec.Min || value > spec.Max)
            return string.Create(CultureInfo.InvariantCulture, $"{spec.Name} must be a number from {spec.Min} to {spec.Max} {spec.Unit}; got {value}.");
        return null;
    }

    /// <summary>
    /// Who may set or clear a threshold of a scope (<paramref name="departmentCode"/> null: the centre): admins; an admin of a
    /// department only its own department's. Null when allowed, else why not.
    /// </summary>
    public static string? Refusal(User caller, string? departmentCode)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Role != Role.Admin) return "Only admins set alert thresholds.";
        if (caller.DepartmentCode is { } own && own != departmentCode) return "A department's admin sets only its own department's thresholds.";
        return null;
    }

    /// <summary>
    /// The effective thresholds of a scope: for each, the department's stored value (when <paramref name="department"/> is given),
    /// else the centre's stored value, else appsettings, else the default. <paramref name="department"/> null resolves the centre.
    /// </summary>
    public static IReadOnlyList<EffectiveThreshold> Resolve(IReadOnlyDictionary<string, double> appsettings, IReadOnlyDictionary<string, double> centre,
        IReadOnlyDictionary<string, double>? department)
    {
        ArgumentNullException.ThrowIfNull(appsettings);
        ArgumentNullException.ThrowIfNull(centre);
        var defaults = Default.ToNames();
        return Specs.Select(s =>
        {
            double? stored = department is null ? Get(centre, s.Name) : Get(department, s.Name);
            if (department is not null && stored is { } d) return new EffectiveThreshold(s.Name, d, ThresholdSource.Department, d);
            if (Get(centre, s.Name) is { } c) return new EffectiveThreshold(s.Name, c, ThresholdSource.Centre, stored);
            if (Get(appsettings, s.Name) is { } a) return new EffectiveThreshold(s.Name, a, ThresholdSource.Appsettings, stored);
            return new EffectiveThreshold(s.Name, defaults[s.Name], ThresholdSource.Default, stored);
        }).ToArray();
    }

    private static double? Get(IReadOnlyDictionary<string, double> values, string name) => values.TryGetValue(name, out var v) ? v : null;

    /// <summary>The thresholds the rules use for resolved values.</summary>
    public static AlertThresholds Of(IEnumerable<EffectiveThreshold> resolved) =>
        Default.With(resolved.Select(t => KeyValuePair.Create(t.Name, t.Value)));

    /// <summary>A key well is unvisited when no fix came within <see cref="KeyWellRadiusM"/> for this many hours.</summary>
    public double KeyWellUnvisitedHours { get; init; } = 24;

    /// <summary>How close a fix must come to visit a key well, metres (the patrol coverage radius).</summary>
    public double KeyWellRadiusM { get; init; } = 300;

    /// <summary>Minutes outside the unit's own area before an alert.</summary>
    public double OutsideZoneMinutes { get; init; } = 10;

    /// <summary>How far beyond its own area a unit still counts as inside, metres ("better a crossing than a gap").</summary>
    public double OutsideZoneMarginM { get; init; } = 500;

    /// <summary>Minutes without moving at night before an alert.</summary>
    public double StationaryMinutes { get; init; } = 30;

    /// <summary>A unit whose fixes stay within this radius is not moving, metres.</summary>
    public double StationaryRadiusM { get; init; } = 50;

    /// <summary>Minutes without a fix (during a shift) before an alert.</summary>
    public double DeviceSilentMinutes { get; init; } = 30;

    /// <summary>These thresholds with the stored values that are given (unknown names are ignored).</summary>
    public AlertThresholds With(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var t = this;
        foreach (var (name, v) in values)
        {
            t = name switch
            {
                "key_well_unvisited_hours" => t with { KeyWellUnvisitedHours = v },
                "key_well_radius_m" => t with { KeyWellRadiusM = v },
                "outside_zone_minutes" => t with { OutsideZoneMinutes = v },
                "outside_zone_margin_m" => t with { OutsideZoneMarginM = v },
                "stationary_minutes" => t with { StationaryMinutes = v },
                "stationary_radius_m" => t with { StationaryRadiusM = v },
                "device_silent_minutes" => t with { DeviceSilentMinutes = v },
                _ => t,
            };
        }
        return t;
    }

    /// <summary>The thresholds as stored names and values.</summary>
    public IReadOnlyDictionary<string, double> ToNames() => new Dictionary<string, double>
    {
        ["key_well_unvisited_hours"] = KeyWellUnvisitedHours, ["key_well_radius_m"] = KeyWellRadiusM,
        ["outside_zone_minutes"] = OutsideZoneMinutes, ["outside_zone_margin_m"] = OutsideZoneMarginM,
        ["stationary_minutes"] = StationaryMinutes, ["stationary_radius_m"] = StationaryRadiusM,
        ["device_silent_minutes"] = DeviceSilentMinutes,
    };
}
