using System.Security.Cryptography;
using Npgsql;

namespace MapControl.Data.PostGis.ApiTokens;

/// <summary>The user an API token belongs to.</summary>
public sealed record ApiTokenOwner(string UserName, string DisplayName, string Role, string? DepartmentCode);

/// <summary>Bearer tokens of API clients (QGIS, GDAL, scripts): random 256-bit tokens of which only the SHA-256 is stored in app_user.api_token_hash.</summary>
public sealed class ApiTokenStore(NpgsqlDataSource dataSource)
{
    /// <summary>The stored form of a token: lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    /// <summary>A new random token (43 URL-safe characters).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Issues a new token for a user, replacing any previous one; null when the user does not exist.</summary>
    public async Task<string?> IssueAsync(string userName, CancellationToken cancellationToken)
    {
        var token = NewToken();
        await using var cmd = dataSource.CreateCommand("UPDATE app_user SET api_token_hash = @h WHERE user_name = @u");
        cmd.Parameters.AddWithValue("h", Hash(token));
        cmd.Parameters.AddWithValue("u", userName);
        var n = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return n == 1 ? token : null;
    }

    /// <summary>Revokes a user's token; false when the user does not exist.</summary>
    public async Task<bool> RevokeAsync(string userName, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE app_user SET api_token_hash = NULL WHERE user_name = @u");
        cmd.Parameters.AddWithValue("u", userName);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The owner of a presented token, or null when no (unlocked) user has it.</summary>
    public async Task<ApiTokenOwner?> FindOwnerAsync(string token, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT user_name, display_name, role, department_code FROM app_user
            WHERE api_token_hash = @h AND (locked_until IS NULL OR locked_until < now())
            """);
        cmd.Parameters.AddWithValue("h", Hash(token));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new ApiTokenOwner(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
    }
}
