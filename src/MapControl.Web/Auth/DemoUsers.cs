using System.Net;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Security;
using Npgsql;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MapControl.Web.Auth;

/// <summary>
/// Seeds the demo users (commander, analyst, planner, admin with password <see cref="Password"/>) when absent, and refuses
/// to start when the server listens on anything but loopback while a user still has the demo password.
/// </summary>
internal sealed class DemoUsers(UserRepository users, IConfiguration configuration, IServer server, ILogger<DemoUsers> log) : IHostedService
{
    /// <summary>The demo password.</summary>
    public const string Password = "mapcontrol-demo";

    /// <summary>The demo users: one per role, all of the centre.</summary>
    public static IReadOnlyList<User> All { get; } =
    [
        new("commander", "指挥员 Commander", Role.Commander, null),
        new("analyst", "分析员 Analyst", Role.Analyst, null),
        new("planner", "规划员 Planner", Role.Planner, null),
        new("admin", "管理员 Admin", Role.Admin, null),
    ];

    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            await CheckAndSeedAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // Without a reachable, migrated database nobody can sign in; /api/health tells the operator why.
            log.LogError("Demo users not checked: the database is not usable ({Message})", e.Message);
        }
    }

    private async Task CheckAndSeedAsync(CancellationToken ct)
    {
        var urls = ListenUrls();
        var publicUrls = urls.Where(u => !IsLoopback(u)).ToArray();
        if (publicUrls.Length == 0)
        {
            foreach (var user in All)
            {
                if (await users.GetAsync(user.UserName, ct).ConfigureAwait(false) is not null) continue;
                try
                {
                    await users.AddAsync(user, Password, ct).ConfigureAwait(false);
                    log.LogWarning("Demo user {User} created with the demo password; change it before serving beyond this machine", user.UserName);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    // Another instance created it meanwhile.
                }
            }
            return;
        }
        var withDemo = await users.UsersWithPasswordAsync(Password, ct).ConfigureAwait(false);
        if (withDemo.Count > 0)
            throw new InvalidOperationException(
                $"Refusing to start: listening on {string.Join(", ", publicUrls)} (not loopback) while user(s) {string.Join(", ", withDemo)} " +
                "still have the demo password. Change their passwords (mapcontrol users) or listen on 127.0.0.1 only.");
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>The addresses the server will listen on: configured URLs, Kestrel endpoints, or the server's own list.</summary>
    private IReadOnlyList<string> ListenUrls()
    {
        var list = new List<string>();
        if (configuration["urls"] is { Length: > 0 } urls) list.AddRange(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (configuration["http_ports"] is { Length: > 0 } || configuration["https_ports"] is { Length: > 0 }) list.Add("http://*:port");
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { Length: > 0 } url) list.Add(url);
        if (server.Features.Get<IServerAddressesFeature>() is { } feature) list.AddRange(feature.Addresses);
        return list;
    }

    /// <summary>True for localhost, 127.0.0.0/8 and ::1.</summary>
    internal static bool IsLoopback(string url)
    {
        var hostStart = url.IndexOf("://", StringComparison.Ordinal);
        var host = hostStart >= 0 ? url[(hostStart + 3)..] : url;
        var slash = host.IndexOf('/');
        if (slash >= 0) host = host[..slash];
        if (host.StartsWith('['))
            host = host[1..host.IndexOf(']')];
        else if (host.LastIndexOf(':') is var colon and > 0)
            host = host[..colon];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
