using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Seeding;

/// <summary>
/// The sample's road network (docs/DEFINITIONS.md "Road distance"): the basemap's arterials, a link that joins 纯梁's S321 to
/// the G25, and in every oil zone a grid of field roads (1.5 km apart, turned by a seeded angle, clipped to a disc of 90 % of
/// the zone's radius) that crosses the arterials near it. Lines are not cut at crossings here: the one noding path
/// (<see cref="Routing.RoadNetwork.ReplaceAsync"/>) nodes them when they are loaded.
/// </summary>
internal static class RoadBuilder
{
    /// <summary>Distance between neighbouring field roads of a zone's grid, metres.</summary>
    public const double GridSpacingM = 1_500;

    /// <summary>Arterial links of the network that the basemap does not draw.</summary>
    public static readonly (string Name, string Kind, (double Lon, double Lat)[] Points)[] Links =
    [
        ("纯梁—广饶连接线", "secondary", [(118.41, 37.06), (118.42, 37.10)]),
    ];

    public static IReadOnlyList<RoadLine> Build(int seed)
    {
        var random = new Random(Geo.Mix(seed, 41));
        var f = Geo.PublicFactory;
        static Coordinate C((double Lon, double Lat) p) => new(Geo.Round(p.Lon), Geo.Round(p.Lat));
        var roads = new List<RoadLine>();
        foreach (var (name, kind, points) in SampleLayout.Roads.Concat(Links))
            roads.Add(new RoadLine(name, kind, f.CreateLineString(points.Select(C).ToArray())));
        foreach (var zone in SampleLayout.Zones)
        {
            var (cx, cy) = Geo.ToLocal(zone.Lon, zone.Lat);
            var radius = zone.RadiusM * 0.9;
            var angle = Geo.Uniform(random, -20, 20) * Math.PI / 180;
            var offset = Geo.Uniform(random, 0, GridSpacingM);
            var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
            var n = 0;
            for (var axis = 0; axis < 2; axis++)
            for (var d = -radius + offset % GridSpacingM; d < radius; d += GridSpacingM)
            {
                var half = Math.Sqrt(radius * radius - d * d);
                if (half < GridSpacingM / 2) continue;
                // Along u from −half to +half at v = d, in the grid's turned frame (u east-ish for axis 0, north-ish for axis 1).
                (double X, double Y) At(double u, double v) => axis == 0
                    ? (cx + u * cos - v * sin, cy + u * sin + v * cos)
                    : (cx + v * cos - u * sin, cy + v * sin + u * cos);
                var a = At(-half, d);
                var b = At(half, d);
                roads.Add(new RoadLine($"{zone.WellPrefix}-{(axis == 0 ? "E" : "N")}{++n:00}", "field",
                    f.CreateLineString([Geo.LonLat(a.X, a.Y), Geo.LonLat(b.X, b.Y)])));
            }
        }
        return roads;
    }
}
