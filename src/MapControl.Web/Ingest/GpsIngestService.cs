using System.Threading.Channels;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.PostGis;

namespace MapControl.Web.Ingest;

/// <summary>What an ingest request did: reports received, stored, already stored (same unit and time), and refused with reasons.</summary>
public sealed record GpsIngestResult(int Received, int Inserted, int Duplicates, int Rejected, IReadOnlyList<GpsRejection> Rejections);

/// <summary>Resolves device keys to patrol units and stores reports idempotently; single OsmAnd reports are batched into one COPY per flush.</summary>
public sealed class GpsIngestService : IAsyncDisposable
{
    private readonly PatrolUnitRepository _units;
    private readonly GpsPointRepository _points;
    private readonly DataVersions _versions;
    private readonly MapControl.Web.Live.LiveFeed? _live;
    private readonly Channel<(GpsFix Fix, TaskCompletionSource<GpsInsertResult> Done)> _queue =
        Channel.CreateBounded<(GpsFix, TaskCompletionSource<GpsInsertResult>)>(new BoundedChannelOptions(50_000) { SingleReader = false });
    private readonly Task[] _writers;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile UnitsByKey _unitsByKey = new(-1, new Dictionary<string, PatrolUnit>(StringComparer.Ordinal));

    private sealed record UnitsByKey(long Version, Dictionary<string, PatrolUnit> ByKey);

    /// <summary>Most reports written by one flush of the batcher.</summary>
    public const int MaxBatch = 5_000;

    /// <summary>Creates the service and starts its batch writer.</summary>
    public GpsIngestService(PatrolUnitRepository units, GpsPointRepository points, DataVersions versions, MapControl.Web.Live.LiveFeed? live = null)
    {
        _units = units;
        _points = points;
        _versions = versions;
        _live = live;
        // Two writers: while one COPY runs, the next batch gathers and the other writer can flush it.
        _writers = [Task.Run(WriteLoopAsync), Task.Run(WriteLoopAsync)];
    }

    /// <summary>
    /// The patrol unit of a device key, or null. The unit list is kept while the <c>patrol_unit</c> change version is unchanged, so a
    /// unit removed or re-keyed by any process is refused from the next report on.
    /// </summary>
    public async Task<PatrolUnit?> FindUnitAsync(string deviceKey, CancellationToken cancellationToken)
    {
        var version = (await _versions.CurrentAsync(cancellationToken).ConfigureAwait(false))["patrol_unit"];
        var known = _unitsByKey;
        if (known.Version != version)
        {
            await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                known = _unitsByKey;
                if (known.Version != version)
                {
                    // Read after the version: a change meanwhile gives a newer version next time, and the list is read again.
                    var all = await _units.GetAllAsync(cancellationToken).ConfigureAwait(false);
                    known = new UnitsByKey(version, all.ToDictionary(u => u.DeviceKey, StringComparer.Ordinal));
                    _unitsByKey = known;
                }
            }
            finally { _refresh.Release(); }
        }
        return known.ByKey.GetValueOrDefault(deviceKey);
    }

    /// <summary>Stores parsed reports (rejections already found are passed through and counted).</summary>
    public async Task<GpsIngestResult> StoreAsync(IReadOnlyList<(int Line, GpsReport Report)> reports, IReadOnlyList<GpsRejection> rejected,
        CancellationToken cancellationToken)
    {
        var rejections = new List<GpsRejection>(rejected);
        var fixes = new List<GpsFix>(reports.Count);
        foreach (var (line, r) in reports)
        {
            var unit = await FindUnitAsync(r.DeviceKey, cancellationToken).ConfigureAwait(false);
            if (unit is null) { rejections.Add(new GpsRejection(line, $"unknown device '{r.DeviceKey}'")); continue; }
            fixes.Add(new GpsFix(unit.Code, r.Time, r.Lon, r.Lat, r.SpeedKmh, r.Bearing));
        }
        var inserted = 0;
        var duplicates = 0;
        if (fixes.Count > 0)
        {
            var result = await _points.InsertManyAsync(fixes, cancellationToken).ConfigureAwait(false);
            inserted = result.Inserted;
            duplicates = result.Duplicates;
            _live?.Publish(fixes);
        }
        rejections.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new GpsIngestResult(reports.Count + rejected.Count, inserted, duplicates, rejections.Count, rejections);
    }

    /// <summary>Stores one report through the batcher (one COPY for all reports arriving together); null when the device is unknown.</summary>
    public async Task<GpsInsertResult?> EnqueueAsync(GpsReport report, CancellationToken cancellationToken)
    {
        var unit = await FindUnitAsync(report.DeviceKey, cancellationToken).ConfigureAwait(false);
        if (unit is null) return null;
        var done = new TaskCompletionSource<GpsInsertResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync((new GpsFix(unit.Code, report.Time, report.Lon, report.Lat, report.SpeedKmh, report.Bearing), done), cancellationToken)
            .ConfigureAwait(false);
        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(GpsFix Fix, TaskCompletionSource<GpsInsertResult> Done)>(MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
                try
                {
                    var fixes = batch.Select(b => b.Fix).ToList();
                    var result = await _points.InsertManyAsync(fixes, _stop.Token).ConfigureAwait(false);
                    foreach (var b in batch) b.Done.TrySetResult(result);
                    _live?.Publish(fixes);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    foreach (var b in batch) b.Done.TrySetException(e);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) { }
        foreach (var b in batch) b.Done.TrySetCanceled();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await Task.WhenAll(_writers).ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
        _refresh.Dispose();
    }
}
