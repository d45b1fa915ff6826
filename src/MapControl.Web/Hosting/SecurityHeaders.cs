using System.Net;

namespace MapControl.Web.Hosting;

/// <summary>
/// The response headers every answer carries: a Content-Security-Policy that lets only the server's own scripts run (Blazor, Leaflet
/// and the map modules are all served from <c>'self'</c>; no inline script, no eval), <c>nosniff</c>, a strict referrer policy and,
/// when the request did not come over loopback, HSTS.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// The policy. Styles allow <c>'unsafe-inline'</c> because Leaflet and Blazor's reconnect dialog position elements with style
    /// attributes; that cannot run script. Images allow data:/blob: for Leaflet's canvas layers and the PNG export.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>HSTS for a year; sent only off loopback (a browser would otherwise pin plain-HTTP localhost development to HTTPS).</summary>
    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    /// <summary>Adds the headers to every response, before anything else writes to it.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.XFrameOptions = "DENY";
                if (!IsLoopback(http)) headers.StrictTransportSecurity = StrictTransportSecurity;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }

    private static bool IsLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote) || remote.Equals(IPAddress.IPv6Loopback);
}
