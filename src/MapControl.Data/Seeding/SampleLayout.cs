using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Seeding;

/// <summary>An oil zone of the sample: where it is, how big, what its wells are called and how much crime it sees.</summary>
internal sealed record ZoneSpec(string Code, string Name, string WellPrefix, double Lon, double Lat, double RadiusM, double CrimeFactor);

/// <summary>A department of the sample with its colour and base number of patrol units.</summary>
internal sealed record DepartmentSpec(string Code, string Name, string ShortName, string Colour, int Units, int PatrolZones);

/// <summary>A feature planted in the sample on purpose (gap, overlap, invalid edge, hot spot…), lon/lat.</summary>
/// <param name="Kind">gap, overlap, invalid_edge, patrol_zone_gap, hot_spot, redraw.</param>
internal sealed record PlantedFeature(string Kind, string Description, Geometry Geometry, IReadOnlyList<string> Departments);

/// <summary>The fixed geography of the sample: zones, departments, partition seeds, basemap.</summary>
internal static class SampleLayout
{
    /// <summary>The reference "now": the start of 2026-11-29 in China Standard Time.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.FromHours(8));

    public static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    /// <summary>Start of the first jurisdiction versions (a little before the 3-year incident window).</summary>
    public static readonly DateTimeOffset InitialVersion = new(2023, 11, 1, 0, 0, 0, Cst);

    /// <summary>The redraw of 胜南's jurisdiction.</summary>
    public static readonly DateTimeOffset Redraw = new(2025, 11, 20, 10, 0, 0, Cst);

    public static readonly ZoneSpec[] Zones =
    [
        new("OZ-DY", "东营油区", "DY", 118.58, 37.45, 7_500, 1.0),
        new("OZ-HK", "河口油区", "HK", 118.53, 37.89, 9_000, 1.25),
        new("OZ-GD", "孤岛油区", "GD", 118.85, 37.87, 8_500, 1.6),
        new("OZ-GDD", "孤东油区", "GDD", 119.00, 37.85, 7_500, 1.4),
        new("OZ-XH", "现河油区", "XH", 118.50, 37.40, 7_000, 0.9),
        new("OZ-CL", "纯梁油区", "CL", 118.10, 37.15, 9_500, 0.7),
        new("OZ-BN", "滨南油区", "BN", 118.00, 37.45, 9_500, 0.8),
    ];

    public static readonly DepartmentSpec[] Departments =
    [
        new("CL", "纯梁护卫部", "纯梁", "#1f77b4", 3, 3),
        new("HK", "河口护卫部", "河口", "#ff7f0e", 3, 3),
        new("SB", "胜北护卫部", "胜北", "#2ca02c", 4, 3),
        new("SN", "胜南护卫部", "胜南", "#d62728", 3, 2),
        new("GD", "孤岛护卫部", "孤岛", "#9467bd", 4, 3),
        new("XH", "现河护卫部", "现河", "#8c564b", 3, 3),
        new("GDD", "孤东护卫部", "孤东", "#e377c2", 3, 3),
        new("BN", "滨南护卫部", "滨南", "#17becf", 2, 2),
    ];

    /// <summary>Partition seeds per zone: department code and offset in metres from the zone centre.</summary>
    public static readonly Dictionary<string, (string Department, double Dx, double Dy)[]> Seeds = new()
    {
        ["OZ-DY"] = [("SB", -1000, 4500), ("SB", 2500, 3500), ("SN", 4500, -1500), ("SN", 3000, -4000), ("XH", -4000, -1500), ("XH", -2000, -4500)],
        ["OZ-HK"] = [("HK", 0, 0)],
        ["OZ-GD"] = [("GD", -2500, 0), ("GD", -1000, 2500), ("GD", 0, -3500), ("GDD", 4200, -800), ("GDD", 3000, -3500)],
        ["OZ-GDD"] = [("GDD", 0, 0)],
        ["OZ-XH"] = [("XH", 0, 0)],
        ["OZ-CL"] = [("CL", 0, 0)],
        ["OZ-BN"] = [("BN", 0, 0)],
    };

    /// <summary>The town cut out of 东营油区 as a hole (东营城区 东城), lon/lat and radius in metres.</summary>
    public static readonly (double Lon, double Lat, double RadiusM) DongyingTownHole = (118.615, 37.435, 1_000);

    /// <summary>Second, detached part of 河口油区.</summary>
    public static readonly (double Lon, double Lat, double RadiusM) HekouSecondPart = (118.36, 37.78, 3_500);

    /// <summary>Coast of the Bohai and Laizhou bays from north-west to south-east (approximate).</summary>
    public static readonly (double Lon, double Lat)[] Coast =
    [
        (117.75, 38.15), (118.00, 38.12), (118.30, 38.10), (118.55, 38.12), (118.75, 38.08), (118.95, 38.03),
        (119.08, 37.95), (119.12, 37.87), (119.20, 37.80), (119.26, 37.76), (119.22, 37.70), (119.12, 37.63),
        (119.05, 37.52), (119.00, 37.42), (118.97, 37.30), (118.96, 37.20), (119.00, 37.12), (119.15, 37.08),
        (119.35, 37.05),
    ];

    /// <summary>The Yellow River (黄河) from the south-west to its mouth (approximate).</summary>
    public static readonly (double Lon, double Lat)[] YellowRiver =
    [
        (117.80, 37.22), (117.95, 37.33), (118.05, 37.40), (118.15, 37.46), (118.27, 37.51), (118.38, 37.55),
        (118.50, 37.60), (118.62, 37.64), (118.75, 37.68), (118.88, 37.71), (119.00, 37.735), (119.12, 37.75),
        (119.26, 37.76),
    ];

    public static readonly (string Name, string Kind, (double Lon, double Lat)[] Points)[] Roads =
    [
        ("G25 长深高速", "motorway", [(118.40, 36.90), (118.42, 37.10), (118.45, 37.30), (118.47, 37.50), (118.48, 37.70), (118.45, 37.95), (118.40, 38.12)]),
        ("G18 荣乌高速", "motorway", [(117.60, 37.55), (117.90, 37.50), (118.20, 37.48), (118.45, 37.47), (118.70, 37.42), (118.88, 37.35), (118.95, 37.28)]),
        ("S316 东营—孤岛", "primary", [(118.58, 37.47), (118.62, 37.60), (118.72, 37.75), (118.85, 37.86), (119.00, 37.87)]),
        ("S231 东营—河口", "primary", [(118.55, 37.47), (118.54, 37.70), (118.53, 37.89), (118.50, 38.05)]),
        ("S228 滨海公路", "primary", [(118.30, 38.05), (118.60, 38.06), (118.90, 37.99), (119.05, 37.90), (119.08, 37.75), (119.00, 37.55), (118.93, 37.30)]),
        ("S321 滨州—纯梁", "secondary", [(117.95, 37.38), (118.00, 37.30), (118.10, 37.15), (118.25, 37.10), (118.41, 37.06)]),
    ];

    public static readonly (string Name, string Kind, double Lon, double Lat)[] Towns =
    [
        ("东营区", "district", 118.615, 37.435),
        ("河口区", "district", 118.525, 37.886),
        ("垦利区", "district", 118.548, 37.588),
        ("利津县", "county", 118.255, 37.490),
        ("广饶县", "county", 118.407, 37.054),
        ("孤岛镇", "town", 118.800, 37.905),
        ("仙河镇", "town", 118.950, 37.985),
        ("纯化镇", "town", 118.130, 37.190),
        ("滨州市", "city", 117.970, 37.380),
    ];
}
