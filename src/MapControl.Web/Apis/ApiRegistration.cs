using MapControl.Data.Analysis;
using MapControl.Data.Editing;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Layers;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Reports;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>Registers the one map's JSON API services and maps their endpoints.</summary>
internal static class ApiRegistration
{
    /// <summary>Adds the query and analysis services.</summary>
    public static WebApplicationBuilder AddOneMapApis(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new CoverageGaps(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<CoverageService>();
        builder.Services.AddSingleton<PatrolService>();
        builder.Services.TryAddSingleton<IncidentKindRepository>();
        builder.Services.AddSingleton<IncidentKindService>();
        builder.Services.TryAddSingleton<LabelMappingRepository>();
        builder.Services.AddSingleton<AnalysisService>();
        builder.Services.TryAddSingleton(sp => new RedrawBaselines(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ImpactService>();
        builder.Services.AddSingleton<KpiService>();
        // Monthly reports (issue 15): the one Data call of the CLI, kept in monthly_report, made on the 1st by the scheduler.
        builder.Services.TryAddSingleton(sp => new MonthlyReports(sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetService<BasemapOptions>()?.TilesPath ?? ReportBasemap.FindTiles(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<MonthlyReportRepository>();
        builder.Services.TryAddSingleton(builder.Configuration.GetSection("MapControl:Reports").Get<MonthlyReportOptions>() ?? new MonthlyReportOptions());
        builder.Services.AddSingleton<ReportService>();
        builder.Services.AddSingleton<MonthlyReportScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MonthlyReportScheduler>());
        return builder;
    }

    /// <summary>Maps /api/layers, /api/analysis, /api/commander and /api/planning.</summary>
    public static WebApplication MapOneMapApis(this WebApplication app)
    {
        app.MapLayersApi();
        app.MapAnalysisApi();
        app.MapCommanderApi();
        app.MapPlanningApi();
        app.MapReportsApi();
        app.MapExportApi();
        app.MapLabelsAdminApi();
        return app;
    }
}
