using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.LinearReferencing;
using NetTopologySuite.Operation.Linemerge;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Triangulate;

namespace MapControl.Data.Seeding;

/// <summary>The fixed part of the sample: zones, departments, jurisdictions, patrol zones, basemap and what was planted.</summary>
internal sealed record SampleFrame(
    IReadOnlyList<OilZone> OilZones,
    IReadOnlyList<Department> Departments,
    IReadOnlyList<Jurisdiction> Jurisdictions,
    IReadOnlyList<PatrolZone> PatrolZones,
    IReadOnlyList<BasemapFeature> Basemap,
    IReadOnlyList<PlantedFeature> Planted,
    Polygon Land);

/// <summary>Builds the zones and the department coverage with its planted gaps, overlaps and invalid edge.</summary>
internal sealed class FrameBuilder
{
    private readonly Random _random;

    private FrameBuilder(int seed) => _random = new Random(Geo.Mix(seed, 1));

    public static SampleFrame Build(int seed) => new FrameBuilder(seed).Run();

    private SampleFrame Run()
    {
        var basemap = BuildBasemap(out var land, out _);
        var zones = BuildZones(land);
        var planted = new List<PlantedFeature>();
        var (zonesFinal, current, oldSn) = BuildJurisdictions(zones, planted);
        var departments = SampleLayout.Departments.Select(d => new Department(d.Code, d.Name, d.Colour)).ToList();

        var initial = new VersionInfo(SampleLayout.InitialVersion, null, "system", "初始划定");
        var jurisdictions = new List<Jurisdiction>();
        long id = 1;
        foreach (var d in SampleLayout.Departments)
        {
            if (d.Code == "SN")
            {
                jurisdictions.Add(new Jurisdiction(id++, d.Code, oldSn, initial with { ValidTo = SampleLayout.Redraw }));
                jurisdictions.Add(new Jurisdiction(id++, d.Code, current[d.Code],
                    new VersionInfo(SampleLayout.Redraw, null, "planner_sn", "补齐与胜北交界处的空白带")));
            }
            else
            {
                jurisdictions.Add(new Jurisdiction(id++, d.Code, current[d.Code], initial));
            }
        }

        var patrolZones = BuildPatrolZones(current, initial, planted);
        return new SampleFrame(zonesFinal, departments, jurisdictions, patrolZones, basemap, planted, land);
    }

    // ---------------------------------------------------------------- basemap

    private static List<BasemapFeature> BuildBasemap(out Polygon land, out Polygon sea)
    {
        var f = Geo.Factory;
        Coordinate C((double Lon, double Lat) p) => new(Geo.Round(p.Lon), Geo.Round(p.Lat));
        var coast = SampleLayout.Coast.Select(C).ToArray();
        var seaRing = coast.Concat([new Coordinate(120.0, 37.05), new Coordinate(120.0, 38.6), new Coordinate(117.75, 38.6), coast[0]]).ToArray();
        sea = Geo.Orient(f.CreatePolygon(seaRing));
        var landRing = coast.Concat([new Coordinate(119.35, 36.85), new Coordinate(117.5, 36.85), new Coordinate(117.5, 38.15), coast[0]]).ToArray();
        land = Geo.Orient(f.CreatePolygon(landRing));

        var features = new List<BasemapFeature>
        {
            new(BasemapLayer.Sea, "渤海", "sea", sea),
            new(BasemapLayer.Coast, "海岸线", "coastline", f.CreateLineString(coast)),
            new(BasemapLayer.River, "黄河", "river", f.CreateLineString(SampleLayout.YellowRiver.Select(C).ToArray())),
        };
        foreach (var (name, kind, points) in SampleLayout.Roads)
            features.Add(new BasemapFeature(BasemapLayer.Road, name, kind, f.CreateLineString(points.Select(C).ToArray())));
        foreach (var (name, kind, lon, lat) in SampleLayout.Towns)
            features.Add(new BasemapFeature(BasemapLayer.Town, name, kind, Geo.Point(lon, lat)));
        return features;
    }

    // ---------------------------------------------------------------- zones

    private Dictionary<string, Geometry> BuildZones(Polygon land)
    {
        var specs = SampleLayout.Zones;
        var centres = specs.Select(z => Geo.ToLocal(z.Lon, z.Lat)).Select(p => new Coordinate(p.X, p.Y)).ToArray();
        var vb = new VoronoiDiagramBuilder();
        vb.SetSites(centres);
        vb.ClipEnvelope = new Envelope(-200_000, 200_000, -200_000, 200_000);
        var cells = vb.GetDiagram(Geo.LocalFactory);
        var landInner = Geo.ToLonLat(Geo.ToLocal(land).Buffer(-300));

        var zones = new Dictionary<string, Geometry>();
        for (var i = 0; i < specs.Length; i++)
        {
            var spec = specs[i];
            var cell = FindCell(cells, centres[i]).Buffer(-400);
            var star = Star(centres[i].X, centres[i].Y, spec.RadiusM, 72);
            Geometry zone = Geo.ToLonLat(star.Intersection(cell));
            zone = OverlayNG.Overlay(zone, landInner, SpatialFunction.Intersection);
            if (spec.Code == "OZ-DY")
            {
                var (lon, lat, r) = SampleLayout.DongyingTownHole;
                var (hx, hy) = Geo.ToLocal(lon, lat);
                zone = OverlayNG.Overlay(zone, Geo.ToLonLat(Star(hx, hy, r, 32, 0.15)), SpatialFunction.Difference);
            }
            if (spec.Code == "OZ-HK")
            {
                var (lon, lat, r) = SampleLayout.HekouSecondPart;
                var (px, py) = Geo.ToLocal(lon, lat);
                var part = Geo.ToLonLat(Star(px, py, r, 40).Intersection(cell));
                zone = OverlayNG.Overlay(zone, part, SpatialFunction.Union);
            }
            zones[spec.Code] = LargestParts(zone);
        }
        return zones;
    }

    private static Geometry FindCell(Geometry cells, Coordinate site)
    {
        var p = Geo.LocalFactory.CreatePoint(site);
        for (var i = 0; i < cells.NumGeometries; i++)
            if (cells.GetGeometryN(i).Contains(p)) return cells.GetGeometryN(i);
        throw new InvalidOperationException("Voronoi cell not found.");
    }

    /// <summary>Drops crumbs (parts under 0.1 km²) an overlay may leave.</summary>
    private static Geometry LargestParts(Geometry g)
    {
        var parts = Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>()
            .Where(p => Geo.ToLocal(p).Area > 100_000).ToArray();
        return Geo.Factory.CreateMultiPolygon(parts);
    }

    /// <summary>An irregular star-shaped polygon in local metres.</summary>
    private Polygon Star(double cx, double cy, double radius, int n, double amplitude = 0.28)
    {
        var harmonics = Enumerable.Range(2, 4).Select(k => (K: k, A: amplitude * _random.NextDouble() / (k - 1), Phi: _random.NextDouble() * 2 * Math.PI)).ToArray();
        var coords = new Coordinate[n + 1];
        for (var i = 0; i < n; i++)
        {
            var t = 2 * Math.PI * i / n;
            var r = radius * (1 + harmonics.Sum(h => h.A * Math.Cos(h.K * t + h.Phi))) * (1 + 0.03 * (_random.NextDouble() - 0.5));
            coords[i] = new Coordinate(cx + r * Math.Cos(t), cy + r * Math.Sin(t));
        }
        coords[n] = coords[0].Copy();
        return Geo.LocalFactory.CreatePolygon(coords);
    }

    // ---------------------------------------------------------------- jurisdictions

    private (List<OilZone> Zones, Dictionary<string, MultiPolygon> Current, MultiPolygon OldSn) BuildJurisdictions(
        Dictionary<string, Geometry> zones, List<PlantedFeature> planted)
    {
        // Pass 1: the plain partition, to find the shared boundaries the planted features sit on.
        var seeds = new Dictionary<string, List<(Coordinate Seed, string Label)>>();
        foreach (var spec in SampleLayout.Zones)
        {
            var (cx, cy) = Geo.ToLocal(spec.Lon, spec.Lat);
            seeds[spec.Code] = SampleLayout.Seeds[spec.Code].Select(s => (Geo.LonLat(cx + s.Dx, cy + s.Dy), s.Department)).ToList();
        }
        var pass1 = new Dictionary<string, List<Geometry>>();
        foreach (var spec in SampleLayout.Zones)
            foreach (var (face, label) in Partition.Faces(zones[spec.Code], seeds[spec.Code], []))
                (pass1.TryGetValue(label, out var list) ? list : pass1[label] = []).Add(face);
        var region = pass1.ToDictionary(kv => kv.Key, kv => UnaryUnionNG.Union(Geo.Factory.BuildGeometry(kv.Value), Geo.Precision));

        LineString Shared(string a, string b)
        {
            var common = OverlayNG.Overlay(region[a].Boundary, region[b].Boundary, SpatialFunction.Intersection);
            var merger = new LineMerger();
            for (var i = 0; i < common.NumGeometries; i++)
                if (common.GetGeometryN(i) is LineString ls) merger.Add(ls);
            var longest = merger.GetMergedLineStrings().OfType<LineString>().MaxBy(l => l.Length)
                ?? throw new InvalidOperationException($"{a} and {b} share no boundary.");
            return Geo.ToLocal(longest);
        }
        static LineString Sub(LineString local, double from, double to)
        {
            var lil = new LengthIndexedLine(local);
            return (LineString)lil.ExtractLine(from * local.Length, to * local.Length);
        }
        static Coordinate At(LineString local, double f) => new LengthIndexedLine(local).ExtractPoint(f * local.Length);

        var sbSn = Shared("SB", "SN");
        var snXh = Shared("SN", "XH");
        var sbXh = Shared("SB", "XH");
        var gdGdd = Shared("GD", "GDD");

        var gaps = new List<Geometry>();
        var overlaps = new List<(Geometry Shape, string From, string Add)>();

        void Gap(Geometry local, string description, params string[] departments)
        {
            var g = Geo.ToLonLat(local);
            gaps.Add(g);
            planted.Add(new PlantedFeature("gap", description, g, departments));
        }
        void Overlap(Geometry local, string from, string add, string description)
        {
            var g = Geo.ToLonLat(local);
            overlaps.Add((g, from, add));
            planted.Add(new PlantedFeature("overlap", description, g, [add, from]));
        }

        Gap(Sub(sbSn, 0.10, 0.40).Buffer(0.5, 8, NetTopologySuite.Operation.Buffer.EndCapStyle.Flat),
            "sliver gap ~1 m wide along 30% of the 胜北/胜南 boundary", "SB", "SN");
        var blob = At(snXh, 0.5);
        Gap(Star(blob.X, blob.Y, 300, 24, 0.2), "gap ~300 m radius on the 胜南/现河 boundary", "SN", "XH");
        var rectCentre = At(gdGdd, 0.65);
        Gap(Rectangle(gdGdd, 0.65, 600, 400), "gap ~600 m × 400 m on the 孤岛/孤东 boundary (hot spot inside)", "GD", "GDD");
        var bnShell = Geo.ToLocal(((Polygon)zones["OZ-BN"].GetGeometryN(0)).Shell);
        var edge = bnShell.GetCoordinateN(bnShell.NumPoints / 3);
        Gap(Star(edge.X, edge.Y, 500, 24, 0.2), "gap ~500 m radius at the outer edge of 滨南油区 (assigned to nobody)", "BN");

        Overlap(Sub(sbSn, 0.55, 0.85).Buffer(200), "SN", "SB", "overlap band 200 m wide: 胜北 reaches into 胜南");
        Overlap(Sub(sbXh, 0.15, 0.45).Buffer(300), "SB", "XH", "overlap band 300 m wide: 现河 reaches into 胜北");
        Overlap(Sub(gdGdd, 0.10, 0.35).Buffer(150), "GD", "GDD", "overlap band 150 m wide: 孤东 reaches into 孤岛");

        var oldChunkLocal = Sub(sbSn, 0.0, 0.09).Buffer(500);
        var oldChunk = Geo.ToLonLat(oldChunkLocal);
        planted.Add(new PlantedFeature("redraw", "胜南 before 2025-11-20 left this 500 m band along the 胜北 boundary unassigned; the redraw closed it",
            oldChunk, ["SN"]));

        // Pass 2: the partition noded with every planted shape, faces labelled.
        var extras = gaps.Concat(overlaps.Select(o => o.Shape)).Append(oldChunk).ToList();
        var deptFaces = SampleLayout.Departments.ToDictionary(d => d.Code, _ => new List<Geometry>());
        var oldSnFaces = new List<Geometry>();
        var zoneList = new List<OilZone>();
        var preparedGaps = gaps.Select(PreparedGeometryFactory.Prepare).ToList();
        var preparedOverlaps = overlaps.Select(o => (P: PreparedGeometryFactory.Prepare(o.Shape), o.From, o.Add)).ToList();
        var preparedOld = PreparedGeometryFactory.Prepare(oldChunk);
        foreach (var spec in SampleLayout.Zones)
        {
            var faces = Partition.Faces(zones[spec.Code], seeds[spec.Code], extras);
            foreach (var (face, label) in faces)
            {
                var ip = face.InteriorPoint;
                if (preparedGaps.Any(g => g.Contains(ip))) continue;
                deptFaces[label].Add(face);
                foreach (var (p, from, add) in preparedOverlaps)
                    if (label == from && p.Contains(ip)) deptFaces[add].Add(face);
                if (label == "SN" && !preparedOld.Contains(ip)) oldSnFaces.Add(face);
            }
            var zone = Geo.AsMultiPolygon(UnaryUnionNG.Union(Geo.Factory.BuildGeometry(faces.Select(f => (Geometry)f.Face).ToList()), Geo.Precision));
            zoneList.Add(new OilZone(spec.Code, spec.Name, zone));
        }
        var current = deptFaces.ToDictionary(kv => kv.Key,
            kv => Geo.AsMultiPolygon(UnaryUnionNG.Union(Geo.Factory.BuildGeometry(kv.Value), Geo.Precision)));
        var oldSn = Geo.AsMultiPolygon(UnaryUnionNG.Union(Geo.Factory.BuildGeometry(oldSnFaces), Geo.Precision));

        // The invalid edge: 现河's side of a stretch of the 胜北/现河 boundary gets vertices a few cm off.
        var (xh, location) = NearCoincident(current["XH"], current["SB"], Geo.ToLonLat(Sub(sbXh, 0.55, 0.95).Buffer(5)));
        current["XH"] = xh;
        planted.Add(new PlantedFeature("invalid_edge", "near-coincident 胜北/现河 boundary: 现河's vertices 2–5 cm off 胜北's edge", location, ["SB", "XH"]));
        _ = rectCentre;
        return (zoneList, current, oldSn);
    }

    private static Polygon Rectangle(LineString local, double f, double along, double across)
    {
        var lil = new LengthIndexedLine(local);
        var c = lil.ExtractPoint(f * local.Length);
        var d = lil.ExtractPoint(Math.Min(local.Length, f * local.Length + 10));
        var e = lil.ExtractPoint(Math.Max(0, f * local.Length - 10));
        var ux = d.X - e.X; var uy = d.Y - e.Y; var n = Math.Sqrt(ux * ux + uy * uy); ux /= n; uy /= n;
        var vx = -uy; var vy = ux;
        Coordinate P(double a, double b) => new(c.X + a * ux + b * vx, c.Y + a * uy + b * vy);
        return Geo.LocalFactory.CreatePolygon([P(-along / 2, -across / 2), P(along / 2, -across / 2), P(along / 2, across / 2), P(-along / 2, across / 2), P(-along / 2, -across / 2)]);
    }

    private (MultiPolygon Geometry, Geometry Location) NearCoincident(MultiPolygon target, MultiPolygon neighbour, Geometry stretch)
    {
        var neighbourBoundary = neighbour.Boundary;
        var prepared = PreparedGeometryFactory.Prepare(stretch);
        var polygons = new List<Polygon>();
        var touched = new List<Coordinate>();
        for (var pi = 0; pi < target.NumGeometries; pi++)
        {
            var poly = (Polygon)target.GetGeometryN(pi);
            var shell = poly.Shell.Coordinates;
            var result = new List<Coordinate> { shell[0] };
            for (var i = 0; i + 1 < shell.Length; i++)
            {
                var a = shell[i]; var b = shell[i + 1];
                var (ax, ay) = Geo.ToLocal(a.X, a.Y);
                var (bx, by) = Geo.ToLocal(b.X, b.Y);
                var len = Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
                var mid = Geo.Factory.CreatePoint(new Coordinate((a.X + b.X) / 2, (a.Y + b.Y) / 2));
                if (len > 250 && prepared.Contains(mid) && neighbourBoundary.Distance(mid) < 1e-7)
                {
                    var steps = (int)Math.Max(2, Math.Round(len / 50));
                    var nx = -(by - ay) / len; var ny = (bx - ax) / len;
                    for (var s = 1; s < steps; s++)
                    {
                        var t = (double)s / steps;
                        var off = (0.02 + 0.03 * _random.NextDouble()) * (_random.Next(2) == 0 ? -1 : 1);
                        var c = Geo.LonLat(ax + t * (bx - ax) + off * nx, ay + t * (by - ay) + off * ny);
                        result.Add(c);
                        touched.Add(c);
                    }
                }
                result.Add(b);
            }
            polygons.Add(Geo.Factory.CreatePolygon(Geo.Factory.CreateLinearRing(result.ToArray()), poly.Holes));
        }
        if (touched.Count == 0) throw new InvalidOperationException($"No shared edge for the near-coincident boundary in {stretch.EnvelopeInternal}.");
        return (Geo.Orient(Geo.Factory.CreateMultiPolygon(polygons.ToArray())), Geo.Factory.CreateMultiPointFromCoords(touched.ToArray()));
    }

    // ---------------------------------------------------------------- patrol zones

    private List<PatrolZone> BuildPatrolZones(Dictionary<string, MultiPolygon> current, VersionInfo initial, List<PlantedFeature> planted)
    {
        string[] numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        var result = new List<PatrolZone>();
        long id = 1;
        foreach (var d in SampleLayout.Departments)
        {
            var j = current[d.Code];
            var parts = Enumerable.Range(0, j.NumGeometries).Select(i => (Polygon)j.GetGeometryN(i))
                .OrderByDescending(p => Geo.ToLocal(p).Area).ToList();
            var big = parts.Where(p => Geo.ToLocal(p).Area > 500_000).ToList();
            var n = 0;
            for (var k = 0; k < parts.Count; k++)
            {
                var part = parts[k];
                var seedsWanted = k == 0 ? Math.Max(1, d.PatrolZones - (big.Count - 1)) : 1;
                var seeds = RandomPoints(part, seedsWanted).Select((c, i) => (c, i.ToString())).ToList();
                var faces = Partition.Faces(part, seeds, []);
                var extras = new List<Geometry>();
                Geometry? gap = null;
                if (d.Code == "SB" && k == 0 && seeds.Count >= 2)
                {
                    var byLabel = faces.GroupBy(f => f.Label).ToDictionary(g => g.Key, g => UnaryUnionNG.Union(Geo.Factory.BuildGeometry(g.Select(f => (Geometry)f.Face).ToList()), Geo.Precision));
                    var common = OverlayNG.Overlay(byLabel["0"].Boundary, byLabel["1"].Boundary, SpatialFunction.Intersection);
                    var line = Geo.ToLocal(common.GetGeometryN(0));
                    var c = line.InteriorPoint.Coordinate;
                    gap = Geo.ToLonLat(Star(c.X, c.Y, 250, 20, 0.2));
                    extras.Add(gap);
                    planted.Add(new PlantedFeature("patrol_zone_gap", "gap ~250 m radius between 胜北一区 and 胜北二区", gap, ["SB"]));
                    faces = Partition.Faces(part, seeds, extras);
                }
                var prepGap = gap is null ? null : PreparedGeometryFactory.Prepare(gap);
                foreach (var group in faces.Where(f => prepGap is null || !prepGap.Contains(f.Face.InteriorPoint)).GroupBy(f => f.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var union = UnaryUnionNG.Union(Geo.Factory.BuildGeometry(group.Select(f => (Geometry)f.Face).ToList()), Geo.Precision);
                    for (var i = 0; i < union.NumGeometries; i++)
                    {
                        if (union.GetGeometryN(i) is not Polygon p || Geo.ToLocal(p).Area < 20_000) continue;
                        n++;
                        var name = d.ShortName + (n <= numerals.Length ? numerals[n - 1] : n.ToString()) + "区";
                        result.Add(new PatrolZone(id++, $"PZ-{d.Code}-{n}", d.Code, name, Geo.Orient(p), initial));
                    }
                }
            }
        }
        return result;
    }

    private List<Coordinate> RandomPoints(Polygon polygon, int count)
    {
        var prepared = PreparedGeometryFactory.Prepare(polygon);
        var env = polygon.EnvelopeInternal;
        var points = new List<Coordinate>();
        var guard = 0;
        while (points.Count < count && guard++ < 100_000)
        {
            var c = new Coordinate(Geo.Round(Geo.Uniform(_random, env.MinX, env.MaxX)), Geo.Round(Geo.Uniform(_random, env.MinY, env.MaxY)));
            if (!prepared.Contains(Geo.Factory.CreatePoint(c))) continue;
            if (points.Any(p => Geo.DistanceM(p.X, p.Y, c.X, c.Y) < 1500) && guard < 5_000) continue;
            points.Add(c);
        }
        return points;
    }
}

/// <summary>Partitions a frame among labelled seeds (Voronoi), noded once so that neighbours share exact edges.</summary>
internal static class Partition
{
    /// <summary>Faces of the frame cut by the Voronoi edges of the seeds and the boundaries of extra shapes; label = nearest seed.</summary>
    public static List<(Polygon Face, string Label)> Faces(Geometry frame, IReadOnlyList<(Coordinate Seed, string Label)> seeds, IReadOnlyList<Geometry> extras)
    {
        var lines = new List<Geometry> { frame.Boundary };
        if (seeds.Count > 1)
        {
            var vb = new VoronoiDiagramBuilder();
            vb.SetSites(seeds.Select(s => s.Seed).ToArray());
            var env = frame.EnvelopeInternal.Copy();
            env.ExpandBy(0.05);
            vb.ClipEnvelope = env;
            var cells = vb.GetDiagram(Geo.Factory);
            for (var i = 0; i < cells.NumGeometries; i++) lines.Add(Geo.ToLonLat(Geo.ToLocal(cells.GetGeometryN(i))).Boundary);
        }
        var frameEnv = frame.EnvelopeInternal;
        foreach (var e in extras)
            if (e.EnvelopeInternal.Intersects(frameEnv)) lines.Add(e.Boundary);
        var noded = UnaryUnionNG.Union(Geo.Factory.BuildGeometry(lines), Geo.Precision);
        var polygonizer = new Polygonizer();
        polygonizer.Add(noded);
        var prepared = PreparedGeometryFactory.Prepare(frame);
        var faces = new List<(Polygon, string)>();
        foreach (var g in polygonizer.GetPolygons())
        {
            var face = (Polygon)g;
            var ip = face.InteriorPoint;
            if (!prepared.Contains(ip)) continue;
            var best = 0; var bestD = double.MaxValue;
            for (var i = 0; i < seeds.Count; i++)
            {
                var dist = seeds[i].Seed.Distance(ip.Coordinate);
                if (dist < bestD) { bestD = dist; best = i; }
            }
            faces.Add((face, seeds[best].Label));
        }
        return faces;
    }
}
