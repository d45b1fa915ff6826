using MapControl.Core.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using ProjNet.CoordinateSystems.Transformations;

namespace MapControl.Core.Coverage;

/// <summary>
/// Densifies (as <see cref="LonLatDensifier"/>), projects and optionally puts on the grid a lon/lat geometry in one pass
/// over each coordinate sequence, with one ProjNet transform of its own: one projector per thread.
/// </summary>
internal sealed class MetricProjector(MetricProjection projection, double stepDegrees)
{
    private readonly MathTransform _transform = projection.CreateForwardTransform();

    /// <summary>
    /// Metric geometries keep their coordinates in packed double arrays (one array per ring instead of an object per
    /// vertex): hundreds of thousands fewer objects for the garbage collector to mark and move during a check.
    /// </summary>
    public static GeometryFactory MetricFactory { get; } =
        new(new PrecisionModel(), MetricProjection.LocalSrid, NetTopologySuite.Geometries.Implementation.PackedCoordinateSequenceFactory.DoubleFactory);
    private double[] _xs = new double[256];
    private double[] _ys = new double[256];

    /// <summary>The geometry densified and projected to metres (SRID 0); each coordinate made precise in the grid when one is given.</summary>
    public Geometry Project(Geometry lonLat, PrecisionModel? grid)
    {
        var editor = new GeometryEditor(MetricFactory);
        var metric = editor.Edit(lonLat, new GeometryEditor.CoordinateSequenceOperation((sequence, _) => Project(sequence, MetricFactory, grid)));
        metric.SRID = MetricProjection.LocalSrid;
        return metric;
    }

    private CoordinateSequence Project(CoordinateSequence sequence, GeometryFactory factory, PrecisionModel? grid)
    {
        var count = Densify(sequence);
        _transform.Transform(_xs.AsSpan(0, count), _ys.AsSpan(0, count), 1, 1);
        var result = factory.CoordinateSequenceFactory.Create(count, 2, 0);
        for (var i = 0; i < count; i++)
        {
            result.SetX(i, grid is null ? _xs[i] : grid.MakePrecise(_xs[i]));
            result.SetY(i, grid is null ? _ys[i] : grid.MakePrecise(_ys[i]));
        }
        return result;
    }

    /// <summary>Fills the buffers with the densified lon/lat vertices; the split points of <see cref="LonLatDensifier"/>.</summary>
    private int Densify(CoordinateSequence sequence)
    {
        var count = 0;
        for (var i = 0; i < sequence.Count; i++)
        {
            double x = sequence.GetX(i), y = sequence.GetY(i);
            if (i > 0)
            {
                double px = sequence.GetX(i - 1), py = sequence.GetY(i - 1);
                var n = LonLatDensifier.Pieces(px, py, x, y, stepDegrees);
                for (var k = 1; k < n; k++)
                {
                    var (sx, sy) = LonLatDensifier.SplitPoint(px, py, x, y, k, n);
                    Add(ref count, sx, sy);
                }
            }
            Add(ref count, x, y);
        }
        return count;
    }

    private void Add(ref int count, double x, double y)
    {
        if (count == _xs.Length)
        {
            Array.Resize(ref _xs, count * 2);
            Array.Resize(ref _ys, count * 2);
        }
        _xs[count] = x;
        _ys[count] = y;
        count++;
    }

}
