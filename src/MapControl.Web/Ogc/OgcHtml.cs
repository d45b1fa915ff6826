using System.Net;
using System.Text;
using System.Text.Json;

namespace MapControl.Web.Ogc;

/// <summary>The HTML encoding of OGC API responses: plain pages with links and tables (conformance class html).</summary>
internal static class OgcHtml
{
    /// <summary>A page with a title, optional links and a body.</summary>
    public static IResult Page(string title, IEnumerable<(string Rel, string Href, string Title)> links, string bodyHtml)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>")
          .Append(E(title)).Append("</title><style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid " + Components.Shell.Palette.OgcTableLine + ";padding:2px 6px;font-size:90%}</style></head><body><h1>")
          .Append(E(title)).Append("</h1><ul>");
        foreach (var (rel, href, t) in links) sb.Append("<li>").Append(E(rel)).Append(": <a href=\"").Append(E(href)).Append("\">").Append(E(t)).Append("</a></li>");
        sb.Append("</ul>").Append(bodyHtml).Append("</body></html>");
        return TypedResults.Content(sb.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>A table of features: id, geometry type and properties.</summary>
    public static string FeatureTable(IEnumerable<(string Id, string Href, string GeometryJson, string PropertiesJson)> features)
    {
        var rows = features.ToList();
        var columns = new List<string>();
        var parsed = rows.Select(r =>
        {
            using var doc = JsonDocument.Parse(r.PropertiesJson);
            var dict = new Dictionary<string, string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!columns.Contains(p.Name)) columns.Add(p.Name);
                dict[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
            using var g = JsonDocument.Parse(r.GeometryJson);
            return (r.Id, r.Href, Type: g.RootElement.GetProperty("type").GetString() ?? "", dict);
        }).ToList();
        var sb = new StringBuilder("<table><tr><th>id</th><th>geometry</th>");
        foreach (var c in columns) sb.Append("<th>").Append(E(c)).Append("</th>");
        sb.Append("</tr>");
        foreach (var (id, href, type, dict) in parsed)
        {
            sb.Append("<tr><td><a href=\"").Append(E(href)).Append("\">").Append(E(id)).Append("</a></td><td>").Append(E(type)).Append("</td>");
            foreach (var c in columns) sb.Append("<td>").Append(E(dict.GetValueOrDefault(c) ?? "")).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</table>").ToString();
    }

    /// <summary>HTML-encodes text.</summary>
    public static string E(string s) => WebUtility.HtmlEncode(s);
}
