using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Tiles;
using MapControl.Web.Tests.Ogc;
using Npgsql;

namespace MapControl.Web.Tests.Tiles;

/// <summary>
/// <see cref="VectorTileOptions.MaxConcurrentQueries"/>: tile queries beyond the limit wait their turn instead of
/// running at once. Observed from PostgreSQL: the pool of a repository limited to one query needs one connection.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class TileQueryGateTests(InteropServer server)
{
    private static readonly TileAddress[] Tiles =
        Enumerable.Range(0, 16).Select(i => TileAddress.Containing(118.42 + i % 4 * 0.1, 37.36 + i / 4 * 0.035, 12)).ToArray();

    private async Task<(byte[][] Tiles, long Connections)> BurstAsync(int limit)
    {
        var application = "mc-gate-" + Guid.NewGuid().ToString("N")[..8];
        var cs = new NpgsqlConnectionStringBuilder(server.ConnectionString) { ApplicationName = application }.ConnectionString;
        await using var source = MapControlDatabase.CreateDataSource(cs);
        var repository = new VectorTileRepository(source, new VectorTileOptions(limit));
        var wells = TileLayers.Find(TileLayers.Wells)!;
        var results = await Task.WhenAll(Tiles.Select(t => Task.Run(() => repository.GetTileAsync(wells, t, TimeWindow.All, default))));
        var connections = await server.CountAsync("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", application);
        return (results, connections);
    }

    [Fact]
    public async Task Limited_repository_answers_every_request_with_one_query_at_a_time()
    {
        var (gated, gatedConnections) = await BurstAsync(limit: 1);
        var (free, freeConnections) = await BurstAsync(limit: 0);

        gated.Should().BeEquivalentTo(free, o => o.WithStrictOrdering(), "the gate changes when a query runs, not what it returns");
        gated.Should().OnlyContain(t => t.Length > 0, "every tile of the burst lies over the fixture's wells");
        gatedConnections.Should().Be(1);
        freeConnections.Should().BeGreaterThan(1, "without a limit the same burst opens several connections (the measure can tell)");
    }

    [Fact]
    public async Task Waiting_request_is_cancelled_without_taking_a_turn()
    {
        await using var source = MapControlDatabase.CreateDataSource(server.ConnectionString);
        var repository = new VectorTileRepository(source, new VectorTileOptions(1));
        var wells = TileLayers.Find(TileLayers.Wells)!;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => repository.GetTileAsync(wells, Tiles[0], TimeWindow.All, cancelled.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
        (await repository.GetTileAsync(wells, Tiles[0], TimeWindow.All, default)).Should().NotBeEmpty("the turn was not kept");
    }

    [Fact]
    public void Negative_limit_is_refused_with_the_setting_named()
    {
        var act = () => new VectorTileOptions(-1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MapControl:Tiles:MaxConcurrentQueries*");
    }
}
