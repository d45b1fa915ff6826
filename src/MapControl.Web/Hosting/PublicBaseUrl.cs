using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MapControl.Web.Hosting;

/// <summary>
/// The base URL written into OGC links, TileJSON and other absolute links: <c>MapControl:PublicBaseUrl</c> (or the environment
/// variable <c>MAPCONTROL_PUBLIC_URL</c>) when configured — what clients reach, e.g. <c>https://onemap.example.cn</c> behind a TLS
/// proxy — else the first address the server listens on (a wildcard host becomes <c>localhost</c>). Never the request's
/// <c>Host</c> header, which any client can set.
/// </summary>
public sealed class PublicBaseUrl
{
    /// <summary>Configuration key.</summary>
    public const string Key = "MapControl:PublicBaseUrl";

    private readonly IServer _server;
    private readonly string? _configured;
    private string? _fromServer;

    /// <summary>Reads the setting; throws at start-up when it is not an absolute http(s) URL.</summary>
    public PublicBaseUrl(IConfiguration configuration, IServer server)
    {
        _server = server;
        var value = configuration[Key] ?? configuration["MAPCONTROL_PUBLIC_URL"];
        if (string.IsNullOrWhiteSpace(value)) return;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0)
            throw new InvalidOperationException($"{Key} must be an absolute http(s) URL without a query, e.g. https://onemap.example.cn");
        _configured = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>The base URL without a trailing slash.</summary>
    public string Value => _configured ?? (_fromServer ??= FromServer());

    private string FromServer()
    {
        var address = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        if (!Uri.TryCreate(address.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri))
            return "http://localhost";
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
