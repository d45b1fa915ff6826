using MapControl.Data.PostGis;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>The health of the platform as JSON: status, PostGIS version and row counts.</summary>
/// <param name="Status">"ok" when the database answered.</param>
/// <param name="Postgis">PostGIS_Lib_Version() of the database.</param>
/// <param name="Counts">Row counts under snake_case names (oil_zones … gps_points).</param>
public sealed record HealthResponse(string Status, string Postgis, IReadOnlyDictionary<string, long> Counts);

/// <summary><c>GET /api/health</c>: 200 with counts, or 503 problem details when PostGIS cannot be reached.</summary>
public static class HealthApi
{
    /// <summary>How long the health check waits for the database.</summary>
    public static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps the health endpoint.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api").WithTags("Health");
        api.MapGet("/health", GetHealth)
            .WithName("GetHealth")
            .WithSummary("Database reachability, PostGIS version and row counts.");
        return app;
    }

    /// <summary>Reads the PostGIS version and the counts within <see cref="DatabaseTimeout"/>.</summary>
    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> GetHealth(NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatabaseTimeout);
        try
        {
            var version = await DatabaseStats.GetPostGisVersionAsync(dataSource, timeout.Token).ConfigureAwait(false);
            var counts = await DatabaseStats.GetCountsAsync(dataSource, timeout.Token).ConfigureAwait(false);
            return TypedResults.Ok(new HealthResponse("ok", version, counts.ToDictionary()));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var detail = e switch
            {
                PostgresException pg => pg.MessageText,
                OperationCanceledException => $"The database did not answer within {DatabaseTimeout.TotalSeconds:0} s.",
                _ => e.Message,
            };
            return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Database unavailable", type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4");
        }
    }
}
