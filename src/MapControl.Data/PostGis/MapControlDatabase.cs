using Npgsql;

namespace MapControl.Data.PostGis;

/// <summary>Builds the <see cref="NpgsqlDataSource"/> through which all of MapControl talks to PostGIS.</summary>
public static class MapControlDatabase
{
    /// <summary>The environment variable that holds the connection string.</summary>
    public const string EnvironmentVariable = "MAPCONTROL_DB";

    /// <summary>A data source with the NetTopologySuite plugin for a connection string.</summary>
    /// <param name="connectionString">An Npgsql connection string (Host=…;Port=…;Username=…;Password=…;Database=…).</param>
    /// <param name="connectTimeout">When given, replaces the connection string's connect timeout.</param>
    /// <param name="applicationName">When given, the application_name the connections carry (a web node names itself by it).</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public static NpgsqlDataSource CreateDataSource(string connectionString, TimeSpan? connectTimeout = null, string? applicationName = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException(
                $"No database connection string: set {EnvironmentVariable} (e.g. Host=127.0.0.1;Port=5432;Username=…;Password=…;Database=mapcontrol).",
                nameof(connectionString));
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (connectTimeout is { } timeout)
            builder.ConnectionStringBuilder.Timeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        if (applicationName is not null)
            builder.ConnectionStringBuilder.ApplicationName = applicationName;
        else if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            builder.ConnectionStringBuilder.ApplicationName = "mapcontrol";
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    /// <summary>A data source for the connection string in <see cref="EnvironmentVariable"/>.</summary>
    /// <exception cref="ArgumentException">The variable is not set.</exception>
    public static NpgsqlDataSource FromEnvironment(TimeSpan? connectTimeout = null) =>
        CreateDataSource(Environment.GetEnvironmentVariable(EnvironmentVariable) ?? "", connectTimeout);
}
