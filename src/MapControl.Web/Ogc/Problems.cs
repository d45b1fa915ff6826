namespace MapControl.Web.Ogc;

/// <summary>RFC 9457 problem details of the interoperability endpoints (OGC API, tiles, ingest, import), with their messages in one place.</summary>
internal static class Problems
{
    /// <summary>400 for a bad request parameter.</summary>
    public static IResult BadParameter(string parameter, string detail) =>
        TypedResults.Problem(title: "Invalid parameter", detail: $"{parameter}: {detail}", statusCode: StatusCodes.Status400BadRequest,
            type: "https://www.rfc-editor.org/rfc/rfc9110#name-400-bad-request",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    /// <summary>400 for a bad request body.</summary>
    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(title: "Bad request", detail: detail, statusCode: StatusCodes.Status400BadRequest,
            type: "https://www.rfc-editor.org/rfc/rfc9110#name-400-bad-request");

    /// <summary>404 for an unknown collection, layer or item.</summary>
    public static IResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: what, statusCode: StatusCodes.Status404NotFound,
            type: "https://www.rfc-editor.org/rfc/rfc9110#name-404-not-found");

    /// <summary>401 for a failed credential check.</summary>
    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(title: "Unauthorized", detail: detail, statusCode: StatusCodes.Status401Unauthorized,
            type: "https://www.rfc-editor.org/rfc/rfc9110#name-401-unauthorized");

    /// <summary>403 for a caller without the right.</summary>
    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Forbidden", detail: detail, statusCode: StatusCodes.Status403Forbidden,
            type: "https://www.rfc-editor.org/rfc/rfc9110#name-403-forbidden");

    /// <summary>A time parameter that is not RFC 3339.</summary>
    public const string NotRfc3339 = "expected an RFC 3339 date-time such as 2026-03-01T00:00:00Z";
}
