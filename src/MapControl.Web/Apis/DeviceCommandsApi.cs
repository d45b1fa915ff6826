using System.Security.Claims;
using MapControl.Data.Alerts;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;

namespace MapControl.Web.Apis;

/// <summary>
/// The device command channel over HTTP (docs/DEFINITIONS.md "Device commands"): the tracker app polls
/// <c>GET /device/commands?id=&lt;device key&gt;</c> and acknowledges with <c>POST /device/commands/{id}/ack?id=&lt;device key&gt;</c>
/// (the device key authenticates, as in the GPS ingest); people list and send with <c>/api/units/{code}/commands</c>.
/// </summary>
internal static class DeviceCommandsApi
{
    /// <summary>Most characters of a device key.</summary>
    public const int MaxDeviceKey = 128;

    /// <summary>Body of a message to a unit.</summary>
    public sealed record MessageRequest(string? Text);

    /// <summary>A command as the API gives it.</summary>
    public sealed record CommandView(long Id, string Unit, string Kind, string Text, long? Alert, double? Lon, double? Lat, DateTimeOffset CreatedAt,
        string CreatedBy, DateTimeOffset? DeliveredAt, DateTimeOffset? AckedAt)
    {
        public static CommandView Of(DeviceCommand c) =>
            new(c.Id, c.UnitCode, c.Kind, c.Text, c.AlertId, c.Lon, c.Lat, c.CreatedAt, c.CreatedBy, c.DeliveredAt, c.AckedAt);
    }

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapDeviceCommandsApi(this IEndpointRouteBuilder app)
    {
        var device = app.MapGroup("/device/commands").WithTags("Device commands").AllowAnonymous().DisableAntiforgery();
        device.MapGet("", Poll).WithName("PollDeviceCommands").WithSummary("The device's unacknowledged commands, oldest first (at most 20); ?id=<device key>.");
        device.MapPost("/{id:long}/ack", Ack).WithName("AckDeviceCommand").WithSummary("The device acknowledges a command; ?id=<device key>.");
        var people = app.MapGroup("api/units/{code}/commands").WithTags("Device commands").RequireAuthorization(AuthRegistration.SignedIn);
        people.MapGet("", List).WithName("ListUnitCommands").WithSummary("The unit's latest commands with delivery and acknowledgement.");
        people.MapPost("", Send).WithName("SendUnitMessage").WithSummary("Queues a message for the unit's device (commanders and admins).");
        return app;
    }

    private static IResult? BadKey(string? key) =>
        string.IsNullOrWhiteSpace(key) || key.Length > MaxDeviceKey ? Problems.BadParameter("id", "expected the device key") : null;

    private static async Task<IResult> Poll(string? id, DeviceCommandRepository commands, CancellationToken ct)
    {
        if (BadKey(id) is { } bad) return bad;
        return await commands.PollAsync(id!, ct).ConfigureAwait(false) is { } list
            ? TypedResults.Ok(list.Select(CommandView.Of))
            : Problems.NotFound($"No device '{id}'.");
    }

    private static async Task<IResult> Ack(long id, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "id")] string? key, DeviceCommandRepository commands, CancellationToken ct)
    {
        if (BadKey(key) is { } bad) return bad;
        return await commands.AckAsync(key!, id, ct).ConfigureAwait(false) is { } acked
            ? TypedResults.Ok(CommandView.Of(acked))
            : Problems.NotFound($"No command {id} for device '{key}'.");
    }

    private static async Task<IResult> List(string code, ClaimsPrincipal principal, DeviceCommandRepository commands, CancellationToken ct)
    {
        var (outcome, list, message) = await commands.ListAsync(code, UserClaims.ToUser(principal)!, ct).ConfigureAwait(false);
        return outcome switch
        {
            CommandOutcome.UnknownUnit => Problems.NotFound(message),
            CommandOutcome.Forbidden => Problems.Forbidden(message),
            _ => TypedResults.Ok(list.Select(CommandView.Of)),
        };
    }

    private static async Task<IResult> Send(string code, MessageRequest? body, ClaimsPrincipal principal, DeviceCommandRepository commands, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.Text) || body.Text.Trim().Length > DeviceCommandRepository.MaxText)
            return Problems.BadParameter("text", $"expected a text of 1..{DeviceCommandRepository.MaxText} characters");
        var result = await commands.SendMessageAsync(code, body.Text, UserClaims.ToUser(principal)!, ct).ConfigureAwait(false);
        return result.Outcome switch
        {
            CommandOutcome.Queued => TypedResults.Created($"/api/units/{code}/commands", CommandView.Of(result.Command!)),
            CommandOutcome.UnknownUnit => Problems.NotFound(result.Message),
            CommandOutcome.Forbidden => Problems.Forbidden(result.Message),
            CommandOutcome.QueueFull => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Queue full"),
            _ => Problems.BadParameter("text", result.Message),
        };
    }
}
