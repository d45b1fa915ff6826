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
        return builder;
    }
}
