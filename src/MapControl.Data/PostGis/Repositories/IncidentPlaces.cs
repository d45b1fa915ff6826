using System.Threading.Channels;
using MapControl.Core.Model;
using MapControl.Core.Spatial;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>
/// The departments and oil zones of incidents (the one rule, <see cref="IncidentAttribution"/>), attributed on a thread of their own as
/// the incidents are added, and read back in the order they were added (<see cref="NextAsync"/>): a large import attributes its rows
/// while it reads the file or while it writes the COPY, on the other core. The rule object is used by that thread alone.
/// </summary>
internal sealed class IncidentPlaces : IDisposable
{
    private const int ChunkRows = 4096;

    private sealed class Chunk(int capacity)
    {
        public readonly Incident[] Incidents = new Incident[capacity];
        public readonly (string? Department, string? Zone)[] Places = new (string?, string?)[capacity];
        public int Count;
    }

    private readonly Channel<Chunk> _toAttribute = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<Chunk> _attributed = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _work;
    private Chunk _filling = new(ChunkRows);
    private Chunk? _reading;
    private int _readAt;

    /// <param name="attribution">The rule.</param>
    /// <param name="basis">What the rule was loaded from (<see cref="IncidentRepository.AttributionBasisAsync"/>), or null.</param>
    public IncidentPlaces(IncidentAttribution attribution, string? basis)
    {
        Attribution = attribution;
        Basis = basis;
        _work = Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in _toAttribute.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    // Stopped (a refused file, a failed import): the chunks still queued are not attributed.
                    _stop.Token.ThrowIfCancellationRequested();
                    for (var i = 0; i < chunk.Count; i++) chunk.Places[i] = attribution.Attribute(chunk.Incidents[i]);
                    _attributed.Writer.TryWrite(chunk);
                }
                _attributed.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _attributed.Writer.TryComplete(e);
            }
        });
    }

    /// <summary>The rule the places are computed by.</summary>
    public IncidentAttribution Attribution { get; }

    /// <summary>What the rule was loaded from, or null.</summary>
    public string? Basis { get; }

    /// <summary>Adds the next incident (one writer).</summary>
    public void Add(Incident incident)
    {
        _filling.Incidents[_filling.Count++] = incident;
        if (_filling.Count == ChunkRows)
        {
            _toAttribute.Writer.TryWrite(_filling);
            _filling = new Chunk(ChunkRows);
        }
    }

    /// <summary>No more incidents follow.</summary>
    public void Complete()
    {
        if (_filling.Count > 0) _toAttribute.Writer.TryWrite(_filling);
        _filling = new Chunk(0);
        _toAttribute.Writer.TryComplete();
    }

    /// <summary>
    /// The place of the next incident in the order added, once attributed (<paramref name="incident"/> must be it: checked, so that a
    /// row is never written with another's place); the rule's exception if it threw.
    /// </summary>
    public async ValueTask<(string? Department, string? Zone)> NextAsync(Incident incident, CancellationToken cancellationToken)
    {
        while (_reading is null || _readAt == _reading.Count)
        {
            _reading = await _attributed.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            _readAt = 0;
        }
        if (!ReferenceEquals(_reading.Incidents[_readAt], incident)) throw new InvalidOperationException("incident places read out of order");
        return _reading.Places[_readAt++];
    }

    /// <summary>Stops the attribution (the import failed, or the places were not used) and waits for its thread.</summary>
    public void Dispose()
    {
        _toAttribute.Writer.TryComplete();
        _stop.Cancel();
        try { _work.Wait(); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
