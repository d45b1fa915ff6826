using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

public sealed class GpsPointRepositoryTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private GpsPointRepository Repo => new(database.DataSource);

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptA);
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptB);
        await new PatrolUnitRepository(database.DataSource).InsertAsync(UnitA);
        await new PatrolUnitRepository(database.DataSource).InsertAsync(UnitB);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task InsertAsync_same_unit_and_time_twice_stores_one_point()
    {
        var fix = new GpsFix("U1", T0, 118.51, 37.41, 25, 270);

        (await Repo.InsertAsync(fix)).Should().BeTrue();
        (await Repo.InsertAsync(fix with { Lon = 118.9 })).Should().BeFalse();

        var stored = (await Repo.GetByWindowAsync(T0.AddHours(-1), T0.AddHours(1))).Should().ContainSingle().Subject;
        stored.Should().Be(fix with { Time = T0.ToUniversalTime() });
        (await database.ScalarAsync<string>("SELECT department_code FROM gps_point")).Should().Be("D1");
    }

    [Fact]
    public async Task InsertAsync_unknown_unit_throws()
    {
        var act = () => Repo.InsertAsync(new GpsFix("GHOST", T0, 118.51, 37.41));
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("GHOST");
    }

    [Fact]
    public async Task InsertManyAsync_is_idempotent_and_counts_duplicates_and_unknown_units()
    {
        GpsFix[] batch =
        [
            new("U1", T0, 118.51, 37.41),
            new("U1", T0.AddSeconds(10), 118.511, 37.41, 20),
            new("U2", T0, 118.65, 37.45),
            new("U2", T0, 118.65, 37.45), // repeated inside the batch
            new("GHOST", T0, 118.6, 37.4),
        ];

        var first = await Repo.InsertManyAsync(batch);
        var second = await Repo.InsertManyAsync(batch);

        first.Should().Be(new GpsInsertResult(Received: 5, Inserted: 3, Duplicates: 1, UnknownUnits: 1));
        second.Should().Be(new GpsInsertResult(Received: 5, Inserted: 0, Duplicates: 4, UnknownUnits: 1));
        (await database.ScalarAsync<long>("SELECT count(*) FROM gps_point")).Should().Be(3);
    }

    [Fact]
    public async Task GetByWindowWithDepartmentAsync_filters_by_time_and_department()
    {
        await Repo.InsertManyAsync([
            new("U1", T0, 118.51, 37.41),
            new("U1", T0.AddHours(2), 118.52, 37.41),
            new("U2", T0.AddMinutes(5), 118.65, 37.45),
        ]);

        (await Repo.GetByWindowAsync(T0, T0.AddHours(2))).Select(f => (f.UnitCode, f.Time))
            .Should().Equal(("U1", T0), ("U2", T0.AddMinutes(5)));
        (await Repo.GetByWindowWithDepartmentAsync(T0, T0.AddDays(1), "D1")).Select(f => f.Fix.Time)
            .Should().Equal(T0, T0.AddHours(2));
    }

    [Fact]
    public async Task Partitions_monthly_exist_around_now_and_rows_move_out_of_default()
    {
        var thisMonth = DateTimeOffset.UtcNow.ToString("yyyy_MM");
        (await database.ScalarAsync<bool>($"SELECT to_regclass('gps_point_{thisMonth}') IS NOT NULL")).Should().BeTrue();
        (await database.ScalarAsync<bool>("SELECT to_regclass('gps_point_default') IS NOT NULL")).Should().BeTrue();
        (await database.ScalarAsync<bool>($"SELECT to_regclass('incident_{DateTimeOffset.UtcNow.Year}') IS NOT NULL")).Should().BeTrue();

        var far = new DateTimeOffset(2031, 3, 15, 12, 0, 0, TimeSpan.Zero);
        await Repo.InsertAsync(new GpsFix("U1", far, 118.51, 37.41));
        (await database.ScalarAsync<string>("SELECT tableoid::regclass::text FROM gps_point")).Should().Be("gps_point_default");

        (await Repo.EnsurePartitionsAsync(far.AddDays(-20), far.AddDays(20))).Should().Be(3); // February, March and April 2031
        (await Repo.EnsurePartitionsAsync(far, far.AddDays(1))).Should().Be(0);

        (await database.ScalarAsync<string>("SELECT tableoid::regclass::text FROM gps_point")).Should().Be("gps_point_2031_03");
        (await database.ScalarAsync<string>("""
            SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c WHERE c.relname = 'gps_point_2031_03'
            """)).Should().Be("FOR VALUES FROM ('2031-03-01 00:00:00+00') TO ('2031-04-01 00:00:00+00')");
        (await Repo.InsertAsync(new GpsFix("U1", far, 118.51, 37.41))).Should().BeFalse("the key still holds across the move");
    }
}
