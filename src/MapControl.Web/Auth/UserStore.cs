using MapControl.Core.Model;
using Npgsql;

namespace MapControl.Web.Auth;

/// <summary>A stored user with what sign-in needs: the password hash and the lockout state.</summary>
public sealed record StoredUser(User User, string PasswordHash, int FailedAttempts, DateTimeOffset? LockedUntil);

/// <summary>Reads and updates <c>app_user</c> for sign-in: lookup, failed-attempt counting and lockout, demo users.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource)
{
    /// <summary>Failed attempts after which an account is locked.</summary>
    public const int MaxFailedAttempts = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private const string SelectUser = """
        SELECT user_name, display_name, role, department_code, password_hash, failed_attempts, locked_until
        FROM app_user WHERE user_name = @name
        """;

    // On the fifth failure the account is locked and the counter starts again.
    private const string RecordFailure = """
        UPDATE app_user SET
            failed_attempts = CASE WHEN failed_attempts + 1 >= @max THEN 0 ELSE failed_attempts + 1 END,
            locked_until    = CASE WHEN failed_attempts + 1 >= @max THEN now() + @lock ELSE locked_until END
        WHERE user_name = @name
        RETURNING locked_until
        """;

    private const string RecordSuccess = "UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE user_name = @name";

    private const string InsertIfAbsent = """
        INSERT INTO app_user (user_name, display_name, role, department_code, password_hash)
        VALUES (@name, @display, @role, @dept, @hash)
        ON CONFLICT (user_name) DO NOTHING
        """;

    /// <summary>The user of that name, or null.</summary>
    public async Task<StoredUser?> FindAsync(string userName, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(SelectUser);
        cmd.Parameters.AddWithValue("name", userName);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        var user = new User(r.GetString(0), r.GetString(1), DomainNames.Parse<Role>(r.GetString(2)),
            r.IsDBNull(3) ? null : r.GetString(3));
        return new StoredUser(user, r.GetString(4), r.GetInt32(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6));
    }

    /// <summary>Counts a failed attempt; returns the lock end when this attempt locked the account.</summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(string userName, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(RecordFailure);
        cmd.Parameters.AddWithValue("name", userName);
        cmd.Parameters.AddWithValue("max", MaxFailedAttempts);
        cmd.Parameters.AddWithValue("lock", LockoutDuration);
        var result = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return result is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : null;
    }

    /// <summary>Clears the failure counter and lock after a good sign-in.</summary>
    public async Task RecordSuccessAsync(string userName, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(RecordSuccess);
        cmd.Parameters.AddWithValue("name", userName);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Adds the user with that password unless a user of that name exists; true when added.</summary>
    public async Task<bool> AddIfAbsentAsync(User user, string password, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(InsertIfAbsent);
        cmd.Parameters.AddWithValue("name", user.UserName);
        cmd.Parameters.AddWithValue("display", user.DisplayName);
        cmd.Parameters.AddWithValue("role", DomainNames.ToName(user.Role));
        cmd.Parameters.AddWithValue("dept", (object?)user.DepartmentCode ?? DBNull.Value);
        cmd.Parameters.AddWithValue("hash", Passwords.Hash(password));
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>All user names with their password hashes (for the demo-password check).</summary>
    public async Task<IReadOnlyList<(string UserName, string Hash)>> HashesAsync(CancellationToken ct)
    {
        var list = new List<(string, string)>();
        await using var cmd = dataSource.CreateCommand("SELECT user_name, password_hash FROM app_user ORDER BY user_name");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }
}
