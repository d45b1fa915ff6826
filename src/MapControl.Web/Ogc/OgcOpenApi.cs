using System.Text.Json.Nodes;
using MapControl.Data.PostGis.Ogc;
using static MapControl.Web.Ogc.OgcNames;

namespace MapControl.Web.Ogc;

/// <summary>The OpenAPI 3.0 definition of the OGC API, one path set per collection with its queryables.</summary>
internal static class OgcOpenApi
{
    /// <summary>The document for a server root URL (…/ogc).</summary>
    public static JsonObject Document(string rootUrl)
    {
        var paths = new JsonObject
        {
            ["/"] = Get("getLandingPage", "Landing page", [FParam()], Media.Json),
            [Conformance] = Get("getConformance", "Conformance classes", [FParam()], Media.Json),
            [Api] = Get("getApi", "This API definition", [], Media.OpenApi),
            [Collections] = Get("getCollections", "Feature collections", [FParam()], Media.Json),
        };
        foreach (var c in FeatureCollections.All)
        {
            var ps = new List<JsonNode>
            {
                Param(Params.Limit, "query", "Page size (default 10, at most 10000)", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = MaxLimit, ["default"] = DefaultLimit }),
                Param(Params.Offset, "query", "Features to skip", new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["default"] = 0 }),
                Param(Params.Bbox, "query", "minLon,minLat,maxLon,maxLat (CRS84)", new JsonObject { ["type"] = "array", ["minItems"] = 4, ["maxItems"] = 4, ["items"] = new JsonObject { ["type"] = "number" } }, explode: false),
                Param(Params.Datetime, "query", c.Id == FeatureCollections.Gaps ? "A closed interval start/end scores the gaps' incidents and risk over it (incidents_window, window_from, window_to); otherwise the last 12 months" : c.Time == FeatureTime.None ? "Accepted and ignored: the collection has no time" : "RFC 3339 instant or interval start/end, .. for an open end", new JsonObject { ["type"] = "string" }),
                FParam(),
            };
            foreach (var q in c.Queryables)
                ps.Add(Param(q.Name, "query", q.Description, new JsonObject { ["type"] = q.Type }));
            paths[$"{Collections}/{c.Id}"] = Get($"describe-{c.Id}", c.Title, [FParam()], Media.Json);
            paths[$"{Collections}/{c.Id}/{Items}"] = Get($"getItems-{c.Id}", c.Title + " features", ps, Media.GeoJson);
            paths[$"{Collections}/{c.Id}/{Items}/{{featureId}}"] = Get($"getItem-{c.Id}", "One feature of " + c.Title,
                [Param("featureId", "path", "Feature id", new JsonObject { ["type"] = c.IdType }, required: true), FParam()], Media.GeoJson);
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "MapControl OGC API – Features", ["version"] = "1.0.0", ["description"] = "OGC API – Features Part 1 of the oilfield one-map." },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = rootUrl }),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" } },
            },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            ["paths"] = paths,
        };
    }

    private static JsonObject FParam() => Param(Params.Format, "query", "Output format", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(Formats.Json, Formats.Html) });

    private static JsonObject Param(string name, string @in, string description, JsonObject schema, bool required = false, bool explode = true)
    {
        var p = new JsonObject { ["name"] = name, ["in"] = @in, ["description"] = description, ["required"] = required, ["schema"] = schema };
        if (!explode) { p["style"] = "form"; p["explode"] = false; }
        return p;
    }

    private static JsonObject Get(string operationId, string summary, IEnumerable<JsonNode> parameters, string mediaType) => new()
    {
        ["get"] = new JsonObject
        {
            ["operationId"] = operationId,
            ["summary"] = summary,
            ["parameters"] = new JsonArray(parameters.Select(p => p.DeepClone()).ToArray()),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { [mediaType] = new JsonObject(), [Media.Html] = new JsonObject() } },
                ["400"] = new JsonObject { ["description"] = "Invalid parameter (RFC 9457 problem details)" },
                ["401"] = new JsonObject { ["description"] = "No or invalid bearer token" },
                ["404"] = new JsonObject { ["description"] = "Not found" },
            },
        },
    };
}
