using MapControl.Core.Crs;
using MapControl.Core.Model;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>
/// Builds patrol tracks from GPS fixes: per unit, in time order, broken where consecutive fixes are more than
/// <see cref="TrackOptions.MaxTimeGap"/> or more than <see cref="TrackOptions.MaxJumpM"/> apart, or fall on different China
/// Standard Time days (<see cref="TrackOptions"/>; DESIGN §4, docs/DEFINITIONS.md "Tracks").
/// </summary>
public static class TrackBuilder
{
    /// <summary>Tracks of the fixes in the window, units without a known department ("").</summary>
    public static IReadOnlyList<PatrolTrack> Build(IEnumerable<GpsFix> fixes, TrackOptions? options = null) =>
        Build(fixes, [], options);

    /// <summary>Tracks of the fixes in the window, each carrying its unit's department; ordered by unit, then time.</summary>
    public static IReadOnlyList<PatrolTrack> Build(IEnumerable<GpsFix> fixes, IEnumerable<PatrolUnit> units, TrackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        ArgumentNullException.ThrowIfNull(units);
        options ??= new TrackOptions();
        var departments = DepartmentsOf(units);
        var list = fixes as IReadOnlyCollection<GpsFix> ?? fixes.ToList();
        var projection = options.Projection ?? ProjectionFor(list);
        return new Worker(options, projection, departments).Run(list).Select(t => t.Track).ToList();
    }

    internal static Dictionary<string, string> DepartmentsOf(IEnumerable<PatrolUnit> units)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            map[unit.Code] = unit.DepartmentCode;
        }

        return map;
    }

    internal static MetricProjection ProjectionFor(IEnumerable<GpsFix> fixes)
    {
        var envelope = new Envelope();
        foreach (var fix in fixes)
        {
            envelope.ExpandToInclude(fix.Lon, fix.Lat);
        }

        return MetricProjection.CentredOn(envelope);
    }

    /// <summary>Tracks with their metric fixes, for the analyses.</summary>
    internal static IReadOnlyList<BuiltTrack> BuildDetailed(
        IEnumerable<GpsFix> fixes, IReadOnlyDictionary<string, string> departments, TrackOptions options, MetricProjection projection) =>
        new Worker(options, projection, departments).Run(fixes);

    private sealed class Worker(TrackOptions options, MetricProjection projection, IReadOnlyDictionary<string, string> departments)
    {
        private readonly GeometryFactory _factory = NtsGeometryServices.Instance.CreateGeometryFactory(4326);
        private readonly TimeSpan _maxGap = options.EffectiveMaxTimeGap;
        private readonly double _maxJump = options.MaxJumpM;

        public List<BuiltTrack> Run(IEnumerable<GpsFix> fixes)
        {
            var byUnit = new Dictionary<string, List<GpsFix>>(StringComparer.Ordinal);
            foreach (var fix in fixes)
            {
                if (!options.InWindow(fix) || !double.IsFinite(fix.Lon) || !double.IsFinite(fix.Lat))
                {
                    continue;
                }

                if (!byUnit.TryGetValue(fix.UnitCode ?? "", out var list))
                {
                    list = [];
                    byUnit.Add(fix.UnitCode ?? "", list);
                }

                list.Add(fix);
            }

            // Units are independent: sorted and split in parallel, each worker projecting with its own transform
            // (ProjNet does not promise that one may be shared between threads); the result keeps the unit order.
            var units = byUnit.Keys.Order(StringComparer.Ordinal).ToArray();
            var perUnit = new List<BuiltTrack>[units.Length];
            Parallel.For(0, units.Length, projection.CreateForwardTransform, (u, _, forward) =>
            {
                var sorted = byUnit[units[u]].ToArray();
                var keys = new long[sorted.Length];
                for (var i = 0; i < sorted.Length; i++)
                {
                    keys[i] = sorted[i].Time.UtcTicks;
                }

                // A log is usually in time order per unit already: sorted only when it is not.
                var ordered = true;
                for (var i = 1; i < keys.Length && ordered; i++)
                {
                    ordered = keys[i - 1] <= keys[i];
                }

                if (!ordered)
                {
                    Array.Sort(keys, sorted);
                }

                perUnit[u] = [];
                SplitUnit(units[u], sorted, perUnit[u], forward);
                return forward;
            }, _ => { });

            return perUnit.SelectMany(list => list).ToList();
        }

        private void SplitUnit(string unit, GpsFix[] fixes, List<BuiltTrack> result, ProjNet.CoordinateSystems.Transformations.MathTransform forward)
        {
            var n = fixes.Length;
            var xs = new double[n];
            var ys = new double[n];
            for (var i = 0; i < n; i++)
            {
                xs[i] = fixes[i].Lon;
                ys[i] = fixes[i].Lat;
            }

            // All of the unit's fixes through ProjNet's span path at once (not a call per fix).
            forward.Transform(xs.AsSpan(), ys.AsSpan(), 1, 1);

            var department = departments.TryGetValue(unit, out var d) ? d : "";
            var start = 0;
            var length = 0.0;
            for (var i = 1; i <= n; i++)
            {
                var step = 0.0;
                var breaks = i == n;
                if (!breaks)
                {
                    step = Math.Sqrt((xs[i] - xs[i - 1]) * (xs[i] - xs[i - 1]) + (ys[i] - ys[i - 1]) * (ys[i] - ys[i - 1]));
                    breaks = fixes[i].Time - fixes[i - 1].Time > _maxGap || step > _maxJump
                        || TrackOptions.DayNumber(fixes[i].Time) != TrackOptions.DayNumber(fixes[i - 1].Time);
                }

                if (breaks)
                {
                    result.Add(MakeTrack(unit, department, fixes, xs, ys, start, i - start, length));
                    start = i;
                    length = 0.0;
                }
                else
                {
                    length += step;
                }
            }
        }

        private BuiltTrack MakeTrack(string unit, string department, GpsFix[] fixes, double[] xs, double[] ys, int offset, int count, double length)
        {
            var allSame = true;
            for (var i = offset + 1; i < offset + count && allSame; i++)
            {
                allSame = fixes[i].Lon == fixes[offset].Lon && fixes[i].Lat == fixes[offset].Lat;
            }

            Geometry geometry;
            if (allSame)
            {
                geometry = _factory.CreatePoint(new Coordinate(fixes[offset].Lon, fixes[offset].Lat));
            }
            else
            {
                // One packed array per track instead of a Coordinate object per fix (10⁶ fixes: far less for the GC to trace).
                var packed = new double[2 * count];
                for (var i = 0; i < count; i++)
                {
                    packed[2 * i] = fixes[offset + i].Lon;
                    packed[2 * i + 1] = fixes[offset + i].Lat;
                }

                geometry = _factory.CreateLineString(new NetTopologySuite.Geometries.Implementation.PackedDoubleCoordinateSequence(packed, 2, 0));
            }

            var track = new PatrolTrack(unit, department, fixes[offset].Time, fixes[offset + count - 1].Time, geometry, count, length);
            return new BuiltTrack(track, fixes, xs, ys, offset, count);
        }
    }
}

/// <summary>A built track with its fixes projected to metres (the fixes of one unit, a slice of them).</summary>
internal sealed record BuiltTrack(PatrolTrack Track, GpsFix[] Fixes, double[] Xs, double[] Ys, int Offset, int Count);
