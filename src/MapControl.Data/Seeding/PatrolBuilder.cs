using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MapControl.Data.Seeding;

/// <summary>Patrol units, planned routes (one per patrol zone) and 90 days of GPS fixes driven along them.</summary>
internal sealed class PatrolBuilder
{
    private readonly SampleFrame _frame;
    private readonly SampleAssets _assets;
    private readonly int _seed;

    private PatrolBuilder(SampleFrame frame, SampleAssets assets, int seed)
    {
        _frame = frame;
        _assets = assets;
        _seed = seed;
    }

    /// <summary>Patrol units: the base number per department times the scale (at least one), device keys random hex.</summary>
    public static List<PatrolUnit> Units(int seed, double scale)
    {
        var random = new Random(Geo.Mix(seed, 5));
        var units = new List<PatrolUnit>();
        foreach (var d in SampleLayout.Departments)
        {
            var n = Math.Max(1, (int)Math.Round(d.Units * scale));
            for (var i = 1; i <= n; i++)
            {
                var key = new byte[16];
                random.NextBytes(key);
                units.Add(new PatrolUnit($"PU-{d.Code}-{i:D2}", d.Code, $"{d.ShortName}巡逻{i}组", Convert.ToHexStringLower(key)));
            }
        }
        return units;
    }

    /// <summary>One planned route per patrol zone: a loop through its key wells and some other wells.</summary>
    public static List<PatrolRoute> Routes(SampleFrame frame, SampleAssets assets, int seed) => new PatrolBuilder(frame, assets, seed).BuildRoutes();

    /// <summary>GPS fixes, unit after unit, each in time order.</summary>
    public static IEnumerable<GpsFix> Fixes(SampleFrame frame, SampleAssets assets, IReadOnlyList<PatrolUnit> units, IReadOnlyList<PatrolRoute> routes, int seed) =>
        new PatrolBuilder(frame, assets, seed).BuildFixes(units, routes);

    private List<PatrolRoute> BuildRoutes()
    {
        var random = new Random(Geo.Mix(_seed, 6));
        var routes = new List<PatrolRoute>();
        foreach (var zone in _frame.PatrolZones)
        {
            var prepared = PreparedGeometryFactory.Prepare(zone.Geometry);
            var env = zone.Geometry.EnvelopeInternal;
            var inside = _assets.Wells.Where(w => env.Contains(w.Location.Coordinate) && prepared.Contains(w.Location)).ToList();
            var keys = inside.Where(w => w.IsKeyWell).Take(10).ToList();
            var rest = inside.Where(w => !w.IsKeyWell).ToList();
            var stops = keys.Select(w => w.Location.Coordinate).ToList();
            while (stops.Count < 14 && rest.Count > 0)
            {
                var i = random.Next(rest.Count);
                stops.Add(rest[i].Location.Coordinate);
                rest.RemoveAt(i);
            }
            if (stops.Count < 3) stops.AddRange(Enumerable.Range(0, 3).Select(_ => zone.Geometry.InteriorPoint.Coordinate));
            var cx = stops.Average(c => c.X);
            var cy = stops.Average(c => c.Y);
            var ordered = stops.OrderBy(c => Math.Atan2((c.Y - cy) * Geo.Ky, (c.X - cx) * Geo.Kx)).ThenBy(c => c.X).ToList();
            ordered.Add(ordered[0]);
            var line = Geo.Factory.CreateLineString(ordered.Select(c => c.Copy()).ToArray());
            routes.Add(new PatrolRoute($"RT-{zone.Code[3..]}", zone.DepartmentCode, zone.Name + "巡逻路线", line));
        }
        return routes;
    }

    private IEnumerable<GpsFix> BuildFixes(IReadOnlyList<PatrolUnit> units, IReadOnlyList<PatrolRoute> routes)
    {
        // Where a department's patrols cross into a neighbour: the nearest key well of another department within 2.5 km of a route.
        var current = _frame.Jurisdictions.Where(j => j.Version.IsCurrent).ToDictionary(j => j.DepartmentCode, j => PreparedGeometryFactory.Prepare(j.Geometry));
        var keyWells = _assets.Wells.Where(w => w.IsKeyWell).ToList();
        var detours = new Dictionary<string, (int Vertex, double X, double Y)?>();
        foreach (var route in routes)
        {
            var own = current[route.DepartmentCode];
            (int, double, double)? best = null;
            var bestD = 2_500.0;
            foreach (var w in keyWells)
            {
                if (own.Contains(w.Location)) continue;
                if (!current.Values.Any(j => j.Contains(w.Location))) continue;
                for (var v = 0; v < route.Geometry.NumPoints; v++)
                {
                    var c = route.Geometry.GetCoordinateN(v);
                    var dist = Geo.DistanceM(c.X, c.Y, w.Location.X, w.Location.Y);
                    if (dist < bestD)
                    {
                        bestD = dist;
                        var (wx, wy) = Geo.ToLocal(w.Location.X, w.Location.Y);
                        best = (v, wx, wy);
                    }
                }
            }
            detours[route.Code] = best;
        }

        var byDepartment = routes.GroupBy(r => r.DepartmentCode).ToDictionary(g => g.Key, g => g.ToList());
        for (var u = 0; u < units.Count; u++)
        {
            var unit = units[u];
            var random = new Random(Geo.Mix(_seed, 1_000 + u));
            var own = byDepartment[unit.DepartmentCode];
            var indexInDepartment = int.Parse(unit.Code[(unit.Code.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture) - 1;
            var route = own[indexInDepartment % own.Count];
            var path = route.Geometry.Coordinates.Select(c => Geo.ToLocal(c.X, c.Y)).ToList();
            var detour = detours[route.Code];
            var now = SampleLayout.Now;
            for (var day = 90; day >= 1; day--)
            {
                if (random.NextDouble() < 0.1) continue;
                var date = now.AddDays(-day);
                var night = random.NextDouble() < 0.55;
                var shiftStart = date.AddSeconds(night ? random.Next(19 * 3600, 23 * 3600) : random.Next(7 * 3600, 10 * 3600));
                var shiftEnd = shiftStart.AddSeconds(random.Next(9_000, 16_200));
                var loop = new List<(double X, double Y)>(path);
                if (detour is { } d && random.NextDouble() < 0.3)
                {
                    var at = Math.Min(d.Vertex, loop.Count - 1);
                    loop.InsertRange(at + 1, [(d.X, d.Y), loop[at]]);
                }
                DateTimeOffset? gapFrom = null, gapTo = null;
                if (random.NextDouble() < 0.15)
                {
                    gapFrom = shiftStart.AddSeconds(random.Next(600, 5_000));
                    gapTo = gapFrom.Value.AddSeconds(random.Next(11 * 60, 25 * 60));
                }
                foreach (var fix in Drive(unit.Code, loop, shiftStart, shiftEnd, gapFrom, gapTo, random))
                {
                    if (fix.Time >= now) break;
                    yield return fix;
                }
            }
        }
    }

    private static IEnumerable<GpsFix> Drive(string unit, List<(double X, double Y)> loop, DateTimeOffset start, DateTimeOffset end,
        DateTimeOffset? gapFrom, DateTimeOffset? gapTo, Random random)
    {
        var segment = random.Next(loop.Count - 1);
        var along = 0.0;
        var speed = Geo.Uniform(random, 15, 40);
        var stopUntil = start;
        var t = start;
        var bearing = 0.0;
        while (t < end)
        {
            var stopped = t < stopUntil;
            var (ax, ay) = loop[segment];
            var (bx, by) = loop[segment + 1];
            var len = Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
            if (len > 0.1) bearing = (Math.Atan2(bx - ax, by - ay) * 180 / Math.PI + 360) % 360;
            var f = len > 0.1 ? along / len : 0;
            var x = ax + f * (bx - ax) + 3 * Geo.Gaussian(random);
            var y = ay + f * (by - ay) + 3 * Geo.Gaussian(random);
            if (gapFrom is null || t < gapFrom || t >= gapTo)
            {
                var (lon, lat) = Geo.ToLonLat(x, y);
                var reported = stopped ? Math.Abs(0.5 * Geo.Gaussian(random)) : Math.Max(0, speed + 2 * Geo.Gaussian(random));
                var b = Math.Round((bearing + 4 * Geo.Gaussian(random) + 360) % 360, 1) % 360;
                yield return new GpsFix(unit, t, lon, lat, Math.Round(reported, 1), b);
            }
            var dt = random.Next(35, 66);
            t = t.AddSeconds(dt);
            if (stopped) continue;
            var move = speed / 3.6 * dt;
            while (move > 0)
            {
                (ax, ay) = loop[segment];
                (bx, by) = loop[segment + 1];
                len = Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
                if (along + move < len) { along += move; break; }
                move -= len - along;
                along = 0;
                segment = (segment + 1) % (loop.Count - 1);
                speed = Geo.Uniform(random, 15, 40);
                if (random.NextDouble() < 0.3) { stopUntil = t.AddSeconds(random.Next(60, 300)); break; }
            }
        }
    }
}
