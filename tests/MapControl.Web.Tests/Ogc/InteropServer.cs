using System.Net.Http.Headers;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Tests.PostGis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MapControl.Web.Tests.Ogc;

/// <summary>
/// A migrated test database loaded with the interop fixture (3 departments, 2 oil zones, 100 wells, 500 incidents, 3 patrol units with
/// GPS on 2026-11-17..19), a user "tester" with a password and an API token, and the web app over it.
/// </summary>
public sealed class InteropServer : TestDatabase, IAsyncLifetime
{
    /// <summary>The password of the test user.</summary>
    public const string Password = "interop-secret-1";

    public InteropServer() : base(migrate: true) { }

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    /// <summary>The API token of "tester".</summary>
    public string Token { get; private set; } = "";

    /// <summary>The fixture SQL with its placeholders replaced.</summary>
    public static string FixtureSql(int scale, int gpsUnits)
    {
        using var stream = typeof(InteropServer).Assembly.GetManifestResourceStream("interop-fixture.sql")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("{{SCALE}}", scale.ToString()).Replace("{{GPS_UNITS}}", gpsUnits.ToString());
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await using (var cmd = DataSource.CreateCommand(FixtureSql(1, 3))) await cmd.ExecuteNonQueryAsync();
        // The fixture's department/oil zone columns are a plain-SQL guess; the app's one rule (Core IncidentAttribution) decides.
        await new IncidentRepository(DataSource).AttributeAsync();
        var users = new UserRepository(DataSource);
        await users.AddAsync(new User("tester", "Tester", Role.Analyst, null), Password);
        Token = await users.CreateApiTokenAsync("tester");
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("MAPCONTROL_DB", ConnectionString)
            .UseSetting("MapControl:SignInLimit:PermitsPerWindow", "100000"));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        await DisposeAsync();
    }

    /// <summary>Uses a newly issued token (issuing replaces the previous one).</summary>
    public void UseToken(string token) => Token = token;

    /// <summary>A client that sends the token.</summary>
    public HttpClient Client()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>A scalar query converted to long.</summary>
    public async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var v in values) cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = v });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}

[CollectionDefinition(Name)]
public sealed class InteropCollection : ICollectionFixture<InteropServer>
{
    public const string Name = "interop server";
}
