using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MapControl.Web.Tests.OneMap;
using Microsoft.Playwright;

namespace MapControl.Web.Tests.E2E;

/// <summary>
/// The built web app started as its own process on a free loopback port over a fresh test database with the one-map
/// fixture, and Debian's Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class OneMapBrowserFixture : IAsyncLifetime
{
    private Process? _app;
    private readonly System.Text.StringBuilder _log = new();

    /// <summary>The database the app serves.</summary>
    public OneMapDatabase Database { get; } = new();

    /// <summary>http://127.0.0.1:PORT</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = default!;

    private IPlaywright? _playwright;

    /// <summary>The repository root (folder of MapControl.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MapControl.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("MapControl.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// Where the browser tests put their screenshots: the test results (a test run leaves the tracked files alone), or
    /// <c>docs/screenshots</c> when <c>MAPCONTROL_SCREENSHOTS=docs</c> asks for the documentation's pictures to be renewed.
    /// </summary>
    public static string ScreenshotFolder => Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("MAPCONTROL_SCREENSHOTS") == "docs"
            ? Path.Combine(RepositoryRoot, "docs", "screenshots")
            : Path.Combine(RepositoryRoot, ".mapcontrol", "test-results", "screenshots")).FullName;

    /// <summary>What the app wrote to stdout/stderr (for failure messages).</summary>
    public string AppLog { get { lock (_log) return _log.ToString(); } }

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Database).InitializeAsync();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var web = Path.Combine(RepositoryRoot, "src", "MapControl.Web");
        var dll = Path.Combine(web, "bin", configuration, "net10.0", "MapControl.Web.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        if (!File.Exists(Path.Combine(web, "wwwroot", "lib", "leaflet", "leaflet.js")))
            throw new InvalidOperationException("wwwroot/lib is missing: run ./build.sh (it copies Leaflet from npm).");
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = BaseUrl;
        start.Environment["MapControl__SignInLimit__PermitsPerWindow"] = "100000";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["MAPCONTROL_DB"] = Database.ConnectionString;
        _app = Process.Start(start)!;
        _app.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _app.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_app.HasExited) throw new InvalidOperationException("The app exited: " + AppLog);
            try
            {
                if ((await http.GetAsync(BaseUrl + "/signin")).StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The app did not answer in 90 s: " + AppLog);
            await Task.Delay(300);
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        // The app's log stays for the curious (and for failures the tests do not explain).
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "mapcontrol-e2e-app.log"), AppLog);
        await ((IAsyncLifetime)Database).DisposeAsync();
    }

    /// <summary>A new browser context (own cookies) and page, in a 1600 × 900 window.</summary>
    public async Task<IPage> NewPageAsync(string locale = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale, ViewportSize = new ViewportSize { Width = 1600, Height = 900 }, AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The browser tests share one app and one browser, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<OneMapBrowserFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "browser";
}
