using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>Registers a PostGIS data source from MAPCONTROL_DB unless one is already registered.</summary>
internal static class InteropDatabase
{
    /// <summary>Adds the data source (TryAdd: the data layer's own registration wins).</summary>
    public static WebApplicationBuilder AddInteropDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(sp =>
        {
            var cs = builder.Configuration["MAPCONTROL_DB"] ?? builder.Configuration.GetConnectionString("MapControl")
                ?? throw new InvalidOperationException("No database configured: set MAPCONTROL_DB.");
            var b = new NpgsqlDataSourceBuilder(cs);
            b.UseNetTopologySuite();
            return b.Build();
        });
        return builder;
    }
}
