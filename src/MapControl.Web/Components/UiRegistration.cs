using MapControl.Web.Apis;
using MapControl.Web.Auth;
using MapControl.Web.Components.Shell;

namespace MapControl.Web.Components;

/// <summary>Registers and maps the Blazor Server one-map UI with its sign-in and JSON APIs.</summary>
internal static class UiRegistration
{
    /// <summary>Adds the Razor components with interactive server rendering, sign-in and the APIs.</summary>
    public static WebApplicationBuilder AddOneMapUi(this WebApplicationBuilder builder)
    {
        // Collocated .razor.js modules live beside their components; the static web assets manifest of the
        // build maps them, also outside Development (./build.sh run serves the build output).
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddScoped<OneMapState>();
        builder.AddOneMapAuth();
        builder.AddOneMapApis();
        return builder;
    }

    /// <summary>Serves static assets, sign-in, the APIs and the one-map page.</summary>
    public static WebApplication MapOneMapUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.UseStaticFiles(); // wwwroot/lib is copied from npm by build.sh and may be newer than the build manifest
        app.MapOneMapAuth();
        app.UseAntiforgery();
        app.MapOneMapApis();
        // The Content-Security-Policy (frame-ancestors included) is set for every response by SecurityHeaders.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
