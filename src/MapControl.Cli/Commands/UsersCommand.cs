using System.CommandLine;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using Npgsql;

namespace MapControl.Cli.Commands;

/// <summary><c>mapcontrol users add|list|passwd|token</c>: manage the users of the platform.</summary>
public static class UsersCommand
{
    /// <summary>The verb with its sub-verbs.</summary>
    public static Command Create()
    {
        var command = new Command("users", "Manage users: add, list, passwd, token");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Passwd());
        command.Subcommands.Add(Token());
        return command;
    }

    private static Argument<string> UserName() => new("user") { Description = "User name (letters, digits, _ . @ -)" };

    private static Option<string?> Password() => new("--password")
    {
        Description = "The password (at least 8 characters); read from the first line of standard input when omitted",
    };

    private static Command Add()
    {
        var user = UserName();
        var role = new Option<string>("--role")
        {
            Description = $"Role: {string.Join(", ", DomainNames.Names<Role>())}",
            Required = true,
        };
        role.AcceptOnlyFromAmong([.. DomainNames.Names<Role>()]);
        var displayName = new Option<string?>("--display-name") { Description = "Name shown in the UI (default: the user name)" };
        var department = new Option<string?>("--department") { Description = "Department code (omit for the centre)" };
        var password = Password();
        var command = new Command("add", "Add a user") { user, role, displayName, department, password };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = parseResult.GetValue(user)!;
            var secret = await ReadPasswordAsync(parseResult, password).ConfigureAwait(false);
            var departmentCode = parseResult.GetValue(department);
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            try
            {
                await new UserRepository(dataSource).AddAsync(new User(name, parseResult.GetValue(displayName) ?? name,
                    DomainNames.Parse<Role>(parseResult.GetValue(role)!), departmentCode), secret, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new CliException($"user '{name}' already exists");
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                throw new CliException($"no department '{departmentCode}'");
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && e.ConstraintName == "app_user_name")
            {
                throw new CliException($"bad user name '{name}': use 1–64 letters, digits, _ . @ -");
            }
            await CliApp.Out(parseResult).WriteLineAsync($"added {name}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the users");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            var users = await new UserRepository(dataSource).ListAsync(cancellationToken).ConfigureAwait(false);
            var output = CliApp.Out(parseResult);
            await output.WriteLineAsync($"{"user",-20} {"role",-10} {"department",-12} display name").ConfigureAwait(false);
            foreach (var u in users)
                await output.WriteLineAsync($"{u.UserName,-20} {DomainNames.ToName(u.Role),-10} {u.DepartmentCode ?? "-",-12} {u.DisplayName}")
                    .ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Passwd()
    {
        var user = UserName();
        var password = Password();
        var command = new Command("passwd", "Set a user's password (also unlocks the account)") { user, password };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = parseResult.GetValue(user)!;
            var secret = await ReadPasswordAsync(parseResult, password).ConfigureAwait(false);
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            if (!await new UserRepository(dataSource).SetPasswordAsync(name, secret, cancellationToken).ConfigureAwait(false))
                throw new CliException($"no user '{name}'");
            await CliApp.Out(parseResult).WriteLineAsync($"password of {name} changed").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Token()
    {
        var user = UserName();
        var revoke = new Option<bool>("--revoke") { Description = "Revoke every API token of the user instead of issuing one" };
        var list = new Option<bool>("--list") { Description = "List the user's API tokens (id, label, created, expires) instead of issuing one" };
        var days = new Option<int>("--days") { Description = "Lifetime of the new token in days (1..366)", DefaultValueFactory = _ => 90 };
        var label = new Option<string?>("--label") { Description = "A label for the new token, e.g. \"QGIS at the desk\"" };
        var command = new Command("token", "Issue a new API token for a user (printed once), list them or revoke them") { user, revoke, list, days, label };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = parseResult.GetValue(user)!;
            await using var dataSource = CliApp.OpenDatabase(parseResult);
            var users = new UserRepository(dataSource);
            if (await users.GetAsync(name, cancellationToken).ConfigureAwait(false) is null)
                throw new CliException($"no user '{name}'");
            var output = CliApp.Out(parseResult);
            if (parseResult.GetValue(revoke))
            {
                var n = await users.RevokeAllApiTokensAsync(name, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{n} token(s) of {name} revoked").ConfigureAwait(false);
                return 0;
            }
            if (parseResult.GetValue(list))
            {
                foreach (var t in await users.ListApiTokensAsync(name, cancellationToken).ConfigureAwait(false))
                    await output.WriteLineAsync(FormattableString.Invariant($"{t.Id}\t{t.Label}\t{t.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}\t{t.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}"))
                        .ConfigureAwait(false);
                return 0;
            }
            var lifetime = parseResult.GetValue(days);
            if (lifetime is < 1 or > 366) throw new CliException("--days must be 1..366");
            var (token, info) = await users.IssueApiTokenAsync(name, parseResult.GetValue(label), TimeSpan.FromDays(lifetime), cancellationToken)
                .ConfigureAwait(false);
            await CliApp.Err(parseResult).WriteLineAsync(FormattableString.Invariant(
                $"new API token {info.Id} of {name}, valid until {info.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ} (shown once):")).ConfigureAwait(false);
            await output.WriteLineAsync(token).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task<string> ReadPasswordAsync(ParseResult parseResult, Option<string?> option)
    {
        var password = parseResult.GetValue(option) ?? await Console.In.ReadLineAsync().ConfigureAwait(false);
        return string.IsNullOrEmpty(password) ? throw new CliException("no password: pass --password or give it on standard input") : password;
    }
}
