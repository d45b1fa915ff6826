using MapControl.Core.Model;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Tests.Spatial;

/// <summary>
/// The awkward cases of incident attribution (docs/DEFINITIONS.md, "Incident attribution"), shared by the Core tests and the
/// PostGIS tests of MapControl.Data (linked there), so the rule, the stored column and the KPIs are checked on the same table.
/// </summary>
/// <remarks>
/// Jurisdictions (lon/lat), all since <see cref="V0"/> and current unless said:
/// A: 118.0–118.4 × 37.0–37.4 with a hole 118.1–118.2 × 37.1–37.2, plus a second part 118.0–118.1 × 37.5–37.6;
/// B: 118.4–118.8 × 37.0–37.4 (shares the edge lon 118.4 with A);
/// C: 118.3–118.5 × 37.3–37.5 (overlaps A and B, "better a crossing than a gap");
/// D: 118.8–119.0 × 37.0–37.4 until <see cref="Redraw"/>, then 118.85–119.1 × 37.0–37.4 (redrawn).
/// Oil zones: Z1 118.0–118.6 and Z2 118.6–119.2, both × 37.0–37.6 (sharing the edge lon 118.6).
/// </remarks>
public static class IncidentAttributionCases
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly WKTReader Reader = new(NtsGeometryServices.Instance.CreateGeometryFactory(4326).GeometryServices);

    /// <summary>Start of the first jurisdiction versions.</summary>
    public static readonly DateTimeOffset V0 = new(2024, 1, 1, 0, 0, 0, Cst);
    /// <summary>D's redraw.</summary>
    public static readonly DateTimeOffset Redraw = new(2025, 6, 1, 0, 0, 0, Cst);
    private static readonly DateTimeOffset Before = new(2025, 3, 1, 10, 0, 0, Cst);
    private static readonly DateTimeOffset After = new(2025, 8, 1, 10, 0, 0, Cst);
    private static readonly DateTimeOffset Prehistory = new(2023, 6, 1, 10, 0, 0, Cst);

    private static T Wkt<T>(string wkt) where T : Geometry
    {
        var g = (T)Reader.Read(wkt);
        g.SRID = 4326;
        return g;
    }

    private static string Ring(double x0, double y0, double x1, double y1) =>
        FormattableString.Invariant($"({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0})");

    private static MultiPolygon Box(double x0, double y0, double x1, double y1) => Wkt<MultiPolygon>($"MULTIPOLYGON (({Ring(x0, y0, x1, y1)}))");

    public static IReadOnlyList<Jurisdiction> Jurisdictions { get; } =
    [
        new(1, "A", Wkt<MultiPolygon>($"MULTIPOLYGON (({Ring(118.0, 37.0, 118.4, 37.4)}, {Ring(118.1, 37.1, 118.2, 37.2)}), ({Ring(118.0, 37.5, 118.1, 37.6)}))"),
            new VersionInfo(V0, null, "planner", "initial")),
        new(2, "B", Box(118.4, 37.0, 118.8, 37.4), new VersionInfo(V0, null, "planner", "initial")),
        new(3, "C", Box(118.3, 37.3, 118.5, 37.5), new VersionInfo(V0, null, "planner", "initial")),
        new(4, "D", Box(118.8, 37.0, 119.0, 37.4), new VersionInfo(V0, Redraw, "planner", "initial")),
        new(5, "D", Box(118.85, 37.0, 119.1, 37.4), new VersionInfo(Redraw, null, "planner", "redraw")),
    ];

    public static IReadOnlyList<OilZone> OilZones { get; } =
    [
        new("Z1", "西区", Box(118.0, 37.0, 118.6, 37.6)),
        new("Z2", "东区", Box(118.6, 37.0, 119.2, 37.6)),
    ];

    /// <summary>One case: where and when, and the department and oil zone the rule must give.</summary>
    public sealed record Case(string Code, string What, double Lon, double Lat, DateTimeOffset At, string? Department, string? OilZone)
    {
        public Incident Incident => new(Code, IncidentKind.CasingTheft, At, At.AddHours(1), DiscoverySource.Patrol,
            Wkt<Point>(FormattableString.Invariant($"POINT ({Lon} {Lat})")), 0.5, IncidentStatus.Solved);

        public override string ToString() => $"{Code} {What}";
    }

    public static IReadOnlyList<Case> All { get; } =
    [
        new("K01", "inside A", 118.05, 37.05, Before, "A", "Z1"),
        new("K02", "in the hole of A's multipolygon", 118.15, 37.15, Before, null, "Z1"),
        new("K03", "on the edge of A's hole (boundary belongs to A)", 118.1, 37.15, Before, "A", "Z1"),
        new("K04", "in A's second part", 118.05, 37.55, Before, "A", "Z1"),
        new("K05", "on the shared boundary A|B: smallest code", 118.4, 37.2, Before, "A", "Z1"),
        new("K06", "in the overlap A∩C: smallest code", 118.35, 37.35, Before, "A", "Z1"),
        new("K07", "in the overlap B∩C: smallest code", 118.45, 37.35, Before, "B", "Z1"),
        new("K08", "on the A|B edge inside C (three departments)", 118.4, 37.35, Before, "A", "Z1"),
        new("K09", "in C only", 118.45, 37.45, Before, "C", "Z1"),
        new("K10", "on the shared oil-zone edge Z1|Z2, in B", 118.6, 37.2, Before, "B", "Z1"),
        new("K11", "in D's old jurisdiction, before the redraw (old version in force)", 118.82, 37.2, Before, "D", "Z2"),
        new("K12", "same place after the redraw dropped it (a gap now)", 118.82, 37.2, After, null, "Z2"),
        new("K13", "same place at the redraw instant (new version in force)", 118.82, 37.2, Redraw, null, "Z2"),
        new("K14", "one tick before the redraw (old version in force)", 118.82, 37.2, Redraw.AddTicks(-10), "D", "Z2"),
        new("K15", "area the redraw added, before it: a gap then, not moved to D", 119.05, 37.2, Before, null, "Z2"),
        new("K16", "area the redraw added, after it", 119.05, 37.2, After, "D", "Z2"),
        new("K17", "outside every jurisdiction and oil zone", 119.5, 37.8, Before, null, null),
        new("K18", "before any version existed: the first map (A)", 118.05, 37.05, Prehistory, "A", "Z1"),
        new("K19", "before any version existed: the first map (D's old version)", 118.82, 37.2, Prehistory, "D", "Z2"),
        new("K20", "before any version existed, outside the first map", 119.05, 37.2, Prehistory, null, "Z2"),
        new("K21", "before any version existed, in the overlap B∩C", 118.45, 37.35, Prehistory, "B", "Z1"),
    ];
}
