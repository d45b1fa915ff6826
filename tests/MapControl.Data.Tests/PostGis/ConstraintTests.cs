using MapControl.Core.Model;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using Npgsql;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

public sealed class ConstraintTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptA);
        await new OilZoneRepository(database.DataSource).InsertAsync(ZoneA);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<PostgresException> Rejected(Func<Task> act) =>
        (await act.Should().ThrowAsync<PostgresException>()).Which;

    private async Task<PostgresException> RejectedSql(string sql)
    {
        return await Rejected(async () =>
        {
            await using var command = database.DataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        });
    }

    [Fact]
    public async Task Well_empty_kind_is_rejected_by_the_kind_check()
    {
        // Since migration 0012 a kind is any label (an unknown one is kept as written), but never empty.
        var e = await RejectedSql("INSERT INTO well VALUES ('W1', 'SRID=4326;POINT(118.5 37.4)', '  ', 'producing', false, 'Z1')");
        e.SqlState.Should().Be(PostgresErrorCodes.CheckViolation);
        e.ConstraintName.Should().Be("well_kind_text");
    }

    [Fact]
    public async Task Well_pascal_case_status_is_rejected()
    {
        var e = await RejectedSql("INSERT INTO well VALUES ('W1', 'SRID=4326;POINT(118.5 37.4)', 'oil', 'ShutIn', false, 'Z1')");
        e.ConstraintName.Should().Be("well_status");
    }

    [Fact]
    public async Task Incident_discovered_before_it_occurred_is_rejected()
    {
        var bad = IncidentAt("I1", 118.52, 37.42, T0) with { DiscoveredAt = T0.AddMinutes(-1) };

        var e = await Rejected(() => new IncidentRepository(database.DataSource).InsertAsync(bad));

        e.SqlState.Should().Be(PostgresErrorCodes.CheckViolation);
        e.ConstraintName.Should().Be("incident_discovered_after_occurred");
        e.MessageText.Should().Contain("incident_discovered_after_occurred");
    }

    [Fact]
    public async Task Incident_negative_oil_is_rejected()
    {
        var e = await Rejected(() => new IncidentRepository(database.DataSource).InsertAsync(IncidentAt("I1", 118.52, 37.42, T0) with { OilRecoveredT = -1 }));
        e.ConstraintName.Should().Be("incident_oil_recovered");
    }

    [Fact]
    public async Task Geometry_with_wrong_srid_is_rejected_by_postgis()
    {
        var point = Pt(118.52, 37.42);
        point.SRID = 3857;

        var e = await Rejected(() => new WellRepository(database.DataSource).InsertAsync(WellA with { Location = point }));

        e.SqlState.Should().Be("22023");
        e.MessageText.Should().Contain("SRID (3857) does not match column SRID (4326)");
    }

    [Fact]
    public async Task Wrong_geometry_type_is_rejected()
    {
        var e = await RejectedSql("INSERT INTO well VALUES ('W1', 'SRID=4326;LINESTRING(118.5 37.4, 118.6 37.4)', 'oil', 'idle', false, 'Z1')");
        e.MessageText.Should().Contain("Geometry type (LineString) does not match column type (Point)");
    }

    [Fact]
    public async Task Point_outside_lon_lat_bounds_is_rejected()
    {
        var e = await Rejected(() => new WellRepository(database.DataSource).InsertAsync(WellA with { Location = Pt(200, 37.4) }));
        e.ConstraintName.Should().Be("well_geom_valid");
    }

    [Fact]
    public async Task Self_intersecting_polygon_is_rejected()
    {
        var bowtie = Wkt<MultiPolygon>("MULTIPOLYGON (((118.5 37.4, 118.6 37.5, 118.6 37.4, 118.5 37.5, 118.5 37.4)))");
        var e = await Rejected(() => new OilZoneRepository(database.DataSource).InsertAsync(new OilZone("Z9", "bad", bowtie)));
        e.ConstraintName.Should().Be("oil_zone_geom_valid");
    }

    [Fact]
    public async Task Camera_ranges_are_checked()
    {
        var cameras = new CameraRepository(database.DataSource);
        (await Rejected(() => cameras.InsertAsync(CameraA with { WellCode = null, FieldOfViewDeg = 400 }))).ConstraintName.Should().Be("camera_fov");
        (await Rejected(() => cameras.InsertAsync(CameraA with { WellCode = null, FieldOfViewDeg = 0 }))).ConstraintName.Should().Be("camera_fov");
        (await Rejected(() => cameras.InsertAsync(CameraA with { WellCode = null, RangeM = 0 }))).ConstraintName.Should().Be("camera_range");
        (await Rejected(() => cameras.InsertAsync(CameraA with { WellCode = null, HeadingDeg = -5 }))).ConstraintName.Should().Be("camera_heading");
        (await Rejected(() => cameras.InsertAsync(CameraA with { WellCode = "NOPE" }))).SqlState.Should().Be(PostgresErrorCodes.ForeignKeyViolation);
    }

    [Fact]
    public async Task Second_current_jurisdiction_of_a_department_is_rejected()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        await repo.InsertAsync(JurisdictionA);

        var e = await Rejected(() => repo.InsertAsync(JurisdictionA with { Version = Since(T0) }));

        e.SqlState.Should().BeOneOf(PostgresErrorCodes.UniqueViolation, PostgresErrorCodes.ExclusionViolation);
        e.ConstraintName.Should().BeOneOf("jurisdiction_one_current", "jurisdiction_no_overlapping_versions");
    }

    [Fact]
    public async Task Overlapping_historic_jurisdiction_versions_are_rejected()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        await repo.InsertAsync(JurisdictionA with { Version = new VersionInfo(T0, T0.AddDays(10), "p", "r") });

        var e = await Rejected(() => repo.InsertAsync(JurisdictionA with { Version = new VersionInfo(T0.AddDays(5), T0.AddDays(20), "p", "r") }));
        e.ConstraintName.Should().Be("jurisdiction_no_overlapping_versions");

        // Adjacent periods [a, b) and [b, c) do not overlap.
        await repo.InsertAsync(JurisdictionA with { Version = new VersionInfo(T0.AddDays(10), null, "p", "r") });
        (await repo.GetHistoryAsync("D1")).Should().HaveCount(2);
    }

    [Fact]
    public async Task Version_ending_before_it_starts_is_rejected()
    {
        var e = await Rejected(() => new JurisdictionRepository(database.DataSource)
            .InsertAsync(JurisdictionA with { Version = new VersionInfo(T0, T0, "p", "r") }));
        e.ConstraintName.Should().Be("jurisdiction_period");
    }

    [Fact]
    public async Task Unknown_department_is_rejected_by_the_foreign_key()
    {
        var e = await Rejected(() => new PatrolUnitRepository(database.DataSource).InsertAsync(UnitA with { DepartmentCode = "D404" }));
        e.SqlState.Should().Be(PostgresErrorCodes.ForeignKeyViolation);
        e.ConstraintName.Should().Be("patrol_unit_department_code_fkey");
    }

    [Fact]
    public async Task Idle_site_reclaimed_before_encroached_is_rejected()
    {
        var e = await Rejected(() => new IdleSiteRepository(database.DataSource)
            .InsertAsync(SiteA with { EncroachedOn = new DateOnly(2024, 5, 1), ReclaimedOn = new DateOnly(2024, 4, 1) }));
        e.ConstraintName.Should().Be("idle_site_dates");
    }

    [Fact]
    public async Task Department_colour_must_be_hex()
    {
        var e = await Rejected(() => new DepartmentRepository(database.DataSource).InsertAsync(new Department("D9", "x", "red")));
        e.ConstraintName.Should().Be("department_colour_hex");
    }

    [Fact]
    public async Task Every_spatial_column_has_a_gist_index()
    {
        var unindexed = await database.ScalarAsync<string?>("""
            SELECT string_agg(c.relname || '.' || a.attname, ', ')
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND a.atttypid = 'geometry'::regtype AND c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                                WHERE i.indrelid = c.oid AND am.amname = 'gist' AND a.attnum = ANY (i.indkey))
            """);
        unindexed.Should().BeNull();
        (await database.ScalarAsync<long>("SELECT count(*) FROM geometry_columns WHERE f_table_schema = 'public' AND srid <> 4326"))
            .Should().Be(0);
    }
}
