using MapControl.Core.Model;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using Npgsql;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

public sealed class SeedLoaderTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => database.TruncateAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LoadAsync_whole_dataset_is_loaded_and_attributed()
    {
        (await SeedLoader.IsEmptyAsync(database.DataSource)).Should().BeTrue();
        var steps = new List<string>();

        var counts = await SeedLoader.LoadAsync(database.DataSource, Dataset(), new SyncProgress(steps.Add));

        counts.Should().Be(new DatabaseCounts(2, 2, 2, 1, 2, 1, 1, 1, 4, 3));
        (await SeedLoader.IsEmptyAsync(database.DataSource)).Should().BeFalse();
        steps.Should().Contain("wells: 2").And.Contain("GPS points: 3");
        var attributed = await new IncidentRepository(database.DataSource)
            .GetAttributedByWindowAsync(DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1));
        attributed.Select(a => (a.Incident.Code, a.DepartmentCode, a.OilZoneCode))
            .Should().Equal(("I1", "D1", "Z1"), ("I2", "D2", "Z2"), ("I3", "D1", "Z2"), ("I4", null, null));
        var gps = await new GpsPointRepository(database.DataSource).GetByWindowWithDepartmentAsync(T0, T0.AddMonths(2));
        gps.Select(g => (g.Fix.UnitCode, g.DepartmentCode)).Should().Equal(("U1", "D1"), ("U1", "D1"), ("U2", "D2"));
        gps[0].Fix.Should().Be(Dataset().GpsFixes[0] with { Time = T0.ToUniversalTime() });
        gps[1].Fix.SpeedKmh.Should().BeNull();
    }

    [Fact]
    public async Task LoadAsync_one_bad_row_at_the_end_leaves_the_database_empty()
    {
        var good = Dataset();
        var bad = good with { GpsFixes = [.. good.GpsFixes, new GpsFix("U1", T0.AddDays(2), 118.5, 137.4)] }; // latitude out of range

        var act = () => SeedLoader.LoadAsync(database.DataSource, bad);

        var e = (await act.Should().ThrowAsync<PostgresException>()).Which;
        e.ConstraintName.Should().Be("gps_point_geom_valid");
        (await SeedLoader.IsEmptyAsync(database.DataSource)).Should().BeTrue();
        (await DatabaseStats.GetCountsAsync(database.DataSource)).Should().Be(new DatabaseCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        (await database.ScalarAsync<long>("SELECT count(*) FROM basemap_feature")).Should().Be(0);
    }

    [Fact]
    public async Task LoadAsync_bad_incident_rolls_back_everything()
    {
        var incidents = Dataset().Incidents.Append(IncidentAt("BAD", 118.52, 37.42, T0) with { DiscoveredAt = T0.AddDays(-1) }).ToList();

        var act = () => SeedLoader.LoadAsync(database.DataSource, Dataset(incidents));

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("incident_discovered_after_occurred");
        (await SeedLoader.IsEmptyAsync(database.DataSource)).Should().BeTrue();
    }

    [Fact]
    public async Task LoadAsync_gps_of_unknown_unit_fails_clearly_and_loads_nothing()
    {
        var good = Dataset();
        var bad = good with { GpsFixes = [.. good.GpsFixes, new GpsFix("GHOST", T0, 118.5, 37.4)] };

        var act = () => SeedLoader.LoadAsync(database.DataSource, bad);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("unknown patrol unit 'GHOST'");
        (await SeedLoader.IsEmptyAsync(database.DataSource)).Should().BeTrue();
    }

    [Fact]
    public async Task LoadAsync_creates_partitions_for_the_data_and_routes_rows_into_them()
    {
        var old = IncidentAt("OLD", 118.52, 37.42, new DateTimeOffset(2011, 7, 1, 0, 0, 0, TimeSpan.Zero));
        var data = Dataset([.. Dataset().Incidents, old]);

        await SeedLoader.LoadAsync(database.DataSource, data);

        (await database.ScalarAsync<string>("SELECT tableoid::regclass::text FROM incident WHERE code = 'OLD'")).Should().Be("incident_2011");
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident_default")).Should().Be(0);
        var gpsMonth = T0.ToUniversalTime().ToString("yyyy_MM");
        (await database.ScalarAsync<long>($"SELECT count(*) FROM gps_point_{gpsMonth}")).Should().Be(2);
        (await database.ScalarAsync<long>("SELECT count(*) FROM gps_point_default")).Should().Be(0);
    }

    [Fact]
    public async Task LoadAsync_attribution_agrees_with_the_rule_written_in_postgis()
    {
        var random = new Random(7);
        var incidents = Enumerable.Range(0, 600).Select(i => IncidentAt($"R{i:D4}",
            // A grid of 0.005° hits shared edges and the overlap strip exactly; some points fall outside everything.
            118.49 + 0.005 * random.Next(0, 45), 37.39 + 0.005 * random.Next(0, 24), T0.AddDays(-random.Next(0, 2000)))).ToList();
        var dataset = Dataset(incidents) with
        {
            // D2's current jurisdiction starts a year before T0; before that, an older and larger version was in force.
            Jurisdictions =
            [
                JurisdictionA,
                JurisdictionB with { Version = Since(T0.AddYears(-1)) },
                new(0, "D2", Wkt<NetTopologySuite.Geometries.MultiPolygon>("MULTIPOLYGON (((118.55 37.4, 118.7 37.4, 118.7 37.5, 118.55 37.5, 118.55 37.4)))"),
                    new VersionInfo(T0.AddYears(-6), T0.AddYears(-1), "seed", "old"))
            ],
        };

        await SeedLoader.LoadAsync(database.DataSource, dataset);

        var disagreements = await database.ScalarAsync<long>($"""
            WITH oracle(code, department_code, oil_zone_code) AS ({IncidentAttributionPostGisTests.OracleSql})
            SELECT count(*) FROM incident i JOIN oracle o ON o.code = i.code
             WHERE i.department_code IS DISTINCT FROM o.department_code OR i.oil_zone_code IS DISTINCT FROM o.oil_zone_code
            """);
        (await database.ScalarAsync<long>($"SELECT count(*) FROM ({IncidentAttributionPostGisTests.OracleSql}) o")).Should().Be(incidents.Count);
        disagreements.Should().Be(0);
        (await database.ScalarAsync<long>("SELECT count(DISTINCT department_code) FROM incident")).Should().Be(2);
        (await database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE department_code IS NULL")).Should().BeGreaterThan(0);
    }

    /// <summary>Progress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
