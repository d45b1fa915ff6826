using MapControl.Data.PostGis;
using MapControl.Data.Analysis;
using MapControl.Data.Editing;
using MapControl.Data.PostGis.Layers;
using MapControl.Data.PostGis.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        // Each server names itself to PostgreSQL (application_name): the live relay between web nodes tells its own notices by it.
        var node = $"mapcontrol-web {Guid.NewGuid().ToString("N")[..8]} {Environment.ProcessId} {Environment.MachineName}";
        builder.Services.AddSingleton(_ => MapControlDatabase.CreateDataSource(connectionString, applicationName: node[..Math.Min(node.Length, 63)]));
        // Data: every query of the server goes through these (Web holds no SQL); each takes the data source.
        foreach (var type in new[]
                 {
                     typeof(DepartmentRepository), typeof(OilZoneRepository), typeof(JurisdictionRepository), typeof(PatrolZoneRepository),
                     typeof(WellRepository), typeof(CameraRepository), typeof(IdleSiteRepository), typeof(PatrolUnitRepository),
                     typeof(PatrolRouteRepository), typeof(IncidentRepository), typeof(GpsPointRepository), typeof(BasemapRepository),
                     typeof(UserRepository), typeof(AuditLogRepository), typeof(MapLayerRepository), typeof(AnalysisSource),
                     typeof(VersionedEdits), typeof(DataVersions),
                 })
            builder.Services.TryAddSingleton(type);
        return builder;
    }
}
