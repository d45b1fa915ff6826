using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Web.Hosting;

/// <summary>Runs <see cref="PartitionMaintenance.EnsureAheadAsync"/> at start-up and every <see cref="Interval"/>; a database outage is logged and retried.</summary>
internal sealed class PartitionUpkeep(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<PartitionUpkeep> log) : BackgroundService
{
    /// <summary>Time between rounds.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var maintenance = new PartitionMaintenance(dataSource);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Interval;
            try
            {
                var created = await maintenance.EnsureAheadAsync(clock.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                if (created > 0) log.LogInformation("Created {Count} time partitions ahead", created);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                log.LogWarning("Partition upkeep failed, retrying in a minute: {Message}", e.Message);
                wait = RetryAfterFailure;
            }
            try
            {
                await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
