using System.Globalization;
using System.Text;
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
    /// <summary>Gi* hot-spot hexagons of the window as GeoJSON (count, gi_z, gi_p, hot, cold).</summary>
    public async Task<(string Json, HotSpotReport Report)> HotSpotsAsync(AnalysisQuery q, CancellationToken ct)
    {
        var incidents = await PointsAsync(q.From, q.To, q.Department, ct).ConfigureAwait(false);
        var options = new HotSpotOptions { CellSizeM = q.CellM, Filter = await q.FilterAsync(kinds, ct).ConfigureAwait(false) };
        var report = await Task.Run(() => HotSpotAnalysis.Run(incidents, options), ct).ConfigureAwait(false);
        var json = FeatureJson.Collection(report.Cells.Select(c => ((Geometry)c.Polygon, (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["cell"] = c.Id.Id, ["count"] = c.Count, ["gi_z"] = Math.Round(c.GiZ, 3), ["gi_p"] = Math.Round(c.GiP, 5),
            ["hot"] = c.Hot, ["cold"] = c.Cold, ["class"] = c.Hot ? "hot" : c.Cold ? "cold" : "none",
            ["hot_confidence"] = MapControl.Core.Hotspots.HotSpotConfidence.Of(c.Hot, c.GiZ),
        })));
        return (json, report);
    }

    /// <summary>The incidents of the window passing the filter as GeoJSON points (kind, occurred_at in China time), for the clustered layer.</summary>
    public async Task<string> IncidentsJson(AnalysisQuery q, CancellationToken ct)
    {
        var incidents = await PointsAsync(q.From, q.To, q.Department, ct).ConfigureAwait(false);
        var filter = await q.FilterAsync(kinds, ct).ConfigureAwait(false);
        var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
        return FeatureJson.Collection(incidents.Where(i => filter.Matches(i)).Select(i => ((Geometry)factory.CreatePoint(new Coordinate(i.Lon, i.Lat)),
            (IDictionary<string, object?>)new Dictionary<string, object?>
            {
                ["kind"] = i.Kind.Code, ["occurred_at"] = ChinaTime.ToChinaTime(i.OccurredAt).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            })));
    }

    /// <summary>Points for the kernel-density heat layer: [lat, lon, weight] of each incident passing the filter.</summary>
    public async Task<IReadOnlyList<double[]>> HeatAsync(AnalysisQuery q, CancellationToken ct)
    {
        var incidents = await PointsAsync(q.From, q.To, q.Department, ct).ConfigureAwait(false);
        var filter = await q.FilterAsync(kinds, ct).ConfigureAwait(false);
        return incidents.Where(i => filter.Matches(i)).Select(i => new[] { i.Lat, i.Lon, 1.0 }).ToArray();
    }

    /// <summary>
    /// Year-over-year change per hexagon (Core <see cref="HotSpotChange"/>, cells of the same grid as the Gi* layer):
    /// count in the window, count in the same window a year earlier (China Standard Time calendar), difference.
    /// </summary>
    public async Task<string> YearOverYearAsync(AnalysisQuery q, CancellationToken ct)
    {
        var filter = await q.FilterAsync(kinds, ct).ConfigureAwait(false);
        var then = filter.OneYearEarlier();
        var now = await PointsAsync(q.From, q.To, q.Department, ct).ConfigureAwait(false);
        // Last year's window up to this year's start: a window longer than a year must not load an incident twice.
        var thenTo = then.To!.Value < q.From ? then.To.Value : q.From;
        var before = then.From!.Value < thenTo
            ? await PointsAsync(then.From.Value, thenTo, q.Department, ct).ConfigureAwait(false)
            : [];
        var options = new HotSpotChangeOptions { CellSizeM = q.CellM, Filter = filter };
        var report = await Task.Run(() => HotSpotChange.Run([.. now, .. before], options), ct).ConfigureAwait(false);
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

    private Task<IReadOnlyList<IncidentPoint>> PointsAsync(DateTimeOffset from, DateTimeOffset to, string? department, CancellationToken ct) =>
        source.LoadIncidentPointsAsync(from, to, department, ct);
}
