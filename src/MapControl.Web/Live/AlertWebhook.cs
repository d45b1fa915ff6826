using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MapControl.Core.Alerts;

namespace MapControl.Web.Live;

/// <summary>
/// Posts each opened alert as JSON to <c>Alerts:Webhook:Url</c> (a messaging system's inbound hook), signed with HMAC-SHA256 over
/// the body with <c>Alerts:Webhook:Secret</c> in the header <c>X-MapControl-Signature: sha256=&lt;hex&gt;</c> and the time in
/// <c>X-MapControl-Timestamp</c>. Best effort: a bounded queue, three tries, failures logged; never slows the rules down.
/// </summary>
public sealed class AlertWebhook : BackgroundService
{
    private readonly Channel<Alert> _queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Uri? _url;
    private readonly byte[] _secret;
    private readonly IHttpClientFactory _http;
    private readonly ILogger<AlertWebhook> _log;

    /// <summary>Reads the settings; without a URL the hook is off.</summary>
    public AlertWebhook(IConfiguration configuration, IHttpClientFactory http, ILogger<AlertWebhook> log)
    {
        _http = http;
        _log = log;
        var url = configuration["Alerts:Webhook:Url"];
        _url = Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : null;
        _secret = Encoding.UTF8.GetBytes(configuration["Alerts:Webhook:Secret"] ?? "");
    }

    /// <summary>The signature of a body: <c>sha256=</c> and the lowercase hex HMAC-SHA256.</summary>
    public static string Sign(byte[] secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>Queues an alert for posting.</summary>
    public void Post(Alert alert)
    {
        if (_url is not null) _queue.Writer.TryWrite(alert);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_url is null) return;
        await foreach (var alert in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                id = alert.Id, kind = alert.KindName, status = alert.StatusName, opened_at = alert.OpenedAt, department = alert.DepartmentCode,
                lon = alert.Lon, lat = alert.Lat, unit = alert.UnitCode, well = alert.WellCode, camera = alert.CameraCode,
                text_zh = alert.TextZh, text_en = alert.TextEn,
            });
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new("application/json");
                    request.Headers.Add("X-MapControl-Signature", Sign(_secret, body));
                    request.Headers.Add("X-MapControl-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                    using var client = _http.CreateClient(nameof(AlertWebhook));
                    client.Timeout = TimeSpan.FromSeconds(10);
                    using var response = await client.SendAsync(request, stoppingToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode) break;
                    _log.LogWarning("Alert webhook answered {Status} for alert {Id}", (int)response.StatusCode, alert.Id);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    _log.LogWarning("Alert webhook failed for alert {Id}: {Message}", alert.Id, e.Message);
                }
                await Task.Delay(TimeSpan.FromSeconds(attempt * 2), stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
