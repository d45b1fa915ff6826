using System.Runtime.InteropServices;
using MapControl.Core.Model;

namespace MapControl.Core.Patrol;

/// <summary>
/// One unit's recent fixes, oldest first, reaching back <see cref="Span"/> from its latest fix: the live map's trail and the
/// live alert rules' look-back. A centre with 2,000 trackers at 1 Hz holds 3.6 million points in 30-minute trails, so a point is
/// kept in 32 bytes (time in Unix milliseconds, lon/lat as doubles, speed and bearing as floats, NaN when unknown) in one
/// growing ring of structs — not as a 112-byte linked-list node holding a <see cref="GpsFix"/>; the unit code is kept once.
/// Not thread-safe: the caller locks.
/// </summary>
public sealed class UnitTrail(string unitCode, TimeSpan span)
{
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly record struct Point(long UnixMs, double Lon, double Lat, float SpeedKmh, float Bearing);

    private Point[] _ring = new Point[16];
    private int _head; // index of the oldest point
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
        if (_count == _ring.Length) Grow();
        // Shift the later points (none for a fix in order) one place towards the tail.
        for (var j = _count; j > i; j--) Set(j, At(j - 1));
        Set(i, point);
        _count++;
        var oldest = At(_count - 1).UnixMs - _spanMs;
        while (_count > 0 && At(0).UnixMs < oldest)
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
        }
        if (_count > 16 && _count < _ring.Length / 4) Shrink();
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

    private Point At(int i) => _ring[(_head + i) % _ring.Length];

    private void Set(int i, Point p) => _ring[(_head + i) % _ring.Length] = p;

    private void Grow() => Resize(_ring.Length * 2);

    private void Shrink() => Resize(Math.Max(16, _ring.Length / 2));

    private void Resize(int length)
    {
        var next = new Point[length];
        for (var i = 0; i < _count; i++) next[i] = At(i);
        _ring = next;
        _head = 0;
    }

    private GpsFix Fix(Point p) => new(UnitCode, DateTimeOffset.FromUnixTimeMilliseconds(p.UnixMs), p.Lon, p.Lat,
        Unfloat(p.SpeedKmh), Unfloat(p.Bearing));

    // A float keeps 7 significant digits: 36.7 comes back as 36.7, not 36.70000076.
    private static double? Unfloat(float value) => float.IsNaN(value) ? null : Math.Round(value, 3);
}
