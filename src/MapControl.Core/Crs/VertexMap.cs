using NetTopologySuite.Geometries;

namespace MapControl.Core.Crs;

/// <summary>
/// Projected vertices → the positions they were projected from (<see cref="MetricProjection.Inverse(Geometry, ProjNet.CoordinateSystems.Transformations.MathTransform, VertexMap)"/>):
/// an open-addressing table on the coordinates' bits, non-generic so ReadyToRun precompiles it (a Dictionary keyed by a value
/// tuple is compiled at run time and runs unoptimised at first, which a one-shot CLI run never leaves).
/// </summary>
internal sealed class VertexMap
{
    private readonly Coordinate[] _keys;
    private readonly Coordinate[] _values;
    // Slot → 1 + the index of the vertex in _keys and _values; 0 = empty.
    private readonly int[] _slots;
    private readonly int _mask;

    private VertexMap(Coordinate[] keys, Coordinate[] values)
    {
        _keys = keys;
        _values = values;
        var capacity = 16;
        while (capacity < keys.Length + keys.Length / 2) capacity <<= 1;
        _slots = new int[capacity];
        _mask = capacity - 1;
    }

    /// <summary>
    /// The map of <paramref name="projected"/>'s vertices to <paramref name="source"/>'s, vertex for vertex (the first source
    /// position of a repeated projected vertex kept); null when the two do not have the same number of vertices.
    /// </summary>
    public static VertexMap? Of(Geometry projected, Geometry source)
    {
        var to = projected.Coordinates;
        var from = source.Coordinates;
        if (from.Length != to.Length) return null;
        var map = new VertexMap(to, from);
        for (var i = 0; i < to.Length; i++) map.TryAdd(i);
        return map;
    }

    private static int Hash(double x, double y)
    {
        // +0.0 makes −0 and 0 one key, as double equality does.
        var hx = BitConverter.DoubleToInt64Bits(x + 0.0);
        var hy = BitConverter.DoubleToInt64Bits(y + 0.0);
        var h = (ulong)hx * 0x9E3779B97F4A7C15UL ^ (ulong)hy * 0xC2B2AE3D27D4EB4FUL;
        return (int)(h ^ (h >> 29));
    }

    private void TryAdd(int index)
    {
        double x = _keys[index].X, y = _keys[index].Y;
        var slot = Hash(x, y) & _mask;
        while (_slots[slot] != 0)
        {
            var key = _keys[_slots[slot] - 1];
            if (key.X == x && key.Y == y) return;
            slot = (slot + 1) & _mask;
        }

        _slots[slot] = index + 1;
    }

    /// <summary>The source's own coordinate of a projected vertex (the object, not a copy), or null when it is not one.</summary>
    public Coordinate? Find(double x, double y)
    {
        var slot = Hash(x, y) & _mask;
        while (_slots[slot] != 0)
        {
            var index = _slots[slot] - 1;
            var key = _keys[index];
            if (key.X == x && key.Y == y) return _values[index];
            slot = (slot + 1) & _mask;
        }

        return null;
    }
}
