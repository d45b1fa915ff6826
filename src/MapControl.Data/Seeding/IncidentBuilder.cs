using MapControl.Core.Model;
using NetTopologySuite.Geometries.Prepared;

namespace MapControl.Data.Seeding;

/// <summary>A planted hot spot: a Gaussian cluster of incidents, active in a time window.</summary>
internal sealed record HotSpot(string Description, double Lon, double Lat, double SigmaM, double Share, DateTimeOffset From, DateTimeOffset To);

/// <summary>Three years of incidents in time order: seasonal, per-zone rates, hot spots, a downward last year.</summary>
internal sealed class IncidentBuilder
{
    /// <summary>Relative monthly rate, January first (青纱帐: tall summer crops hide thieves).</summary>
    internal static readonly double[] Season = [1.10, 0.70, 0.90, 1.00, 1.05, 1.15, 1.30, 1.35, 1.25, 1.00, 0.90, 1.00];

    /// <summary>Rate of the last 12 months against the 12 before them (the −18% of the headline).</summary>
    internal const double LastYearTrend = 0.817;

    private static readonly double[] HourWeights =
        [1.6, 1.6, 1.6, 1.5, 1.3, 1.0, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.7, 0.9, 1.0, 1.2, 1.5, 1.6];

    private readonly Random _random;
    private readonly SampleFrame _frame;
    private readonly SampleAssets _assets;
    private readonly IReadOnlyList<HotSpot> _hotSpots;
    private readonly double _scale;

    private IncidentBuilder(SampleFrame frame, SampleAssets assets, IReadOnlyList<HotSpot> hotSpots, int seed, double scale)
    {
        _frame = frame;
        _assets = assets;
        _hotSpots = hotSpots;
        _scale = scale;
        _random = new Random(Geo.Mix(seed, 4));
    }

    public static IEnumerable<Incident> Stream(SampleFrame frame, SampleAssets assets, IReadOnlyList<HotSpot> hotSpots, int seed, double scale) =>
        new IncidentBuilder(frame, assets, hotSpots, seed, scale).Run();

    /// <summary>The planted hot spots (a seeded choice of wells and the 孤岛/孤东 gap).</summary>
    public static IReadOnlyList<HotSpot> HotSpots(SampleFrame frame, SampleAssets assets, int seed)
    {
        var random = new Random(Geo.Mix(seed, 3));
        var now = SampleLayout.Now;
        var start = now.AddYears(-3);
        Well RandomWell(string zone, string department)
        {
            var j = PreparedGeometryFactory.Prepare(frame.Jurisdictions.Single(x => x.DepartmentCode == department && x.Version.IsCurrent).Geometry);
            var candidates = assets.Wells.Where(w => w.OilZoneCode == zone && w.Kind == WellKind.Oil && j.Contains(w.Location)).ToList();
            if (candidates.Count == 0) candidates = assets.Wells.Where(w => w.OilZoneCode == zone).ToList();
            if (candidates.Count == 0) candidates = assets.Wells.ToList();
            return candidates[random.Next(candidates.Count)];
        }
        var gd = RandomWell("OZ-GD", "GD");
        var gdd = RandomWell("OZ-GDD", "GDD");
        var hk = RandomWell("OZ-HK", "HK");
        var gap = frame.Planted.First(p => p.Kind == "gap" && p.Departments.Contains("GDD")).Geometry.Centroid;
        return
        [
            new("孤岛 casing theft cluster around well " + gd.Code + ", all three years", gd.Location.X, gd.Location.Y, 150, 0.06, start, now),
            new("孤东 cluster around well " + gdd.Code + ", first two years only (faded)", gdd.Location.X, gdd.Location.Y, 200, 0.07, start, now.AddYears(-1)),
            new("inside the 孤岛/孤东 gap, all three years", Geo.Round(gap.X), Geo.Round(gap.Y), 120, 0.04, start, now),
            new("河口 cluster around well " + hk.Code + ", last six months only (emerging)", hk.Location.X, hk.Location.Y, 180, 0.20, now.AddMonths(-6), now),
        ];
    }

    private IEnumerable<Incident> Run()
    {
        var now = SampleLayout.Now;
        var start = now.AddYears(-3);
        var days = (int)(now - start).TotalDays;
        var weights = new double[days];
        var window = new int[days];
        var plain = new double[3];
        var noisy = new double[3];
        for (var d = 0; d < days; d++)
        {
            var date = start.AddDays(d);
            window[d] = date >= now.AddYears(-1) ? 2 : date >= now.AddYears(-2) ? 1 : 0;
            var trend = window[d] switch { 2 => LastYearTrend, 1 => 1.0, _ => 1.03 };
            plain[window[d]] += Season[date.Month - 1] * trend;
            weights[d] = Season[date.Month - 1] * trend * Geo.Uniform(_random, 0.75, 1.25);
            noisy[window[d]] += weights[d];
        }
        // Day-to-day noise, but each 12-month window keeps its exact share, so the year-over-year change is the planted one.
        for (var d = 0; d < days; d++) weights[d] *= plain[window[d]] / noisy[window[d]];
        var total = (int)Math.Round(8_000 * _scale);
        var sum = weights.Sum();

        var zones = SampleLayout.Zones;
        var wellsByZone = zones.Select(z => _assets.Wells.Where(w => w.OilZoneCode == z.Code).ToArray()).ToArray();
        var workoverByZone = wellsByZone.Select(ws => ws.Where(w => w.Status == WellStatus.Workover).ToArray()).ToArray();
        var oilByZone = wellsByZone.Select(ws => ws.Where(w => w.Kind == WellKind.Oil).ToArray()).ToArray();
        var sitesByZone = zones.Select(z => _assets.IdleSites.Where(s => _assets.IdleSiteZone[s.Code] == z.Code).ToArray()).ToArray();
        var zoneWeights = zones.Select((z, i) => wellsByZone[i].Length * z.CrimeFactor).ToArray();

        var cumulative = 0.0;
        var emitted = 0;
        for (var d = 0; d < days; d++)
        {
            cumulative += weights[d];
            var upTo = d == days - 1 ? total : (int)Math.Round(total * cumulative / sum);
            var count = upTo - emitted;
            emitted = upTo;
            var day = start.AddDays(d);
            var times = new long[count];
            for (var i = 0; i < count; i++)
            {
                var hour = Geo.Pick(_random, HourWeights);
                times[i] = hour * 3600 + _random.Next(3600);
            }
            Array.Sort(times);
            for (var i = 0; i < count; i++)
                yield return Make(day.AddSeconds(times[i]), i + 1, zones, wellsByZone, workoverByZone, oilByZone, sitesByZone, zoneWeights);
        }
    }

    private Incident Make(DateTimeOffset occurred, int seq, ZoneSpec[] zones, Well[][] wellsByZone, Well[][] workoverByZone, Well[][] oilByZone,
        IdleSite[][] sitesByZone, double[] zoneWeights)
    {
        IncidentKind kind;
        double x, y;
        var u = _random.NextDouble();
        var hot = _hotSpots.FirstOrDefault(h =>
        {
            if (occurred < h.From || occurred >= h.To) return false;
            u -= h.Share;
            return u < 0;
        });
        if (hot is not null)
        {
            kind = Geo.Pick(_random, [0.7, 0.2, 0.0, 0.1]) switch { 0 => IncidentKind.CasingTheft, 1 => IncidentKind.PipelineTapping, _ => IncidentKind.EquipmentTheft };
            var (hx, hy) = Geo.ToLocal(hot.Lon, hot.Lat);
            (x, y) = (hx + hot.SigmaM * Geo.Gaussian(_random), hy + hot.SigmaM * Geo.Gaussian(_random));
        }
        else
        {
            var z = Geo.Pick(_random, zoneWeights);
            kind = IncidentKind.Sample[Geo.Pick(_random, [0.40, 0.15, 0.15, 0.20, 0.10])];
            if (kind == IncidentKind.Encroachment && sitesByZone[z].Length == 0) kind = IncidentKind.EquipmentTheft;
            (double X, double Y) Near(Well w, double sigma)
            {
                var (wx, wy) = Geo.ToLocal(w.Location.X, w.Location.Y);
                return (wx + sigma * Geo.Gaussian(_random), wy + sigma * Geo.Gaussian(_random));
            }
            Well Any(Well[] ws, Well[] fallback) => ws.Length > 0 ? ws[_random.Next(ws.Length)] : fallback[_random.Next(fallback.Length)];
            if (kind == IncidentKind.CasingTheft)
                (x, y) = Near(Any(oilByZone[z], wellsByZone[z]), 10);
            else if (kind == IncidentKind.WorkoverOilCollection)
                (x, y) = Near(Any(workoverByZone[z], wellsByZone[z]), 15);
            else if (kind == IncidentKind.PipelineTapping)
            {
                var w = Any(oilByZone[z], wellsByZone[z]);
                var (wx, wy) = Geo.ToLocal(w.Location.X, w.Location.Y);
                var dir = _random.NextDouble() * 2 * Math.PI;
                var dist = Geo.Uniform(_random, 50, 400);
                (x, y) = (wx + dist * Math.Cos(dir), wy + dist * Math.Sin(dir));
            }
            else if (kind == IncidentKind.Encroachment)
            {
                var site = sitesByZone[z][_random.Next(sitesByZone[z].Length)];
                var c = site.Geometry.Centroid;
                var (sx, sy) = Geo.ToLocal(c.X, c.Y);
                (x, y) = (sx + 8 * Geo.Gaussian(_random), sy + 8 * Geo.Gaussian(_random));
            }
            else
                (x, y) = Near(wellsByZone[z][_random.Next(wellsByZone[z].Length)], 40);
        }

        var source = (DiscoverySource)Geo.Pick(_random, [0.42, 0.26, 0.18, 0.08, 0.06]);
        var own = source is DiscoverySource.Patrol or DiscoverySource.Video or DiscoverySource.Inspection;
        var hours = Math.Exp(Math.Log(own ? 3.0 : 30.0) + (own ? 1.3 : 1.0) * Geo.Gaussian(_random));
        var delay = TimeSpan.FromSeconds(Math.Max(300, Math.Round(hours * 3600)));
        var discovered = occurred + delay;
        if (discovered >= SampleLayout.Now) discovered = SampleLayout.Now.AddSeconds(-1);

        var oil = 0.0;
        if ((kind == IncidentKind.CasingTheft || kind == IncidentKind.PipelineTapping || kind == IncidentKind.WorkoverOilCollection) && _random.NextDouble() < 0.65)
            oil = Math.Round(Math.Exp(Math.Log(kind == IncidentKind.PipelineTapping ? 2.0 : 0.6) + 0.9 * Geo.Gaussian(_random)), 2);

        var age = SampleLayout.Now - occurred;
        double[] statusWeights = age.TotalDays < 30 ? [0.6, 0.3, 0.1] : age.TotalDays < 180 ? [0.2, 0.5, 0.3] : [0.04, 0.56, 0.40];
        var status = (IncidentStatus)Geo.Pick(_random, statusWeights);
        var code = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"AJ-{occurred:yyyyMMdd}-{seq:D4}");
        return new Incident(code, kind, occurred, discovered, source, Geo.Publish(Geo.PointLocal(x, y)), oil, status);
    }
}
