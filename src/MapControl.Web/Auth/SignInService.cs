using System.Security.Claims;
using MapControl.Core.Model;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MapControl.Web.Auth;

/// <summary>Outcome of a sign-in attempt.</summary>
public enum SignInOutcome { Success, Invalid }

/// <summary>Checks a user name and password with the data layer's <see cref="UserRepository"/> (PBKDF2; attempts are rate-limited per source, see <see cref="Hosting.SignInThrottle"/>) and issues the auth cookie.</summary>
public sealed class SignInService(UserRepository users)
{
    /// <summary>Checks the credentials; the user on success. Unknown users and wrong passwords give the same outcome.</summary>
    public async Task<(SignInOutcome Outcome, User? User)> CheckAsync(string userName, string password, CancellationToken ct)
    {
        var result = await users.SignInAsync(userName.Trim(), password, ct).ConfigureAwait(false);
        return result.Status switch
        {
            // The integration role is a machine account (the video platform's token): it never signs in to the map.
            SignInStatus.Succeeded when result.User!.Role != Role.Integration => (SignInOutcome.Success, result.User),
            _ => (SignInOutcome.Invalid, null),
        };
    }

    /// <summary>Checks the credentials and, when good, signs the user in with the cookie.</summary>
    public async Task<SignInOutcome> SignInAsync(HttpContext http, string userName, string password, CancellationToken ct)
    {
        var (outcome, user) = await CheckAsync(userName, password, ct).ConfigureAwait(false);
        if (user is null) return outcome;
        var stamp = (await users.GetWithStampAsync(user.UserName, ct).ConfigureAwait(false))?.Stamp ?? "";
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, UserClaims.ToPrincipal(user, stamp)).ConfigureAwait(false);
        return outcome;
    }
}

/// <summary>The claims a signed-in user carries and how to read them back.</summary>
public static class UserClaims
{
    /// <summary>Claim type of the user's department; absent for the centre.</summary>
    public const string Department = "mc:department";

    /// <summary>Claim type of the display name.</summary>
    public const string DisplayName = "mc:display";

    /// <summary>Claim type of the password stamp the sign-in was made with (<see cref="Data.Security.PasswordHasher.Stamp"/>).</summary>
    public const string Stamp = "mc:stamp";

    /// <summary>The principal of a user.</summary>
    public static ClaimsPrincipal ToPrincipal(User user, string? stamp = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.UserName),
            new(DisplayName, user.DisplayName),
            new(ClaimTypes.Role, DomainNames.ToName(user.Role)),
        };
        if (user.DepartmentCode is not null) claims.Add(new Claim(Department, user.DepartmentCode));
        if (stamp is not null) claims.Add(new Claim(Stamp, stamp));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The user behind a principal, or null when not signed in.</summary>
    public static User? ToUser(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.Identity.Name is not { } name) return null;
        if (!DomainNames.TryParse<Role>(principal.FindFirstValue(ClaimTypes.Role), out var role)) return null;
        return new User(name, principal.FindFirstValue(DisplayName) ?? name, role, principal.FindFirstValue(Department));
    }
}

/// <summary>
/// Re-checks a sign-in cookie against the database on every request while the <c>app_user</c> change version moves: a deleted user,
/// a changed role or department, or a changed password (the stamp) ends the sign-in at once. Kept per user while the version is unchanged.
/// </summary>
public sealed class CookieCheck(UserRepository users, DataVersions versions)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Version, User? User, string? Stamp)> _known = new(StringComparer.Ordinal);

    /// <summary>Rejects the principal (and signs out) when it no longer matches the stored user.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal?.Identity?.Name is not { } name) { await RejectAsync(context).ConfigureAwait(false); return; }
        var ct = context.HttpContext.RequestAborted;
        var version = (await versions.CurrentAsync(ct).ConfigureAwait(false))["app_user"];
        if (!_known.TryGetValue(name, out var known) || known.Version != version)
        {
            var stored = await users.GetWithStampAsync(name, ct).ConfigureAwait(false);
            if (_known.Count > 10_000) _known.Clear();
            known = (version, stored?.User, stored?.Stamp);
            _known[name] = known;
        }
        var claimed = UserClaims.ToUser(principal);
        if (known.User is not { } user || claimed is null || claimed.Role != user.Role || claimed.DepartmentCode != user.DepartmentCode
            || principal.FindFirstValue(UserClaims.Stamp) != known.Stamp)
            await RejectAsync(context).ConfigureAwait(false);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
    }
}
