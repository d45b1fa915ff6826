using System.Diagnostics;
using MapControl.Core.Crs;
using MapControl.Core.Patrol;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Benchmarks;

/// <summary>Per-jurisdiction local union strategies on the scale workload (bench only: union-experiment).</summary>
public static class UnionExperiment
{
    public static void Run(int fixes)
    {
        var data = PatrolScaleData.Create(fixes);
        var projection = MetricProjection.Dongying;
        var departments = data.Units.ToDictionary(u => u.Code, u => u.DepartmentCode);
        var built = TrackBuilder.BuildDetailed(data.Fixes, departments, new TrackOptions(), projection);
        var factory = NtsGeometryServices.Instance.CreateGeometryFactory(0);
        var pieces = new List<Geometry>();
        foreach (var g in built.GroupBy(b => b.Track.DepartmentCode))
        {
            var dedup = new SegmentDeduplicator(5, factory);
            foreach (var t in g)
                pieces.AddRange(dedup.Add(TrackSimplifier.Simplify(t.Xs, t.Ys, t.Offset, t.Count, 5)));
        }

        var bp = new BufferParameters(8);
        var buffers = pieces.Select(p => BufferOp.Buffer(p, 300, bp)).ToList();
        var index = new STRtree<int>();
        for (var i = 0; i < buffers.Count; i++) index.Insert(buffers[i].EnvelopeInternal, i);
        var juris = data.Jurisdictions.Values.Select(j => projection.Forward(j)).ToList();
        var near = juris.Select(j =>
        {
            var prepared = PreparedGeometryFactory.Prepare(j);
            return index.Query(j.EnvelopeInternal).Where(i => prepared.Intersects(buffers[i])).ToList();
        }).ToList();
        Console.WriteLine($"{pieces.Count} pieces; near per J {near.Average(n => n.Count):F1}");
        for (var rep = 0; rep < 4; rep++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double a1 = 0, a2 = 0;
            var unions = new Geometry[juris.Count];
            for (var j = 0; j < juris.Count; j++)
            {
                if (near[j].Count == 0) continue;
                unions[j] = OverlayNGRobust.Union(factory.BuildGeometry(near[j].Select(i => buffers[i]).ToList()));
                a1 += unions[j].Area;
            }

            var t1 = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var j = 0; j < juris.Count; j++)
            {
                if (near[j].Count == 0) continue;
                a2 += BufferOp.Buffer(factory.BuildGeometry(near[j].Select(i => pieces[i]).ToList()), 300, bp).Area;
            }

            var t2 = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double a3 = 0;
            for (var j = 0; j < juris.Count; j++)
            {
                if (near[j].Count == 0) continue;
                a3 += OverlayNGRobust.Overlay(juris[j], unions[j], SpatialFunction.Difference).Area;
            }

            var t3 = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"cascaded union {t1.TotalMilliseconds:F0} ms cpu ({a1 / 1e6:F3}); one BufferOp per J {t2.TotalMilliseconds:F0} ms cpu ({a2 / 1e6:F3}); differences {t3.TotalMilliseconds:F0} ms cpu ({a3 / 1e6:F3})");
        }
    }
}
