using MapControl.Web.Ogc;

namespace MapControl.Web.Apis;

/// <summary>Options of the basemap: the folder of the offline tiles and an optional external raster tile URL (intranet Tianditu proxy).</summary>
public sealed record BasemapOptions
{
    /// <summary>Folder holding basemap.json and basemap/{z}/{x}/{y}.pbf; null: the repository's tiles/ found above the content root.</summary>
    public string? TilesPath { get; init; }

    /// <summary>An XYZ raster URL template, e.g. http://tianditu-proxy.intranet/vec_w/{z}/{x}/{y}.png; null: vector basemap only.</summary>
    public string? RasterUrl { get; init; }

    /// <summary>True when the raster tiles are drawn in GCJ-02 (as Chinese commercial maps are), so overlays must be shifted.</summary>
    public bool RasterGcj02 { get; init; }
}

/// <summary>Serves the offline basemap built by <c>mapcontrol tiles build</c>: /basemap/{z}/{x}/{y}.pbf, /basemap.json and /basemap/config.</summary>
internal static class BasemapApi
{
    /// <summary>Binds <see cref="BasemapOptions"/> from MapControl:Basemap.</summary>
    public static WebApplicationBuilder AddBasemap(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("MapControl:Basemap").Get<BasemapOptions>() ?? new BasemapOptions();
        var path = options.TilesPath ?? FindTiles(builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(options with { TilesPath = path });
        return builder;
    }

    private static string? FindTiles(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tiles");
            if (File.Exists(Path.Combine(candidate, "basemap.json"))) return candidate;
        }
        return null;
    }

    /// <summary>Maps the endpoints (anonymous: the basemap shows public geography only).</summary>
    public static IEndpointRouteBuilder MapBasemapApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/basemap/{z:int}/{x:int}/{y:int}.pbf", IResult (int z, int x, int y, BasemapOptions o, HttpContext http) =>
        {
            if (o.TilesPath is null) return Problems.NotFound("No offline basemap: run `mapcontrol tiles build`.");
            var file = Path.Combine(o.TilesPath, "basemap", z.ToString(), x.ToString(), y + ".pbf");
            http.Response.Headers.CacheControl = "public, max-age=86400";
            // A tile outside the built extent or without features is an empty tile, not an error.
            return File.Exists(file) ? TypedResults.PhysicalFile(file, TilesApi.MvtMediaType) : TypedResults.Bytes([], TilesApi.MvtMediaType);
        }).WithTags("Basemap").WithName("GetBasemapTile").AllowAnonymous();
        app.MapGet("/basemap.json", IResult (BasemapOptions o, HttpContext http) =>
        {
            if (o.TilesPath is null) return Problems.NotFound("No offline basemap: run `mapcontrol tiles build`.");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(o.TilesPath, "basemap.json")))!;
            json["tiles"] = new System.Text.Json.Nodes.JsonArray($"{TilesApi.Base(http)}/basemap/{{z}}/{{x}}/{{y}}.pbf");
            return TypedResults.Text(json.ToJsonString(), "application/json");
        }).WithTags("Basemap").WithName("GetBasemapTileJson").AllowAnonymous();
        app.MapGet("/basemap/config", (BasemapOptions o, HttpContext http) => TypedResults.Ok(new
        {
            vectorTileJson = o.TilesPath is null ? null : $"{TilesApi.Base(http)}/basemap.json",
            rasterUrl = o.RasterUrl,
            rasterCoordinates = o.RasterGcj02 ? "gcj02" : "wgs84",
        })).WithTags("Basemap").WithName("GetBasemapConfig").AllowAnonymous();
        return app;
    }
}
