using MapControl.Data.PostGis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Authentication;
using System.Text.Json.Serialization;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>The health of the platform as JSON: status, and for a signed-in caller the PostGIS version and row counts.</summary>
/// <param name="Status">"ok" when the database answered (a 503 problem otherwise).</param>
/// <param name="Postgis">PostGIS_Lib_Version() of the database (signed-in callers only).</param>
/// <param name="Counts">Row counts under snake_case names, oil_zones … gps_points (signed-in callers only).</param>
public sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Postgis = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, long>? Counts = null);

/// <summary>
/// <c>GET /api/health</c>: 200 <c>{"status":"ok"}</c>, or 503 problem details when PostGIS cannot be reached. Anonymous callers learn
/// only up or down; a signed-in caller (cookie or bearer token) also gets the PostGIS version and row counts. The database's own
/// error text is logged, never answered.
/// </summary>
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
            .WithSummary("Up or down; with the PostGIS version and row counts for a signed-in caller.");
        return app;
    }

    /// <summary>Checks the database within <see cref="DatabaseTimeout"/>.</summary>
    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> GetHealth(HttpContext http, NpgsqlDataSource dataSource,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatabaseTimeout);
        try
        {
            var version = await DatabaseStats.GetPostGisVersionAsync(dataSource, timeout.Token).ConfigureAwait(false);
            var signedIn = (await http.AuthenticateAsync(MapControl.Web.Auth.ApiTokenAuthentication.TokenOrCookieScheme).ConfigureAwait(false)).Succeeded;
            if (!signedIn) return TypedResults.Ok(new HealthResponse("ok"));
            var counts = await DatabaseStats.GetCountsAsync(dataSource, timeout.Token).ConfigureAwait(false);
            return TypedResults.Ok(new HealthResponse("ok", version, counts.ToDictionary()));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logs.CreateLogger(typeof(HealthApi)).LogWarning("Health check: the database is unavailable: {Message}", e.Message);
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem("The database is unavailable.", statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Database unavailable", type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4");
        }
    }
}
