using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MapControl.Data.Security;

/// <summary>
/// PBKDF2-SHA256 password hashes shared by the CLI and the web app, stored as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>; and SHA-256 digests of API tokens.
/// </summary>
public static class PasswordHasher
{
    /// <summary>Iterations for new hashes: OWASP's 2023 figure for PBKDF2-HMAC-SHA256 (about 0.2 s of one core per check).</summary>
    public const int Iterations = 600_000;

    /// <summary>The shortest password accepted.</summary>
    public const int MinimumLength = 8;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashes a password with a fresh random salt.</summary>
    /// <exception cref="ArgumentException">The password is shorter than <see cref="MinimumLength"/>.</exception>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinimumLength)
            throw new ArgumentException($"A password needs at least {MinimumLength} characters.", nameof(password));
        return Format(password, RandomNumberGenerator.GetBytes(SaltBytes));
    }

    /// <summary>True when a stored hash was made with fewer than <see cref="Iterations"/> (re-hash it at the next successful check).</summary>
    public static bool NeedsRehash(string storedHash)
    {
        var parts = storedHash?.Split('$') ?? [];
        return parts.Length == 4 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < Iterations;
    }

    /// <summary>The hash of a password already verified against <paramref name="storedHash"/>, at today's cost and with the same salt (so its <see cref="Stamp"/> is unchanged).</summary>
    public static string Rehash(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = storedHash.Split('$');
        return Format(password, Convert.FromBase64String(parts[2]));
    }

    private static string Format(string password, byte[] salt)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt),
            Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="storedHash"/> (constant-time comparison); false for malformed hashes.</summary>
    public static bool Verify(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = storedHash?.Split('$') ?? [];
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// A short stamp of a stored password hash, from its salt: it changes when the password changes (a new hash has a fresh salt),
    /// not when <see cref="Rehash"/> raises the cost, and reveals nothing of the password.
    /// </summary>
    public static string Stamp(string storedHash)
    {
        var parts = storedHash.Split('$');
        var source = parts.Length == 4 ? parts[2] : storedHash;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)), 0, 8);
    }

    /// <summary>A new random API token (URL-safe, 256 bits).</summary>
    public static string NewApiToken() => "mct_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of an API token: lowercase hex SHA-256 (tokens are random, so a fast hash suffices).</summary>
    public static string HashApiToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? throw new ArgumentNullException(nameof(token)))));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
