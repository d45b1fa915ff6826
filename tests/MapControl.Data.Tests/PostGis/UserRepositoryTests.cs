using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using Npgsql;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

public sealed class UserRepositoryTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private UserRepository Users => new(database.DataSource);
    private static readonly User Analyst = new("analyst", "分析员", Role.Analyst, null);
    private static readonly User Commander = new("commander1", "指挥员", Role.Commander, "D1");

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptA);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AddAsync_then_list_and_get_round_trip_without_exposing_the_hash()
    {
        await Users.AddAsync(Commander, "secret-pass-1");
        await Users.AddAsync(Analyst, "secret-pass-2");

        (await Users.ListAsync()).Should().Equal(Analyst, Commander);
        (await Users.GetAsync("commander1")).Should().Be(Commander);
        (await Users.GetAsync("nobody")).Should().BeNull();
        (await database.ScalarAsync<string>("SELECT password_hash FROM app_user WHERE user_name = 'analyst'"))
            .Should().StartWith("pbkdf2-sha256$").And.NotContain("secret-pass-2");
    }

    [Fact]
    public async Task AddAsync_existing_name_or_unknown_department_fails()
    {
        await Users.AddAsync(Analyst, "secret-pass-1");
        (await FluentActions.Awaiting(() => Users.AddAsync(Analyst, "secret-pass-1")).Should().ThrowAsync<PostgresException>())
            .Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
        (await FluentActions.Awaiting(() => Users.AddAsync(Commander with { UserName = "c2", DepartmentCode = "D404" }, "secret-pass-1"))
            .Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.ForeignKeyViolation);
    }

    [Fact]
    public async Task SignInAsync_right_password_succeeds_wrong_fails_unknown_user_fails()
    {
        await Users.AddAsync(Analyst, "secret-pass-1");

        (await Users.SignInAsync("analyst", "secret-pass-1")).Should().Be(new SignInResult(SignInStatus.Succeeded, Analyst));
        (await Users.SignInAsync("analyst", "wrong-pass")).Should().Be(new SignInResult(SignInStatus.Failed, null));
        (await Users.SignInAsync("ghost", "secret-pass-1")).Should().Be(new SignInResult(SignInStatus.Failed, null),
            "an unknown name answers exactly as a wrong password");
    }

    [Fact]
    public async Task SignInAsync_many_failures_never_lock_the_owner_out()
    {
        // Regression (issue 11): five wrong passwords by anyone locked the account, the admin's included, for 15 minutes.
        await Users.AddAsync(Analyst, "secret-pass-1");
        for (var i = 0; i < 8; i++)
            (await Users.SignInAsync("analyst", "wrong-pass")).Status.Should().Be(SignInStatus.Failed);

        (await Users.SignInAsync("analyst", "secret-pass-1")).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Fact]
    public async Task SetPasswordAsync_changes_the_password_and_the_stamp()
    {
        await Users.AddAsync(Analyst, "secret-pass-1");
        var before = (await Users.GetWithStampAsync("analyst"))!.Value.Stamp;

        (await Users.SetPasswordAsync("analyst", "new-secret-1")).Should().BeTrue();
        (await Users.SignInAsync("analyst", "secret-pass-1")).Status.Should().Be(SignInStatus.Failed);
        (await Users.SignInAsync("analyst", "new-secret-1")).Status.Should().Be(SignInStatus.Succeeded);
        (await Users.GetWithStampAsync("analyst"))!.Value.Stamp.Should().NotBe(before);
        (await Users.SetPasswordAsync("ghost", "new-secret-1")).Should().BeFalse();
    }

    [Fact]
    public async Task SignInAsync_rehashes_an_old_cheap_hash_keeping_the_stamp()
    {
        await Users.AddAsync(Analyst, "secret-pass-1");
        // A hash as made before the cost was raised: 100,000 iterations.
        var salt = new byte[16];
        var old = "pbkdf2-sha256$100000$" + Convert.ToBase64String(salt) + "$" + Convert.ToBase64String(
            System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2("secret-pass-1"u8.ToArray(), salt, 100_000,
                System.Security.Cryptography.HashAlgorithmName.SHA256, 32));
        await using (var set = database.DataSource.CreateCommand("UPDATE app_user SET password_hash = $1"))
        {
            set.Parameters.Add(new NpgsqlParameter { Value = old });
            await set.ExecuteNonQueryAsync();
        }
        var stamp = (await Users.GetWithStampAsync("analyst"))!.Value.Stamp;

        (await Users.SignInAsync("analyst", "secret-pass-1")).Status.Should().Be(SignInStatus.Succeeded);

        var stored = await database.ScalarAsync<string>("SELECT password_hash FROM app_user");
        stored.Should().StartWith($"pbkdf2-sha256${MapControl.Data.Security.PasswordHasher.Iterations}$");
        (await Users.GetWithStampAsync("analyst"))!.Value.Stamp.Should().Be(stamp, "a re-hash is not a password change");
        (await Users.SignInAsync("analyst", "secret-pass-1")).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Fact]
    public async Task ApiTokens_several_per_user_listed_revoked_one_by_one_and_all()
    {
        await Users.AddAsync(Commander, "secret-pass-1");
        await Users.AddAsync(Analyst, "secret-pass-2");

        var (token, info) = await Users.IssueApiTokenAsync("commander1", "QGIS", TimeSpan.FromDays(30));
        var second = await Users.CreateApiTokenAsync("commander1");
        var analysts = await Users.CreateApiTokenAsync("analyst");
        (await Users.FindByApiTokenAsync(token)).Should().Be(Commander);
        (await Users.FindByApiTokenAsync(second)).Should().Be(Commander, "a new token does not end the others");
        info.Label.Should().Be("QGIS");
        info.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(30), TimeSpan.FromMinutes(1));
        (await database.ScalarAsync<string>($"SELECT token_hash FROM api_token WHERE id = {info.Id}")).Should().NotContain(token).And.HaveLength(64);

        (await Users.ListApiTokensAsync("commander1")).Select(t => t.UserName).Should().Equal("commander1", "commander1");
        (await Users.ListApiTokensAsync(null)).Should().HaveCount(3);

        (await Users.RevokeApiTokenAsync(info.Id, "analyst")).Should().BeFalse("only the owner (or an admin: no owner given) revokes");
        (await Users.RevokeApiTokenAsync(info.Id, "commander1")).Should().BeTrue();
        (await Users.FindByApiTokenAsync(token)).Should().BeNull();
        (await Users.FindByApiTokenAsync(second)).Should().Be(Commander);

        (await Users.RevokeAllApiTokensAsync("commander1")).Should().Be(1);
        (await Users.FindByApiTokenAsync(second)).Should().BeNull();
        (await Users.FindByApiTokenAsync(analysts)).Should().Be(Analyst);
        (await Users.FindByApiTokenAsync("")).Should().BeNull();
        await FluentActions.Awaiting(() => Users.CreateApiTokenAsync("ghost")).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => Users.IssueApiTokenAsync("analyst", lifetime: TimeSpan.FromDays(400))).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task ApiToken_expired_is_refused_and_deleting_the_user_deletes_their_tokens()
    {
        await Users.AddAsync(Commander, "secret-pass-1");
        var (token, info) = await Users.IssueApiTokenAsync("commander1");
        await using (var expire = database.DataSource.CreateCommand(
            $"UPDATE api_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = {info.Id}"))
            await expire.ExecuteNonQueryAsync();

        (await Users.FindByApiTokenAsync(token)).Should().BeNull("an expired token does not authenticate");

        var fresh = await Users.CreateApiTokenAsync("commander1");
        (await Users.ListApiTokensAsync("commander1")).Should().ContainSingle("issuing drops expired tokens");
        await Users.DeleteAsync("commander1");
        (await Users.FindByApiTokenAsync(fresh)).Should().BeNull();
        (await database.ScalarAsync<long>("SELECT count(*) FROM api_token")).Should().Be(0);
    }

    [Fact]
    public async Task ApiTokens_at_most_twenty_per_user_the_oldest_dropped()
    {
        await Users.AddAsync(Commander, "secret-pass-1");
        var first = await Users.CreateApiTokenAsync("commander1");
        for (var i = 0; i < UserRepository.MaxTokensPerUser; i++) await Users.CreateApiTokenAsync("commander1");

        (await Users.ListApiTokensAsync("commander1")).Should().HaveCount(UserRepository.MaxTokensPerUser);
        (await Users.FindByApiTokenAsync(first)).Should().BeNull();
    }

    [Fact]
    public async Task DeleteAsync_removes_the_user()
    {
        await Users.AddAsync(Analyst, "secret-pass-1");
        (await Users.DeleteAsync("analyst")).Should().BeTrue();
        (await Users.DeleteAsync("analyst")).Should().BeFalse();
        (await Users.ListAsync()).Should().BeEmpty();
    }
}
