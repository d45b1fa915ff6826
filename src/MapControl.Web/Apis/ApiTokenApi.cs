using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;

namespace MapControl.Web.Apis;

/// <summary>POST /api/auth/token: exchanges a user name and password for a bearer token for QGIS, GDAL and scripts.</summary>
internal static class ApiTokenApi
{
    /// <summary>The request body.</summary>
    public sealed record TokenRequest(string? Username, string? Password);

    /// <summary>The response body; the token is shown once (only its hash is stored).</summary>
    public sealed record TokenResponse(string Token, string TokenType = "Bearer");

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapApiTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueAsync).WithTags("Auth").WithName("IssueApiToken").AllowAnonymous().DisableAntiforgery()
            .WithSummary("Issues a bearer token (replacing the user's previous one) for a user name and password.");
        return app;
    }

    private static async Task<IResult> IssueAsync(TokenRequest? body, UserRepository users, ApiTokenCache cache, CancellationToken ct)
    {
        if (body is null || string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password))
            return Problems.BadRequest("Expected a JSON body {\"username\": …, \"password\": …}.");
        var signIn = await users.SignInAsync(body.Username, body.Password, ct).ConfigureAwait(false);
        switch (signIn.Status)
        {
            case SignInStatus.Succeeded:
                var token = await users.CreateApiTokenAsync(body.Username, ct).ConfigureAwait(false);
                cache.Clear();
                return TypedResults.Ok(new TokenResponse(token));
            case SignInStatus.LockedOut:
                return Problems.Unauthorized($"Account locked until {signIn.LockedUntil:O} after repeated failures.");
            default:
                return Problems.Unauthorized("Unknown user or wrong password.");
        }
    }
}
