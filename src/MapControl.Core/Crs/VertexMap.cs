using NetTopologySuite.Geometries;

namespace MapControl.Core.Crs;

/// <summary>
/// Projected vertices → the positions they were projected from (<see cref="MetricProjection.Inverse(Geometry, ProjNet.CoordinateSystems.Transformations.MathTransform, VertexMap)"/>):
/// an open-addressing table on the coordinates' bits, non-generic so ReadyToRun precompiles it (a Dictionary keyed by a value
/// tuple is compiled at run time and runs unoptimised at first, which a one-shot CLI run never leaves).
/// </summary>
internal sealed class VertexMap
{
    private readonly double[] _keyX;
    private readonly double[] _keyY;
    private readonly double[] _valueX;
    private readonly double[] _valueY;
    private readonly bool[] _used;
    private readonly int _mask;

    private VertexMap(int count)
    {
        var capacity = 16;
        while (capacity < 2 * count) capacity <<= 1;
        _keyX = new double[capacity];
        _keyY = new double[capacity];
        _valueX = new double[capacity];
        _valueY = new double[capacity];
        _used = new bool[capacity];
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
        var map = new VertexMap(to.Length);
        for (var i = 0; i < to.Length; i++) map.TryAdd(to[i].X, to[i].Y, from[i].X, from[i].Y);
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

    private void TryAdd(double x, double y, double valueX, double valueY)
    {
        var slot = Hash(x, y) & _mask;
        while (_used[slot])
        {
            if (_keyX[slot] == x && _keyY[slot] == y) return;
            slot = (slot + 1) & _mask;
        }

        _used[slot] = true;
        _keyX[slot] = x;
        _keyY[slot] = y;
        _valueX[slot] = valueX;
        _valueY[slot] = valueY;
    }

    /// <summary>The source position of a projected vertex, if it is one.</summary>
    public bool TryGet(double x, double y, out double valueX, out double valueY)
    {
        var slot = Hash(x, y) & _mask;
        while (_used[slot])
        {
            if (_keyX[slot] == x && _keyY[slot] == y)
            {
                valueX = _valueX[slot];
                valueY = _valueY[slot];
                return true;
            }

            slot = (slot + 1) & _mask;
        }

        valueX = valueY = 0;
        return false;
    }
}
