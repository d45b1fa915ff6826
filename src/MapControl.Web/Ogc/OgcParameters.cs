using System.Globalization;
using MapControl.Data.PostGis.Ogc;

namespace MapControl.Web.Ogc;

/// <summary>Parses and validates the query parameters of /items; problems come back as an RFC 9457 result.</summary>
internal static class OgcParameters
{
    private static readonly HashSet<string> Known =
        [OgcNames.Params.Bbox, OgcNames.Params.BboxCrs, OgcNames.Params.Datetime, OgcNames.Params.Limit, OgcNames.Params.Offset, OgcNames.Params.Format];

    /// <summary>The feature query of a request, or a 400 problem.</summary>
    public static (FeatureQuery? Query, IResult? Problem) Parse(FeatureCollectionDefinition collection, IQueryCollection q)
    {
        var limit = OgcNames.DefaultLimit;
        long offset = 0;
        BoundingBox? bbox = null;
        TimeFilter? time = null;
        var filters = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in q)
        {
            if (values.Count > 1) return (null, Problems.BadParameter(key, "given more than once"));
            var value = values.ToString();
            switch (key)
            {
                case OgcNames.Params.Limit:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1)
                        return (null, Problems.BadParameter(key, $"expected an integer 1..{OgcNames.MaxLimit}"));
                    limit = Math.Min(limit, OgcNames.MaxLimit);
                    break;
                case OgcNames.Params.Offset:
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
                        return (null, Problems.BadParameter(key, "expected an integer ≥ 0"));
                    break;
                case OgcNames.Params.Bbox:
                    if (TryParseBbox(value, out var b, out var why)) bbox = b;
                    else return (null, Problems.BadParameter(key, why));
                    break;
                case OgcNames.Params.BboxCrs:
                    if (value != OgcNames.Crs84) return (null, Problems.BadParameter(key, $"only {OgcNames.Crs84} is supported"));
                    break;
                case OgcNames.Params.Datetime:
                    if (TryParseDatetime(value, out var t, out var whyT)) time = t;
                    else return (null, Problems.BadParameter(key, whyT));
                    break;
                case OgcNames.Params.Format:
                    if (value is not (OgcNames.Formats.Json or OgcNames.Formats.Html))
                        return (null, Problems.BadParameter(key, "expected json or html"));
                    break;
                default:
                    if (collection.FindQueryable(key) is not { } queryable)
                        return (null, Problems.BadParameter(key,
                            $"unknown parameter; {collection.Id} accepts bbox, datetime, limit, offset, f"
                            + (collection.Queryables.Count > 0 ? " and " + string.Join(", ", collection.Queryables.Select(x => x.Name)) : "")));
                    if (queryable.Type == "boolean" && !(value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)))
                        return (null, Problems.BadParameter(key, "expected true or false"));
                    filters.Add(new(key, value));
                    break;
            }
        }
        return (new FeatureQuery(bbox, time, filters, limit, offset), null);
    }

    /// <summary>Parses "minLon,minLat,maxLon,maxLat" in CRS84.</summary>
    public static bool TryParseBbox(string value, out BoundingBox bbox, out string why)
    {
        bbox = default;
        var parts = value.Split(',');
        var n = new double[parts.Length];
        if (parts.Length != 4) { why = "expected 4 numbers minLon,minLat,maxLon,maxLat"; return false; }
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out n[i]) || !double.IsFinite(n[i]))
            { why = $"'{parts[i]}' is not a number"; return false; }
        if (n[0] < -180 || n[2] > 180 || n[1] < -90 || n[3] > 90) { why = "outside lon −180..180, lat −90..90"; return false; }
        if (n[0] > n[2] || n[1] > n[3]) { why = "min must not exceed max (boxes across the antimeridian are not supported)"; return false; }
        bbox = new BoundingBox(n[0], n[1], n[2], n[3]);
        why = "";
        return true;
    }

    /// <summary>Parses an RFC 3339 instant or an interval "start/end" with ".." or empty for open ends.</summary>
    public static bool TryParseDatetime(string value, out TimeFilter filter, out string why)
    {
        filter = default;
        why = "";
        var parts = value.Split('/');
        if (parts.Length == 1)
        {
            if (!TryInstant(parts[0], out var t)) { why = Problems.NotRfc3339 + " or an interval start/end with .. for an open end"; return false; }
            filter = new TimeFilter(t, t, true);
            return true;
        }
        if (parts.Length != 2) { why = "expected an instant or start/end"; return false; }
        DateTimeOffset? from = null, to = null;
        if (parts[0] is not ("" or ".."))
        {
            if (!TryInstant(parts[0], out var f)) { why = "start: " + Problems.NotRfc3339; return false; }
            from = f;
        }
        if (parts[1] is not ("" or ".."))
        {
            if (!TryInstant(parts[1], out var e)) { why = "end: " + Problems.NotRfc3339; return false; }
            to = e;
        }
        if (from is null && to is null) { why = "at least one end of the interval must be given"; return false; }
        if (from > to) { why = "start is after end"; return false; }
        filter = new TimeFilter(from, to, false);
        return true;
    }

    private static readonly string[] Rfc3339 =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd't'HH:mm:ssK", "yyyy-MM-dd't'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>
    /// An RFC 3339 date-time with an offset or Z (or a bare date, taken as that day's start in UTC): the one parse of instants in query
    /// strings (OGC datetime, tiles, layers and analysis from/to/at); anything else — "1,2", "soon", a date without a year — is refused.
    /// </summary>
    internal static bool TryParseInstant(string s, out DateTimeOffset value) => TryInstant(s, out value);

    private static bool TryInstant(string s, out DateTimeOffset value)
    {
        value = default;
        // RFC 3339 requires an offset or Z; a bare date is accepted as that day's start in UTC (common in clients).
        if (DateTimeOffset.TryParseExact(s, Rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.None, out value)) return s[^1] is 'Z' or 'z' || s.Contains('+') || s.LastIndexOf('-') > 10;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            value = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }
        return false;
    }
}
