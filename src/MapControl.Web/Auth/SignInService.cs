using System.Security.Claims;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MapControl.Web.Auth;

/// <summary>Outcome of a sign-in attempt.</summary>
public enum SignInOutcome { Success, Invalid, LockedOut }

/// <summary>Checks a user name and password with the data layer's <see cref="UserRepository"/> (PBKDF2, lockout) and issues the auth cookie.</summary>
public sealed class SignInService(UserRepository users)
{
    /// <summary>Checks the credentials (failures are counted, 5 in a row lock for 15 min); the user on success.</summary>
    public async Task<(SignInOutcome Outcome, User? User)> CheckAsync(string userName, string password, CancellationToken ct)
    {
        var result = await users.SignInAsync(userName.Trim(), password, ct).ConfigureAwait(false);
        return result.Status switch
        {
            SignInStatus.Succeeded => (SignInOutcome.Success, result.User),
            SignInStatus.LockedOut => (SignInOutcome.LockedOut, null),
            _ => (SignInOutcome.Invalid, null),
        };
    }

    /// <summary>Checks the credentials and, when good, signs the user in with the cookie.</summary>
    public async Task<SignInOutcome> SignInAsync(HttpContext http, string userName, string password, CancellationToken ct)
    {
        var (outcome, user) = await CheckAsync(userName, password, ct).ConfigureAwait(false);
        if (user is null) return outcome;
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, UserClaims.ToPrincipal(user)).ConfigureAwait(false);
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

    /// <summary>The principal of a user.</summary>
    public static ClaimsPrincipal ToPrincipal(User user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.UserName),
            new(DisplayName, user.DisplayName),
            new(ClaimTypes.Role, DomainNames.ToName(user.Role)),
        };
        if (user.DepartmentCode is not null) claims.Add(new Claim(Department, user.DepartmentCode));
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
