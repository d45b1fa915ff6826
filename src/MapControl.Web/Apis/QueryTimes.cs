using MapControl.Web.Ogc;

namespace MapControl.Web.Apis;

/// <summary>
/// The time parameters of <c>/api/layers</c> and <c>/api/analysis</c> (<c>from</c>, <c>to</c>, <c>at</c>) are bound as DateTimeOffset,
/// which accepts almost anything ("1,2" became January 2nd); this filter holds them to the one parse of query instants
/// (<see cref="OgcParameters.TryParseInstant"/>, RFC 3339) and answers 400 problem details otherwise.
/// </summary>
internal static class QueryTimes
{
    private static readonly string[] s_names = ["from", "to", "at"];

    /// <summary>Adds the check to every endpoint of the group.</summary>
    public static RouteGroupBuilder RequireRfc3339Times(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var query = context.HttpContext.Request.Query;
            foreach (var name in s_names)
            {
                foreach (var key in query.Keys.Where(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)))
                {
                    var values = query[key];
                    if (values.Count > 1) return Problems.BadParameter(name, "given more than once");
                    var raw = values.ToString();
                    if (raw.Length > 0 && !OgcParameters.TryParseInstant(raw, out _)) return Problems.BadParameter(name, Problems.NotRfc3339);
                }
            }

            return await next(context).ConfigureAwait(false);
        });
        return group;
    }
}
