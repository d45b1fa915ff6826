using MapControl.Core.Model;
using MapControl.Data.Security;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>Outcome of a sign-in attempt.</summary>
public enum SignInStatus { Succeeded, Failed, LockedOut }

/// <summary>The result of <see cref="UserRepository.SignInAsync"/>: the user on success, the lock end when locked out.</summary>
public sealed record SignInResult(SignInStatus Status, User? User, DateTimeOffset? LockedUntil);

/// <summary>Users of the platform: PBKDF2 passwords, lockout after repeated failures, hashed API tokens.</summary>
public sealed class UserRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Failed attempts in a row that lock an account.</summary>
    public const int MaxFailedAttempts = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private const string Columns = "user_name, display_name, role, department_code";
    private const string InsertSql = """
        INSERT INTO app_user (user_name, display_name, role, department_code, password_hash) VALUES ($1, $2, $3, $4, $5)
        """;
    private const string SelectAllSql = $"SELECT {Columns} FROM app_user ORDER BY user_name";
    private const string SelectOneSql = $"SELECT {Columns} FROM app_user WHERE user_name = $1";
    private const string SelectStampSql = $"SELECT {Columns}, password_hash FROM app_user WHERE user_name = $1";
    private const string SelectForSignInSql =
        $"SELECT {Columns}, password_hash, failed_attempts, locked_until, now() FROM app_user WHERE user_name = $1 FOR UPDATE";
    private const string SelectHashesSql = "SELECT user_name, password_hash FROM app_user ORDER BY user_name";
    private const string SelectByTokenSql = $"SELECT {Columns} FROM app_user WHERE api_token_hash = $1";
    private const string SetPasswordSql =
        "UPDATE app_user SET password_hash = $2, failed_attempts = 0, locked_until = NULL WHERE user_name = $1";
    private const string SignInSucceededSql = "UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE user_name = $1";
    private const string SignInFailedSql = """
        UPDATE app_user
           SET failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
               locked_until    = CASE WHEN failed_attempts + 1 >= $2 THEN now() + $3 ELSE locked_until END
         WHERE user_name = $1
        RETURNING locked_until
        """;
    private const string SetTokenSql = "UPDATE app_user SET api_token_hash = $2 WHERE user_name = $1";
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

    /// <summary>Sets a new password and clears failed attempts and lockout; false when the user does not exist.</summary>
    public async Task<bool> SetPasswordAsync(string userName, string password, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dataSource, SetPasswordSql, cancellationToken, userName, PasswordHasher.Hash(password)).ConfigureAwait(false) == 1;

    /// <summary>Deletes a user; false when the user does not exist.</summary>
    public async Task<bool> DeleteAsync(string userName, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dataSource, DeleteSql, cancellationToken, userName).ConfigureAwait(false) == 1;

    /// <summary>
    /// Checks a password. <see cref="MaxFailedAttempts"/> failures in a row lock the account for <see cref="LockoutDuration"/>;
    /// while locked, even the right password fails with <see cref="SignInStatus.LockedOut"/>.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(connection, SelectForSignInSql,
            r => (User: Read(r), Hash: r.GetString(4), LockedUntil: r.GetUtcOrNull(6), Now: r.GetUtc(7)),
            cancellationToken, userName).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            PasswordHasher.Verify(password, DummyHash.Value);
            return new SignInResult(SignInStatus.Failed, null, null);
        }
        var row = rows[0];
        if (row.LockedUntil is { } until && until > row.Now)
            return new SignInResult(SignInStatus.LockedOut, null, until);

        SignInResult result;
        if (PasswordHasher.Verify(password, row.Hash))
        {
            await ExecuteAsync(connection, SignInSucceededSql, cancellationToken, userName).ConfigureAwait(false);
            result = new SignInResult(SignInStatus.Succeeded, row.User, null);
        }
        else
        {
            var lockedUntil = await ScalarAsync<DateTimeOffset?>(connection, SignInFailedSql, cancellationToken, userName, MaxFailedAttempts,
                LockoutDuration).ConfigureAwait(false);
            result = lockedUntil is { } locked && locked > row.Now
                ? new SignInResult(SignInStatus.LockedOut, null, locked)
                : new SignInResult(SignInStatus.Failed, null, null);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Issues a new API token for the user (replacing any earlier one); only its hash is stored, so show it once.</summary>
    /// <exception cref="ArgumentException">The user does not exist.</exception>
    public async Task<string> CreateApiTokenAsync(string userName, CancellationToken cancellationToken = default)
    {
        var token = PasswordHasher.NewApiToken();
        var updated = await ExecuteAsync(dataSource, SetTokenSql, cancellationToken, userName, PasswordHasher.HashApiToken(token))
            .ConfigureAwait(false);
        return updated == 1 ? token : throw new ArgumentException($"No user '{userName}'.", nameof(userName));
    }

    /// <summary>Revokes the user's API token; false when the user does not exist.</summary>
    public async Task<bool> RevokeApiTokenAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, SetTokenSql, userName);
        command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The names of the users whose password is <paramref name="password"/> (e.g. the demo password).</summary>
    public async Task<IReadOnlyList<string>> UsersWithPasswordAsync(string password, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, SelectHashesSql, r => (Name: r.GetString(0), Hash: r.GetString(1)), cancellationToken).ConfigureAwait(false))
            .Where(u => PasswordHasher.Verify(password, u.Hash)).Select(u => u.Name).ToArray();

    /// <summary>The owner of an API token, or null when no user has it.</summary>
    public async Task<User?> FindByApiTokenAsync(string token, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(token)
            ? null
            : (await QueryAsync(dataSource, SelectByTokenSql, Read, cancellationToken, PasswordHasher.HashApiToken(token))
                .ConfigureAwait(false)).SingleOrDefault();

    private static User Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), Parse<Role>(r, 2), r.GetStringOrNull(3));
}
