using System.Security.Claims;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;

namespace MapControl.Web.Apis;

/// <summary>
/// API tokens for QGIS, GDAL and scripts: <c>POST /api/auth/token</c> exchanges a user name and password for a new token (shown once,
/// with an expiry); <c>GET /api/auth/tokens</c> lists the caller's tokens (an admin's: everyone's); <c>DELETE /api/auth/tokens/{id}</c>
/// revokes one (the caller's own; an admin any). A revocation is seen by the next request (the token check is keyed on the
/// <c>api_token</c> change version).
/// </summary>
internal static class ApiTokenApi
{
    /// <summary>The request body: credentials, an optional label and lifetime in days (default 90, at most 366).</summary>
    public sealed record TokenRequest(string? Username, string? Password, string? Label = null, int? ExpiresInDays = null);

    /// <summary>The response body; the token is shown once (only its hash is stored).</summary>
    public sealed record TokenResponse(string Token, long Id, DateTimeOffset ExpiresAt, string TokenType = "Bearer");

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapApiTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueAsync).WithTags("Auth").WithName("IssueApiToken").AllowAnonymous().DisableAntiforgery()
            .WithSummary("Issues a new bearer token with an expiry for a user name and password (rate-limited per source).");
        var tokens = app.MapGroup("/api/auth/tokens").WithTags("Auth").RequireAuthorization(ApiTokenAuthentication.Policy);
        tokens.MapGet("", ListAsync).WithName("ListApiTokens").WithSummary("The caller's API tokens (an admin's: everyone's), without secrets.");
        tokens.MapDelete("/{id:long}", RevokeAsync).WithName("RevokeApiToken").WithSummary("Revokes a token of the caller (an admin: any token).");
        return app;
    }

    private static async Task<IResult> IssueAsync(TokenRequest? body, UserRepository users, CancellationToken ct)
    {
        if (body is null || string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password))
            return Problems.BadRequest("Expected a JSON body {\"username\": …, \"password\": …}.");
        if (body.Username.Length > 64 || body.Password.Length > 1024) return Problems.Unauthorized("Unknown user or wrong password.");
        if (body.ExpiresInDays is < 1 or > 366) return Problems.BadParameter("expiresInDays", "expected 1..366");
        if (body.Label is { Length: > 100 }) return Problems.BadParameter("label", "at most 100 characters");
        var signIn = await users.SignInAsync(body.Username, body.Password, ct).ConfigureAwait(false);
        if (signIn.Status != SignInStatus.Succeeded) return Problems.Unauthorized("Unknown user or wrong password.");
        var lifetime = body.ExpiresInDays is { } days ? TimeSpan.FromDays(days) : (TimeSpan?)null;
        var (token, info) = await users.IssueApiTokenAsync(signIn.User!.UserName, body.Label, lifetime, ct).ConfigureAwait(false);
        return TypedResults.Ok(new TokenResponse(token, info.Id, info.ExpiresAt));
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, UserRepository users, CancellationToken ct)
    {
        var caller = principal.Identity!.Name!;
        var all = principal.IsInRole(DomainNames.ToName(Role.Admin));
        return TypedResults.Ok(await users.ListApiTokensAsync(all ? null : caller, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> RevokeAsync(long id, ClaimsPrincipal principal, UserRepository users, CancellationToken ct)
    {
        var owner = principal.IsInRole(DomainNames.ToName(Role.Admin)) ? null : principal.Identity!.Name!;
        return await users.RevokeApiTokenAsync(id, owner, ct).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Problems.NotFound($"No token {id} of yours.");
    }
}
