namespace MapControl.Web.Components;

/// <summary>Registers and maps the Blazor Server one-map UI.</summary>
internal static class UiRegistration
{
    /// <summary>Adds the Razor components with interactive server rendering.</summary>
    public static WebApplicationBuilder AddOneMapUi(this WebApplicationBuilder builder)
    {
        // Collocated .razor.js modules live beside their components; the static web assets manifest of the
        // build maps them, also outside Development (./build.sh run serves the build output).
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        return builder;
    }

    /// <summary>Serves static assets and the one-map page.</summary>
    public static WebApplication MapOneMapUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.UseStaticFiles(); // wwwroot/lib is copied from npm by build.sh and may be newer than the build manifest
        app.UseAntiforgery();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
