using MapControl.Web.Auth;

namespace MapControl.Web.Apis;

/// <summary>Registers and maps the interoperability features: API tokens, vector tiles, OGC API – Features, GPS ingest, import.</summary>
internal static class InteropRegistration
{
    /// <summary>Adds the services of every interoperability feature.</summary>
    public static WebApplicationBuilder AddInteroperability(this WebApplicationBuilder builder)
    {
        builder.AddApiTokenAuthentication();
        builder.AddVectorTiles();
        builder.AddOgcFeatures();
        builder.AddGpsIngest();
        builder.AddLayerImport();
        builder.AddBasemap();
        builder.AddAlerts();
        return builder;
    }

    /// <summary>Maps the endpoints of every interoperability feature.</summary>
    public static WebApplication MapInteroperability(this WebApplication app)
    {
        app.MapApiTokenApi();
        app.MapTilesApi();
        app.MapOgcFeaturesApi();
        app.MapIngestApi();
        app.MapImportApi();
        app.MapBasemapApi();
        app.MapAlertsApi();
        return app;
    }
}
