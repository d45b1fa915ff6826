using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>Registers the PostGIS data source the web APIs read and write through.</summary>
internal static class UiDataSourceRegistration
{
    /// <summary>The configuration key (and environment variable) of the connection string.</summary>
    public const string ConnectionKey = "MAPCONTROL_DB";

    /// <summary>Adds a singleton <see cref="NpgsqlDataSource"/> with the NetTopologySuite plugin, unless one is registered.</summary>
    public static WebApplicationBuilder AddUiDataSource(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(sp =>
        {
            var cs = builder.Configuration[ConnectionKey] ?? builder.Configuration.GetConnectionString("MapControl");
            if (string.IsNullOrWhiteSpace(cs))
                throw new InvalidOperationException($"No database: set {ConnectionKey} to a PostGIS connection string.");
            var dsb = new NpgsqlDataSourceBuilder(cs);
            dsb.UseNetTopologySuite();
            return dsb.Build();
        });
        return builder;
    }
}
