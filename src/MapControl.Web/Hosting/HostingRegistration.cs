namespace MapControl.Web.Hosting;

/// <summary>Registers what every request relies on: the public base URL, problem answers for outages and bad requests, sign-in throttling, partition upkeep.</summary>
internal static class HostingRegistration
{
    /// <summary>Adds the hosting services.</summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PublicBaseUrl>();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.AddSignInThrottle();
        builder.Services.AddHostedService<PartitionUpkeep>();
        return builder;
    }
}
