using MapControl.Core.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MapControl.Web.Auth;

/// <summary>Registers cookie sign-in, the roles, the demo users and the sign-out endpoint.</summary>
internal static class AuthRegistration
{
    /// <summary>Policy of every <c>/api</c> group: any signed-in user, by the UI's cookie or a bearer token (scripts, QGIS plugins).</summary>
    public const string SignedIn = "signed-in";

    /// <summary>The roles of people; the <c>integration</c> role (the video platform's machine account) only posts events.</summary>
    public static readonly string[] PeopleRoles = [.. new[] { Role.Commander, Role.Analyst, Role.Planner, Role.Admin }.Select(DomainNames.ToName)];

    /// <summary>Policy: may edit jurisdictions and patrol zones of some department (planner, admin).</summary>
    public const string Editor = "editor";

    /// <summary>Adds cookie authentication, the policies, the user store and the demo-user check.</summary>
    public static WebApplicationBuilder AddOneMapAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/signin";
                o.Cookie.Name = "mapcontrol.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
                // The JSON API answers 401/403 instead of redirecting to the sign-in page.
                o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
                // Deleted users, changed roles and changed passwords end a sign-in on the next request.
                o.Events.OnValidatePrincipal = ctx => ctx.HttpContext.RequestServices.GetRequiredService<CookieCheck>().ValidateAsync(ctx);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(SignedIn, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.TokenOrCookieScheme).RequireRole(PeopleRoles))
            .AddPolicy(Editor, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.TokenOrCookieScheme)
                .RequireRole(DomainNames.ToName(Role.Planner), DomainNames.ToName(Role.Admin)));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.TryAddSingleton<MapControl.Data.PostGis.Repositories.UserRepository>();
        builder.Services.AddScoped<SignInService>();
        builder.Services.TryAddSingleton<MapControl.Data.PostGis.DataVersions>();
        builder.Services.TryAddSingleton<CookieCheck>();
        builder.Services.AddHostedService<DemoUsers>();
        return builder;
    }

    /// <summary>Uses authentication and authorization and maps <c>POST /account/signout</c>.</summary>
    public static WebApplication MapOneMapAuth(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/account/signout", async (HttpContext http, [FromForm] string? returnUrl) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.LocalRedirect("~/signin");
        }).WithName("SignOut").WithSummary("Signs the user out (form post with antiforgery token).");
        return app;
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

}
