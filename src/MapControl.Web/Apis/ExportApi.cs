using MapControl.Data.Import;
using MapControl.Data.PostGis.Ogc;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>
/// <c>GET /api/export/{layer}.xlsx[?headers=zh]</c>: any layer of the OGC collections (zones, jurisdictions, wells, cameras, idle
/// sites, incidents, patrol tracks and routes, gaps) as a spreadsheet for signed-in users — the CLI's <c>export --out .xlsx</c>,
/// through the one writer (<c>Data/Files/TabularWriter</c>): properties, lon/lat, WKT; times as China-time date cells.
/// </summary>
public static class ExportApi
{
    /// <summary>Maps the export endpoint.</summary>
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/export").WithTags("Export").RequireAuthorization(AuthRegistration.SignedIn);
        api.MapGet("/{layer}.xlsx", async (string layer, string? headers, NpgsqlDataSource dataSource, CancellationToken ct) =>
            {
                if (FeatureCollections.Find(layer) is null)
                    return Problems.NotFound($"no layer '{layer}'; layers: {string.Join(", ", FeatureCollections.All.Select(c => c.Id))}");
                if (headers is not (null or "en" or "zh")) return Problems.BadParameter("headers", "en or zh");
                // Written in memory first: a failure is a problem answer, never half a workbook.
                using var buffer = new MemoryStream();
                await LayerExport.WriteXlsxAsync(dataSource, layer, buffer, headers == "zh", ct);
                return Results.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{layer}.xlsx");
            })
            .WithName("ExportLayerXlsx").WithSummary("A layer as an XLSX table (headers=zh for Chinese column names; times in China time).");
        return app;
    }
}
