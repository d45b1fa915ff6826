using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace MapControl.Web.Hosting;

/// <summary>
/// Slows down password guessing per source instead of locking accounts (a lockout lets anyone lock out anyone, the admin included):
/// at most <see cref="PermitsPerWindow"/> sign-in or token requests per client address per <see cref="Window"/>; more get 429 with
/// <c>Retry-After</c>. The owner of an account, from another address or after the window, signs in as usual. Settings under
/// <c>MapControl:SignInLimit</c> (<c>PermitsPerWindow</c>, <c>WindowSeconds</c>). Behind a reverse proxy, configure forwarded headers
/// so that the client's address, not the proxy's, is the partition (docs/SECURITY.md).
/// </summary>
internal static class SignInThrottle
{
    /// <summary>Default attempts per window per address.</summary>
    public const int PermitsPerWindow = 10;

    /// <summary>Default window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The paths whose POSTs are limited: the sign-in form and the token endpoint.</summary>
    public static readonly string[] Paths = ["/signin", "/api/auth/token"];

    /// <summary>Registers the limiter.</summary>
    public static WebApplicationBuilder AddSignInThrottle(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("MapControl:SignInLimit");
        var permits = section.GetValue("PermitsPerWindow", PermitsPerWindow);
        var window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", Window.TotalSeconds));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                IsLimited(http.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(Source(http), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, ct) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds))
                    : (int)window.TotalSeconds;
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests, Title = "Too many attempts",
                        Detail = $"Too many sign-in attempts from your address; try again in {seconds} s.",
                    },
                }).ConfigureAwait(false);
            };
        });
        return builder;
    }

    private static bool IsLimited(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && Paths.Any(p => request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));

    private static string Source(HttpContext http) => (http.Connection.RemoteIpAddress ?? IPAddress.None).ToString();
}
