using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

public sealed class RepositoryRoundTripTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => database.TruncateAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task InsertFrameAsync()
    {
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptA);
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptB);
        await new OilZoneRepository(database.DataSource).InsertAsync(ZoneA);
        await new OilZoneRepository(database.DataSource).InsertAsync(ZoneB);
    }

    [Fact]
    public async Task Departments_and_oil_zones_round_trip()
    {
        await InsertFrameAsync();

        (await new DepartmentRepository(database.DataSource).GetAllAsync()).Should().Equal(DeptA, DeptB);
        var zones = await new OilZoneRepository(database.DataSource).GetAllAsync();
        zones.Select(z => (z.Code, z.Name)).Should().Equal(("Z1", "东辛油区"), ("Z2", "现河油区"));
        zones[0].Geometry.ShouldEqualGeometry(ZoneA.Geometry);
        zones[1].Geometry.ShouldEqualGeometry(ZoneB.Geometry);
    }

    [Fact]
    public async Task Geometry_without_srid_is_stored_as_4326_and_matches_postgis_wkt()
    {
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptA);
        var zone = ZoneA with { Geometry = (MultiPolygon)new NetTopologySuite.IO.WKTReader().Read(ZoneA.Geometry.AsText()) };
        zone.Geometry.SRID.Should().BeLessThanOrEqualTo(0);

        await new OilZoneRepository(database.DataSource).InsertAsync(zone);

        (await database.ScalarAsync<string>("SELECT ST_AsEWKT(geom) FROM oil_zone"))
            .Should().Be("SRID=4326;MULTIPOLYGON(((118.5 37.4,118.6 37.4,118.6 37.5,118.5 37.5,118.5 37.4)))");
        (await database.ScalarAsync<double>("SELECT round(ST_Area(geom::geography)::numeric, 0)::float8 FROM oil_zone"))
            .Should().BeInRange(97e6, 99e6, "0.1° × 0.1° at 37.45°N is about 11.1 km × 8.83 km");
    }

    [Fact]
    public async Task Jurisdictions_and_patrol_zones_round_trip_with_versions()
    {
        await InsertFrameAsync();
        var jurisdictions = new JurisdictionRepository(database.DataSource);
        var id = await jurisdictions.InsertAsync(JurisdictionA);
        var zones = new PatrolZoneRepository(database.DataSource);
        var zoneId = await zones.InsertAsync(PatrolZoneA);

        var current = (await jurisdictions.GetCurrentAsync()).Should().ContainSingle().Subject;
        current.Id.Should().Be(id);
        current.DepartmentCode.Should().Be("D1");
        current.Version.Should().Be(JurisdictionA.Version);
        current.Geometry.ShouldEqualGeometry(JurisdictionA.Geometry);

        var zone = (await zones.GetCurrentAsync()).Should().ContainSingle().Subject;
        zone.Should().BeEquivalentTo(PatrolZoneA with { Id = zoneId }, o => o.Excluding(z => z.Geometry));
        zone.Geometry.ShouldEqualGeometry(PatrolZoneA.Geometry);
        (await zones.GetCurrentOfDepartmentAsync("D2")).Should().BeEmpty();
    }

    [Fact]
    public async Task Wells_cameras_idle_sites_round_trip()
    {
        await InsertFrameAsync();
        var wells = new WellRepository(database.DataSource);
        await wells.InsertAsync(WellA);
        (await wells.BulkInsertAsync([WellB])).Should().Be(1);
        await new CameraRepository(database.DataSource).InsertAsync(CameraA);
        await new CameraRepository(database.DataSource).InsertAsync(CameraA with { Code = "C2", WellCode = null });
        await new IdleSiteRepository(database.DataSource).InsertAsync(SiteA);
        await new IdleSiteRepository(database.DataSource).InsertAsync(SiteA with { Code = "S2", Status = IdleSiteStatus.Idle, EncroachedOn = null, ReclaimedOn = null });

        var storedWells = await wells.GetAllAsync();
        storedWells.Should().HaveCount(2);
        storedWells[0].Should().BeEquivalentTo(WellA, o => o.Excluding(w => w.Location));
        storedWells[1].Should().BeEquivalentTo(WellB, o => o.Excluding(w => w.Location));
        storedWells[0].Location.ShouldEqualGeometry(WellA.Location);
        storedWells[1].Location.ShouldEqualGeometry(WellB.Location);
        (await wells.GetKeyWellsAsync()).Select(w => w.Code).Should().Equal("W1");

        var cameras = await new CameraRepository(database.DataSource).GetAllAsync();
        cameras.Select(c => (c.Code, c.HeadingDeg, c.FieldOfViewDeg, c.RangeM, c.WellCode))
            .Should().Equal(("C1", 45.0, 90.0, 300.0, "W1"), ("C2", 45.0, 90.0, 300.0, null));
        cameras[0].Location.ShouldEqualGeometry(CameraA.Location);

        var sites = await new IdleSiteRepository(database.DataSource).GetAllAsync();
        sites[0].Should().BeEquivalentTo(SiteA, o => o.Excluding(s => s.Geometry));
        sites[0].Geometry.ShouldEqualGeometry(SiteA.Geometry);
        sites[1].EncroachedOn.Should().BeNull();
        sites[1].Status.Should().Be(IdleSiteStatus.Idle);
    }

    [Fact]
    public async Task Every_enum_value_is_accepted_by_the_check_constraints()
    {
        await InsertFrameAsync();
        var wells = new WellRepository(database.DataSource);
        var i = 0;
        foreach (var kind in WellKind.Builtin)
        foreach (var status in Enum.GetValues<WellStatus>())
            await wells.InsertAsync(new Well($"E{i++}", Pt(118.51, 37.41), kind, status, false, "Z1"));
        foreach (var kind in IdleSiteKind.Builtin)
        foreach (var status in Enum.GetValues<IdleSiteStatus>())
            await new IdleSiteRepository(database.DataSource).InsertAsync(SiteA with { Code = $"E{i++}", Kind = kind, Status = status });
        var incidents = new IncidentRepository(database.DataSource);
        foreach (var kind in IncidentKind.Sample)
        foreach (var by in Enum.GetValues<DiscoverySource>())
        foreach (var status in Enum.GetValues<IncidentStatus>())
            await incidents.InsertAsync(IncidentAt($"E{i++}", 118.52, 37.42, T0, kind, by) with { Status = status });
        foreach (var layer in Enum.GetValues<BasemapLayer>())
            await new BasemapRepository(database.DataSource).InsertAsync(TownA with { Layer = layer });

        var storedWells = await wells.GetAllAsync();
        storedWells.Select(w => (w.Kind, w.Status)).Distinct().Should().HaveCount(WellKind.Builtin.Count * Enum.GetValues<WellStatus>().Length);
        (await database.ScalarAsync<string>("SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) FROM well")).Should().Be("gas,oil,water_injection");
        (await incidents.GetAllAsync()).Select(x => x.DiscoveredBy).Distinct().Should().BeEquivalentTo(Enum.GetValues<DiscoverySource>());
        (await new BasemapRepository(database.DataSource).GetAllAsync()).Select(f => f.Layer).Should().Equal(Enum.GetValues<BasemapLayer>());
    }

    [Fact]
    public async Task Incidents_round_trip_and_are_attributed_on_insert()
    {
        await InsertFrameAsync();
        var jurisdictions = new JurisdictionRepository(database.DataSource);
        await jurisdictions.InsertAsync(JurisdictionA);
        await jurisdictions.InsertAsync(JurisdictionB);
        var repo = new IncidentRepository(database.DataSource);
        var i1 = IncidentAt("I1", 118.52, 37.42, T0) with { OilRecoveredT = 1.25, Status = IncidentStatus.Open };
        var i2 = IncidentAt("I2", 118.605, 37.45, T0.AddDays(1));
        var i3 = IncidentAt("I3", 119.5, 38.5, T0.AddDays(2));
        await repo.InsertAsync(i1);
        await repo.InsertAsync(i2);
        await repo.InsertAsync(i3);

        var all = await repo.GetAllAsync();
        all.Should().HaveCount(3);
        all[0].Should().BeEquivalentTo(i1, o => o.Excluding(x => x.Location));
        all[0].OccurredAt.Should().Be(T0);
        all[0].OccurredAt.Offset.Should().Be(TimeSpan.Zero, "timestamptz comes back in UTC");
        all[0].Location.ShouldEqualGeometry(i1.Location);

        var attributed = await repo.GetAttributedByWindowAsync(T0.AddDays(-1), T0.AddDays(10));
        attributed.Select(a => (a.Incident.Code, a.DepartmentCode, a.OilZoneCode))
            .Should().Equal(("I1", "D1", "Z1"), ("I2", "D1", "Z2"), ("I3", null, null));

        // The point analyses' light read: the same incidents, as IncidentPoint.From gives them, and the department's only.
        var points = await repo.GetPointsByWindowAsync(T0.AddDays(-1), T0.AddDays(10), null);
        points.Should().Equal(attributed.Select(a => IncidentPoint.From(a.Incident)));
        (await repo.GetPointsByWindowAsync(T0.AddDays(-1), T0.AddDays(10), "D1")).Should().Equal(IncidentPoint.From(i1), IncidentPoint.From(i2));
        (await repo.GetPointsByWindowAsync(T0.AddDays(-1), T0.AddDays(10), "D2")).Should().BeEmpty();
        (await repo.GetPointsByWindowAsync(T0.AddDays(1), T0.AddDays(2), null)).Should().Equal(IncidentPoint.From(i2));

        // Incidents of the same instant come in code order, as the full read gives them.
        var i0 = IncidentAt("I0", 118.53, 37.43, T0);
        await repo.InsertAsync(i0);
        (await repo.GetPointsByWindowAsync(T0, T0.AddDays(1), null)).Should().Equal(IncidentPoint.From(i0), IncidentPoint.From(i1));
        (await repo.GetAttributedByWindowAsync(T0, T0.AddDays(1))).Select(a => a.Incident.Code).Should().Equal("I0", "I1");
    }

    [Fact]
    public async Task Incidents_by_time_window_are_half_open()
    {
        await InsertFrameAsync();
        var repo = new IncidentRepository(database.DataSource);
        (await repo.BulkInsertAsync([
            IncidentAt("A", 118.52, 37.42, T0.AddDays(-1)),
            IncidentAt("B", 118.52, 37.42, T0),
            IncidentAt("C", 118.52, 37.42, T0.AddDays(1)),
            IncidentAt("D", 118.52, 37.42, T0.AddYears(-3)),
        ])).Should().Be(4);

        (await repo.GetByWindowAsync(T0, T0.AddDays(1))).Select(x => x.Code).Should().Equal("B");
        (await repo.GetByWindowAsync(T0.AddDays(-1), T0.AddDays(2))).Select(x => x.Code).Should().Equal("A", "B", "C");
        (await repo.GetAttributedByWindowAsync(T0, T0.AddDays(1))).Single().OilZoneCode.Should().Be("Z1");
    }

    [Fact]
    public async Task Patrol_units_routes_basemap_audit_round_trip()
    {
        await InsertFrameAsync();
        await new PatrolUnitRepository(database.DataSource).InsertAsync(UnitA);
        await new PatrolRouteRepository(database.DataSource).InsertAsync(RouteA);
        await new BasemapRepository(database.DataSource).InsertAsync(RiverA);
        await new BasemapRepository(database.DataSource).InsertAsync(TownA);
        var audit = new AuditLogRepository(database.DataSource);
        var auditId = await audit.AppendAsync("admin", "import", "well", "W9", null, """{"code": "W9"}""");

        (await new PatrolUnitRepository(database.DataSource).GetAllAsync()).Should().Equal(UnitA);
        (await new PatrolUnitRepository(database.DataSource).FindByDeviceKeyAsync("dev-u1")).Should().Be(UnitA);
        (await new PatrolUnitRepository(database.DataSource).FindByDeviceKeyAsync("nope")).Should().BeNull();
        var route = (await new PatrolRouteRepository(database.DataSource).GetAllAsync()).Single();
        route.Should().BeEquivalentTo(RouteA, o => o.Excluding(r => r.Geometry));
        route.Geometry.ShouldEqualGeometry(RouteA.Geometry);
        var basemap = await new BasemapRepository(database.DataSource).GetAllAsync();
        basemap.Select(f => (f.Layer, f.Name, f.Kind)).Should().Equal((BasemapLayer.River, "黄河", "main"), (BasemapLayer.Town, "东营", null));
        basemap[0].Geometry.ShouldEqualGeometry(RiverA.Geometry);
        basemap[1].Geometry.ShouldEqualGeometry(TownA.Geometry);
        (await new BasemapRepository(database.DataSource).GetLayerAsync(BasemapLayer.Town)).Should().ContainSingle();
        var entry = (await audit.GetForEntityAsync("well", "W9")).Single();
        entry.Id.Should().Be(auditId);
        entry.Actor.Should().Be("admin");
        entry.BeforeJson.Should().BeNull();
        entry.AfterJson.Should().Be("""{"code": "W9"}""");
        entry.At.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task DatabaseStats_counts_current_versions_and_key_wells()
    {
        await SeedLoader.LoadAsync(database.DataSource, Dataset());
        await new JurisdictionRepository(database.DataSource).SaveNewVersionAsync("D1", JurisdictionA.Geometry,
            (await new JurisdictionRepository(database.DataSource).GetCurrentAsync()).Single(j => j.DepartmentCode == "D1").Id, "planner", "test");

        var counts = await DatabaseStats.GetCountsAsync(database.DataSource);

        counts.Should().Be(new DatabaseCounts(OilZones: 2, Departments: 2, Jurisdictions: 2, PatrolZones: 1, Wells: 2, KeyWells: 1,
            Cameras: 1, IdleSites: 1, Incidents: 4, GpsPoints: 3));
        counts.ToDictionary().Keys.Should().Equal("oil_zones", "departments", "jurisdictions", "patrol_zones", "wells", "key_wells",
            "cameras", "idle_sites", "incidents", "gps_points");
        (await DatabaseStats.GetPostGisVersionAsync(database.DataSource)).Should().MatchRegex(@"^3\.\d+\.\d+");
    }
}
