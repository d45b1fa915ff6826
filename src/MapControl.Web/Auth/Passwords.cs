using Microsoft.AspNetCore.Identity;

namespace MapControl.Web.Auth;

/// <summary>Password hashing (PBKDF2 with a per-password salt) and verification.</summary>
internal static class Passwords
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Nobody = new();

    /// <summary>The hash to store for a password.</summary>
    public static string Hash(string password) => Hasher.HashPassword(Nobody, password);

    /// <summary>True when the password matches the stored hash.</summary>
    public static bool Verify(string hash, string password)
    {
        try { return Hasher.VerifyHashedPassword(Nobody, hash, password) != PasswordVerificationResult.Failed; }
        catch (FormatException) { return false; }
    }
}
