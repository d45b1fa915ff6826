using MapControl.Data.PostGis;

namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// Issue 11: a long-running install had to call <c>ensure_gps_partitions</c> by hand, or every fix went to the default partition.
/// The server's upkeep (<see cref="PartitionMaintenance"/>) creates them ahead; a second round creates nothing.
/// </summary>
public sealed class PartitionMaintenanceTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task EnsureAhead_creates_gps_months_and_incident_years_around_now_once()
    {
        var now = new DateTimeOffset(2031, 6, 15, 10, 0, 0, TimeSpan.Zero);
        var created = await new PartitionMaintenance(database.DataSource).EnsureAheadAsync(now);

        created.Should().Be(5 + 2, "GPS May … September 2031 (last month to three ahead) and incident years 2031 and 2032");
        foreach (var part in new[] { "gps_point_2031_05", "gps_point_2031_06", "gps_point_2031_09", "incident_2031", "incident_2032" })
            (await database.ScalarAsync<bool>($"SELECT to_regclass('{part}') IS NOT NULL")).Should().BeTrue(part);
        (await database.ScalarAsync<bool>("SELECT to_regclass('gps_point_2031_10') IS NOT NULL")).Should().BeFalse();
        (await new PartitionMaintenance(database.DataSource).EnsureAheadAsync(now)).Should().Be(0);
    }
}
