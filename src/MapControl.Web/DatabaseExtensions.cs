using MapControl.Data.PostGis;
using Npgsql;

namespace MapControl.Web;

/// <summary>Registers MapControl's PostGIS data source.</summary>
public static class DatabaseExtensions
{
    /// <summary>Configuration key of the connection string (the environment variable of the same name lands here).</summary>
    public const string ConnectionStringKey = MapControlDatabase.EnvironmentVariable;

    /// <summary>Registers a singleton <see cref="NpgsqlDataSource"/> from <c>MAPCONTROL_DB</c> or <c>ConnectionStrings:MapControl</c>.</summary>
    /// <exception cref="InvalidOperationException">Neither is configured.</exception>
    public static WebApplicationBuilder AddMapControlDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[ConnectionStringKey] ?? builder.Configuration.GetConnectionString("MapControl");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"No database configured: set the {ConnectionStringKey} environment variable or ConnectionStrings:MapControl.");
        builder.Services.AddSingleton(_ => MapControlDatabase.CreateDataSource(connectionString));
        return builder;
    }
}
