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
            // Two passes over the fixes: each fix's unit (numbered as first seen; a log's runs of one unit skip the lookup, the
            // readers give one string per unit), then each unit's fixes copied into an array of its exact size.
            var list = fixes as IReadOnlyList<GpsFix> ?? fixes.ToList();
            var span = list switch
            {
                List<GpsFix> l => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(l),
                GpsFix[] a => a.AsSpan(),
                _ => list.ToArray().AsSpan(),
            };
            var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
            var names = new List<string>();
            var counts = new List<int>();
            var unitOf = new int[span.Length];
            string? lastUnit = null;
            var last = -1;
            // Whether the fixes are already as the array below would hold them: all kept, unit after unit in code order, each
            // unit's in time order (a log exported by unit and time). Then that array is the input's own (not copied).
            var laidOut = true;
            var lastTicks = long.MinValue;
            for (var i = 0; i < span.Length; i++)
            {
                ref readonly var fix = ref span[i];
                if (!options.InWindow(fix.Time) || !double.IsFinite(fix.Lon) || !double.IsFinite(fix.Lat))
                {
                    unitOf[i] = -1;
                    laidOut = false;
                    continue;
                }

                var unit = fix.UnitCode ?? "";
                if (!ReferenceEquals(unit, lastUnit))
                {
                    var previous = last;
                    if (!numbers.TryGetValue(unit, out last))
                    {
                        laidOut &= names.Count == 0 || string.CompareOrdinal(names[^1], unit) < 0;
                        last = names.Count;
                        numbers.Add(unit, last);
                        names.Add(unit);
                        counts.Add(0);
                        lastTicks = long.MinValue;
                    }
                    else
                    {
                        laidOut &= last == previous;
                    }

                    lastUnit = unit;
                }

                var ticks = fix.Time.UtcTicks;
                laidOut &= ticks >= lastTicks;
                lastTicks = ticks;
                unitOf[i] = last;
                counts[last]++;
            }

            // All kept fixes in one array, unit after unit (units in code order), with their metric X and Y in two more: three large
            // allocations that the GC never copies, instead of an array per unit promoted through the generations (10⁶ fixes:
            // 40 collections and ~0.7 s of pauses). A built track is a slice of them.
            var order = Enumerable.Range(0, names.Count).OrderBy(u => names[u], StringComparer.Ordinal).ToArray();
            var units = order.Select(u => names[u]).ToArray();
            var starts = new int[names.Count + 1];
            var slot = new int[names.Count];
            for (var k = 0; k < order.Length; k++)
            {
                slot[order[k]] = starts[k];
                starts[k + 1] = starts[k] + counts[order[k]];
            }

            var all = laidOut ? StorageOf(list, span.Length) : null;
            if (all is null)
            {
                all = new GpsFix[starts[^1]];
                for (var i = 0; i < span.Length; i++)
                {
                    if (unitOf[i] >= 0)
                    {
                        all[slot[unitOf[i]]++] = span[i];
                    }
                }
            }

            var xs = new double[starts[^1]];
            var ys = new double[starts[^1]];
            // Units are independent: sorted and split in parallel, each worker projecting with its own transform
            // (ProjNet does not promise that one may be shared between threads); the result keeps the unit order.
            var perUnit = new List<BuiltTrack>[units.Length];
            Parallel.For(0, units.Length, projection.CreateForwardTransform, (u, _, forward) =>
            {
                int from = starts[u], to = starts[u + 1];
                // A log is usually in time order per unit already: sorted only when it is not.
                var ordered = true;
                for (var i = from + 1; i < to && ordered; i++)
                {
                    ordered = all[i - 1].Time.UtcTicks <= all[i].Time.UtcTicks;
                }

                if (!ordered)
                {
                    var keys = new long[to - from];
                    var slice = all[from..to];
                    for (var i = 0; i < slice.Length; i++)
                    {
                        keys[i] = slice[i].Time.UtcTicks;
                    }

                    Array.Sort(keys, slice);
                    slice.CopyTo(all, from);
                }

                perUnit[u] = [];
                SplitUnit(units[u], all, xs, ys, from, to, perUnit[u], forward);
                return forward;
            }, _ => { });

            return perUnit.SelectMany(list => list).ToList();
        }

        /// <summary>
        /// The array holding the input's fixes from index 0 (a list's own storage, possibly longer), or null: read only here
        /// (fixes laid out already are never sorted), and only while the input is, so sharing it saves a copy of every fix.
        /// </summary>
        private static GpsFix[]? StorageOf(IReadOnlyList<GpsFix> list, int count) => list switch
        {
            GpsFix[] array => array,
            List<GpsFix> l when ListStorage<GpsFix>.Items(l) is { } items && items.Length >= count => items,
            _ => null,
        };

        private void SplitUnit(string unit, GpsFix[] fixes, double[] xs, double[] ys, int from, int to, List<BuiltTrack> result,
            ProjNet.CoordinateSystems.Transformations.MathTransform forward)
        {
            for (var i = from; i < to; i++)
            {
                xs[i] = fixes[i].Lon;
                ys[i] = fixes[i].Lat;
            }

            // All of the unit's fixes through ProjNet's span path at once (not a call per fix).
            forward.Transform(xs.AsSpan(from, to - from), ys.AsSpan(from, to - from), 1, 1);

            var department = departments.TryGetValue(unit, out var d) ? d : "";
            var start = from;
            var length = 0.0;
            for (var i = from + 1; i <= to; i++)
            {
                var step = 0.0;
                var breaks = i == to;
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

/// <summary>A built track with its fixes projected to metres: a slice [Offset, Offset + Count) of arrays shared by all tracks of one build.</summary>
internal sealed record BuiltTrack(PatrolTrack Track, GpsFix[] Fixes, double[] Xs, double[] Ys, int Offset, int Count);

/// <summary>A list's own storage array (its field, read without a copy; the accessor must be generic to reach a generic type's field).</summary>
file static class ListStorage<T>
{
    [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = "_items")]
    private static extern ref T[] ItemsField(List<T> list);

    public static T[]? Items(List<T> list)
    {
        try
        {
            return ItemsField(list);
        }
        catch (MissingFieldException)
        {
            return null;
        }
    }
}
