using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Tests.OneMap;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MapControl.Web.Tests.Apis;

/// <summary>
/// Issue 11's web findings, each reproduced as reported: script in stored names (CSP), missing headers, the Host header in links,
/// health leaking counts and connection errors, 500s while the database is down, tokens that outlive their revocation, API groups
/// that refused bearer tokens.
/// </summary>
public sealed class WebHardeningTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private const string DownDatabase = "Host=127.0.0.1;Port=1;Username=nobody;Password=secret-in-connection-string;Database=none;Timeout=2";

    [Theory]
    [InlineData("/signin")]
    [InlineData("/api/health")]
    [InlineData("/ogc")]
    public async Task Every_answer_carries_a_script_src_self_csp_nosniff_and_a_referrer_policy(string path)
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var response = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Should().ContainSingle().Subject;
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).Should().ContainSingle(d => d.StartsWith("script-src ")).Subject;
        scriptSrc.Should().Be("script-src 'self'", "no inline script and no eval: a stored name cannot run");
        csp.Should().Contain("frame-ancestors 'none'").And.Contain("object-src 'none'");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("strict-origin-when-cross-origin");
        response.Headers.Contains("Strict-Transport-Security").Should().BeFalse("the test client is loopback (HSTS is sent off loopback only)");
    }

    [Fact]
    public async Task Links_never_come_from_the_Host_header_and_follow_the_configured_public_url()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = factory.CreateClient(); // starts the app, which seeds the demo users
        var token = await new UserRepository(database.DataSource).CreateApiTokenAsync("analyst");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ogc?f=json");
        request.Headers.Host = "evil.example:8443";
        var body = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        body.Should().Contain("/ogc").And.NotContain("evil.example");

        await using var configured = OneMapWeb.Factory(database.ConnectionString, b => b.UseSetting("MapControl:PublicBaseUrl", "https://onemap.example.cn/"));
        using var client2 = configured.CreateClient();
        client2.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var request2 = new HttpRequestMessage(HttpMethod.Get, "/tiles/wells.json");
        request2.Headers.Host = "evil.example";
        var tileJson = await (await client2.SendAsync(request2)).Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(tileJson);
        doc.RootElement.GetProperty("tiles")[0].GetString().Should().StartWith("https://onemap.example.cn/tiles/wells/");
    }

    [Fact]
    public async Task Anonymous_health_says_only_up_a_signed_in_caller_gets_counts()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var anonymousClient = factory.CreateClient();
        var anonymous = await anonymousClient.GetStringAsync("/api/health");
        using (var doc = JsonDocument.Parse(anonymous))
            doc.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("status");

        var token = await new UserRepository(database.DataSource).CreateApiTokenAsync("analyst");
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var full = JsonDocument.Parse(await client.GetStringAsync("/api/health"));
        full.RootElement.GetProperty("counts").GetProperty("departments").GetInt64().Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("GET", "/api/health")]
    [InlineData("POST", "/api/auth/token")]
    [InlineData("GET", "/ogc/collections")]
    [InlineData("GET", "/tiles/wells/10/850/390.mvt")]
    [InlineData("GET", "/api/layers/jurisdictions")]
    public async Task While_the_database_is_down_every_endpoint_answers_503_problem_details_without_internals(string method, string path)
    {
        await using var factory = OneMapWeb.Factory(DownDatabase);
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "mct_some-token-the-server-cannot-check");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = JsonContent.Create(new { username = "analyst", password = "whatever-password" });

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        response.Headers.RetryAfter.Should().NotBeNull();
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain("127.0.0.1").And.NotContain("secret-in-connection-string").And.NotContain("Npgsql")
            .And.NotContain("Failed to connect").And.NotContain("   at ");
    }

    [Fact]
    public async Task Every_api_group_accepts_a_bearer_token_and_a_revoked_or_expired_token_stops_at_once()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var users = new UserRepository(database.DataSource);
        var (token, info) = await users.IssueApiTokenAsync("planner", "script");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        foreach (var path in new[] { "/api/layers/jurisdictions", "/api/commander/gaps", "/api/analysis/kpi?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", "/api/auth/tokens" })
            (await client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK, path);

        // Used every request, as the reported attack did: the revocation still takes effect on the next one.
        using var listed = JsonDocument.Parse(await client.GetStringAsync("/api/auth/tokens"));
        listed.RootElement.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).Should().Contain(info.Id);
        listed.RootElement.ToString().Should().NotContain(token);
        (await client.DeleteAsync($"/api/auth/tokens/{info.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync("/api/layers/jurisdictions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var (second, secondInfo) = await users.IssueApiTokenAsync("planner");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", second);
        (await client.GetAsync("/api/layers/jurisdictions")).StatusCode.Should().Be(HttpStatusCode.OK);
        await using (var expire = database.DataSource.CreateCommand(
            $"UPDATE api_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = {secondInfo.Id}"))
            await expire.ExecuteNonQueryAsync();
        (await client.GetAsync("/api/layers/jurisdictions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token expired");
    }

    [Theory]
    [InlineData("from=0001-01-01T00:00:00Z&to=2026-02-01T00:00:00Z")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    [InlineData("from=2000-01-01T00:00:00Z&to=9999-12-31T00:00:00Z")]
    [InlineData("from=1,2&to=2026-01-01T00:00:00Z")]
    public async Task An_analysis_window_out_of_range_is_a_400_not_a_500(string query)
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await new UserRepository(database.DataSource).CreateApiTokenAsync("analyst"));
        foreach (var path in new[] { "kpi", "kpi.csv", "hotspots", "heat", "yoy" })
        {
            using var response = await client.GetAsync($"/api/analysis/{path}?{query}");
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, path);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
    }

    [Fact]
    public async Task Planner_save_and_impact_refuse_missing_far_away_flat_and_collinear_geometry_with_400()
    {
        await database.ReloadAsync(keepUsers: true);
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await new UserRepository(database.DataSource).CreateApiTokenAsync("planner"));
        var baseId = (await client.GetFromJsonAsync<JsonElement>("/api/planning/jurisdiction/D1/versions"))[0].GetProperty("id").GetInt64();
        var before = await database.ScalarAsync<long>("SELECT count(*) FROM jurisdiction");
        object Polygon(params double[][] ring) => new { type = "Polygon", coordinates = new[] { ring } };
        var paris = Polygon([2.30, 48.85], [2.40, 48.85], [2.40, 48.90], [2.30, 48.85]);
        var flat = Polygon([118.4, 37.4], [118.5, 37.4], [118.4, 37.4], [118.4, 37.4]);
        var collinear = Polygon([118.4, 37.4], [118.5, 37.4], [118.6, 37.4], [118.4, 37.4]);

        foreach (var (name, body) in new (string, object)[]
                 {
                     ("no geometry", new { baseVersionId = baseId, reason = "x" }),
                     ("paris", new { baseVersionId = baseId, geometry = paris, reason = "x" }),
                     ("zero area", new { baseVersionId = baseId, geometry = flat, reason = "x" }),
                     ("collinear", new { baseVersionId = baseId, geometry = collinear, reason = "x" }),
                 })
        {
            foreach (var action in new[] { "save", "impact" })
            {
                using var response = await client.PostAsJsonAsync($"/api/planning/jurisdiction/D1/{action}", body);
                response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{action} with {name}");
            }
        }
        (await database.ScalarAsync<long>("SELECT count(*) FROM jurisdiction")).Should().Be(before, "nothing was stored");
    }

    [Fact]
    public async Task A_user_revokes_only_their_own_tokens_an_admin_any()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = factory.CreateClient();
        var users = new UserRepository(database.DataSource);
        var (_, plannerToken) = await users.IssueApiTokenAsync("planner");
        var analyst = await users.CreateApiTokenAsync("analyst");
        var admin = await users.CreateApiTokenAsync("admin");

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", analyst);
        (await client.DeleteAsync($"/api/auth/tokens/{plannerToken.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using (var own = JsonDocument.Parse(await client.GetStringAsync("/api/auth/tokens")))
            own.RootElement.EnumerateArray().Select(t => t.GetProperty("userName").GetString()).Should().OnlyContain(n => n == "analyst");

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        (await client.DeleteAsync($"/api/auth/tokens/{plannerToken.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task The_token_endpoint_is_throttled_per_source_with_the_same_answer_for_unknown_users()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString, signInPermits: 3);
        using var client = factory.CreateClient();
        var unknown = await client.PostAsJsonAsync("/api/auth/token", new { username = "nobody-here", password = "wrong-password" });
        var wrong = await client.PostAsJsonAsync("/api/auth/token", new { username = "analyst", password = "wrong-password" });
        unknown.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Detail(await unknown.Content.ReadAsStringAsync()).Should().Be(Detail(await wrong.Content.ReadAsStringAsync()));
        (await client.PostAsJsonAsync("/api/auth/token", new { username = "analyst", password = OneMapWeb.DemoPassword }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var fourth = await client.PostAsJsonAsync("/api/auth/token", new { username = "analyst", password = OneMapWeb.DemoPassword });
        fourth.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        fourth.Headers.RetryAfter.Should().NotBeNull();
        (await fourth.Content.ReadAsStringAsync()).Should().Contain("Too many");
    }

    private static string Detail(string problem)
    {
        using var doc = JsonDocument.Parse(problem);
        return doc.RootElement.GetProperty("detail").GetString()!;
    }
}
