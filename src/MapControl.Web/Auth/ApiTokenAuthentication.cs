using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using MapControl.Core.Model;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MapControl.Web.Auth;

/// <summary>Bearer-token authentication of API clients, and the policy that accepts a token or the UI's cookie.</summary>
internal static class ApiTokenAuthentication
{
    /// <summary>The bearer token scheme.</summary>
    public const string Scheme = "ApiToken";

    /// <summary>A policy scheme: the bearer token when an Authorization header is present, else the UI's cookie when registered.</summary>
    public const string TokenOrCookieScheme = "ApiTokenOrCookie";

    /// <summary>Authorization policy of /ogc, /tiles and the import API: a valid token or a signed-in UI user.</summary>
    public const string Policy = "api-client";

    /// <summary>Registers the scheme, the policy scheme and the policy.</summary>
    public static WebApplicationBuilder AddApiTokenAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<UserRepository>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiTokenCache>();
        builder.Services.TryAddSingleton<DataVersions>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(Scheme, null)
            .AddPolicyScheme(TokenOrCookieScheme, "Bearer token or UI cookie", o =>
            {
                o.ForwardDefaultSelector = ctx =>
                {
                    if (ctx.Request.Headers.Authorization.Count > 0) return Scheme;
                    var schemes = ctx.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>();
                    var cookie = schemes.GetSchemeAsync(CookieAuthenticationDefaults.AuthenticationScheme).GetAwaiter().GetResult();
                    return cookie is null ? Scheme : cookie.Name;
                };
                // API clients get 401 with a WWW-Authenticate header, never a redirect to the sign-in page.
                o.ForwardChallenge = Scheme;
                o.ForwardForbid = Scheme;
            });
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p =>
            p.AddAuthenticationSchemes(TokenOrCookieScheme).RequireRole(AuthRegistration.PeopleRoles));
        return builder;
    }
}

/// <summary>
/// Remembers validated tokens while the <c>app_user</c> and <c>api_token</c> change versions are unchanged and for at most a minute
/// (a token's expiry passes without a write): a revoked token, a deleted user or a changed role (by this server, another one or the
/// CLI) is checked against the database on the very next request. A hit never extends an entry's life.
/// </summary>
internal sealed class ApiTokenCache(TimeProvider clock)
{
    /// <summary>The longest an entry is used without a database check.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (User Owner, string Versions, DateTimeOffset Until)> _owners = new(StringComparer.Ordinal);

    public User? TryGet(string token, string versions) =>
        _owners.TryGetValue(token, out var e) && e.Versions == versions && clock.GetUtcNow() < e.Until ? e.Owner : null;

    /// <summary>Remembers an owner just read from the database (never called on a hit, so use does not extend an entry).</summary>
    public void Add(string token, User owner, string versions)
    {
        if (_owners.Count > 10_000) _owners.Clear();
        _owners[token] = (owner, versions, clock.GetUtcNow() + MaxAge);
    }

}

/// <summary>Authenticates "Authorization: Bearer &lt;token&gt;" against the unexpired rows of <c>api_token</c>.</summary>
internal sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    UserRepository users, ApiTokenCache cache, DataVersions versions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Claim type of the user's department code.</summary>
    public const string DepartmentClaim = UserClaims.Department;

    private static readonly string[] TokenTables = ["app_user", "api_token"];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200) return AuthenticateResult.Fail("Malformed bearer token.");
        // The version is read before the user: a change after this read gives a newer version, so a stale owner is never kept.
        var version = (await versions.CurrentAsync(Context.RequestAborted).ConfigureAwait(false)).Of(TokenTables);
        var owner = cache.TryGet(token, version);
        if (owner is null)
        {
            owner = await users.FindByApiTokenAsync(token, Context.RequestAborted).ConfigureAwait(false);
            if (owner is null) return AuthenticateResult.Fail("Unknown, expired or revoked API token.");
            cache.Add(token, owner, version);
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, owner.UserName), new(ClaimTypes.Role, DomainNames.ToName(owner.Role)) };
        if (owner.DepartmentCode is { } d) claims.Add(new Claim(DepartmentClaim, d));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"mapcontrol\"";
        return Task.CompletedTask;
    }
}
