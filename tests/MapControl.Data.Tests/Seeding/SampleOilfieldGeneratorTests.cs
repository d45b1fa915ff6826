using MapControl.Core.Model;
using MapControl.Data.Seeding;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Data.Tests.Seeding;

[Collection(SampleCollection.Name)]
public sealed class SampleOilfieldGeneratorTests(SampleFixture sample)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.FromHours(8));

    private SampleDataset Ds => sample.Dataset;

    [Fact]
    public void Generate_defaultSize_hasTheAdvertisedCounts()
    {
        Ds.OilZones.Should().HaveCount(7);
        Ds.Departments.Should().HaveCount(8);
        Ds.Departments.Select(d => d.Colour).Should().OnlyHaveUniqueItems().And.AllSatisfy(c => c.Should().MatchRegex("^#[0-9a-f]{6}$"));
        Ds.Wells.Should().HaveCount(15_000);
        Ds.Wells.Select(w => w.Code).Should().OnlyHaveUniqueItems();
        Ds.Wells.Count(w => w.IsKeyWell).Should().Be(470);
        Ds.Cameras.Should().HaveCount(440);
        Ds.IdleSites.Should().HaveCount(150);
        Ds.Incidents.Count.Should().BeInRange(6_000, 10_000);
        Ds.Incidents.Select(i => i.Code).Should().OnlyHaveUniqueItems();
        Ds.PatrolUnits.Should().HaveCount(25);
        Ds.GpsFixes.Count.Should().BeInRange(300_000, 600_000);
        Ds.PatrolZones.GroupBy(z => z.DepartmentCode).Should().HaveCount(8).And.AllSatisfy(g => g.Count().Should().BeInRange(2, 4));
        Ds.Basemap.Select(b => b.Layer).Distinct().Should().BeEquivalentTo(Enum.GetValues<BasemapLayer>());
        var geometries = Ds.OilZones.Select(z => (Geometry)z.Geometry).Concat(Ds.Jurisdictions.Select(j => j.Geometry))
            .Concat(Ds.Wells.Select(w => w.Location)).Concat(Ds.Incidents.Select(i => i.Location)).Concat(Ds.Basemap.Select(b => b.Geometry));
        geometries.Should().AllSatisfy(g =>
        {
            g.SRID.Should().Be(4326);
            g.PrecisionModel.IsFloating.Should().BeTrue();
        });
    }

    [Fact]
    public void Generate_sameSeed_sameDataset_otherSeed_otherDataset()
    {
        var small = new SampleOptions(Seed: 7, Size: 0.05, GpsScale: 0.05);
        var a = Hash(SampleOilfieldGenerator.Generate(small));
        var b = Hash(SampleOilfieldGenerator.Generate(small));
        var c = Hash(SampleOilfieldGenerator.Generate(small with { Seed = 8 }));
        a.Should().Be(b);
        c.Should().NotBe(a);
    }

    [Fact]
    public void StreamIncidentsAndFixes_equalTheGeneratedLists()
    {
        SampleOilfieldGenerator.StreamIncidents(sample.Options).Take(500).Should().Equal(Ds.Incidents.Take(500));
        SampleOilfieldGenerator.StreamGpsFixes(sample.Options).Skip(100_000).Take(500).Should().Equal(Ds.GpsFixes.Skip(100_000).Take(500));
    }

    [Fact]
    public void Zones_areValidDisjointAndShapedAsPlanted()
    {
        Ds.OilZones.Should().AllSatisfy(z => z.Geometry.IsValid.Should().BeTrue(z.Code));
        Ds.OilZones.Should().Contain(z => z.Geometry.NumGeometries == 2, "one zone has two parts");
        Ds.OilZones.Should().Contain(z => SampleFixture.Polygons(z.Geometry).Any(p => p.NumInteriorRings > 0), "one zone has a hole");
        for (var i = 0; i < Ds.OilZones.Count; i++)
            for (var j = i + 1; j < Ds.OilZones.Count; j++)
                Ds.OilZones[i].Geometry.Intersects(Ds.OilZones[j].Geometry).Should().BeFalse($"{Ds.OilZones[i].Code} / {Ds.OilZones[j].Code}");
        foreach (var z in Ds.OilZones)
        {
            var env = SampleFixture.Metric.Forward(z.Geometry).EnvelopeInternal;
            Math.Max(env.Width, env.Height).Should().BeInRange(10_000, 30_000, z.Code);
        }
    }

    [Fact]
    public void Wells_areInsideTheirOilZone()
    {
        var zones = Ds.OilZones.ToDictionary(z => z.Code, z => PreparedGeometryFactory.Prepare(z.Geometry));
        Ds.Wells.Where(w => !zones[w.OilZoneCode].Contains(w.Location)).Should().BeEmpty();
        Ds.Wells.Count(w => w.Kind == WellKind.Oil).Should().BeInRange(10_000, 11_600);
        Ds.Wells.Count(w => w.Status == WellStatus.Producing).Should().BeInRange(9_600, 10_800);
    }

    [Fact]
    public void Cameras_seeTheirKeyWell_andSomeKeyWellsHaveNone()
    {
        var wells = Ds.Wells.ToDictionary(w => w.Code);
        var m = SampleFixture.Metric;
        foreach (var c in Ds.Cameras)
        {
            c.WellCode.Should().NotBeNull();
            var well = wells[c.WellCode!];
            well.IsKeyWell.Should().BeTrue();
            c.FieldOfViewDeg.Should().BeInRange(60, 120);
            c.RangeM.Should().BeInRange(150, 400);
            var (cx, cy) = m.Forward(c.Location.X, c.Location.Y);
            var (wx, wy) = m.Forward(well.Location.X, well.Location.Y);
            var distance = Math.Sqrt((wx - cx) * (wx - cx) + (wy - cy) * (wy - cy));
            var bearing = (Math.Atan2(wx - cx, wy - cy) * 180 / Math.PI + 360) % 360;
            var off = Math.Abs((bearing - c.HeadingDeg + 540) % 360 - 180);
            distance.Should().BeLessThanOrEqualTo(c.RangeM, c.Code);
            off.Should().BeLessThanOrEqualTo(c.FieldOfViewDeg / 2, c.Code);
        }
        var watched = Ds.Cameras.Select(c => c.WellCode).ToHashSet();
        Ds.Wells.Count(w => w.IsKeyWell && !watched.Contains(w.Code)).Should().Be(30);
    }

    [Fact]
    public void Jurisdictions_tileTheZonesUpToThePlantedGaps()
    {
        var frame = SampleFixture.Union(Ds.OilZones.Select(z => (Geometry)z.Geometry));
        var covered = SampleFixture.Union(sample.Current.Select(j => (Geometry)j.Geometry));
        var invalidEdge = sample.Context.Frame.Planted.Single(p => p.Kind == "invalid_edge").Geometry;
        var all = SampleFixture.Polygons(OverlayNGRobust.Overlay(frame, covered, NetTopologySuite.Operation.Overlay.SpatialFunction.Difference)).ToList();
        var gaps = all.Where(p => SampleFixture.AreaM2(p) > 10 && p.Distance(invalidEdge) > 1e-5).ToList();
        var slivers = all.Where(p => p.Distance(invalidEdge) <= 1e-5).ToList();
        var outside = SampleFixture.AreaM2(OverlayNGRobust.Overlay(covered, frame, NetTopologySuite.Operation.Overlay.SpatialFunction.Difference));
        var planted = sample.Context.Frame.Planted.Where(p => p.Kind == "gap").ToList();

        outside.Should().BeLessThan(1.0, "jurisdictions stay inside the oil zones");
        planted.Should().HaveCount(4);
        gaps.Should().HaveCount(4, "the planted gaps and nothing else above 10 m²");
        foreach (var gap in planted)
            gaps.Should().Contain(g => g.Intersects(gap.Geometry), gap.Description);
        // The invalid edge leaves slivers a few cm wide.
        slivers.Should().NotBeEmpty().And.AllSatisfy(p => (SampleFixture.AreaM2(p) / (SampleFixture.Metric.Forward(p).Length / 2)).Should().BeLessThan(0.06));
        // The sliver: ~1 m wide, so area ≈ length.
        var sliver = gaps.Single(g => g.Intersects(planted[0].Geometry));
        var sliverArea = SampleFixture.AreaM2(sliver);
        var sliverLength = SampleFixture.Metric.Forward(sliver).Length / 2;
        (sliverArea / sliverLength).Should().BeInRange(0.8, 1.2);
        // area(zones) = area(jurisdictions ∪) + area(gaps), to 0.01%.
        var total = SampleFixture.AreaM2(frame);
        (SampleFixture.AreaM2(covered) + all.Sum(SampleFixture.AreaM2)).Should().BeApproximately(total, total * 1e-4);
    }

    [Fact]
    public void Jurisdictions_haveThePlantedOverlaps()
    {
        var current = sample.Current;
        var invalidEdge = sample.Context.Frame.Planted.Single(p => p.Kind == "invalid_edge").Geometry;
        var overlaps = new List<Geometry>();
        for (var i = 0; i < current.Count; i++)
            for (var j = i + 1; j < current.Count; j++)
                overlaps.AddRange(SampleFixture.Polygons(OverlayNGRobust.Overlay(current[i].Geometry, current[j].Geometry,
                    NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection)).Where(p => SampleFixture.AreaM2(p) > 10 && p.Distance(invalidEdge) > 1e-5));
        var planted = sample.Context.Frame.Planted.Where(p => p.Kind == "overlap").ToList();
        planted.Should().HaveCount(3);
        overlaps.Should().HaveCount(3, "the planted overlap bands and nothing else above 10 m²");
        foreach (var band in planted)
        {
            var found = overlaps.Single(o => o.Intersects(band.Geometry));
            var area = SampleFixture.AreaM2(found);
            var width = area / (SampleFixture.Metric.Forward(found).Length / 2);
            area.Should().BeGreaterThan(100_000, band.Description);
            width.Should().BeInRange(100, 320, band.Description);
        }
    }

    [Fact]
    public void Jurisdictions_haveThePlantedInvalidEdge()
    {
        var current = sample.Current;
        var invalid = CoverageValidator.Validate(current.Select(j => (Geometry)j.Geometry).ToArray());
        var location = sample.Context.Frame.Planted.Single(p => p.Kind == "invalid_edge").Geometry;
        var xh = current.Select((j, i) => (j, i)).Single(x => x.j.DepartmentCode == "XH").i;
        invalid[xh].Should().NotBeNull();
        invalid[xh]!.Distance(location).Should().BeLessThan(1e-6);
        current.Should().AllSatisfy(j => j.Geometry.IsValid.Should().BeTrue(j.DepartmentCode));
    }

    [Fact]
    public void Jurisdictions_versions_initialPlusOneRedraw()
    {
        Ds.Jurisdictions.Should().HaveCount(9);
        Ds.Jurisdictions.Select(j => j.Id).Should().OnlyHaveUniqueItems();
        var sn = Ds.Jurisdictions.Where(j => j.DepartmentCode == "SN").OrderBy(j => j.Version.ValidFrom).ToList();
        sn.Should().HaveCount(2);
        sn[0].Version.ValidTo.Should().Be(sn[1].Version.ValidFrom);
        sn[1].Version.ValidFrom.Should().BeCloseTo(Now.AddYears(-1), TimeSpan.FromDays(30));
        SampleFixture.AreaM2(sn[0].Geometry).Should().BeLessThan(SampleFixture.AreaM2(sn[1].Geometry));
        Ds.Jurisdictions.Where(j => j.Version.ValidFrom < Now.AddYears(-3)).Should().HaveCount(8)
            .And.AllSatisfy(j => j.Version.Should().Match<VersionInfo>(v => v.EditedBy == "system" && v.Reason == "初始划定"));
    }

    [Fact]
    public void PatrolZones_lieInTheirJurisdiction_withOnePlantedGap()
    {
        foreach (var group in Ds.PatrolZones.GroupBy(z => z.DepartmentCode))
        {
            var j = sample.Current.Single(x => x.DepartmentCode == group.Key).Geometry;
            var zones = SampleFixture.Union(group.Select(z => (Geometry)z.Geometry));
            // Patrol zones are noded on the 1e-7° grid; along 现河's invalid edge that leaves cm-wide slivers of a few m².
            SampleFixture.AreaM2(OverlayNGRobust.Overlay(zones, j, NetTopologySuite.Operation.Overlay.SpatialFunction.Difference)).Should().BeLessThan(20.0, group.Key);
            var gaps = SampleFixture.Polygons(OverlayNGRobust.Overlay(j, zones, NetTopologySuite.Operation.Overlay.SpatialFunction.Difference))
                .Where(p => SampleFixture.AreaM2(p) > 1_000).ToList();
            if (group.Key == "SB") gaps.Should().ContainSingle().Which.Should().Match<Polygon>(p => SampleFixture.AreaM2(p) > 100_000);
            else gaps.Should().BeEmpty(group.Key);
        }
    }

    [Fact]
    public void Incidents_coverThreeYears_withTheHeadlineTrendAndDiscoveryRate()
    {
        var incidents = Ds.Incidents;
        incidents.Should().AllSatisfy(i =>
        {
            i.OccurredAt.Should().BeOnOrAfter(Now.AddYears(-3)).And.BeBefore(Now);
            i.DiscoveredAt.Should().BeOnOrAfter(i.OccurredAt).And.BeBefore(Now);
            i.OccurredAt.Offset.Should().Be(TimeSpan.FromHours(8));
        });
        var last = incidents.Count(i => i.OccurredAt >= Now.AddYears(-1));
        var before = incidents.Count(i => i.OccurredAt >= Now.AddYears(-2) && i.OccurredAt < Now.AddYears(-1));
        ((double)last / before - 1).Should().BeInRange(-0.23, -0.13);
        var timely = incidents.Count(i => i.DiscoveredByOwnForces && i.DiscoveredAt - i.OccurredAt <= TimeSpan.FromHours(24));
        ((double)timely / incidents.Count).Should().BeInRange(0.75, 0.85);
        incidents.Where(i => i.Kind == IncidentKind.EquipmentTheft || i.Kind == IncidentKind.Encroachment).Should().AllSatisfy(i => i.OilRecoveredT.Should().Be(0));
        incidents.Where(i => i.Kind == IncidentKind.CasingTheft).Should().Contain(i => i.OilRecoveredT > 0);
        IncidentKind.Sample.Should().AllSatisfy(k => incidents.Count(i => i.Kind == k).Should().BeGreaterThan(300));
    }

    [Fact]
    public void Incidents_areSeasonal()
    {
        var byMonth = Ds.Incidents.GroupBy(i => i.OccurredAt.Month).ToDictionary(g => g.Key, g => g.Count());
        byMonth[8].Should().BeGreaterThan((int)(byMonth[2] * 1.5), "summer crops hide thieves; Spring Festival is quiet");
    }

    [Fact]
    public void Incidents_clusterAtThePlantedHotSpots()
    {
        foreach (var hot in sample.Context.HotSpots)
        {
            var near = Ds.Incidents.Count(i => i.OccurredAt >= hot.From && i.OccurredAt < hot.To
                && Distance(i.Location.X, i.Location.Y, hot.Lon, hot.Lat) < 400);
            near.Should().BeGreaterThan(120, hot.Description);
        }
    }

    [Fact]
    public void GpsFixes_cover90Days_withGapsAndBoundaryCrossings()
    {
        var fixes = Ds.GpsFixes;
        fixes.Should().AllSatisfy(f => f.Time.Should().BeOnOrAfter(Now.AddDays(-90)).And.BeBefore(Now));
        var units = Ds.PatrolUnits.ToDictionary(u => u.Code);
        fixes.Select(f => f.UnitCode).Distinct().Should().BeEquivalentTo(units.Keys);
        var longGaps = 0;
        for (var i = 1; i < fixes.Count; i++)
        {
            if (fixes[i].UnitCode != fixes[i - 1].UnitCode) continue;
            var dt = fixes[i].Time - fixes[i - 1].Time;
            dt.Should().BePositive();
            if (dt > TimeSpan.FromMinutes(10) && dt < TimeSpan.FromMinutes(30)) longGaps++;
        }
        longGaps.Should().BeGreaterThan(100, "trackers lose signal now and then");

        var jurisdictions = sample.Current.ToDictionary(j => j.DepartmentCode, j => PreparedGeometryFactory.Prepare(j.Geometry));
        var f4326 = new GeometryFactory(new PrecisionModel(), 4326);
        var crossing = fixes.Where((_, i) => i % 10 == 0)
            .Where(f => !jurisdictions[units[f.UnitCode].DepartmentCode].Contains(f4326.CreatePoint(new Coordinate(f.Lon, f.Lat))))
            .Select(f => units[f.UnitCode].DepartmentCode).Distinct().ToList();
        crossing.Count.Should().BeGreaterThanOrEqualTo(3, "patrols of several departments cross into a neighbour");
    }

    [Fact]
    public void IdleSites_areSmallPolygonsInsideZones_withConsistentDates()
    {
        var zones = SampleFixture.Union(Ds.OilZones.Select(z => (Geometry)z.Geometry));
        foreach (var s in Ds.IdleSites)
        {
            zones.Contains(s.Geometry).Should().BeTrue(s.Code);
            var env = SampleFixture.Metric.Forward(s.Geometry).EnvelopeInternal;
            Math.Max(env.Width, env.Height).Should().BeInRange(30, 200, s.Code);
            (s.Status == IdleSiteStatus.Idle).Should().Be(s.EncroachedOn is null, s.Code);
            (s.Status == IdleSiteStatus.Reclaimed).Should().Be(s.ReclaimedOn is not null, s.Code);
            if (s.ReclaimedOn is { } r) r.Should().BeOnOrAfter(s.EncroachedOn!.Value);
        }
    }

    internal static double Distance(double lon1, double lat1, double lon2, double lat2)
    {
        var m = SampleFixture.Metric;
        var (x1, y1) = m.Forward(lon1, lat1);
        var (x2, y2) = m.Forward(lon2, lat2);
        return Math.Sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
    }

    private static string Hash(SampleDataset ds)
    {
        var dir = Directory.CreateTempSubdirectory("mc-sample-").FullName;
        try
        {
            SampleDatasetFiles.Write(ds, dir);
            return FilesHash(dir);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    internal static string FilesHash(string dir)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            var name = System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file));
            sha.TransformBlock(name, 0, name.Length, null, 0);
            var bytes = File.ReadAllBytes(file);
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }
}
