using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Benchmarks;

/// <summary>Benchmark sizes: the full run of the targets, and a quick one for trying the script.</summary>
public sealed record BenchSizes(
    int Cols, int Rows, int VerticesPerEdge, int Incidents, int GpsFixes, int PatrolUnits,
    int Iterations, int PeerIterations, int TurfIterations, int CoverageIterations, bool Quick)
{
    /// <summary>The sizes of issue 3 item 8: 200 jurisdictions × ~2,000 vertices, 10⁶ incidents, 10⁶ GPS fixes.</summary>
    public static BenchSizes Full { get; } = new(20, 10, 500, 1_000_000, 1_000_000, 20, 5, 5, 3, 7, false);

    /// <summary>Smaller sizes for a fast check of the whole pipeline.</summary>
    public static BenchSizes QuickRun { get; } = new(10, 5, 100, 100_000, 100_000, 20, 5, 3, 2, 5, true);

    /// <summary>Number of jurisdictions.</summary>
    public int Jurisdictions => Cols * Rows;
}

/// <summary>Generated benchmark data, all from fixed seeds.</summary>
public sealed class BenchData
{
    public const int Seed = 20261129;

    /// <summary>Frame of the jurisdiction tiling, lon/lat (Dongying area).</summary>
    public static readonly Envelope Frame = new(118.30, 119.00, 37.20, 37.80);

    /// <summary>Frame of the patrol scenario, lon/lat.</summary>
    public static readonly Envelope PatrolFrame = new(118.45, 118.75, 37.35, 37.60);

    public static readonly GeometryFactory LonLat = new(new PrecisionModel(), 4326);

    public required BenchSizes Sizes { get; init; }

    /// <summary>Clean tiling (a partition of the frame) for point assignment.</summary>
    public required IReadOnlyList<Polygon> Tiling { get; init; }

    /// <summary>The tiling with planted gaps and overlaps, for the coverage check.</summary>
    public required IReadOnlyList<Polygon> Defective { get; init; }

    public required int PlantedGaps { get; init; }

    public required int PlantedOverlaps { get; init; }

    /// <summary>Incident longitudes and latitudes (struct form for HotSpotAnalysis too).</summary>
    public required double[] Lon { get; init; }

    public required double[] Lat { get; init; }

    public required IncidentPoint[] Incidents { get; init; }

    /// <summary>Department jurisdictions of the patrol scenario, code → polygon (lon/lat).</summary>
    public required IReadOnlyDictionary<string, Geometry> Departments { get; init; }

    public required IReadOnlyList<PatrolUnit> Units { get; init; }

    public required IReadOnlyList<GpsFix> Fixes { get; init; }

    public static BenchData Create(BenchSizes sizes)
    {
        var tiling = JitteredTiling(Frame, sizes.Cols, sizes.Rows, sizes.VerticesPerEdge, Seed);
        var (defective, gaps, overlaps) = PlantDefects(tiling, sizes, Seed + 1);
        var (lon, lat, incidents) = MakeIncidents(sizes.Incidents, Seed + 2);
        var departments = JitteredTiling(PatrolFrame, 5, 4, 100, Seed + 3);
        var deptMap = new SortedDictionary<string, Geometry>(StringComparer.Ordinal);
        for (var i = 0; i < departments.Count; i++) deptMap[$"D{i:00}"] = departments[i];
        var units = Enumerable.Range(0, sizes.PatrolUnits)
            .Select(i => new PatrolUnit($"U{i:00}", $"D{i % departments.Count:00}", $"Unit {i}", $"dev{i}")).ToList();
        var fixes = MakePatrols(units, deptMap, sizes.GpsFixes, Seed + 4);
        return new BenchData
        {
            Sizes = sizes, Tiling = tiling, Defective = defective, PlantedGaps = gaps, PlantedOverlaps = overlaps,
            Lon = lon, Lat = lat, Incidents = incidents, Departments = deptMap, Units = units, Fixes = fixes,
        };
    }

    /// <summary>
    /// A tiling of the frame: a cols × rows grid whose inner nodes are jittered, every inner edge densified to
    /// <paramref name="verticesPerEdge"/> segments with smooth noise plus per-vertex jitter perpendicular to it (tapered
    /// to zero at the nodes). Each edge is generated once and used by both neighbours, so they match exactly.
    /// </summary>
    public static IReadOnlyList<Polygon> JitteredTiling(Envelope frame, int cols, int rows, int verticesPerEdge, int seed)
    {
        var random = new Random(seed);
        double w = frame.Width / cols, h = frame.Height / rows;
        var nodes = new Coordinate[cols + 1, rows + 1];
        for (var i = 0; i <= cols; i++)
        {
            for (var j = 0; j <= rows; j++)
            {
                var x = frame.MinX + i * w;
                var y = frame.MinY + j * h;
                if (i > 0 && i < cols) x += (random.NextDouble() * 2 - 1) * 0.3 * w;
                if (j > 0 && j < rows) y += (random.NextDouble() * 2 - 1) * 0.3 * h;
                nodes[i, j] = new Coordinate(x, y);
            }
        }

        var horizontal = new Coordinate[cols, rows + 1][];
        var vertical = new Coordinate[cols + 1, rows][];
        for (var i = 0; i < cols; i++)
            for (var j = 0; j <= rows; j++)
                horizontal[i, j] = Edge(nodes[i, j], nodes[i + 1, j], verticesPerEdge, j > 0 && j < rows, random);
        for (var i = 0; i <= cols; i++)
            for (var j = 0; j < rows; j++)
                vertical[i, j] = Edge(nodes[i, j], nodes[i, j + 1], verticesPerEdge, i > 0 && i < cols, random);

        var result = new List<Polygon>(cols * rows);
        for (var j = 0; j < rows; j++)
        {
            for (var i = 0; i < cols; i++)
            {
                var ring = new List<Coordinate>(4 * verticesPerEdge + 1);
                Append(ring, horizontal[i, j], false);
                Append(ring, vertical[i + 1, j], false);
                Append(ring, horizontal[i, j + 1], true);
                Append(ring, vertical[i, j], true);
                ring.Add(ring[0].Copy());
                var polygon = LonLat.CreatePolygon(ring.ToArray());
                if (!polygon.IsValid) throw new InvalidOperationException($"Generated cell {i},{j} is invalid.");
                result.Add(polygon);
            }
        }

        return result;
    }

    private static void Append(List<Coordinate> ring, Coordinate[] edge, bool reversed)
    {
        // Each edge contributes all its vertices but the last (the next edge starts there).
        for (var k = 0; k < edge.Length - 1; k++)
            ring.Add(edge[reversed ? edge.Length - 1 - k : k].Copy());
    }

    private static Coordinate[] Edge(Coordinate a, Coordinate b, int segments, bool noisy, Random random)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y, length = Math.Sqrt(dx * dx + dy * dy);
        double nx = -dy / length, ny = dx / length;
        double f1 = 1 + random.Next(3), f2 = 4 + random.Next(6), p1 = random.NextDouble() * 6.283, p2 = random.NextDouble() * 6.283;
        double a1 = 0.015 * (random.NextDouble() * 2 - 1), a2 = 0.004 * (random.NextDouble() * 2 - 1);
        var edge = new Coordinate[segments + 1];
        for (var k = 0; k <= segments; k++)
        {
            var t = (double)k / segments;
            var offset = 0.0;
            if (noisy && k > 0 && k < segments)
            {
                var taper = Math.Sin(Math.PI * t);
                offset = length * taper * (a1 * Math.Sin(2 * Math.PI * f1 * t + p1) + a2 * Math.Sin(2 * Math.PI * f2 * t + p2)
                    + 0.002 * (random.NextDouble() * 2 - 1));
            }

            edge[k] = k == 0 ? a.Copy() : k == segments ? b.Copy() : new Coordinate(a.X + t * dx + offset * nx, a.Y + t * dy + offset * ny);
        }

        return edge;
    }

    /// <summary>Bites out of neighbouring cells (gaps, one open to the frame's edge) and bulges into neighbours (overlaps).</summary>
    private static (IReadOnlyList<Polygon> Cells, int Gaps, int Overlaps) PlantDefects(IReadOnlyList<Polygon> tiling, BenchSizes sizes, int seed)
    {
        var random = new Random(seed);
        var cells = tiling.ToArray();
        var cellW = Frame.Width / sizes.Cols;
        var radius = 0.12 * cellW;
        var gaps = 0;
        var overlaps = 0;

        // Interior gaps: a disk centred on a vertex of a cell's right-hand (shared) edge, removed from every cell it touches.
        for (var n = 0; n < 3; n++)
        {
            var i = 1 + random.Next(sizes.Cols - 2);
            var j = 1 + random.Next(sizes.Rows - 2);
            var centre = SharedEdgeVertex(cells[j * sizes.Cols + i], sizes.VerticesPerEdge);
            var disk = LonLat.CreatePoint(centre).Buffer(radius, 8);
            for (var c = 0; c < cells.Length; c++)
                if (cells[c].Intersects(disk)) cells[c] = AsPolygon(OverlayNGRobust.Overlay(cells[c], disk, SpatialFunction.Difference));
            gaps++;
        }

        // A gap open to the outside: a bite out of the bottom row at the frame's edge.
        {
            var centre = new Coordinate(Frame.MinX + (sizes.Cols / 2 + 0.5) * cellW, Frame.MinY);
            var disk = LonLat.CreatePoint(centre).Buffer(radius, 8);
            for (var c = 0; c < cells.Length; c++)
                if (cells[c].Intersects(disk)) cells[c] = AsPolygon(OverlayNGRobust.Overlay(cells[c], disk, SpatialFunction.Difference));
            gaps++;
        }

        // Overlaps: a disk on a shared edge added to one cell only.
        for (var n = 0; n < 3; n++)
        {
            var i = 1 + random.Next(sizes.Cols - 2);
            var j = 1 + random.Next(sizes.Rows - 2);
            var index = j * sizes.Cols + i;
            var centre = SharedEdgeVertex(cells[index], sizes.VerticesPerEdge);
            var disk = LonLat.CreatePoint(centre).Buffer(radius * 0.7, 8);
            cells[index] = AsPolygon(OverlayNGRobust.Overlay(cells[index], disk, SpatialFunction.Union));
            overlaps++;
        }

        return (cells, gaps, overlaps);
    }

    // The middle vertex of the ring's second edge (the right-hand one in the generator's order) — on a shared boundary.
    private static Coordinate SharedEdgeVertex(Polygon cell, int verticesPerEdge) =>
        cell.ExteriorRing.GetCoordinateN(verticesPerEdge + verticesPerEdge / 2).Copy();

    private static Polygon AsPolygon(Geometry g) => g switch
    {
        Polygon p => p,
        MultiPolygon m => (Polygon)m.Geometries.OrderByDescending(x => x.Area).First(),
        _ => throw new InvalidOperationException($"Unexpected {g.GeometryType}"),
    };

    /// <summary>Incidents: 60% in 40 Gaussian clusters, 40% uniform over the frame.</summary>
    internal static (double[] Lon, double[] Lat, IncidentPoint[] Points) MakeIncidents(int count, int seed)
    {
        var random = new Random(seed);
        var clusters = Enumerable.Range(0, 40).Select(_ => (
            X: Frame.MinX + random.NextDouble() * Frame.Width,
            Y: Frame.MinY + random.NextDouble() * Frame.Height,
            S: 0.003 + random.NextDouble() * 0.02)).ToArray();
        var lon = new double[count];
        var lat = new double[count];
        var points = new IncidentPoint[count];
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var n = 0; n < count; n++)
        {
            double x, y;
            if (random.NextDouble() < 0.6)
            {
                var c = clusters[random.Next(clusters.Length)];
                do
                {
                    x = c.X + c.S * Gaussian(random);
                    y = c.Y + c.S * Gaussian(random);
                }
                while (!Frame.Contains(x, y));
            }
            else
            {
                x = Frame.MinX + random.NextDouble() * Frame.Width;
                y = Frame.MinY + random.NextDouble() * Frame.Height;
            }

            lon[n] = x;
            lat[n] = y;
            points[n] = new IncidentPoint(x, y, start.AddMinutes(random.Next(0, 700 * 24 * 60)), IncidentKind.Sample[random.Next(5)]);
        }

        return (lon, lat, points);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// Patrols on a road grid (800 m spacing in the metric plane): each unit drives at 8–12 m/s from intersection to
    /// intersection, mostly staying within its department's envelope; 1 Hz fixes with ±3 m jitter; a 20-minute break
    /// every two hours (so tracks break).
    /// </summary>
    internal static List<GpsFix> MakePatrols(IReadOnlyList<PatrolUnit> units, IReadOnlyDictionary<string, Geometry> departments, int total, int seed)
    {
        var random = new Random(seed);
        var projection = MetricProjection.Dongying;
        const double spacing = 800;
        var fixes = new List<GpsFix>(total);
        var perUnit = total / units.Count;
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        (int dx, int dy)[] directions = [(1, 0), (0, 1), (-1, 0), (0, -1)];
        foreach (var unit in units)
        {
            var env = projection.Forward(departments[unit.DepartmentCode]).EnvelopeInternal;
            var ix = (int)Math.Round(env.Centre.X / spacing);
            var iy = (int)Math.Round(env.Centre.Y / spacing);
            var heading = random.Next(4);
            var time = start;
            double x = ix * spacing, y = iy * spacing;
            var emitted = 0;
            while (emitted < perUnit)
            {
                // Choose the next intersection: no U-turn; leave the department's envelope only rarely.
                int next;
                int nx, ny;
                var guard = 0;
                do
                {
                    next = random.Next(4);
                    nx = ix + directions[next].dx;
                    ny = iy + directions[next].dy;
                    guard++;
                }
                while (guard < 50 && (next == (heading + 2) % 4 ||
                    (!env.Contains(nx * spacing, ny * spacing) && random.NextDouble() > 0.05)));
                heading = next;
                double tx = nx * spacing, ty = ny * spacing;
                var speed = 8 + random.NextDouble() * 4;
                var steps = (int)Math.Ceiling(spacing / speed);
                for (var s = 1; s <= steps && emitted < perUnit; s++)
                {
                    var f = (double)s / steps;
                    var px = x + (tx - x) * f + 3 * (random.NextDouble() * 2 - 1);
                    var py = y + (ty - y) * f + 3 * (random.NextDouble() * 2 - 1);
                    var (lon, lat) = projection.Inverse(px, py);
                    time = time.AddSeconds(1);
                    fixes.Add(new GpsFix(unit.Code, time, lon, lat, speed * 3.6));
                    emitted++;
                    if (emitted % 7200 == 0) time = time.AddMinutes(20);
                }

                ix = nx;
                iy = ny;
                x = tx;
                y = ty;
            }
        }

        return fixes;
    }
}
