using NetTopologySuite.Geometries;

namespace MapControl.Core.Coverage;

/// <summary>
/// A sparse uniform grid over a fixed set of segments, answering which segments' envelopes may meet an envelope.
/// Cells are about as large as the longer segments, and only occupied cells are stored (segments along a long, thin
/// outline leave most of their envelope empty), so a small query looks at a handful of segments.
/// </summary>
internal sealed class SegmentGrid
{
    private readonly double _minX, _minY, _cell;
    private readonly Dictionary<long, (int Start, int End)> _cells;
    private readonly int[] _entries;
    private readonly int[] _stamp;
    private int _query;

    public SegmentGrid(IReadOnlyList<(double X1, double Y1, double X2, double Y2)> segments)
    {
        Envelope = new Envelope();
        var lengths = new double[segments.Count];
        for (var i = 0; i < segments.Count; i++)
        {
            var (x1, y1, x2, y2) = segments[i];
            Envelope.ExpandToInclude(x1, y1);
            Envelope.ExpandToInclude(x2, y2);
            lengths[i] = Math.Max(Math.Abs(x2 - x1), Math.Abs(y2 - y1));
        }
        _minX = Envelope.IsNull ? 0 : Envelope.MinX;
        _minY = Envelope.IsNull ? 0 : Envelope.MinY;
        // The 90th percentile of segment extents: most segments fall in one to four cells, a few long ones in more (at most 33 × 33).
        Array.Sort(lengths);
        var typical = lengths.Length == 0 ? 1.0 : lengths[(int)(0.9 * (lengths.Length - 1))];
        var extent = Envelope.IsNull ? 1.0 : Math.Max(Envelope.Width, Envelope.Height);
        var longest = lengths.Length == 0 ? 1.0 : lengths[^1];
        _cell = Math.Max(Math.Max(typical, longest / 32), Math.Max(extent / 65_536, 1e-9));

        var cells = new List<long>(segments.Count * 2);
        var owners = new List<int>(segments.Count * 2);
        for (var i = 0; i < segments.Count; i++)
        {
            var (x1, y1, x2, y2) = segments[i];
            long c0 = Column(Math.Min(x1, x2)), c1 = Column(Math.Max(x1, x2)), r0 = Row(Math.Min(y1, y2)), r1 = Row(Math.Max(y1, y2));
            for (var c = c0; c <= c1; c++)
            for (var r = r0; r <= r1; r++)
            {
                cells.Add(Key(c, r));
                owners.Add(i);
            }
        }
        var keys = cells.ToArray();
        _entries = owners.ToArray();
        Array.Sort(keys, _entries);
        _cells = new Dictionary<long, (int, int)>(keys.Length);
        for (int start = 0, end; start < keys.Length; start = end)
        {
            end = start + 1;
            while (end < keys.Length && keys[end] == keys[start]) end++;
            _cells[keys[start]] = (start, end);
        }
        _stamp = new int[segments.Count];
    }

    /// <summary>The envelope of all segments.</summary>
    public Envelope Envelope { get; }

    /// <summary>Adds to the list (once each) the indexes of the segments whose cells the envelope covers.</summary>
    public void Query(Envelope envelope, List<int> result) =>
        Query(envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY, result);

    /// <summary>As <see cref="Query(Envelope, List{int})"/>, for the envelope [minX, maxX] × [minY, maxY].</summary>
    public void Query(double minX, double minY, double maxX, double maxY, List<int> result)
    {
        if (Envelope.IsNull || minX > Envelope.MaxX || maxX < Envelope.MinX || minY > Envelope.MaxY || maxY < Envelope.MinY) return;
        _query++;
        long c0 = Column(Math.Max(minX, Envelope.MinX)), c1 = Column(Math.Min(maxX, Envelope.MaxX));
        long r0 = Row(Math.Max(minY, Envelope.MinY)), r1 = Row(Math.Min(maxY, Envelope.MaxY));
        for (var c = c0; c <= c1; c++)
        for (var r = r0; r <= r1; r++)
        {
            if (!_cells.TryGetValue(Key(c, r), out var range)) continue;
            for (var e = range.Start; e < range.End; e++)
            {
                var i = _entries[e];
                if (_stamp[i] == _query) continue;
                _stamp[i] = _query;
                result.Add(i);
            }
        }
    }

    private static long Key(long column, long row) => (column << 32) | row;

    private long Column(double x) => (long)Math.Floor((x - _minX) / _cell);

    private long Row(double y) => (long)Math.Floor((y - _minY) / _cell);
}
