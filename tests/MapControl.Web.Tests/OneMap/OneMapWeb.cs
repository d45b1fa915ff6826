using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MapControl.Web.Tests.OneMap;

/// <summary>The web app in memory over a test database, and clients signed in through the real sign-in form.</summary>
public static partial class OneMapWeb
{
    /// <summary>The demo password.</summary>
    public const string DemoPassword = "mapcontrol-demo";

    /// <summary>
    /// A factory over the database. Tests sign in far more often than a person, so the sign-in throttle allows
    /// <paramref name="signInPermits"/> attempts a minute (the throttle's own tests pass a small number).
    /// </summary>
    public static WebApplicationFactory<Program> Factory(string connectionString, Action<IWebHostBuilder>? configure = null,
        int signInPermits = 100_000, int signInWindowSeconds = 60) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("MAPCONTROL_DB", connectionString);
            b.UseSetting("MapControl:SignInLimit:PermitsPerWindow", signInPermits.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("MapControl:SignInLimit:WindowSeconds", signInWindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            configure?.Invoke(b);
        });

    /// <summary>Posts the sign-in form (with its antiforgery token) and returns the response; the client keeps the cookie.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password)
    {
        var page = await client.GetStringAsync("/signin");
        var token = TokenPattern().Match(page).Groups[1].Value;
        token.Should().NotBeEmpty("the sign-in form carries an antiforgery token");
        return await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.UserName"] = user, ["Input.Password"] = password,
        }));
    }

    /// <summary>A client that does not follow redirects, signed in as the user.</summary>
    public static async Task<HttpClient> SignedInClientAsync(WebApplicationFactory<Program> factory, string user, string password = DemoPassword)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await SignInAsync(client, user, password);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, $"{user} signs in");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
