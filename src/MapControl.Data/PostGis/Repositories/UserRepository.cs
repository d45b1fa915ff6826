using MapControl.Core.Model;
using MapControl.Data.Security;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Outcome of a sign-in attempt.</summary>
public enum SignInStatus { Succeeded, Failed }

/// <summary>The result of <see cref="UserRepository.SignInAsync"/>: the user on success.</summary>
public sealed record SignInResult(SignInStatus Status, User? User);

/// <summary>An API token as listed (its secret is never stored, only its SHA-256).</summary>
/// <param name="Id">The token's id, for revocation.</param>
/// <param name="UserName">Its owner.</param>
/// <param name="Label">What the owner called it ("QGIS at the desk").</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working.</param>
public sealed record ApiTokenInfo(long Id, string UserName, string Label, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Users of the platform: PBKDF2 passwords (re-hashed at the current cost on sign-in), hashed API tokens with an expiry. There is no
/// account lockout — it would let anyone lock anyone out; the web server rate-limits sign-in per source instead (docs/SECURITY.md).
/// </summary>
public sealed class UserRepository(NpgsqlDataSource dataSource)
{
    /// <summary>How long a token works when the caller does not say.</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromDays(90);

    /// <summary>The longest lifetime a token may be issued with.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(366);

    /// <summary>Tokens a user may hold; issuing one more drops the oldest.</summary>
    public const int MaxTokensPerUser = 20;

    private const string Columns = "user_name, display_name, role, department_code";
    private const string UserColumns = "u.user_name, u.display_name, u.role, u.department_code";
    private const string InsertSql = """
        INSERT INTO app_user (user_name, display_name, role, department_code, password_hash) VALUES ($1, $2, $3, $4, $5)
        """;
    private const string SelectAllSql = $"SELECT {Columns} FROM app_user ORDER BY user_name";
    private const string SelectOneSql = $"SELECT {Columns} FROM app_user WHERE user_name = $1";
    private const string SelectStampSql = $"SELECT {Columns}, password_hash FROM app_user WHERE user_name = $1";
    private const string SelectForSignInSql = $"SELECT {Columns}, password_hash FROM app_user WHERE user_name = $1";
    private const string SelectHashesSql = "SELECT user_name, password_hash FROM app_user ORDER BY user_name";
    private const string SelectByTokenSql = $"""
        SELECT {UserColumns} FROM api_token t JOIN app_user u USING (user_name) WHERE t.token_hash = $1 AND t.expires_at > now()
        """;
    private const string SetPasswordSql = "UPDATE app_user SET password_hash = $2 WHERE user_name = $1";
    // Only when the stored hash is still the one verified: a password changed meanwhile is never overwritten.
    private const string RehashSql = "UPDATE app_user SET password_hash = $3 WHERE user_name = $1 AND password_hash = $2";
    private const string InsertTokenSql = """
        INSERT INTO api_token (user_name, token_hash, label, expires_at) SELECT $1, $2, $3, now() + $4 WHERE EXISTS (SELECT 1 FROM app_user WHERE user_name = $1)
        """;
    private const string DropOldTokensSql = """
        DELETE FROM api_token WHERE user_name = $1
           AND id NOT IN (SELECT id FROM api_token WHERE user_name = $1 ORDER BY created_at DESC, id DESC LIMIT $2)
        """;
    private const string ListTokensSql = """
        SELECT id, user_name, label, created_at, expires_at FROM api_token WHERE ($1::text IS NULL OR user_name = $1) ORDER BY user_name, created_at, id
        """;
    private const string RevokeTokenSql = "DELETE FROM api_token WHERE id = $1 AND ($2::text IS NULL OR user_name = $2)";
    private const string RevokeAllTokensSql = "DELETE FROM api_token WHERE user_name = $1";
    private const string DropExpiredTokensSql = "DELETE FROM api_token WHERE expires_at <= now()";
    private const string DeleteSql = "DELETE FROM app_user WHERE user_name = $1";

    // Verified against when the user does not exist, so that unknown names take as long as wrong passwords.
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash("not-a-real-password"));

    /// <summary>Adds a user with a password.</summary>
    /// <exception cref="ArgumentException">The password is too short.</exception>
    /// <exception cref="PostgresException">The user exists (23505) or the department is unknown (23503).</exception>
    public async Task AddAsync(User user, string password, CancellationToken cancellationToken = default)
    {
        var hash = PasswordHasher.Hash(password);
        await ExecuteAsync(dataSource, InsertSql, cancellationToken, user.UserName, user.DisplayName, Name(user.Role), user.DepartmentCode, hash)
            .ConfigureAwait(false);
    }

    /// <summary>All users by name.</summary>
    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, SelectAllSql, Read, cancellationToken).ConfigureAwait(false);

    /// <summary>One user with the stamp of their password (<see cref="PasswordHasher.Stamp"/>), or null.</summary>
    public async Task<(User User, string Stamp)?> GetWithStampAsync(string userName, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, SelectStampSql, r => ((User, string)?)(Read(r), PasswordHasher.Stamp(r.GetString(4))), cancellationToken, userName)
            .ConfigureAwait(false)).SingleOrDefault();

    /// <summary>One user by name, or null.</summary>
    public async Task<User?> GetAsync(string userName, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, SelectOneSql, Read, cancellationToken, userName).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Sets a new password; false when the user does not exist. Sign-ins made with the old password end (their stamp changes).</summary>
    public async Task<bool> SetPasswordAsync(string userName, string password, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dataSource, SetPasswordSql, cancellationToken, userName, PasswordHasher.Hash(password)).ConfigureAwait(false) == 1;

    /// <summary>Deletes a user (and their tokens); false when the user does not exist.</summary>
    public async Task<bool> DeleteAsync(string userName, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dataSource, DeleteSql, cancellationToken, userName).ConfigureAwait(false) == 1;

    /// <summary>
    /// Checks a password. Unknown users and wrong passwords take the same time and give the same answer. A hash made with fewer
    /// iterations than <see cref="PasswordHasher.Iterations"/> is replaced after a successful check (the sign-in stamp stays valid
    /// for the session that made it: see <see cref="PasswordHasher.Stamp"/>).
    /// </summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(dataSource, SelectForSignInSql, r => (User: Read(r), Hash: r.GetString(4)), cancellationToken, userName)
            .ConfigureAwait(false);
        if (rows.Count == 0)
        {
            PasswordHasher.Verify(password, DummyHash.Value);
            return new SignInResult(SignInStatus.Failed, null);
        }
        var row = rows[0];
        if (!PasswordHasher.Verify(password, row.Hash)) return new SignInResult(SignInStatus.Failed, null);
        if (PasswordHasher.NeedsRehash(row.Hash))
            await ExecuteAsync(dataSource, RehashSql, cancellationToken, userName, row.Hash, PasswordHasher.Rehash(password, row.Hash))
                .ConfigureAwait(false);
        return new SignInResult(SignInStatus.Succeeded, row.User);
    }

    /// <summary>
    /// Issues a new API token for the user, valid for <paramref name="lifetime"/> (default <see cref="DefaultTokenLifetime"/>, at most
    /// <see cref="MaxTokenLifetime"/>); only its hash is stored, so show it once. A user keeps at most <see cref="MaxTokensPerUser"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The user does not exist, the label is longer than 100 characters or the lifetime is out of range.</exception>
    public async Task<(string Token, ApiTokenInfo Info)> IssueApiTokenAsync(string userName, string? label = null, TimeSpan? lifetime = null,
        CancellationToken cancellationToken = default)
    {
        var life = lifetime ?? DefaultTokenLifetime;
        if (life <= TimeSpan.Zero || life > MaxTokenLifetime)
            throw new ArgumentException($"A token's lifetime is between 1 minute and {MaxTokenLifetime.TotalDays:0} days.", nameof(lifetime));
        label = (label ?? "").Trim();
        if (label.Length > 100) throw new ArgumentException("A token's label has at most 100 characters.", nameof(label));
        var token = PasswordHasher.NewApiToken();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, DropExpiredTokensSql, cancellationToken).ConfigureAwait(false);
        var inserted = await ExecuteAsync(connection, InsertTokenSql, cancellationToken, userName, PasswordHasher.HashApiToken(token), label, life)
            .ConfigureAwait(false);
        if (inserted != 1) throw new ArgumentException($"No user '{userName}'.", nameof(userName));
        await ExecuteAsync(connection, DropOldTokensSql, cancellationToken, userName, MaxTokensPerUser).ConfigureAwait(false);
        var info = (await QueryAsync(connection, ListTokensSql, ReadToken, cancellationToken, userName).ConfigureAwait(false)).MaxBy(t => t.Id)!;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (token, info);
    }

    /// <summary>Issues a token with the default label and lifetime; the token.</summary>
    public async Task<string> CreateApiTokenAsync(string userName, CancellationToken cancellationToken = default) =>
        (await IssueApiTokenAsync(userName, cancellationToken: cancellationToken).ConfigureAwait(false)).Token;

    /// <summary>The tokens of one user, or of every user when <paramref name="userName"/> is null (expired ones included until dropped).</summary>
    public async Task<IReadOnlyList<ApiTokenInfo>> ListApiTokensAsync(string? userName, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, ListTokensSql, ReadToken, cancellationToken, (object?)userName ?? DBNull.Value).ConfigureAwait(false);

    /// <summary>Revokes one token; when <paramref name="owner"/> is given, only if it is theirs. False when there was no such token.</summary>
    public async Task<bool> RevokeApiTokenAsync(long id, string? owner, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dataSource, RevokeTokenSql, cancellationToken, id, (object?)owner ?? DBNull.Value).ConfigureAwait(false) == 1;

    /// <summary>Revokes every token of the user; the number revoked.</summary>
    public async Task<int> RevokeAllApiTokensAsync(string userName, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dataSource, RevokeAllTokensSql, cancellationToken, userName).ConfigureAwait(false);

    /// <summary>The names of the users whose password is <paramref name="password"/> (e.g. the demo password).</summary>
    public async Task<IReadOnlyList<string>> UsersWithPasswordAsync(string password, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, SelectHashesSql, r => (Name: r.GetString(0), Hash: r.GetString(1)), cancellationToken).ConfigureAwait(false))
            .Where(u => PasswordHasher.Verify(password, u.Hash)).Select(u => u.Name).ToArray();

    /// <summary>The owner of an API token, or null when no user has it or it has expired.</summary>
    public async Task<User?> FindByApiTokenAsync(string token, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(token)
            ? null
            : (await QueryAsync(dataSource, SelectByTokenSql, Read, cancellationToken, PasswordHasher.HashApiToken(token))
                .ConfigureAwait(false)).SingleOrDefault();

    private static ApiTokenInfo ReadToken(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetUtc(3), r.GetUtc(4));

    private static User Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), Parse<Role>(r, 2), r.GetStringOrNull(3));
}
