using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis;

/// <summary>
/// Creates the time partitions of <c>gps_point</c> (monthly) and <c>incident</c> (yearly) ahead of the data, so that a long-running
/// server never writes into the default partition: GPS from last month to <see cref="GpsMonthsAhead"/> months ahead, incidents
/// from this year to next. One server at a time does it (an advisory lock); the others skip the round.
/// </summary>
public sealed class PartitionMaintenance(NpgsqlDataSource dataSource)
{
    /// <summary>Months of GPS partitions kept ahead of now.</summary>
    public const int GpsMonthsAhead = 3;

    private const long LockKey = 0x4D43_5041_5254; // "MCPART"

    private const string EnsureSql = """
        SELECT CASE WHEN pg_try_advisory_xact_lock($3)
                    THEN ensure_gps_partitions(date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 month',
                                               date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => $2 + 1))
                       + ensure_incident_partitions(date_trunc('year', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                                                    date_trunc('year', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '2 years')
                    ELSE -1 END
        """;

    /// <summary>Ensures the partitions around <paramref name="now"/>; the number created, or -1 when another server held the lock.</summary>
    public async Task<int> EnsureAheadAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var created = await ScalarAsync<int>(connection, EnsureSql, cancellationToken, Utc(now), GpsMonthsAhead, LockKey).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }
}
