using MapControl.Core.Model;
using MapControl.Data.Editing;
using MapControl.Data.PostGis.Repositories;
using NetTopologySuite.Geometries;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

/// <summary>The one save path with several items (topological editing): rights on every item, one transaction, snapping to stored vertices.</summary>
public sealed class TopologicalSaveTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    // D1 and D2 share the edge 118.6 E (vertices 118.6 37.4 and 118.6 37.5).
    private static readonly MultiPolygon West = Wkt<MultiPolygon>("MULTIPOLYGON (((118.5 37.4, 118.6 37.4, 118.6 37.5, 118.5 37.5, 118.5 37.4)))");
    private static readonly MultiPolygon East = Wkt<MultiPolygon>("MULTIPOLYGON (((118.6 37.4, 118.7 37.4, 118.7 37.5, 118.6 37.5, 118.6 37.4)))");
    // The shared north vertex moved to 118.59 37.49 on both sides.
    private static readonly MultiPolygon WestMoved = Wkt<MultiPolygon>("MULTIPOLYGON (((118.5 37.4, 118.6 37.4, 118.59 37.49, 118.5 37.5, 118.5 37.4)))");
    private static readonly MultiPolygon EastMoved = Wkt<MultiPolygon>("MULTIPOLYGON (((118.6 37.4, 118.7 37.4, 118.7 37.5, 118.59 37.49, 118.6 37.4)))");

    private long _west, _east;
    private readonly User _centre = new("planner_all", "Planner", Role.Planner, null);
    private readonly User _d1 = new("planner_d1", "Planner D1", Role.Planner, "D1");

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptA);
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptB);
        var users = new UserRepository(database.DataSource);
        await users.AddAsync(_centre, "a-long-enough-password");
        await users.AddAsync(_d1, "a-long-enough-password");
        var repo = new JurisdictionRepository(database.DataSource);
        _west = await repo.InsertAsync(JurisdictionA with { Geometry = West });
        _east = await repo.InsertAsync(JurisdictionB with { Geometry = East });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private VersionedEdits Edits => new(database.DataSource);

    private async Task<(int West, int East)> VersionCountsAsync()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        return ((await repo.GetHistoryAsync("D1")).Count, (await repo.GetHistoryAsync("D2")).Count);
    }

    [Fact]
    public async Task Shared_vertex_moved_on_both_sides_saves_both_in_one_go()
    {
        var result = await Edits.SaveAsync(VersionedLayer.Jurisdiction,
            [new ItemEdit("D1", _west, WestMoved), new ItemEdit("D2", _east, EastMoved)], _centre, "move the shared corner", "save", avoidOverlaps: false);

        result.Outcome.Should().Be(SaveOutcome.Saved, result.Message);
        (await VersionCountsAsync()).Should().Be((2, 2));
        var current = await new JurisdictionRepository(database.DataSource).GetCurrentAsync();
        current.Single(j => j.DepartmentCode == "D1").Geometry.ShouldEqualGeometry(WestMoved);
        current.Single(j => j.DepartmentCode == "D2").Geometry.ShouldEqualGeometry(EastMoved);
    }

    [Fact]
    public async Task Neighbour_without_rights_refuses_the_whole_save()
    {
        var result = await Edits.SaveAsync(VersionedLayer.Jurisdiction,
            [new ItemEdit("D1", _west, WestMoved), new ItemEdit("D2", _east, EastMoved)], _d1, "move the shared corner", "save", avoidOverlaps: false);

        result.Outcome.Should().Be(SaveOutcome.Forbidden);
        result.Message.Should().Contain("D2");
        (await VersionCountsAsync()).Should().Be((1, 1), "nothing is saved, not even the item the planner may edit");
    }

    [Fact]
    public async Task Stale_neighbour_base_rolls_back_the_edited_item_too()
    {
        var repo = new JurisdictionRepository(database.DataSource);
        await repo.SaveNewVersionAsync("D2", East, _east, "someone", "meanwhile");

        var result = await Edits.SaveAsync(VersionedLayer.Jurisdiction,
            [new ItemEdit("D1", _west, WestMoved), new ItemEdit("D2", _east, EastMoved)], _centre, "move the shared corner", "save", avoidOverlaps: false);

        result.Outcome.Should().Be(SaveOutcome.Conflict);
        result.Message.Should().Contain("D2");
        (await VersionCountsAsync()).Should().Be((1, 2), "D1's new version went with the failed transaction");
    }

    [Theory]
    [InlineData(0.0000005)] // ≈ 4.4 cm east of the shared edge's vertices: snaps onto them
    [InlineData(0.000006)]  // ≈ 53 cm: stays (its sliver is real)
    [InlineData(0.04)]      // far away: stays
    public async Task Save_puts_vertices_within_10cm_of_a_stored_vertex_onto_it(double dLon)
    {
        var x = 118.6 + dLon;
        var proposal = Wkt<MultiPolygon>(FormattableString.Invariant($"MULTIPOLYGON (((118.5 37.4, {x:R} 37.4, {x:R} 37.5, 118.5 37.5, 118.5 37.4)))"));

        var result = await Edits.SaveAsync(VersionedLayer.Jurisdiction, "D1", _west, proposal, _centre, "round trip");

        result.Outcome.Should().Be(SaveOutcome.Saved, result.Message);
        var saved = (await new JurisdictionRepository(database.DataSource).GetCurrentAsync()).Single(j => j.DepartmentCode == "D1").Geometry;
        var snaps = dLon < 1e-6;
        saved.Coordinates.Count(c => c.X == 118.6).Should().Be(snaps ? 2 : 0);
        saved.Coordinates.Count(c => c.X == x).Should().Be(snaps ? 0 : 2);
    }
}
