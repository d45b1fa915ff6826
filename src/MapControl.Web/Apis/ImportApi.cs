using System.Globalization;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>
/// POST /api/import: the CLI's import behind a multipart upload for the planner view (planner or admin). The upload is bounded by
/// <see cref="ImportLimits"/> from the configuration section <c>Import</c> (<c>Import:MaxUploadBytes</c> sets Kestrel's request
/// body limit and the form reader's limit of this endpoint alike): beyond a limit the answer is 413, a malformed request, archive or
/// file 400, both as problem details; the staging folder is deleted whatever happens.
/// </summary>
internal static class ImportApi
{
    /// <summary>Policy: a planner or admin, by token or cookie.</summary>
    public const string ImportPolicy = "api-import";

    /// <summary>Registers the import policy and binds <see cref="ImportLimits"/> to the configuration section <c>Import</c>.</summary>
    public static WebApplicationBuilder AddLayerImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder().AddPolicy(ImportPolicy, p =>
            p.AddAuthenticationSchemes(ApiTokenAuthentication.TokenOrCookieScheme).RequireRole("planner", "admin"));
        var limits = builder.Configuration.GetSection(ImportLimits.Section).Get<ImportLimits>() ?? ImportLimits.Default;
        builder.Services.AddSingleton(limits);
        return builder;
    }

    /// <summary>Maps POST /api/import and deletes staging folders a crashed server left behind.</summary>
    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        var removed = ImportStaging.DeleteStale();
        if (removed > 0)
        {
            app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ImportApi))
                .LogInformation("Deleted {Count} import staging folders left by a stopped server", removed);
        }

        app.MapPost("/api/import", ImportAsync).WithTags("Import").WithName("ImportLayer").RequireAuthorization(ImportPolicy).DisableAntiforgery()
            .WithSummary("Imports an uploaded file (GeoJSON, Shapefile parts or .zip, GeoPackage, CSV, KML) into a layer: form fields layer, file(s), map (target=source, repeatable), dryRun.");
        return app;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, NpgsqlDataSource db, ImportLimits limits, CancellationToken ct)
    {
        if (http.Request.ContentLength > limits.MaxUploadBytes) return TooLarge(string.Create(CultureInfo.InvariantCulture, $"the upload has {http.Request.ContentLength:N0} bytes"), limits);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = limits.MaxUploadBytes;
        if (!http.Request.HasFormContentType) return Problems.BadRequest("Expected multipart/form-data with fields layer and file.");
        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = limits.MaxUploadBytes }));
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge("the upload is larger", limits);
        }
        catch (InvalidDataException e) when (e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase))
        {
            return TooLarge("the upload is larger", limits);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Problems.BadRequest($"The multipart/form-data body cannot be read: {FeatureFileException.OneLineOf(e.Message)}");
        }

        var layerName = form["layer"].ToString();
        if (ImportLayers.Find(layerName) is not { } spec)
            return Problems.BadParameter("layer", $"expected one of {string.Join(", ", ImportLayers.All.Select(l => l.Name))}");
        var files = form.Files.Where(f => !(f.FileName.Length == 0 && f.Length == 0)).ToList();
        if (files.Count == 0) return Problems.BadParameter("file", "no file uploaded");
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in form["map"])
        {
            var parts = (m ?? "").Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return Problems.BadParameter("map", $"'{m}' is not target=source");
            if (spec.Fields.All(f => f.Name != parts[0])) return Problems.BadParameter("map", $"'{parts[0]}' is not a field of {spec.Name}: {string.Join(", ", spec.Fields.Select(f => f.Name))}");
            mapping[parts[0]] = parts[1];
        }
        var dryRun = form["dryRun"].ToString() is "true" or "1" or "on";

        using var staging = ImportStaging.Create(limits);
        FeatureSet set;
        string main;
        try
        {
            foreach (var file in files)
            {
                await using var content = file.OpenReadStream();
                await staging.AddAsync(file.FileName, content, ct).ConfigureAwait(false);
            }
            if (staging.FindMainFile() is not { } found)
                return Problems.BadParameter("file", $"no file of a supported type ({string.Join(", ", FeatureFiles.SupportedExtensions)})");
            main = found;
            set = FeatureFiles.Read(main, new FeatureReadOptions { Limits = limits });
        }
        catch (FeatureFileException e) when (e.LimitExceeded)
        {
            return TooLarge(e.Message, limits);
        }
        catch (FeatureFileException e)
        {
            return Problems.BadRequest(e.Message);
        }

        var editor = UserClaims.ToUser(http.User);
        if (editor is null) return TypedResults.Problem("Not signed in.", statusCode: StatusCodes.Status401Unauthorized);
        var report = await LayerImport.RunAsync(db, spec.Layer, set,
            new ImportOptions(mapping, dryRun, editor.UserName, $"import of {Path.GetFileName(main)}", Editor: editor), ct).ConfigureAwait(false);
        if (report.Forbidden)
            return TypedResults.Problem(string.Join("; ", report.Rejections.Select(r => $"{r.Where}: {r.Reason}")), statusCode: StatusCodes.Status403Forbidden,
                title: "Not allowed");
        return report.Accepted ? TypedResults.Ok(report) : TypedResults.UnprocessableEntity(report);
    }

    /// <summary>413 problem details naming the limit.</summary>
    private static IResult TooLarge(string detail, ImportLimits limits) =>
        TypedResults.Problem(title: "Content too large",
            detail: string.Create(CultureInfo.InvariantCulture,
                $"{detail} — import limits: upload {limits.MaxUploadBytes:N0} bytes, file {limits.MaxFileBytes:N0} bytes, unpacked {limits.MaxUnpackedBytes:N0} bytes, "
                + $"{limits.MaxZipEntries:N0} zip entries, {limits.MaxFeatures:N0} features, {limits.MaxVerticesPerFeature:N0} vertices per feature, "
                + $"{limits.MaxVertices:N0} vertices per file (docs/DEFINITIONS.md, Import limits)."),
            statusCode: StatusCodes.Status413PayloadTooLarge, type: "https://www.rfc-editor.org/rfc/rfc9110#name-413-content-too-large");
}
