using System.Net;
using System.Text.Json;
using MapControl.Web.Tests.OneMap;

namespace MapControl.Web.Tests.Ogc;

/// <summary>
/// Lenient parsing found in the hardening review (INTEROP.md promises 400 for a malformed value): <c>is_key=maybe</c> used to answer
/// 200 with nothing, <c>from=1,2</c> was read as January 2nd (a 5.8 MB tile). Both are 400 problem details now, on the OGC API, the
/// tiles, the layers and the analysis API; well-formed values still work.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class StrictParametersTests(InteropServer server)
{
    private const string Tile = "10/849/397";

    [Theory]
    [InlineData("/ogc/collections/wells/items?is_key=maybe", "is_key")]
    [InlineData("/ogc/collections/wells/items?is_key=1", "is_key")]
    [InlineData("/ogc/collections/wells/items?is_key=", "is_key")]
    [InlineData("/tiles/incidents/" + Tile + ".mvt?from=1,2", "from")]
    [InlineData("/tiles/incidents/" + Tile + ".mvt?to=1,2", "to")]
    [InlineData("/tiles/gps/" + Tile + ".mvt?from=2026-11-17", null)]
    [InlineData("/tiles/tracks/" + Tile + ".mvt?from=11/17/2026", "from")]
    [InlineData("/tiles/incidents.json?from=1,2", "from")]
    public async Task Malformed_value_is_400_problem(string path, string? parameter)
    {
        using var client = server.Client();

        var response = await client.GetAsync(path);

        if (parameter is null)
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, "a bare RFC 3339 date is accepted");
            return;
        }

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString().Should().StartWith(parameter + ":");
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    public async Task Boolean_queryable_still_filters(string value, bool expected)
    {
        using var client = server.Client();

        var json = JsonDocument.Parse(await client.GetStringAsync($"/ogc/collections/wells/items?limit=100&is_key={value}")).RootElement;

        json.GetProperty("features").EnumerateArray().Should().NotBeEmpty()
            .And.OnlyContain(f => f.GetProperty("properties").GetProperty("is_key").GetBoolean() == expected);
    }
}

/// <summary>The same rule on the signed-in JSON API (cookie session): /api/layers and /api/analysis time parameters.</summary>
public sealed class StrictApiTimesTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    [Theory]
    [InlineData("/api/analysis/kpi?from=1,2&to=2100-01-01T00:00:00Z", "from")]
    [InlineData("/api/analysis/hotspots?from=2000-01-01T00:00:00Z&to=1,2", "to")]
    [InlineData("/api/layers/jurisdictions?at=1,2", "at")]
    [InlineData("/api/layers/jurisdictions?at=2026-03-01T00:00:00Z", null)]
    [InlineData("/api/analysis/kpi?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", null)]
    public async Task Time_parameter_must_be_rfc3339(string path, string? parameter)
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");

        var response = await client.GetAsync(path);

        if (parameter is null)
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return;
        }

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString().Should().StartWith(parameter + ":");
    }
}
