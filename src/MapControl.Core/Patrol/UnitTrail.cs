using System.Runtime.InteropServices;
using MapControl.Core.Model;

namespace MapControl.Core.Patrol;

/// <summary>
/// One unit's recent fixes, oldest first, reaching back <see cref="Span"/> from its latest fix: the live map's trail and the
/// live alert rules' look-back. A centre with 2,000 trackers at 1 Hz holds 3.6 million points in 30-minute trails, so a point is
/// kept in 32 bytes (time in Unix milliseconds, lon/lat as doubles, speed and bearing as floats, NaN when unknown) in blocks
/// of <see cref="BlockSize"/> structs — not as a 112-byte linked-list node holding a <see cref="GpsFix"/>; the unit code is
/// kept once. A trail grows and shrinks a 4 KB block at a time, and the block that falls off its old end is kept for its new
/// end, so a full trail allocates nothing and memory follows the points held (a ring doubling its array grew every unit's
/// memory at once, in steps). Not thread-safe: the caller locks.
/// </summary>
public sealed class UnitTrail(string unitCode, TimeSpan span)
{
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly record struct Point(long UnixMs, double Lon, double Lat, float SpeedKmh, float Bearing);

    /// <summary>Points per block (4 KB).</summary>
    public const int BlockSize = 128;

    private readonly List<Point[]> _blocks = [];
    private Point[]? _spare; // the last block let go, kept for the next one needed
    private int _head; // index of the oldest point in the first block
    private int _count;
    private readonly long _spanMs = (long)span.TotalMilliseconds;

    /// <summary>The unit whose trail this is.</summary>
    public string UnitCode { get; } = unitCode;

    /// <summary>How far back from the latest fix the trail reaches.</summary>
    public TimeSpan Span { get; } = span;

    /// <summary>Points held.</summary>
    public int Count => _count;

    /// <summary>The latest fix, or null when empty.</summary>
    public GpsFix? Latest => _count == 0 ? null : Fix(At(_count - 1));

    /// <summary>
    /// Puts a fix in its place by time (fixes usually come in order; a late one is inserted) and drops the points older than
    /// <see cref="Span"/> before the latest. False when a fix of the same millisecond is held already (the same report again),
    /// or when the fix is older than the trail reaches.
    /// </summary>
    public bool Add(GpsFix fix)
    {
        var point = new Point(fix.Time.ToUnixTimeMilliseconds(), fix.Lon, fix.Lat,
            (float)(fix.SpeedKmh ?? double.NaN), (float)(fix.Bearing ?? double.NaN));
        // Position after the last point not later than the fix.
        var i = _count;
        while (i > 0 && At(i - 1).UnixMs > point.UnixMs) i--;
        if (i > 0 && At(i - 1).UnixMs == point.UnixMs) return false;
        if (_count > 0 && point.UnixMs < At(_count - 1).UnixMs - _spanMs) return false;
        if (_head + _count == _blocks.Count * BlockSize)
        {
            _blocks.Add(_spare ?? new Point[BlockSize]);
            _spare = null;
        }
        // Shift the later points (none for a fix in order) one place towards the tail.
        for (var j = _count; j > i; j--) Set(j, At(j - 1));
        Set(i, point);
        _count++;
        var oldest = At(_count - 1).UnixMs - _spanMs;
        while (_count > 0 && At(0).UnixMs < oldest)
        {
            _count--;
            if (++_head == BlockSize)
            {
                _spare = _blocks[0];
                _blocks.RemoveAt(0);
                _head = 0;
            }
        }
        return true;
    }

    /// <summary>The fixes at or after <paramref name="since"/>, oldest first.</summary>
    public GpsFix[] Since(DateTimeOffset since)
    {
        var ms = since.ToUnixTimeMilliseconds();
        var first = 0;
        while (first < _count && At(first).UnixMs < ms) first++;
        var result = new GpsFix[_count - first];
        for (var k = 0; k < result.Length; k++) result[k] = Fix(At(first + k));
        return result;
    }

    /// <summary>Every fix held, oldest first.</summary>
    public GpsFix[] ToArray() => Since(DateTimeOffset.MinValue);

    /// <summary>Blocks held (for tests of the memory shape).</summary>
    internal int Blocks => _blocks.Count;

    private Point At(int i)
    {
        var k = _head + i;
        return _blocks[k / BlockSize][k % BlockSize];
    }

    private void Set(int i, Point p)
    {
        var k = _head + i;
        _blocks[k / BlockSize][k % BlockSize] = p;
    }

    private GpsFix Fix(Point p) => new(UnitCode, DateTimeOffset.FromUnixTimeMilliseconds(p.UnixMs), p.Lon, p.Lat,
        Unfloat(p.SpeedKmh), Unfloat(p.Bearing));

    // A float keeps 7 significant digits: 36.7 comes back as 36.7, not 36.70000076.
    private static double? Unfloat(float value) => float.IsNaN(value) ? null : Math.Round(value, 3);
}
