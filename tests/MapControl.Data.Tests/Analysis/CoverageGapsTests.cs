using MapControl.Core.Coverage;
using MapControl.Data.Analysis;
using MapControl.Data.Import;
using MapControl.Data.PostGis.Ogc;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Tests.PostGis;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Data.Tests.Analysis;

/// <summary>CoverageGaps: the cached coverage check is the check of AnalysisSource's input and follows the database's changes.</summary>
public sealed class CoverageGapsTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    // One zone; D1 west, D2 east with a 0.01° strip between them (one gap touching both).
    private const string Fixture = """
        INSERT INTO department (code, name, colour) VALUES ('D1', '纯梁护卫部', '#e41a1c'), ('D2', '河口护卫部', '#377eb8');
        INSERT INTO oil_zone (code, name, geom) VALUES ('Z1', '东营油区', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.70, 37.50, 4326)));
        INSERT INTO jurisdiction (department_code, geom, valid_from, valid_to, edited_by, reason) VALUES
          ('D1', ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.55, 37.50, 4326)), '2024-01-01Z', NULL, 'planner', 'initial'),
          ('D2', ST_Multi(ST_MakeEnvelope(118.56, 37.35, 118.70, 37.50, 4326)), '2024-01-01Z', NULL, 'planner', 'initial');
        INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code) VALUES
          ('W1', ST_SetSRID(ST_MakePoint(118.555, 37.40), 4326), 'oil', 'producing', true, 'Z1');
        """;

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await using var cmd = database.DataSource.CreateCommand(Fixture);
        await cmd.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task ExecuteAsync(string sql)
    {
        await using var cmd = database.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task CurrentAsync_equals_CoverageCheck_of_AnalysisSource_input()
    {
        var snapshot = await new CoverageGaps(database.DataSource).CurrentAsync();
        var expected = CoverageCheck.Run(await new AnalysisSource(database.DataSource).LoadCoverageInputAsync());

        snapshot.Gaps.Should().ContainSingle();
        snapshot.Gaps.Select(g => (g.AreaM2, string.Join(",", g.Departments), g.Wells, g.KeyWells))
            .Should().Equal(expected.Gaps.Select(g => (g.AreaM2, string.Join(",", g.Departments), g.Wells, g.KeyWells)));
        snapshot.Gaps[0].Departments.Should().Equal("D1", "D2");
        snapshot.Gaps[0].KeyWells.Should().Be(1);
    }

    [Fact]
    public async Task CurrentAsync_unchanged_database_returns_the_cached_snapshot()
    {
        var gaps = new CoverageGaps(database.DataSource);

        var first = await gaps.CurrentAsync();
        var second = await gaps.CurrentAsync();

        second.Should().BeSameAs(first);
    }

    [Fact]
    public async Task CurrentAsync_concurrent_first_calls_compute_once()
    {
        var gaps = new CoverageGaps(database.DataSource);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => gaps.CurrentAsync())));

        results.Should().OnlyContain(s => ReferenceEquals(s, results[0]));
    }

    [Fact]
    public async Task CurrentAsync_after_SaveNewVersionAsync_reflects_the_new_jurisdiction()
    {
        var gaps = new CoverageGaps(database.DataSource);
        (await gaps.CurrentAsync()).Gaps.Should().ContainSingle();
        var repository = new JurisdictionRepository(database.DataSource);
        var d2 = (await repository.GetCurrentAsync()).Single(j => j.DepartmentCode == "D2");
        var closed = (MultiPolygon)new WKTReader().Read("MULTIPOLYGON (((118.55 37.35, 118.70 37.35, 118.70 37.50, 118.55 37.50, 118.55 37.35)))");
        closed.SRID = 4326;

        await repository.SaveNewVersionAsync("D2", closed, d2.Id, "tester", "close the strip");

        (await gaps.CurrentAsync()).Gaps.Should().BeEmpty();
    }

    [Fact]
    public async Task LayerExport_gaps_are_the_checked_gaps_with_rank_ids()
    {
        var expected = CoverageCheck.Run(await new AnalysisSource(database.DataSource).LoadCoverageInputAsync());

        var records = await LayerExport.ReadAsync(database.DataSource, FeatureCollections.Find(FeatureCollections.Gaps)!, default);

        records.Should().HaveCount(expected.Gaps.Count);
        records[0].Properties["id"].Should().Be(1);
        records[0].Properties["area_m2"].Should().Be(Math.Round(expected.Gaps[0].AreaM2, 3));
        records[0].Geometry.EqualsExact(expected.Gaps[0].Geometry).Should().BeTrue();
    }

    [Theory]
    [InlineData("INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code) VALUES ('W2', ST_SetSRID(ST_MakePoint(118.5, 37.4), 4326), 'oil', 'idle', false, 'Z1')")]
    [InlineData("UPDATE well SET is_key = false")]
    [InlineData("UPDATE well SET geom = ST_SetSRID(ST_MakePoint(118.45, 37.40), 4326)")]
    [InlineData("INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status) VALUES ('I1', 'casing_theft', now() - interval '1 day', now(), 'patrol', ST_SetSRID(ST_MakePoint(118.555, 37.41), 4326), 0, 'open')")]
    [InlineData("UPDATE oil_zone SET geom = ST_Multi(ST_MakeEnvelope(118.40, 37.35, 118.71, 37.50, 4326))")]
    [InlineData("UPDATE jurisdiction SET valid_to = now() WHERE department_code = 'D2'")]
    public async Task ChangeMarkerAsync_changes_with_every_input_of_the_check(string edit)
    {
        var gaps = new CoverageGaps(database.DataSource);
        var before = await gaps.ChangeMarkerAsync();
        (await gaps.ChangeMarkerAsync()).Should().Be(before);

        await ExecuteAsync(edit);

        (await gaps.ChangeMarkerAsync()).Should().NotBe(before);
    }

    [Fact]
    public async Task ChangeMarkerAsync_is_stable_while_nothing_changes_and_the_window_keeps_its_incidents()
    {
        var now = DateTimeOffset.UtcNow;
        await InsertIncidentAsync("I1", now.AddDays(-100));

        var marker = await new CoverageGaps(database.DataSource, new FixedClock(now)).ChangeMarkerAsync();

        (await new CoverageGaps(database.DataSource, new FixedClock(now.AddHours(1))).ChangeMarkerAsync()).Should().Be(marker);
    }

    [Fact]
    public async Task ChangeMarkerAsync_changes_when_an_incident_leaves_the_12_month_window()
    {
        var now = DateTimeOffset.UtcNow;
        await InsertIncidentAsync("I1", now.AddYears(-1).AddDays(1));
        await InsertIncidentAsync("I2", now.AddDays(-10));

        var marker = await new CoverageGaps(database.DataSource, new FixedClock(now)).ChangeMarkerAsync();

        (await new CoverageGaps(database.DataSource, new FixedClock(now.AddDays(2))).ChangeMarkerAsync()).Should().NotBe(marker);
    }

    [Fact]
    public async Task ChangeMarkerAsync_changes_when_a_future_dated_incident_enters_the_window()
    {
        var now = DateTimeOffset.UtcNow;
        await InsertIncidentAsync("I1", now.AddDays(-10));
        await InsertIncidentAsync("I2", now.AddDays(1));

        var marker = await new CoverageGaps(database.DataSource, new FixedClock(now)).ChangeMarkerAsync();

        (await new CoverageGaps(database.DataSource, new FixedClock(now.AddDays(2))).ChangeMarkerAsync()).Should().NotBe(marker);
    }

    [Fact]
    public async Task ChangeMarkerAsync_sees_a_change_when_its_transaction_commits_not_before()
    {
        var gaps = new CoverageGaps(database.DataSource);
        var before = await gaps.ChangeMarkerAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var edit = new Npgsql.NpgsqlCommand("UPDATE well SET is_key = false", connection, transaction))
            await edit.ExecuteNonQueryAsync();

        (await gaps.ChangeMarkerAsync()).Should().Be(before, "the edit is not committed yet");
        await transaction.CommitAsync();

        (await gaps.ChangeMarkerAsync()).Should().NotBe(before);
    }

    [Fact]
    public async Task ChangeMarkerAsync_change_after_a_rolled_back_savepoint_still_counts()
    {
        var gaps = new CoverageGaps(database.DataSource);
        var before = await gaps.ChangeMarkerAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await transaction.SaveAsync("first");
        await using (var undone = new Npgsql.NpgsqlCommand("UPDATE well SET is_key = false", connection, transaction))
            await undone.ExecuteNonQueryAsync();
        await transaction.RollbackAsync("first");
        await using (var kept = new Npgsql.NpgsqlCommand("UPDATE well SET is_key = false", connection, transaction))
            await kept.ExecuteNonQueryAsync();
        await transaction.CommitAsync();

        (await gaps.ChangeMarkerAsync()).Should().NotBe(before, "the once-per-transaction flag was taken back with the savepoint");
    }

    [Fact]
    public async Task ChangeMarkerAsync_changes_for_each_committed_transaction_of_one_connection()
    {
        var gaps = new CoverageGaps(database.DataSource);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var markers = new List<string> { await gaps.ChangeMarkerAsync() };
        foreach (var key in new[] { "false", "true" })
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var edit = new Npgsql.NpgsqlCommand($"UPDATE well SET is_key = {key}", connection, transaction))
                await edit.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            markers.Add(await gaps.ChangeMarkerAsync());
        }

        markers.Should().OnlyHaveUniqueItems("the once-per-transaction flag must not outlive its transaction");
    }

    [Fact]
    public async Task ChangeMarkerAsync_never_repeats_after_truncate_and_reload()
    {
        var gaps = new CoverageGaps(database.DataSource);
        var before = await gaps.ChangeMarkerAsync();

        await database.TruncateAsync();
        await ExecuteAsync(Fixture);

        (await gaps.ChangeMarkerAsync()).Should().NotBe(before, "same content, but a cached check must not be taken for current across a reload");
    }

    private Task InsertIncidentAsync(string code, DateTimeOffset occurredAt) => ExecuteAsync($"""
        INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status)
        VALUES ('{code}', 'casing_theft', '{occurredAt:O}', '{occurredAt:O}', 'patrol', ST_SetSRID(ST_MakePoint(118.555, 37.41), 4326), 0, 'open')
        """);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
