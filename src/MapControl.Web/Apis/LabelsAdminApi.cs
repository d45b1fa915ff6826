using System.Security.Claims;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;

namespace MapControl.Web.Apis;

/// <summary>
/// Labels kept as written, for an admin (the admin page <c>/admin/labels</c> does the same through the same Data calls):
/// <c>GET /api/admin/labels</c> lists the unmapped labels of every open vocabulary with their row counts and the codes they can be
/// mapped onto; <c>POST /api/admin/labels/map</c> maps one onto an existing code; <c>POST /api/admin/labels/keep</c> keeps one as a
/// code of its own. Admins only — checked here and again by <see cref="LabelMappingRepository"/> on the write.
/// </summary>
internal static class LabelsAdminApi
{
    /// <summary>Body of <c>map</c> and <c>keep</c>: the vocabulary and label, the code (for keep: optional, default the label), zh/en labels (keep).</summary>
    public sealed record LabelRequest(string? Vocabulary, string? Label, string? Code, string? LabelZh = null, string? LabelEn = null);

    /// <summary>The listing.</summary>
    public sealed record LabelListing(IReadOnlyList<KeptLabel> Unmapped, IReadOnlyList<LabelTarget> Targets);

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapLabelsAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/admin/labels").WithTags("Admin").RequireAuthorization(AuthRegistration.SignedIn);
        api.MapGet("", ListAsync).WithName("ListKeptLabels")
            .WithSummary("Labels kept as written (unmapped) per vocabulary with their row counts, and the codes to map them onto (admins).");
        api.MapPost("/map", (LabelRequest? body, ClaimsPrincipal principal, LabelMappingRepository labels, CancellationToken ct) =>
                WriteAsync(body, keep: false, principal, labels, ct))
            .WithName("MapKeptLabel").WithSummary("Maps a kept label onto an existing code; its rows take the code (admins; one audited transaction).");
        api.MapPost("/keep", (LabelRequest? body, ClaimsPrincipal principal, LabelMappingRepository labels, CancellationToken ct) =>
                WriteAsync(body, keep: true, principal, labels, ct))
            .WithName("KeepKeptLabel").WithSummary("Keeps a kept label as a code of its own with Chinese and English labels (admins; one audited transaction).");
        return app;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, LabelMappingRepository labels, CancellationToken ct)
    {
        var user = UserClaims.ToUser(principal);
        if (user is null) return Problems.Forbidden("Unknown user.");
        if (LabelMappingRepository.Refusal(user) is { } refused) return Problems.Forbidden(refused);
        return TypedResults.Ok(new LabelListing(await labels.ListUnmappedAsync(ct).ConfigureAwait(false), await labels.ListTargetsAsync(ct).ConfigureAwait(false)));
    }

    private static async Task<IResult> WriteAsync(LabelRequest? body, bool keep, ClaimsPrincipal principal, LabelMappingRepository labels, CancellationToken ct)
    {
        var user = UserClaims.ToUser(principal);
        if (user is null) return Problems.Forbidden("Unknown user.");
        if (body is null) return Problems.BadRequest("Expected a JSON body {\"vocabulary\": …, \"label\": …, \"code\": …}.");
        var result = keep
            ? await labels.KeepAsync(user, body.Vocabulary ?? "", body.Label ?? "", body.Code, body.LabelZh ?? "", body.LabelEn ?? "", ct).ConfigureAwait(false)
            : await labels.MapAsync(user, body.Vocabulary ?? "", body.Label ?? "", body.Code ?? "", ct).ConfigureAwait(false);
        return result.Outcome switch
        {
            LabelMappingOutcome.Done => TypedResults.Ok(result),
            LabelMappingOutcome.Forbidden => Problems.Forbidden(result.Message),
            LabelMappingOutcome.NotFound => Problems.NotFound(result.Message),
            _ => Problems.BadRequest(result.Message),
        };
    }
}
