using MapControl.Core.Crs;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Hotspots;

/// <summary>Options of a kernel density surface.</summary>
public sealed record KernelDensityOptions
{
    /// <summary>Raster cell size g in metres.</summary>
    public double CellSizeM { get; init; } = 100;

    /// <summary>Kernel bandwidth h in metres (radius beyond which an incident adds nothing).</summary>
    public double BandwidthM { get; init; } = 1000;

    /// <summary>Which incidents count.</summary>
    public IncidentFilter Filter { get; init; } = IncidentFilter.All;

    /// <summary>The metric plane of the raster.</summary>
    public MetricProjection Projection { get; init; } = MetricProjection.Dongying;

    /// <summary>Largest raster accepted (width × height); a larger one is refused with an exception.</summary>
    public long MaxCells { get; init; } = 25_000_000;
}

/// <summary>
/// A north-up raster in the metric plane: cell (col, row) spans x ∈ [OriginX + col·g, OriginX + (col+1)·g) and
/// y ∈ (OriginY − (row+1)·g, OriginY − row·g]; <see cref="Values"/> is row-major from the north row, in incidents per km².
/// </summary>
/// <param name="OriginX">West edge in metres.</param>
/// <param name="OriginY">North edge in metres.</param>
/// <param name="Values">Density per km² at cell centres, Values[row · Width + col].</param>
/// <param name="Points">Incidents that went into the surface.</param>
public sealed record DensityRaster(double OriginX, double OriginY, double CellSizeM, int Width, int Height, float[] Values,
    double BandwidthM, int Points, MetricProjection Projection)
{
    /// <summary>Density per km² of a cell.</summary>
    public float this[int col, int row] => Values[row * Width + col];

    /// <summary>Σ density · cell area: the number of incidents the surface holds (≈ <see cref="Points"/>).</summary>
    public double Integral => Values.Sum(v => (double)v) * CellSizeM * CellSizeM / 1e6;

    /// <summary>Largest density per km².</summary>
    public float Max => Values.Length == 0 ? 0 : Values.Max();

    /// <summary>Metric centre of a cell.</summary>
    public (double X, double Y) CellCentre(int col, int row) =>
        (OriginX + (col + 0.5) * CellSizeM, OriginY - (row + 0.5) * CellSizeM);

    /// <summary>Lon/lat of a cell centre.</summary>
    public (double Lon, double Lat) CellCentreLonLat(int col, int row)
    {
        var (x, y) = CellCentre(col, row);
        return Projection.Inverse(x, y);
    }

    /// <summary>A cell as a lon/lat polygon (SRID 4326).</summary>
    public Polygon CellPolygonLonLat(int col, int row)
    {
        var x0 = OriginX + col * CellSizeM;
        var y0 = OriginY - row * CellSizeM;
        var ring = new[] { (x0, y0), (x0 + CellSizeM, y0), (x0 + CellSizeM, y0 - CellSizeM), (x0, y0 - CellSizeM), (x0, y0) }
            .Select(p => Projection.Inverse(p.Item1, p.Item2)).Select(p => new Coordinate(p.Lon, p.Lat)).ToArray();
        return LonLatFactory.CreatePolygon(ring);
    }

    /// <summary>The lon/lat envelope of the raster (its four corners and edge midpoints).</summary>
    public Envelope LonLatEnvelope()
    {
        var envelope = new Envelope();
        var w = Width * CellSizeM;
        var h = Height * CellSizeM;
        foreach (var fx in new[] { 0.0, 0.5, 1.0 })
            foreach (var fy in new[] { 0.0, 0.5, 1.0 })
            {
                var (lon, lat) = Projection.Inverse(OriginX + fx * w, OriginY - fy * h);
                envelope.ExpandToInclude(lon, lat);
            }
        return envelope;
    }

    /// <summary>Density per km² at a lon/lat (the value of the cell holding it), 0 outside the raster.</summary>
    public float ValueAtLonLat(double lon, double lat)
    {
        var (x, y) = Projection.Forward(lon, lat);
        var col = (int)Math.Floor((x - OriginX) / CellSizeM);
        var row = (int)Math.Floor((OriginY - y) / CellSizeM);
        return col >= 0 && col < Width && row >= 0 && row < Height ? this[col, row] : 0f;
    }

    private static readonly GeometryFactory LonLatFactory = new(new PrecisionModel(), 4326);
}

/// <summary>
/// Kernel density of incidents (DESIGN §4, the smooth view of hot spots): quartic (biweight) kernel
/// K(d) = 3/(π h²) · (1 − (d/h)²)² for d &lt; h, summed over incidents at every cell centre of a regular metric grid
/// covering the data extent grown by h (grid lines on multiples of g, so runs line up); reported per km².
/// </summary>
public static class KernelDensity
{
    /// <summary>The density surface of the incidents that pass the filter.</summary>
    public static DensityRaster Run(IReadOnlyList<IncidentPoint> incidents, KernelDensityOptions options)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(options);
        var g = options.CellSizeM;
        var h = options.BandwidthM;
        if (!(g > 0) || !double.IsFinite(g)) throw new ArgumentOutOfRangeException(nameof(options), g, "CellSizeM must be positive.");
        if (!(h > 0) || !double.IsFinite(h)) throw new ArgumentOutOfRangeException(nameof(options), h, "BandwidthM must be positive.");

        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var incident in incidents)
        {
            if (!options.Filter.Matches(incident) || !HexBinner.IsLonLat(incident.Lon, incident.Lat)) continue;
            var (x, y) = options.Projection.Forward(incident.Lon, incident.Lat);
            xs.Add(x);
            ys.Add(y);
        }
        if (xs.Count == 0) return new DensityRaster(0, 0, g, 0, 0, [], h, 0, options.Projection);

        var originX = Math.Floor((xs.Min() - h) / g) * g;
        var originY = Math.Ceiling((ys.Max() + h) / g) * g;
        var width = (int)Math.Min(int.MaxValue, Math.Ceiling((xs.Max() + h - originX) / g));
        var height = (int)Math.Min(int.MaxValue, Math.Ceiling((originY - (ys.Min() - h)) / g));
        if ((long)width * height > options.MaxCells)
            throw new ArgumentOutOfRangeException(nameof(options), (long)width * height,
                $"A {width} × {height} raster exceeds MaxCells ({options.MaxCells}); use a larger cell size or a smaller extent.");

        var sum = new double[width * height];
        var h2 = h * h;
        var norm = 3.0 / (Math.PI * h2) * 1e6; // per m² → per km²
        for (var i = 0; i < xs.Count; i++)
        {
            var px = xs[i];
            var py = ys[i];
            var col0 = Math.Max(0, (int)Math.Floor((px - h - originX) / g));
            var col1 = Math.Min(width - 1, (int)Math.Floor((px + h - originX) / g));
            var row0 = Math.Max(0, (int)Math.Floor((originY - (py + h)) / g));
            var row1 = Math.Min(height - 1, (int)Math.Floor((originY - (py - h)) / g));
            for (var row = row0; row <= row1; row++)
            {
                var dy = originY - (row + 0.5) * g - py;
                var dy2 = dy * dy;
                if (dy2 >= h2) continue;
                var offset = row * width;
                for (var col = col0; col <= col1; col++)
                {
                    var dx = originX + (col + 0.5) * g - px;
                    var u = (dx * dx + dy2) / h2;
                    if (u >= 1) continue;
                    var w = 1 - u;
                    sum[offset + col] += norm * w * w;
                }
            }
        }
        var values = new float[sum.Length];
        for (var i = 0; i < sum.Length; i++) values[i] = (float)sum[i];
        return new DensityRaster(originX, originY, g, width, height, values, h, xs.Count, options.Projection);
    }
}
