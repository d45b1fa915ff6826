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

        (await Users.SignInAsync("analyst", "secret-pass-1")).Should().Be(new SignInResult(SignInStatus.Succeeded, Analyst, null));
        (await Users.SignInAsync("analyst", "wrong-pass")).Status.Should().Be(SignInStatus.Failed);
        (await Users.SignInAsync("ghost", "secret-pass-1")).Status.Should().Be(SignInStatus.Failed);
    }

    [Fact]
    public async Task SignInAsync_five_failures_lock_the_account_until_password_reset()
    {
        await Users.AddAsync(Analyst, "secret-pass-1");
        for (var i = 1; i < UserRepository.MaxFailedAttempts; i++)
            (await Users.SignInAsync("analyst", "wrong-pass")).Status.Should().Be(SignInStatus.Failed);

        var locking = await Users.SignInAsync("analyst", "wrong-pass");
        var rightButLocked = await Users.SignInAsync("analyst", "secret-pass-1");

        locking.Status.Should().Be(SignInStatus.LockedOut);
        locking.LockedUntil.Should().BeCloseTo(DateTimeOffset.UtcNow + UserRepository.LockoutDuration, TimeSpan.FromMinutes(1));
        rightButLocked.Status.Should().Be(SignInStatus.LockedOut);

        (await Users.SetPasswordAsync("analyst", "new-secret-1")).Should().BeTrue();
        (await Users.SignInAsync("analyst", "secret-pass-1")).Status.Should().Be(SignInStatus.Failed);
        (await Users.SignInAsync("analyst", "new-secret-1")).Status.Should().Be(SignInStatus.Succeeded);
        (await Users.SetPasswordAsync("ghost", "new-secret-1")).Should().BeFalse();
    }

    [Fact]
    public async Task SignInAsync_success_resets_the_failure_count()
    {
        await Users.AddAsync(Analyst, "secret-pass-1");
        for (var i = 1; i < UserRepository.MaxFailedAttempts; i++)
            await Users.SignInAsync("analyst", "wrong-pass");
        await Users.SignInAsync("analyst", "secret-pass-1");

        (await Users.SignInAsync("analyst", "wrong-pass")).Status.Should().Be(SignInStatus.Failed, "the count started again");
    }

    [Fact]
    public async Task ApiToken_create_find_replace_revoke()
    {
        await Users.AddAsync(Commander, "secret-pass-1");

        var token = await Users.CreateApiTokenAsync("commander1");
        (await Users.FindByApiTokenAsync(token)).Should().Be(Commander);
        (await database.ScalarAsync<string>("SELECT api_token_hash FROM app_user")).Should().NotContain(token).And.HaveLength(64);

        var newer = await Users.CreateApiTokenAsync("commander1");
        (await Users.FindByApiTokenAsync(token)).Should().BeNull("a new token replaces the old one");
        (await Users.FindByApiTokenAsync(newer)).Should().Be(Commander);

        (await Users.RevokeApiTokenAsync("commander1")).Should().BeTrue();
        (await Users.FindByApiTokenAsync(newer)).Should().BeNull();
        (await Users.FindByApiTokenAsync("")).Should().BeNull();
        await FluentActions.Awaiting(() => Users.CreateApiTokenAsync("ghost")).Should().ThrowAsync<ArgumentException>();
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
