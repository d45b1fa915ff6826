using System.IO.Compression;
using MapControl.Data.Files;
using MapControl.Data.Import;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;
using Npgsql;

namespace MapControl.Web.Apis;

/// <summary>POST /api/import: the CLI's import behind a multipart upload for the planner view (planner or admin).</summary>
internal static class ImportApi
{
    /// <summary>Largest upload accepted.</summary>
    public const long MaxUploadBytes = 200L * 1024 * 1024;

    /// <summary>Policy: a planner or admin, by token or cookie.</summary>
    public const string ImportPolicy = "api-import";

    /// <summary>Registers the import policy.</summary>
    public static WebApplicationBuilder AddLayerImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder().AddPolicy(ImportPolicy, p =>
            p.AddAuthenticationSchemes(ApiTokenAuthentication.TokenOrCookieScheme).RequireRole("planner", "admin"));
        return builder;
    }

    /// <summary>Maps POST /api/import.</summary>
    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/import", ImportAsync).WithTags("Import").WithName("ImportLayer").RequireAuthorization(ImportPolicy).DisableAntiforgery()
            .WithSummary("Imports an uploaded file (GeoJSON, Shapefile parts or .zip, GeoPackage, CSV, KML) into a layer: form fields layer, file(s), map (target=source, repeatable), dryRun.");
        return app;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) return Problems.BadRequest("Expected multipart/form-data with fields layer and file.");
        var form = await http.Request.ReadFormAsync(ct).ConfigureAwait(false);
        var layerName = form["layer"].ToString();
        if (ImportLayers.Find(layerName) is not { } spec)
            return Problems.BadParameter("layer", $"expected one of {string.Join(", ", ImportLayers.All.Select(l => l.Name))}");
        if (form.Files.Count == 0) return Problems.BadParameter("file", "no file uploaded");
        if (form.Files.Sum(f => f.Length) > MaxUploadBytes) return Problems.BadParameter("file", $"larger than {MaxUploadBytes / 1024 / 1024} MB");
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in form["map"])
        {
            var parts = (m ?? "").Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return Problems.BadParameter("map", $"'{m}' is not target=source");
            if (spec.Fields.All(f => f.Name != parts[0])) return Problems.BadParameter("map", $"'{parts[0]}' is not a field of {spec.Name}: {string.Join(", ", spec.Fields.Select(f => f.Name))}");
            mapping[parts[0]] = parts[1];
        }
        var dryRun = form["dryRun"].ToString() is "true" or "1" or "on";

        var dir = Directory.CreateTempSubdirectory("mc-import-");
        try
        {
            foreach (var file in form.Files)
            {
                var name = Path.GetFileName(file.FileName);
                if (name.Length == 0) continue;
                var target = Path.Combine(dir.FullName, name);
                await using (var s = File.Create(target)) await file.CopyToAsync(s, ct).ConfigureAwait(false);
                if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    ZipFile.ExtractToDirectory(target, dir.FullName, overwriteFiles: true);
                    File.Delete(target);
                }
            }
            var main = Directory.EnumerateFiles(dir.FullName, "*", SearchOption.AllDirectories)
                .FirstOrDefault(f => FeatureFiles.SupportedExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()));
            if (main is null) return Problems.BadParameter("file", $"no file of a supported type ({string.Join(", ", FeatureFiles.SupportedExtensions)})");
            FeatureSet set;
            try { set = FeatureFiles.Read(main); }
            catch (FeatureFileException e) { return Problems.BadRequest(e.Message); }
            var editor = UserClaims.ToUser(http.User);
            if (editor is null) return TypedResults.Problem("Not signed in.", statusCode: StatusCodes.Status401Unauthorized);
            var report = await LayerImport.RunAsync(db, spec.Layer, set,
                new ImportOptions(mapping, dryRun, editor.UserName, $"import of {Path.GetFileName(main)}", Editor: editor), ct).ConfigureAwait(false);
            if (report.Forbidden)
                return TypedResults.Problem(string.Join("; ", report.Rejections.Select(r => $"{r.Where}: {r.Reason}")), statusCode: StatusCodes.Status403Forbidden,
                    title: "Not allowed");
            return report.Accepted ? TypedResults.Ok(report) : TypedResults.UnprocessableEntity(report);
        }
        finally { dir.Delete(recursive: true); }
    }
}
