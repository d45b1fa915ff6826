using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis.Ogc;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Auth;
using MapControl.Web.Ogc;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;
using static MapControl.Web.Ogc.OgcNames;

namespace MapControl.Web.Apis;

/// <summary>OGC API – Features Part 1 (core, GeoJSON, HTML, OpenAPI 3.0) under /ogc, for QGIS and GDAL.</summary>
internal static class OgcFeaturesApi
{
    private sealed record Link(string Href, string Rel, string Type, string Title);

    /// <summary>Registers the feature repository and the cached coverage check behind the gaps collection.</summary>
    public static WebApplicationBuilder AddOgcFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(sp => new CoverageGaps(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddSingleton<FeatureRepository>();
        return builder;
    }

    /// <summary>Maps the OGC API endpoints under /ogc, behind a bearer token or the UI's cookie.</summary>
    public static IEndpointRouteBuilder MapOgcFeaturesApi(this IEndpointRouteBuilder app)
    {
        var ogc = app.MapGroup(Root).WithTags("OGC API - Features").RequireAuthorization(ApiTokenAuthentication.Policy);
        ogc.MapGet("/", Landing).WithName("OgcLanding").WithSummary("Landing page");
        ogc.MapGet(Conformance, GetConformance).WithName("OgcConformance").WithSummary("Conformance classes");
        ogc.MapGet(Api, GetOpenApi).WithName("OgcOpenApi").WithSummary("OpenAPI 3.0 definition");
        ogc.MapGet(Collections, GetCollections).WithName("OgcCollections").WithSummary("Feature collections");
        ogc.MapGet(Collections + "/{collectionId}", GetCollection).WithName("OgcCollection").WithSummary("One feature collection");
        ogc.MapGet(Collections + "/{collectionId}/" + Items, GetItems).WithName("OgcItems").WithSummary("Features of a collection");
        ogc.MapGet(Collections + "/{collectionId}/" + Items + "/{featureId}", GetItem).WithName("OgcItem").WithSummary("One feature");
        return app;
    }

    private static string RootUrl(HttpContext http) => TilesApi.Base(http) + Root;

    /// <summary>True for HTML: ?f=html, or a browser's Accept header without ?f.</summary>
    private static bool WantsHtml(HttpRequest request)
    {
        var f = request.Query[Params.Format].ToString();
        if (f.Length > 0) return f == Formats.Html;
        var accept = request.Headers.Accept.ToString();
        var html = accept.IndexOf(Media.Html, StringComparison.OrdinalIgnoreCase);
        if (html < 0) return false;
        var json = accept.IndexOf("json", StringComparison.OrdinalIgnoreCase);
        return json < 0 || html < json;
    }

    private static IResult? CheckFormatOnly(HttpRequest request)
    {
        foreach (var (key, values) in request.Query)
        {
            if (key != Params.Format) return Problems.BadParameter(key, "unknown parameter; only f is accepted here");
            if (values.ToString() is not (Formats.Json or Formats.Html)) return Problems.BadParameter(key, "expected json or html");
        }
        return null;
    }

    private static IResult Json(string mediaType, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(w);
        return TypedResults.Bytes(buffer.WrittenMemory.ToArray(), mediaType);
    }

    private static void WriteLinks(Utf8JsonWriter w, IEnumerable<Link> links)
    {
        w.WriteStartArray("links");
        foreach (var l in links)
        {
            w.WriteStartObject();
            w.WriteString("href", l.Href);
            w.WriteString("rel", l.Rel);
            w.WriteString("type", l.Type);
            w.WriteString("title", l.Title);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static IResult Html(string title, IEnumerable<Link> links, string body) =>
        OgcHtml.Page(title, links.Select(l => (l.Rel, l.Href, l.Title)), body);

    private static IResult Landing(HttpContext http)
    {
        if (CheckFormatOnly(http.Request) is { } bad) return bad;
        var root = RootUrl(http);
        Link[] links =
        [
            new(root + "?f=json", Rel.Self, Media.Json, "This document"),
            new(root + "?f=html", Rel.Alternate, Media.Html, "This document as HTML"),
            new(root + Api, Rel.ServiceDesc, Media.OpenApi, "The API definition (OpenAPI 3.0)"),
            new(root + Conformance, Rel.Conformance, Media.Json, "Conformance classes"),
            new(root + Collections, Rel.Data, Media.Json, "Feature collections"),
        ];
        const string title = "MapControl OGC API – Features";
        const string description = "Oil zones, jurisdictions, patrol zones, wells, cameras, idle sites, incidents, patrol tracks and gaps of the oilfield one-map.";
        if (WantsHtml(http.Request)) return Html(title, links, $"<p>{OgcHtml.E(description)}</p>");
        return Json(Media.Json, w =>
        {
            w.WriteStartObject();
            w.WriteString("title", title);
            w.WriteString("description", description);
            WriteLinks(w, links);
            w.WriteEndObject();
        });
    }

    private static IResult GetConformance(HttpContext http)
    {
        if (CheckFormatOnly(http.Request) is { } bad) return bad;
        if (WantsHtml(http.Request))
            return Html("Conformance", [], "<ul>" + string.Concat(ConformanceClasses.Select(c => $"<li>{OgcHtml.E(c)}</li>")) + "</ul>");
        return Json(Media.Json, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("conformsTo");
            foreach (var c in ConformanceClasses) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static IResult GetOpenApi(HttpContext http)
    {
        if (CheckFormatOnly(http.Request) is { } bad) return bad;
        return TypedResults.Text(OgcOpenApi.Document(RootUrl(http)).ToJsonString(), Media.OpenApi);
    }

    private static async Task<IResult> GetCollections(HttpContext http, FeatureRepository repo, OilZoneRepository zones, CancellationToken ct)
    {
        if (CheckFormatOnly(http.Request) is { } bad) return bad;
        var root = RootUrl(http);
        var bounds = await zones.ExtentAsync(ct).ConfigureAwait(false) ?? (-180, -85.0511, 180, 85.0511);
        var extents = new List<(FeatureCollectionDefinition C, DateTimeOffset? S, DateTimeOffset? E)>();
        foreach (var c in FeatureCollections.All)
        {
            var (s, e) = await repo.TemporalExtentAsync(c, ct).ConfigureAwait(false);
            extents.Add((c, s, e));
        }
        Link[] links = [new(root + Collections + "?f=json", Rel.Self, Media.Json, "Collections"), new(root + Collections + "?f=html", Rel.Alternate, Media.Html, "Collections as HTML")];
        if (WantsHtml(http.Request))
            return Html("Collections", links, "<ul>" + string.Concat(FeatureCollections.All.Select(c =>
                $"<li><a href=\"{OgcHtml.E(root + Collections + "/" + c.Id + "?f=html")}\">{OgcHtml.E(c.Title)}</a> — {OgcHtml.E(c.Description)}</li>")) + "</ul>");
        return Json(Media.Json, w =>
        {
            w.WriteStartObject();
            WriteLinks(w, links);
            w.WriteStartArray("collections");
            foreach (var (c, s, e) in extents) WriteCollection(w, root, c, bounds, s, e);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteCollection(Utf8JsonWriter w, string root, FeatureCollectionDefinition c, (double W, double S, double E, double N) b,
        DateTimeOffset? start, DateTimeOffset? end)
    {
        var url = root + Collections + "/" + c.Id;
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("title", c.Title);
        w.WriteString("description", c.Description);
        w.WriteString("itemType", "feature");
        w.WriteStartArray("crs");
        w.WriteStringValue(Crs84);
        w.WriteEndArray();
        w.WriteStartObject("extent");
        w.WriteStartObject("spatial");
        w.WriteStartArray("bbox");
        w.WriteStartArray();
        w.WriteNumberValue(b.W); w.WriteNumberValue(b.S); w.WriteNumberValue(b.E); w.WriteNumberValue(b.N);
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteString("crs", Crs84);
        w.WriteEndObject();
        if (c.Time != FeatureTime.None)
        {
            w.WriteStartObject("temporal");
            w.WriteStartArray("interval");
            w.WriteStartArray();
            if (start is { } s) w.WriteStringValue(Iso(s)); else w.WriteNullValue();
            if (end is { } e) w.WriteStringValue(Iso(e)); else w.WriteNullValue();
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteString("trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        WriteLinks(w,
        [
            new(url + "?f=json", Rel.Self, Media.Json, c.Title),
            new(url + "?f=html", Rel.Alternate, Media.Html, c.Title + " as HTML"),
            new(url + "/" + Items + "?f=json", Rel.Items, Media.GeoJson, c.Title + " items"),
            new(url + "/" + Items + "?f=html", Rel.Items, Media.Html, c.Title + " items as HTML"),
        ]);
        w.WriteEndObject();
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<IResult> GetCollection(string collectionId, HttpContext http, FeatureRepository repo, OilZoneRepository zones, CancellationToken ct)
    {
        if (FeatureCollections.Find(collectionId) is not { } c) return Problems.NotFound($"No collection '{collectionId}'.");
        if (CheckFormatOnly(http.Request) is { } bad) return bad;
        var root = RootUrl(http);
        var bounds = await zones.ExtentAsync(ct).ConfigureAwait(false) ?? (-180, -85.0511, 180, 85.0511);
        var (s, e) = await repo.TemporalExtentAsync(c, ct).ConfigureAwait(false);
        if (WantsHtml(http.Request))
            return Html(c.Title, [new(root + Collections + "/" + c.Id + "/" + Items + "?f=html", Rel.Items, Media.Html, "Items"), new(root + Collections + "?f=html", Rel.Data, Media.Html, "All collections")],
                $"<p>{OgcHtml.E(c.Description)}</p><p>Queryables: {OgcHtml.E(string.Join(", ", c.Queryables.Select(q => q.Name)))}</p>");
        return Json(Media.Json, w => WriteCollection(w, root, c, bounds, s, e));
    }

    private static async Task<IResult> GetItems(string collectionId, HttpContext http, FeatureRepository repo, CancellationToken ct)
    {
        if (FeatureCollections.Find(collectionId) is not { } c) return Problems.NotFound($"No collection '{collectionId}'.");
        var (query, problem) = OgcParameters.Parse(c, http.Request.Query);
        if (problem is not null) return problem;
        var page = await repo.QueryAsync(c, query!, ct).ConfigureAwait(false);
        var root = RootUrl(http);
        var itemsUrl = root + Collections + "/" + c.Id + "/" + Items;
        var html = WantsHtml(http.Request);
        string PageUrl(long offset, string f)
        {
            var args = http.Request.Query.Where(kv => kv.Key is not (Params.Offset or Params.Format))
                .ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString());
            args[Params.Format] = f;
            args[Params.Offset] = offset.ToString(CultureInfo.InvariantCulture);
            args[Params.Limit] = query!.Limit.ToString(CultureInfo.InvariantCulture);
            return QueryHelpers.AddQueryString(itemsUrl, args);
        }
        var links = new List<Link>
        {
            new(PageUrl(query!.Offset, Formats.Json), Rel.Self, Media.GeoJson, "This page"),
            new(PageUrl(query.Offset, Formats.Html), Rel.Alternate, Media.Html, "This page as HTML"),
            new(root + Collections + "/" + c.Id, Rel.Collection, Media.Json, c.Title),
        };
        var f = html ? Formats.Html : Formats.Json;
        var type = html ? Media.Html : Media.GeoJson;
        if (query.Offset + page.Features.Count < page.NumberMatched)
            links.Add(new(PageUrl(query.Offset + query.Limit, f), Rel.Next, type, "Next page"));
        if (query.Offset > 0)
            links.Add(new(PageUrl(Math.Max(0, query.Offset - query.Limit), f), Rel.Prev, type, "Previous page"));
        if (html)
            return Html($"{c.Title}: {page.Features.Count} of {page.NumberMatched}", links,
                OgcHtml.FeatureTable(page.Features.Select(r => (r.Id, itemsUrl + "/" + Uri.EscapeDataString(r.Id) + "?f=html", r.GeometryJson, r.PropertiesJson))));
        return Json(Media.GeoJson, w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteNumber("numberMatched", page.NumberMatched);
            w.WriteNumber("numberReturned", page.Features.Count);
            w.WriteString("timeStamp", Iso(DateTimeOffset.UtcNow));
            WriteLinks(w, links);
            w.WriteStartArray("features");
            foreach (var r in page.Features) WriteFeature(w, c, r, null);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteFeature(Utf8JsonWriter w, FeatureCollectionDefinition c, FeatureRow r, IEnumerable<Link>? links)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        if (c.IdType == "integer" && long.TryParse(r.Id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) w.WriteNumber("id", n);
        else w.WriteString("id", r.Id);
        w.WritePropertyName("geometry");
        w.WriteRawValue(r.GeometryJson, skipInputValidation: true);
        w.WritePropertyName("properties");
        w.WriteRawValue(r.PropertiesJson, skipInputValidation: true);
        if (links is not null) WriteLinks(w, links);
        w.WriteEndObject();
    }

    private static async Task<IResult> GetItem(string collectionId, string featureId, HttpContext http, FeatureRepository repo, CancellationToken ct)
    {
        if (FeatureCollections.Find(collectionId) is not { } c) return Problems.NotFound($"No collection '{collectionId}'.");
        if (CheckFormatOnly(http.Request) is { } bad) return bad;
        var row = await repo.GetAsync(c, featureId, ct).ConfigureAwait(false);
        if (row is null) return Problems.NotFound($"No feature '{featureId}' in collection '{collectionId}'.");
        var root = RootUrl(http);
        var url = root + Collections + "/" + c.Id + "/" + Items + "/" + Uri.EscapeDataString(row.Id);
        Link[] links =
        [
            new(url + "?f=json", Rel.Self, Media.GeoJson, "This feature"),
            new(url + "?f=html", Rel.Alternate, Media.Html, "This feature as HTML"),
            new(root + Collections + "/" + c.Id, Rel.Collection, Media.Json, c.Title),
        ];
        if (WantsHtml(http.Request))
            return Html($"{c.Title}: {row.Id}", links, OgcHtml.FeatureTable([(row.Id, url + "?f=html", row.GeometryJson, row.PropertiesJson)]) + $"<pre>{OgcHtml.E(row.GeometryJson)}</pre>");
        return Json(Media.GeoJson, w => WriteFeature(w, c, row, links));
    }
}
