using System.Globalization;
using System.Text;
using MapControl.Core.Grids;
using MapControl.Core.Hotspots;
using MapControl.Core.Labels;
using MapControl.Core.Model;
using MapControl.Data.Analysis;
using NetTopologySuite.Geometries;

namespace MapControl.Web.Apis;

/// <summary>What an analysis looks at: window [From, To), department (null: all), incident kind (null: all), hexagon size.</summary>
public sealed record AnalysisQuery(DateTimeOffset From, DateTimeOffset To, string? Department = null, string? Kind = null, double CellM = HotSpotOptions.DefaultCellSizeM)
{
    /// <summary>The incident filter of Core, the kind resolved through the database's vocabulary (<see cref="IncidentKindService"/>).</summary>
    public async Task<IncidentFilter> FilterAsync(IncidentKindService kinds, CancellationToken ct) => new()
    {
        From = From, To = To,
        Kinds = await kinds.FilterAsync(Kind, ct).ConfigureAwait(false),
    };
}

/// <summary>Analyst computations over stored incidents, all through Core (HotSpotAnalysis, hexagon grid): the CLI's code.</summary>
public sealed class AnalysisService(AnalysisSource source, IncidentKindService kinds)
{
    /// <summary>
    /// Gi* hot-spot hexagons of the window as GeoJSON (count, gi_z, gi_p, hot, cold). The window's incidents are streamed from the
    /// store into the binner (<see cref="HotSpotAnalysis.Binner"/>): the server holds the cells, not the incidents.
    /// </summary>
    public async Task<(string Json, HotSpotReport Report)> HotSpotsAsync(AnalysisQuery q, CancellationToken ct)
    {
        var options = new HotSpotOptions { CellSizeM = q.CellM, Filter = await q.FilterAsync(kinds, ct).ConfigureAwait(false) };
        var binner = HotSpotAnalysis.Binner(options);
        await StreamAsync(q.From, q.To, q.Department, p => binner.Add(p), ct).ConfigureAwait(false);
        var report = await Task.Run(() => HotSpotAnalysis.Run(binner, options), ct).ConfigureAwait(false);
        var json = FeatureJson.Collection(report.Cells.Select(c => ((Geometry)c.Polygon, (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["cell"] = c.Id.Id, ["count"] = c.Count, ["gi_z"] = Math.Round(c.GiZ, 3), ["gi_p"] = Math.Round(c.GiP, 5),
            ["hot"] = c.Hot, ["cold"] = c.Cold, ["class"] = c.Hot ? "hot" : c.Cold ? "cold" : "none",
            ["hot_confidence"] = MapControl.Core.Hotspots.HotSpotConfidence.Of(c.Hot, c.GiZ),
        })));
        return (json, report);
    }

    /// <summary>
    /// The incidents of the window passing the filter as GeoJSON points (kind, occurred_at in China time), for the clustered layer;
    /// beyond <see cref="ClusterPoints.MaxPoints"/> of them, one point per non-empty hexagon of the analysis grid (count, kind, kinds:
    /// docs/DEFINITIONS.md "Clustered incidents, bounded").
    /// </summary>
    public async Task<string> IncidentsJson(AnalysisQuery q, CancellationToken ct)
    {
        var filter = await q.FilterAsync(kinds, ct).ConfigureAwait(false);
        // Cells no smaller than the default 500 m: with the analyst's 100 m hexagons the cells alone could be 10⁵ features.
        var points = new ClusterPoints(filter, new HexGrid(Math.Max(q.CellM, HotSpotOptions.DefaultCellSizeM)));
        await StreamAsync(q.From, q.To, q.Department, p => points.Add(p), ct).ConfigureAwait(false);
        var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
        if (points.Aggregated)
            return FeatureJson.Collection(points.Cells().Select(c => ((Geometry)factory.CreatePoint(new Coordinate(Math.Round(c.Lon, 6), Math.Round(c.Lat, 6))),
                (IDictionary<string, object?>)new Dictionary<string, object?>
                {
                    ["cell"] = c.Id.Id, ["count"] = c.Count, ["kind"] = c.Kind.Code,
                    ["kinds"] = string.Join(", ", c.Kinds.Select(k => FormattableString.Invariant($"{k.Kind.Code} {k.Count}"))),
                })));
        return FeatureJson.Collection(points.Points().Select(i => ((Geometry)factory.CreatePoint(new Coordinate(i.Lon, i.Lat)),
            (IDictionary<string, object?>)new Dictionary<string, object?>
            {
                ["kind"] = i.Kind.Code, ["occurred_at"] = ChinaTime.ToChinaTime(i.OccurredAt).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            })));
    }

    /// <summary>
    /// The weighted points of the kernel-density heat layer: [lat, lon, count] of each non-empty cell of the heat grid
    /// (<see cref="HeatGrid"/>, 100 m squares) over the incidents passing the filter; the counts sum to those incidents.
    /// </summary>
    public async Task<IReadOnlyList<double[]>> HeatAsync(AnalysisQuery q, CancellationToken ct)
    {
        var grid = new HeatGrid(await q.FilterAsync(kinds, ct).ConfigureAwait(false));
        await StreamAsync(q.From, q.To, q.Department, p => grid.Add(p), ct).ConfigureAwait(false);
        return grid.Cells().Select(c => new[] { Math.Round(c.Lat, 6), Math.Round(c.Lon, 6), c.Count }).ToArray();
    }

    /// <summary>
    /// Year-over-year change per hexagon (Core <see cref="HotSpotChange"/>, cells of the same grid as the Gi* layer):
    /// count in the window, count in the same window a year earlier (China Standard Time calendar), difference.
    /// Both windows are streamed into the two binners (<see cref="HotSpotChange.Binners"/>).
    /// </summary>
    public async Task<string> YearOverYearAsync(AnalysisQuery q, CancellationToken ct)
    {
        var filter = await q.FilterAsync(kinds, ct).ConfigureAwait(false);
        var then = filter.OneYearEarlier();
        var options = new HotSpotChangeOptions { CellSizeM = q.CellM, Filter = filter };
        var (nowBins, thenBins) = HotSpotChange.Binners(options);
        void Both(IncidentPoint p) { nowBins.Add(p); thenBins.Add(p); }
        await StreamAsync(q.From, q.To, q.Department, Both, ct).ConfigureAwait(false);
        // Last year's window up to this year's start: a window longer than a year must not load an incident twice.
        var thenTo = then.To!.Value < q.From ? then.To.Value : q.From;
        if (then.From!.Value < thenTo)
            await StreamAsync(then.From.Value, thenTo, q.Department, Both, ct).ConfigureAwait(false);
        var report = await Task.Run(() => HotSpotChange.Run(nowBins, thenBins, options), ct).ConfigureAwait(false);
        return FeatureJson.Collection(report.Cells.Select(c => ((Geometry)c.Polygon, (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["cell"] = c.Id.Id, ["count"] = c.Now, ["count_last_year"] = c.Then, ["change"] = c.Change,
            ["trend"] = c.Change > 0 ? "up" : c.Change < 0 ? "down" : "same",
        })));
    }

    /// <summary>The hot-spot cells as CSV (cell, count, gi_z, gi_p, hot, cold, centroid lon/lat).</summary>
    public static string HotSpotsCsv(HotSpotReport report)
    {
        var sb = new StringBuilder("cell_q,cell_r,count,gi_z,gi_p,hot,cold,lon,lat\n");
        foreach (var c in report.Cells)
        {
            var centre = c.Polygon.Centroid;
            sb.AppendLine(string.Join(',', c.Id.Q, c.Id.R, c.Count, F(c.GiZ), F(c.GiP), c.Hot ? "true" : "false", c.Cold ? "true" : "false",
                F(centre.X), F(centre.Y)));
        }
        return sb.ToString();
    }

    internal static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private Task<long> StreamAsync(DateTimeOffset from, DateTimeOffset to, string? department, Action<IncidentPoint> each, CancellationToken ct) =>
        source.StreamIncidentPointsAsync(from, to, department, each, ct);
}
