using System.Globalization;
using System.Text.Json.Nodes;
using MapControl.Data.PostGis.Tiles;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Net.Http.Headers;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Web.Apis;

/// <summary>Mapbox vector tiles of MapControl's layers from PostGIS, with TileJSON, ETags and an in-memory cache.</summary>
internal static class TilesApi
{
    /// <summary>Media type of a Mapbox vector tile.</summary>
    public const string MvtMediaType = "application/vnd.mapbox-vector-tile";

    /// <summary>Registers the tile repository and the cache (keyed on the layers' data versions, <see cref="DataVersions"/>).</summary>
    public static WebApplicationBuilder AddVectorTiles(this WebApplicationBuilder builder)
    {
        var maxMb = builder.Configuration.GetValue("MapControl:Tiles:CacheMegabytes", 64);
        builder.Services.AddSingleton(new TileCacheOptions(maxMb * 1024L * 1024));
        builder.Services.AddSingleton<TileCache>();
        builder.Services.TryAddSingleton<DataVersions>();
        builder.Services.TryAddSingleton<DataDayVersions>();
        var slots = builder.Configuration.GetValue("MapControl:Tiles:MaxConcurrentQueries", Environment.ProcessorCount);
        builder.Services.AddSingleton(new VectorTileOptions(slots));
        builder.Services.AddSingleton(new TileRenderQuota(
            builder.Configuration.GetValue("MapControl:Tiles:MaxConcurrentRendersPerUser", Math.Max(1, slots / 2)),
            builder.Configuration.GetValue("MapControl:Tiles:MaxQueuedRendersPerUser", 64)));
        builder.Services.AddSingleton<VectorTileRepository>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Maps GET /tiles/{layer}/{z}/{x}/{y}.mvt and GET /tiles/{layer}.json.</summary>
    public static IEndpointRouteBuilder MapTilesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tiles").WithTags("Vector tiles").RequireAuthorization(ApiTokenAuthentication.Policy);
        group.MapGet("/{layer}/{z:int}/{x:int}/{y:int}.mvt", GetTile).WithName("GetVectorTile")
            .WithSummary("A Mapbox vector tile of a layer; ?from=&to= (RFC 3339) filter incidents, gps and tracks.");
        group.MapGet("/{layer}.json", GetTileJson).WithName("GetTileJson").WithSummary("TileJSON 3.0.0 of a layer.");
        group.MapGet("/", ListLayers).WithName("ListTileLayers").WithSummary("The tile layers.");
        return app;
    }

    private static IResult ListLayers(HttpContext http) =>
        TypedResults.Ok(TileLayers.All.Select(l => new { l.Name, l.Description, tilejson = $"{Base(http)}/tiles/{l.Name}.json" }));

    /// <summary>Reads from/to query values; null result and an error when one is malformed.</summary>
    internal static bool TryReadWindow(HttpRequest request, out TimeWindow window, out IResult? error)
    {
        window = default;
        error = null;
        DateTimeOffset? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateTimeOffset>)[] { ("from", v => from = v), ("to", v => to = v) })
        {
            var raw = request.Query[name].ToString();
            if (raw.Length == 0) continue;
            if (!OgcParameters.TryParseInstant(raw, out var v))
            {
                error = Problems.BadParameter(name, Problems.NotRfc3339);
                return false;
            }
            set(v.ToUniversalTime());
        }
        if (from is not null && to is not null && to < from)
        {
            error = Problems.BadParameter("to", "must not be before from");
            return false;
        }
        window = new TimeWindow(from, to);
        return true;
    }

    private static async Task<IResult> GetTile(string layer, int z, int x, int y, HttpContext http, VectorTileRepository tiles,
        TileCache cache, DataVersions versions, DataDayVersions dayVersions, TimeProvider clock, TileRenderQuota quota, CancellationToken ct)
    {
        if (TileLayers.Find(layer) is not { } l) return Problems.NotFound($"No tile layer '{layer}'; layers: {string.Join(", ", TileLayers.All.Select(a => a.Name))}.");
        var address = new TileAddress(z, x, y);
        if (!address.IsValid) return Problems.BadParameter("z/x/y", $"tile {address} is outside the XYZ grid (z 0..{TileAddress.MaxZoom}, x and y 0..2^z−1)");
        if (!TryReadWindow(http.Request, out var requested, out var error)) return error!;
        var now = clock.GetUtcNow();
        var explicitWindow = requested.From is not null || requested.To is not null;
        var window = VectorTileRepository.EffectiveWindow(l, requested, now);
        // Tiles whose window moves with the clock (GPS and tracks by default) are not cached.
        var cacheable = l.TimeFilter == TileTimeFilter.None || explicitWindow || l.Name == TileLayers.Incidents;
        var key = $"{address}|{window.From?.UtcTicks}|{window.To?.UtcTicks}";
        var caller = http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "";
        Task<byte[]> Render(CancellationToken token) => z < l.MinZoom
            ? Task.FromResult<byte[]>([])
            : quota.RunAsync(caller, t => tiles.GetTileAsync(l, address, window, t), token);
        CachedTile tile;
        try
        {
            if (cacheable)
            {
                // Keyed on the days of the window for GPS, tracks and incidents: a fix of today leaves last month's tiles cached.
                var version = await dayVersions.VersionOfAsync(l.Tables, l.TimeFilter != TileTimeFilter.None, window.From, window.To,
                    await versions.CurrentAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                tile = await cache.GetOrRenderAsync(l.Name, version, key, Render, ct).ConfigureAwait(false);
            }
            else tile = new CachedTile(await Render(ct).ConfigureAwait(false), "");
        }
        catch (TileQuotaExceededException e)
        {
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(e.Message + " Try again in a moment.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many tile requests");
        }

        var headers = http.Response.GetTypedHeaders();
        headers.CacheControl = new CacheControlHeaderValue { Private = true, MaxAge = TimeSpan.FromSeconds(cacheable ? 60 : 10), MustRevalidate = true };
        if (tile.ETag.Length > 0)
        {
            http.Response.Headers.ETag = tile.ETag;
            if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(e => e.Trim() == tile.ETag || e.Trim() == "*")))
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(tile.Data, MvtMediaType);
    }

    private static async Task<IResult> GetTileJson(string layer, HttpContext http, OilZoneRepository zones, CancellationToken ct)
    {
        if (TileLayers.Find(layer) is not { } l) return Problems.NotFound($"No tile layer '{layer}'.");
        if (!TryReadWindow(http.Request, out _, out var error)) return error!;
        var bounds = await zones.ExtentAsync(ct).ConfigureAwait(false) ?? (-180, -85.0511, 180, 85.0511);
        var query = http.Request.QueryString.HasValue ? http.Request.QueryString.Value : "";
        var fields = new JsonObject();
        foreach (var a in l.Attributes) fields[a.Column] = a.Type;
        var json = new JsonObject
        {
            ["tilejson"] = "3.0.0",
            ["name"] = l.Name,
            ["description"] = l.Description,
            ["version"] = "1.0.0",
            ["attribution"] = "MapControl",
            ["scheme"] = "xyz",
            ["tiles"] = new JsonArray($"{Base(http)}/tiles/{l.Name}/{{z}}/{{x}}/{{y}}.mvt{query}"),
            ["minzoom"] = l.MinZoom,
            ["maxzoom"] = l.MaxZoom,
            ["bounds"] = new JsonArray(bounds.W, bounds.S, bounds.E, bounds.N),
            ["center"] = new JsonArray((bounds.W + bounds.E) / 2, (bounds.S + bounds.N) / 2, Math.Max(l.MinZoom, 9)),
            ["vector_layers"] = new JsonArray(new JsonObject
            {
                ["id"] = l.Name,
                ["description"] = l.Description,
                ["minzoom"] = l.MinZoom,
                ["maxzoom"] = l.MaxZoom,
                ["fields"] = fields,
            }),
        };
        return TypedResults.Text(json.ToJsonString(), "application/json");
    }

    /// <summary>The public base URL for absolute links (configured, never the request's Host header) with the app's path base.</summary>
    internal static string Base(HttpContext http) =>
        http.RequestServices.GetRequiredService<MapControl.Web.Hosting.PublicBaseUrl>().Value + http.Request.PathBase;
}
