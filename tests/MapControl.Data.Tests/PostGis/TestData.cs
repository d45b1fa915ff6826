using MapControl.Core.Model;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Data.Tests.PostGis;

/// <summary>WKT helpers and a small hand-made oilfield near Dongying for database tests.</summary>
public static class TestData
{
    private static readonly WKTReader Reader = new(NtsGeometryServices.Instance.CreateGeometryFactory(4326).GeometryServices);

    public static T Wkt<T>(string wkt) where T : Geometry
    {
        var geometry = (T)Reader.Read(wkt);
        geometry.SRID = 4326;
        return geometry;
    }

    public static Point Pt(double lon, double lat) => Wkt<Point>(FormattableString.Invariant($"POINT ({lon} {lat})"));

    public static void ShouldEqualGeometry(this Geometry actual, Geometry expected)
    {
        actual.SRID.Should().Be(4326);
        actual.GeometryType.Should().Be(expected.GeometryType);
        var a = actual.Copy(); a.Normalize();
        var e = expected.Copy(); e.Normalize();
        a.EqualsExact(e).Should().BeTrue($"{actual.AsText()} should equal {expected.AsText()}");
    }

    public static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.FromHours(8));

    // Zone Z1: 118.50..118.60 E, 37.40..37.50 N; Z2 east of it: 118.60..118.70 E.
    // Department D1 covers Z1 plus a 0.01° overlap into Z2; D2 covers the rest of Z2.
    public static OilZone ZoneA => new("Z1", "东辛油区", Wkt<MultiPolygon>("MULTIPOLYGON (((118.5 37.4, 118.6 37.4, 118.6 37.5, 118.5 37.5, 118.5 37.4)))"));
    public static OilZone ZoneB => new("Z2", "现河油区", Wkt<MultiPolygon>("MULTIPOLYGON (((118.6 37.4, 118.7 37.4, 118.7 37.5, 118.6 37.5, 118.6 37.4)))"));
    public static Department DeptA => new("D1", "东辛护卫部", "#1f77b4");
    public static Department DeptB => new("D2", "现河护卫部", "#ff7f0e");

    public static VersionInfo Since(DateTimeOffset from) => new(from, null, "seed", "initial");

    public static Jurisdiction JurisdictionA => new(0, "D1",
        Wkt<MultiPolygon>("MULTIPOLYGON (((118.5 37.4, 118.61 37.4, 118.61 37.5, 118.5 37.5, 118.5 37.4)))"), Since(T0.AddYears(-4)));
    public static Jurisdiction JurisdictionB => new(0, "D2",
        Wkt<MultiPolygon>("MULTIPOLYGON (((118.6 37.4, 118.7 37.4, 118.7 37.5, 118.6 37.5, 118.6 37.4)))"), Since(T0.AddYears(-4)));

    public static PatrolZone PatrolZoneA => new(0, "P1", "D1", "东辛一巡区",
        Wkt<Polygon>("POLYGON ((118.5 37.4, 118.55 37.4, 118.55 37.5, 118.5 37.5, 118.5 37.4))"), Since(T0.AddYears(-1)));

    public static Well WellA => new("W1", Pt(118.52, 37.42), WellKind.Oil, WellStatus.Producing, true, "Z1");
    public static Well WellB => new("W2", Pt(118.65, 37.45), WellKind.WaterInjection, WellStatus.ShutIn, false, "Z2");
    public static Camera CameraA => new("C1", Pt(118.521, 37.421), 45, 90, 300, "W1");
    public static IdleSite SiteA => new("S1", "东辛闲置井场1", IdleSiteKind.WellPad,
        Wkt<Polygon>("POLYGON ((118.53 37.43, 118.531 37.43, 118.531 37.431, 118.53 37.431, 118.53 37.43))"),
        IdleSiteStatus.Reclaimed, new DateOnly(2024, 3, 1), new DateOnly(2024, 9, 15));
    public static PatrolUnit UnitA => new("U1", "D1", "东辛巡逻一车", "dev-u1");
    public static PatrolUnit UnitB => new("U2", "D2", "现河巡逻一车", "dev-u2");
    public static PatrolRoute RouteA => new("R1", "D1", "东辛环线", Wkt<LineString>("LINESTRING (118.5 37.4, 118.55 37.45, 118.6 37.4)"));
    public static BasemapFeature RiverA => new(BasemapLayer.River, "黄河", "main", Wkt<LineString>("LINESTRING (118.4 37.6, 118.8 37.7)"));
    public static BasemapFeature TownA => new(BasemapLayer.Town, "东营", null, Pt(118.58, 37.45));

    public static Incident IncidentAt(string code, double lon, double lat, DateTimeOffset occurred,
        IncidentKind? kind = null, DiscoverySource by = DiscoverySource.Patrol) =>
        new(code, kind ?? IncidentKind.CasingTheft, occurred, occurred.AddHours(2), by, Pt(lon, lat), 0.5, IncidentStatus.Solved);

    /// <summary>A small complete dataset; incidents in 2024–2025 and GPS fixes over two months.</summary>
    public static SampleDataset Dataset(IReadOnlyList<Incident>? incidents = null) => new(
        [ZoneA, ZoneB],
        [DeptA, DeptB],
        [JurisdictionA, JurisdictionB],
        [PatrolZoneA],
        [WellA, WellB],
        [CameraA],
        [SiteA],
        incidents ??
        [
            IncidentAt("I1", 118.52, 37.42, T0.AddYears(-1)),          // D1, Z1
            IncidentAt("I2", 118.65, 37.45, T0, IncidentKind.PipelineTapping, DiscoverySource.Video), // D2, Z2
            IncidentAt("I3", 118.605, 37.45, T0.AddDays(3)),            // overlap D1/D2 → D1 (smallest code), Z2
            IncidentAt("I4", 119.5, 38.5, T0.AddDays(4)),               // outside everything
        ],
        [UnitA, UnitB],
        [
            new GpsFix("U1", T0, 118.51, 37.41, 30, 90),
            new GpsFix("U1", T0.AddMinutes(1), 118.52, 37.41),
            new GpsFix("U2", T0.AddMonths(1), 118.65, 37.45, 12.5, 180),
        ],
        [RouteA],
        [RiverA, TownA]);
}
