using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

public sealed class VersioningTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly MultiPolygon Redrawn =
        Wkt<MultiPolygon>("MULTIPOLYGON (((118.5 37.4, 118.62 37.4, 118.62 37.5, 118.5 37.5, 118.5 37.4)))");

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptA);
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptB);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SaveNewVersionAsync_closes_current_and_inserts_new_with_audit()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        var firstId = await repo.InsertAsync(JurisdictionA);

        var saved = await repo.SaveNewVersionAsync("D1", Redrawn, firstId, "planner1", "take over the strip east of 118.61");

        saved.Id.Should().NotBe(firstId);
        saved.Version.IsCurrent.Should().BeTrue();
        saved.Version.EditedBy.Should().Be("planner1");
        saved.Geometry.ShouldEqualGeometry(Redrawn);
        var history = await repo.GetHistoryAsync("D1");
        history.Select(h => h.Id).Should().Equal(firstId, saved.Id);
        history[0].Version.ValidTo.Should().Be(saved.Version.ValidFrom, "the versions meet without gap or overlap");
        history[0].Geometry.ShouldEqualGeometry(JurisdictionA.Geometry);
        (await repo.GetCurrentAsync()).Select(j => j.Id).Should().Equal(saved.Id);
        (await repo.GetInForceAtAsync(T0)).Select(j => j.Id).Should().Equal(firstId);

        var audit = (await new AuditLogRepository(database.DataSource).GetForEntityAsync("jurisdiction", "D1")).Single();
        audit.Actor.Should().Be("planner1");
        audit.Action.Should().Be("new_version");
        audit.BeforeJson.Should().Contain($"\"id\": {firstId}").And.Contain("\"geometry\": {\"type\": \"MultiPolygon\"");
        audit.AfterJson.Should().Contain($"\"id\": {saved.Id}").And.Contain("take over the strip");
    }

    [Fact]
    public async Task SaveNewVersionAsync_stale_expected_version_throws_concurrency_exception_and_changes_nothing()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        var firstId = await repo.InsertAsync(JurisdictionA);
        var second = await repo.SaveNewVersionAsync("D1", Redrawn, firstId, "planner1", "first edit");

        var act = () => repo.SaveNewVersionAsync("D1", JurisdictionA.Geometry, firstId, "planner2", "edit based on the old version");

        var e = (await act.Should().ThrowAsync<ConcurrencyException>()).Which;
        e.Entity.Should().Be("jurisdiction");
        e.Key.Should().Be("D1");
        e.ExpectedCurrentId.Should().Be(firstId);
        e.ActualCurrentId.Should().Be(second.Id);
        e.Message.Should().Contain("changed by someone else");
        (await repo.GetHistoryAsync("D1")).Should().HaveCount(2);
        (await repo.GetCurrentAsync()).Single().Id.Should().Be(second.Id);
        (await new AuditLogRepository(database.DataSource).GetForEntityAsync("jurisdiction", "D1")).Should().HaveCount(1);
    }

    [Fact]
    public async Task SaveNewVersionAsync_concurrent_editors_exactly_one_wins()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        var firstId = await repo.InsertAsync(JurisdictionA);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            try { await repo.SaveNewVersionAsync("D1", Redrawn, firstId, $"planner{i}", "race"); return true; }
            catch (ConcurrencyException) { return false; }
        })));

        attempts.Count(ok => ok).Should().Be(1);
        (await repo.GetHistoryAsync("D1")).Should().HaveCount(2);
    }

    [Fact]
    public async Task SaveNewVersionAsync_first_version_expects_none()
    {
        var repo = new JurisdictionRepository(database.DataSource);

        var created = await repo.SaveNewVersionAsync("D2", Redrawn, null, "planner1", "new department");
        var again = () => repo.SaveNewVersionAsync("D2", Redrawn, null, "planner2", "also new");

        created.Version.IsCurrent.Should().BeTrue();
        (await again.Should().ThrowAsync<ConcurrencyException>()).Which.ActualCurrentId.Should().Be(created.Id);
        (await new AuditLogRepository(database.DataSource).GetForEntityAsync("jurisdiction", "D2")).Single().Action.Should().Be("create");
    }

    [Fact]
    public async Task RestoreVersionAsync_makes_old_geometry_current_as_a_new_version()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        var firstId = await repo.InsertAsync(JurisdictionA);
        var second = await repo.SaveNewVersionAsync("D1", Redrawn, firstId, "planner1", "redraw");

        var restored = await repo.RestoreVersionAsync(firstId, second.Id, "planner1", "roll back");

        restored.Geometry.ShouldEqualGeometry(JurisdictionA.Geometry);
        (await repo.GetHistoryAsync("D1")).Select(h => h.Id).Should().Equal(firstId, second.Id, restored.Id);
    }

    [Fact]
    public async Task PatrolZone_SaveNewVersionAsync_versions_by_code_and_checks_concurrency()
    {
        var repo = new PatrolZoneRepository(database.DataSource);
        var firstId = await repo.InsertAsync(PatrolZoneA);
        var moved = Wkt<Polygon>("POLYGON ((118.5 37.4, 118.56 37.4, 118.56 37.5, 118.5 37.5, 118.5 37.4))");

        var saved = await repo.SaveNewVersionAsync("P1", "D1", "东辛一巡区(扩)", moved, firstId, "planner1", "extend east");
        var stale = () => repo.SaveNewVersionAsync("P1", "D1", "x", moved, firstId, "planner2", "stale");
        var newZone = await repo.SaveNewVersionAsync("P2", "D2", "现河一巡区", moved, null, "planner1", "new zone");

        saved.Name.Should().Be("东辛一巡区(扩)");
        saved.Geometry.ShouldEqualGeometry(moved);
        (await stale.Should().ThrowAsync<ConcurrencyException>()).Which.Entity.Should().Be("patrol_zone");
        (await repo.GetHistoryAsync("P1")).Select(z => z.Id).Should().Equal(firstId, saved.Id);
        (await repo.GetCurrentAsync()).Select(z => z.Code).Should().Equal("P1", "P2");
        (await repo.GetCurrentOfDepartmentAsync("D2")).Single().Id.Should().Be(newZone.Id);
        (await repo.GetAllVersionsAsync()).Should().HaveCount(3);
        (await new AuditLogRepository(database.DataSource).GetForEntityAsync("patrol_zone", "P1")).Should().ContainSingle();
    }

    [Fact]
    public async Task SaveNewVersionAsync_current_version_starting_in_the_future_is_closed_after_its_start()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        var future = DateTimeOffset.UtcNow.AddDays(30);
        var firstId = await repo.InsertAsync(JurisdictionA with { Version = Since(future) });

        var saved = await repo.SaveNewVersionAsync("D1", Redrawn, firstId, "planner1", "redraw");

        saved.Version.ValidFrom.Should().BeAfter(future);
        (await repo.GetHistoryAsync("D1"))[0].Version.ValidTo.Should().Be(saved.Version.ValidFrom);
    }
}
