using System.Globalization;
using System.Text;
using MapControl.Core.Crs;
using MapControl.Core.Grids;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Data.Analysis;
using NetTopologySuite.Geometries;
using HexCell = MapControl.Core.Grids.HexCell;

namespace MapControl.Web.Apis;

/// <summary>What an analysis looks at: window [From, To), department (null: all), incident kind (null: all), hexagon size.</summary>
public sealed record AnalysisQuery(DateTimeOffset From, DateTimeOffset To, string? Department = null, string? Kind = null, double CellM = 1000)
{
    /// <summary>The incident kind filter of Core.</summary>
    public IncidentFilter Filter => new()
    {
        From = From, To = To,
        Kinds = DomainNames.TryParse<IncidentKind>(Kind, out var k) ? [k] : null,
    };
}

/// <summary>Analyst computations over stored incidents, all through Core (HotSpotAnalysis, hexagon grid): the CLI's code.</summary>
public sealed class AnalysisService(AnalysisSource source)
{
    /// <summary>Gi* hot-spot hexagons of the window as GeoJSON (count, gi_z, gi_p, hot, cold).</summary>
    public async Task<(string Json, HotSpotReport Report)> HotSpotsAsync(AnalysisQuery q, CancellationToken ct)
    {
        var incidents = await PointsAsync(q.From, q.To, q.Department, ct).ConfigureAwait(false);
        var options = new HotSpotOptions { CellSizeM = q.CellM, Filter = q.Filter };
        var report = await Task.Run(() => HotSpotAnalysis.Run(incidents, options), ct).ConfigureAwait(false);
        var json = FeatureJson.Collection(report.Cells.Select(c => ((Geometry)c.Polygon, (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["cell"] = $"{c.Id.Q},{c.Id.R}", ["count"] = c.Count, ["gi_z"] = Math.Round(c.GiZ, 3), ["gi_p"] = Math.Round(c.GiP, 5),
            ["hot"] = c.Hot, ["cold"] = c.Cold, ["class"] = c.Hot ? "hot" : c.Cold ? "cold" : "none",
        })));
        return (json, report);
    }

    /// <summary>Points for the kernel-density heat layer: [lat, lon, weight] of each incident passing the filter.</summary>
    public async Task<IReadOnlyList<double[]>> HeatAsync(AnalysisQuery q, CancellationToken ct)
    {
        var incidents = await PointsAsync(q.From, q.To, q.Department, ct).ConfigureAwait(false);
        var filter = q.Filter;
        return incidents.Where(i => filter.Matches(i)).Select(i => new[] { i.Lat, i.Lon, 1.0 }).ToArray();
    }

    /// <summary>Year-over-year change per hexagon: count in the window, count a year earlier, difference.</summary>
    public async Task<string> YearOverYearAsync(AnalysisQuery q, CancellationToken ct)
    {
        var now = await PointsAsync(q.From, q.To, q.Department, ct).ConfigureAwait(false);
        var before = await PointsAsync(q.From.AddYears(-1), q.To.AddYears(-1), q.Department, ct).ConfigureAwait(false);
        var projection = MetricProjection.Dongying;
        var grid = new HexGrid(q.CellM);
        var counts = new Dictionary<HexCell, (int Now, int Before)>();
        var filter = q.Filter;
        var filterBefore = filter.OneYearEarlier();
        foreach (var i in now.Where(i => filter.Matches(i)))
        {
            var cell = grid.CellAt(projection.Forward(i.Lon, i.Lat).X, projection.Forward(i.Lon, i.Lat).Y);
            counts[cell] = counts.TryGetValue(cell, out var c) ? (c.Now + 1, c.Before) : (1, 0);
        }
        foreach (var i in before.Where(i => filterBefore.Matches(i)))
        {
            var (x, y) = projection.Forward(i.Lon, i.Lat);
            var cell = grid.CellAt(x, y);
            counts[cell] = counts.TryGetValue(cell, out var c) ? (c.Now, c.Before + 1) : (0, 1);
        }
        return FeatureJson.Collection(counts.Select(kv => ((Geometry)projection.Inverse(grid.Polygon(kv.Key)), (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["cell"] = kv.Key.Id, ["count"] = kv.Value.Now, ["count_last_year"] = kv.Value.Before, ["change"] = kv.Value.Now - kv.Value.Before,
            ["trend"] = kv.Value.Now > kv.Value.Before ? "up" : kv.Value.Now < kv.Value.Before ? "down" : "same",
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
