using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace MapControl.Data.Seeding;

/// <summary>Wells, key wells, cameras and idle sites of the sample, plus what later layers need to know about them.</summary>
internal sealed record SampleAssets(
    IReadOnlyList<Well> Wells,
    IReadOnlyList<Camera> Cameras,
    IReadOnlyList<IdleSite> IdleSites,
    IReadOnlyDictionary<string, string> IdleSiteZone);

/// <summary>Lays out wells along rows of oilfield blocks, picks key wells, points cameras at them and marks idle sites.</summary>
internal sealed class AssetBuilder
{
    private readonly Random _random;
    private readonly SampleFrame _frame;
    private readonly double _size;

    private AssetBuilder(SampleFrame frame, int seed, double size)
    {
        _frame = frame;
        _size = size;
        _random = new Random(Geo.Mix(seed, 2));
    }

    public static SampleAssets Build(SampleFrame frame, int seed, double size) => new AssetBuilder(frame, seed, size).Run();

    private SampleAssets Run()
    {
        var wells = BuildWells();
        var (keyed, cameras) = BuildKeyWellsAndCameras(wells);
        var (sites, siteZone) = BuildIdleSites(keyed);
        return new SampleAssets(keyed, cameras, sites, siteZone);
    }

    private List<Well> BuildWells()
    {
        var total = (int)Math.Round(15_000 * _size);
        var zones = _frame.OilZones;
        var areas = zones.Select(z => Geo.ToLocal(z.Geometry).Area).ToArray();
        var sum = areas.Sum();
        var wells = new List<Well>(total);
        var assigned = 0;
        for (var zi = 0; zi < zones.Count; zi++)
        {
            var zone = zones[zi];
            var spec = SampleLayout.Zones.Single(s => s.Code == zone.Code);
            var target = zi == zones.Count - 1 ? total - assigned : (int)Math.Round(total * areas[zi] / sum);
            assigned += target;
            var prepared = PreparedGeometryFactory.Prepare(zone.Geometry);
            var env = Geo.ToLocal(zone.Geometry).EnvelopeInternal;
            var count = 0;
            var block = 0;
            // Denser blocks when the sample is scaled up, so the geography stays the same.
            var density = Math.Max(1.0, Math.Sqrt(_size));
            while (count < target)
            {
                block++;
                var cx = Geo.Uniform(_random, env.MinX, env.MaxX);
                var cy = Geo.Uniform(_random, env.MinY, env.MaxY);
                if (!prepared.Contains(Geo.PointLocal(cx, cy))) { block--; continue; }
                var angle = _random.NextDouble() * Math.PI;
                var (ux, uy) = (Math.Cos(angle), Math.Sin(angle));
                var rowSpacing = Geo.Uniform(_random, 250, 400) / density;
                var wellSpacing = Geo.Uniform(_random, 180, 300) / density;
                var rows = _random.Next(4, 13);
                var perRow = _random.Next(6, 19);
                for (var r = 0; r < rows && count < target; r++)
                {
                    for (var w = 0; w < perRow && count < target; w++)
                    {
                        if (_random.NextDouble() < 0.1) continue;
                        var a = (w - perRow / 2.0) * wellSpacing + 20 * Geo.Gaussian(_random);
                        var b = (r - rows / 2.0) * rowSpacing + 15 * Geo.Gaussian(_random);
                        var p = Geo.PointLocal(cx + a * ux - b * uy, cy + a * uy + b * ux);
                        if (!prepared.Contains(p)) continue;
                        var kind = Geo.Pick(_random, [0.72, 0.25, 0.03]) switch { 0 => WellKind.Oil, 1 => WellKind.WaterInjection, _ => WellKind.Gas };
                        var status = Geo.Pick(_random, [0.68, 0.12, 0.12, 0.08]) switch
                        {
                            0 => WellStatus.Producing, 1 => WellStatus.ShutIn, 2 => WellStatus.Idle, _ => WellStatus.Workover,
                        };
                        var letter = kind == WellKind.WaterInjection ? "S" : _random.NextDouble() < 0.3 ? "X" : "";
                        var code = $"{spec.WellPrefix}{block}-{r + 1}-{letter}{w + 1}";
                        wells.Add(new Well(code, p, kind, status, false, zone.Code));
                        count++;
                    }
                }
            }
        }
        return wells;
    }

    private (List<Well> Wells, List<Camera> Cameras) BuildKeyWellsAndCameras(List<Well> wells)
    {
        var keyCount = Math.Min(wells.Count, (int)Math.Round(470 * _size));
        var unwatched = Math.Max(1, (int)Math.Round(30 * _size));
        // Key wells: producing or workover oil wells first, in a seeded random order.
        var candidates = Enumerable.Range(0, wells.Count)
            .Where(i => wells[i].Kind == WellKind.Oil && wells[i].Status is WellStatus.Producing or WellStatus.Workover).ToList();
        var others = Enumerable.Range(0, wells.Count).Except(candidates).ToList();
        Shuffle(candidates);
        Shuffle(others);
        var keys = candidates.Concat(others).Take(keyCount).ToList();
        var result = wells.ToList();
        foreach (var i in keys) result[i] = result[i] with { IsKeyWell = true };

        var cameras = new List<Camera>();
        var n = 0;
        for (var k = 0; k < keys.Count - unwatched; k++)
        {
            var well = result[keys[k]];
            var fov = Math.Round(Geo.Uniform(_random, 60, 120));
            var range = Math.Round(Geo.Uniform(_random, 150, 400));
            var distance = Geo.Uniform(_random, 30, 0.7 * range);
            var fromWell = _random.NextDouble() * 2 * Math.PI;
            var (wx, wy) = Geo.ToLocal(well.Location.X, well.Location.Y);
            var location = Geo.PointLocal(wx + distance * Math.Sin(fromWell), wy + distance * Math.Cos(fromWell));
            var toWell = Geo.BearingDeg(location.X, location.Y, well.Location.X, well.Location.Y);
            var heading = Math.Round((toWell + Geo.Uniform(_random, -0.4, 0.4) * fov / 2 + 360) % 360, 1);
            cameras.Add(new Camera($"CAM-{++n:D5}", location, heading, fov, range, well.Code));
        }
        return (result, cameras);
    }

    private (List<IdleSite> Sites, Dictionary<string, string> Zone) BuildIdleSites(List<Well> wells)
    {
        var count = (int)Math.Round(150 * _size);
        var sites = new List<IdleSite>(count);
        var zoneOf = new Dictionary<string, string>();
        var prepared = _frame.OilZones.ToDictionary(z => z.Code, z => PreparedGeometryFactory.Prepare(z.Geometry));
        var idleWells = wells.Where(w => w.Status is WellStatus.Idle or WellStatus.ShutIn).ToList();
        var start = DateOnly.FromDateTime(SampleLayout.Now.AddYears(-3).DateTime);
        var end = DateOnly.FromDateTime(SampleLayout.Now.DateTime).AddDays(-1);
        var span = end.DayNumber - start.DayNumber;
        string[] kindNames = ["闲置井场", "废弃院落", "闲置平台", "停用站"];
        while (sites.Count < count)
        {
            var well = idleWells[_random.Next(idleWells.Count)];
            var pick = Geo.Pick(_random, [0.5, 0.2, 0.15, 0.15]);
            var kind = IdleSiteKind.Builtin[Math.Min(pick, 3)]; // well pad, yard, platform, station
            var (w, h) = pick switch
            {
                0 => (Geo.Uniform(_random, 40, 80), Geo.Uniform(_random, 30, 60)),
                1 => (Geo.Uniform(_random, 60, 150), Geo.Uniform(_random, 50, 120)),
                2 => (Geo.Uniform(_random, 30, 60), Geo.Uniform(_random, 30, 60)),
                _ => (Geo.Uniform(_random, 50, 120), Geo.Uniform(_random, 40, 100)),
            };
            var offset = kind == IdleSiteKind.WellPad ? 0 : Geo.Uniform(_random, 80, 200);
            var dir = _random.NextDouble() * 2 * Math.PI;
            var (wx, wy) = Geo.ToLocal(well.Location.X, well.Location.Y);
            var (cx, cy) = (wx + offset * Math.Cos(dir), wy + offset * Math.Sin(dir));
            var angle = _random.NextDouble() * Math.PI;
            var (ux, uy) = (Math.Cos(angle), Math.Sin(angle));
            Coordinate P(double a, double b) => Geo.LonLat(cx + a * ux - b * uy, cy + a * uy + b * ux);
            var ring = new[] { P(-w / 2, -h / 2), P(w / 2, -h / 2), P(w / 2, h / 2), P(-w / 2, h / 2), P(-w / 2, -h / 2) };
            var polygon = Geo.Orient(Geo.Factory.CreatePolygon(ring));
            if (!prepared[well.OilZoneCode].Contains(polygon)) continue;
            var status = Geo.Pick(_random, [0.55, 0.30, 0.15]) switch { 0 => IdleSiteStatus.Idle, 1 => IdleSiteStatus.Encroached, _ => IdleSiteStatus.Reclaimed };
            DateOnly? encroached = null, reclaimed = null;
            if (status != IdleSiteStatus.Idle)
            {
                encroached = start.AddDays(_random.Next(span - 60));
                if (status == IdleSiteStatus.Reclaimed)
                    reclaimed = encroached.Value.AddDays(Math.Min(end.DayNumber - encroached.Value.DayNumber, _random.Next(30, 300)));
            }
            var zoneName = SampleLayout.Zones.Single(z => z.Code == well.OilZoneCode).Name.Replace("油区", "");
            var code = $"XZ-{sites.Count + 1:D4}";
            sites.Add(new IdleSite(code, $"{zoneName}{kindNames[Math.Min(pick, 3)]}{sites.Count + 1}号", kind, polygon, status, encroached, reclaimed));
            zoneOf[code] = well.OilZoneCode;
        }
        return (sites, zoneOf);
    }

    private void Shuffle(List<int> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
