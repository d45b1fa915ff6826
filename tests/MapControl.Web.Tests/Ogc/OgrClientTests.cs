using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MapControl.Web.Tests.Ogc;

/// <summary>GDAL's OAPIF driver (ogrinfo/ogr2ogr 3.6) as a real client of /ogc, against the app on a free loopback port.</summary>
public sealed partial class OgrClientTests(InteropServer server) : IClassFixture<InteropServer>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-ogr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    private WebApplicationFactory<Program> StartKestrel(out string root)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("MAPCONTROL_DB", server.ConnectionString));
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        root = address.TrimEnd('/') + "/ogc";
        return factory;
    }

    [GeneratedRegex(@"^(\d+): (\S+)", RegexOptions.Multiline)]
    private static partial Regex LayerLine();

    [GeneratedRegex(@"Layer name: (\S+)[\s\S]*?Feature Count: (\d+)")]
    private static partial Regex LayerCount();

    [Fact]
    public async Task Ogr2ogr_copies_every_collection_with_the_database_feature_counts()
    {
        await using var factory = StartKestrel(out var root);
        var header = $"Authorization: Bearer {server.Token}";

        var list = await RunAsync("ogrinfo", "-ro", "-q", $"OAPIF:{root}", "--config", "GDAL_HTTP_HEADERS", header);
        list.Exit.Should().Be(0, list.Err);
        LayerLine().Matches(list.Out).Select(m => m.Groups[2].Value).Should().BeEquivalentTo(
            "oil-zones", "jurisdictions", "patrol-zones", "wells", "cameras", "idle-sites", "incidents", "patrol-tracks", "gaps", "patrol-routes");

        // ogr2ogr reads every feature of every layer, following the next links page by page.
        var gpkg = Path.Combine(_dir, "copy.gpkg");
        var copy = await RunAsync("ogr2ogr", "-f", "GPKG", gpkg, $"OAPIF:{root}", "--config", "GDAL_HTTP_HEADERS", header, "--config", "OAPIF_PAGE_SIZE", "200");
        copy.Exit.Should().Be(0, copy.Err);
        var info = await RunAsync("ogrinfo", "-ro", "-so", "-al", gpkg);
        var counts = LayerCount().Matches(info.Out).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value));

        counts["oil-zones"].Should().Be(await server.CountAsync("SELECT count(*) FROM oil_zone"));
        counts["jurisdictions"].Should().Be(await server.CountAsync("SELECT count(*) FROM jurisdiction WHERE valid_to IS NULL"));
        counts["patrol-zones"].Should().Be(await server.CountAsync("SELECT count(*) FROM patrol_zone WHERE valid_to IS NULL"));
        counts["wells"].Should().Be(await server.CountAsync("SELECT count(*) FROM well"));
        counts["cameras"].Should().Be(await server.CountAsync("SELECT count(*) FROM camera"));
        counts["idle-sites"].Should().Be(await server.CountAsync("SELECT count(*) FROM idle_site"));
        counts["incidents"].Should().Be(await server.CountAsync("SELECT count(*) FROM incident")).And.Be(500);
        counts["patrol-tracks"].Should().Be(18);
        counts["gaps"].Should().Be(1);
        counts["patrol-routes"].Should().Be(await server.CountAsync("SELECT count(*) FROM patrol_route"));
    }

    [Fact]
    public async Task Ogrinfo_without_token_fails_with_401()
    {
        await using var factory = StartKestrel(out var root);
        var result = await RunAsync("ogrinfo", "-ro", "-so", $"OAPIF:{root}");
        result.Exit.Should().NotBe(0);
        result.Err.Should().Contain("401");
    }

    [Fact]
    public async Task Ogrinfo_spatial_filter_returns_the_wells_PostGIS_finds()
    {
        await using var factory = StartKestrel(out var root);
        var result = await RunAsync("ogrinfo", "-ro", "-so", $"OAPIF:{root}", "wells", "-spat", "118.45", "37.38", "118.62", "37.44",
            "--config", "GDAL_HTTP_HEADERS", $"Authorization: Bearer {server.Token}");
        result.Exit.Should().Be(0, result.Err);
        var count = long.Parse(Regex.Match(result.Out, @"Feature Count: (\d+)").Groups[1].Value);
        count.Should().Be(await server.CountAsync("SELECT count(*) FROM well WHERE ST_Intersects(geom, ST_MakeEnvelope(118.45, 37.38, 118.62, 37.44, 4326))"));
    }
}
