namespace MapControl.Web.Hosting;

/// <summary>Registers what every request relies on: the public base URL, problem answers for outages and bad requests, sign-in throttling, partition upkeep.</summary>
internal static class HostingRegistration
{
    /// <summary>Adds the hosting services.</summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PublicBaseUrl>();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // A body or parameter the framework cannot bind throws in every environment (by default only in Development), so that
        // ProblemExceptionHandler answers with a problem that says why instead of a bare 400 in production.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.AddSignInThrottle();
        builder.Services.AddHostedService<PartitionUpkeep>();
        // An open map holds its circuit's WebSocket until the host gives up on it: stopping the server (Ctrl+C on
        // `./build.sh run`, a service restart) waited the default 30 s for every open tab. Ingest writes each batch in its
        // request and the background services stop at once, so 5 s is ample for requests in flight.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        return builder;
    }
}
