using MapControl.Data.PostGis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace MapControl.Web.Ingest;

/// <summary>
/// Runs GPS retention in the server (Data's <see cref="GpsRetention"/>, docs/DEFINITIONS.md "GPS retention and daily tracks"):
/// every <c>MapControl:Gps:RetentionIntervalMinutes</c> (default 60) it reduces the completed China days to daily tracks and
/// removes raw fixes older than <c>MapControl:Gps:RawRetentionDays</c> (default 90) whose days are reduced. The first pass waits
/// <c>MapControl:Gps:RetentionStartDelayMinutes</c> (default 10) so a starting server serves first. A pass that fails is
/// logged and tried again at the next interval. Partitions ahead of time are another service's work (ensure_gps_partitions).
/// </summary>
public sealed class GpsRetentionService(NpgsqlDataSource dataSource, IConfiguration configuration, TimeProvider clock,
    ILogger<GpsRetentionService> logger) : BackgroundService
{
    /// <summary>Configuration key of the raw retention in days.</summary>
    public const string RawRetentionDaysKey = "MapControl:Gps:RawRetentionDays";

    /// <summary>Configuration key of the minutes between passes.</summary>
    public const string IntervalKey = "MapControl:Gps:RetentionIntervalMinutes";

    /// <summary>Configuration key of the minutes before the first pass.</summary>
    public const string StartDelayKey = "MapControl:Gps:RetentionStartDelayMinutes";

    /// <summary>The raw retention in days from configuration (default <see cref="GpsRetention.DefaultRawRetentionDays"/>; at least 1).</summary>
    public int RawRetentionDays => Math.Max(1, configuration.GetValue(RawRetentionDaysKey, GpsRetention.DefaultRawRetentionDays));

    /// <summary>One pass now: reduce, then drop.</summary>
    public async Task<GpsRetentionResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var result = await new GpsRetention(dataSource).RunAsync(clock.GetUtcNow(), RawRetentionDays, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (result.DaysReduced + result.PartitionsDropped + result.FixesDeleted > 0)
            logger.LogInformation("GPS retention: {Days} day(s) reduced to {Tracks} daily track(s); {Partitions} partition(s) dropped, {Fixes} raw fix(es) deleted (raw kept {Retention} days)",
                result.DaysReduced, result.TracksWritten, result.PartitionsDropped, result.FixesDeleted, RawRetentionDays);
        return result;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMinutes(Math.Max(0, configuration.GetValue(StartDelayKey, 10.0)));
        var interval = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue(IntervalKey, 60.0)));
        try
        {
            await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // A backlog (a year of fixes before the first pass) is reduced a month per pass until done.
                    while ((await RunOnceAsync(stoppingToken).ConfigureAwait(false)).DaysReduced >= 31) { }
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    logger.LogWarning(e, "GPS retention pass failed; trying again in {Interval}", interval);
                }

                await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Registration of <see cref="GpsRetentionService"/>.</summary>
public static class GpsRetentionRegistration
{
    /// <summary>Adds the retention hosted service (and the clock it reads).</summary>
    public static WebApplicationBuilder AddGpsRetention(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<GpsRetentionService>();
        return builder;
    }
}
