using MapControl.Core.Model;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Spatial;

/// <summary>
/// The one rule (docs/DEFINITIONS.md, "Incident attribution") for which department and which oil zone an incident — or any
/// other point at a time: a well at the end of a period, a reclaimed site, the midpoint of a patrol interval — belongs to.
/// The KPIs, patrol hours, the seed loader, imports and the stored columns <c>incident.department_code</c> /
/// <c>incident.oil_zone_code</c> all use this class; nothing else decides it.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Time.</b> The jurisdiction map used is the one in force at the incident's <c>occurred_at</c>: every version with
/// <c>valid_from ≤ t &lt; valid_to</c> (no <c>valid_to</c>: still current). When no version at all was in force at t — t lies
/// before the first version on record (or in a span with no jurisdictions at all) — the first map that came into force after t
/// is used (the versions in force at the earliest <c>valid_from</c> after t); when none came after either, no department.
/// A point outside every jurisdiction of the map in force is in a gap then and has no department: it is not moved to a
/// department whose later version covers it.</item>
/// <item><b>Place.</b> A jurisdiction covers the points of its interior and of its boundary (closed polygons: the boundary of a
/// hole belongs to it, the inside of a hole does not). A point covered by several departments — inside an overlap (交叉区,
/// wanted on purpose) or on the boundary two departments share — belongs to exactly one: the smallest department code
/// (ordinal comparison). So department figures add up to the centre's, minus what lies in no jurisdiction.</item>
/// <item><b>Oil zone.</b> Oil zones are not versioned: the zone covering the point (boundary included), the smallest code
/// when several do; none outside all zones.</item>
/// </list>
/// </remarks>
public sealed class IncidentAttribution
{
    // "Covers a point" is "the point is not in the exterior": asked of an indexed point-in-area locator of each polygon directly (what
    // a prepared polygon's Covers does for a point, without its per-call extraction of the test geometry's coordinates).
    private readonly STRtree<(Jurisdiction Jurisdiction, IndexedPointInAreaLocator Area)> _jurisdictions = new();
    private readonly STRtree<(OilZone Zone, IndexedPointInAreaLocator Area)> _zones = new();
    private static readonly Comparison<(Jurisdiction Jurisdiction, IndexedPointInAreaLocator Area)> s_byDepartment =
        (a, b) => string.CompareOrdinal(a.Jurisdiction.DepartmentCode, b.Jurisdiction.DepartmentCode);
    private static readonly Comparison<(OilZone Zone, IndexedPointInAreaLocator Area)> s_byZone = (a, b) => string.CompareOrdinal(a.Zone.Code, b.Zone.Code);
    /// <summary>The spans during which at least one jurisdiction version was in force, sorted and disjoint (End null: open).</summary>
    private readonly List<(DateTimeOffset Start, DateTimeOffset? End)> _mapped = [];

    /// <summary>Builds the rule over every stored jurisdiction version (not only the current ones) and the oil zones.</summary>
    public IncidentAttribution(IEnumerable<Jurisdiction> jurisdictions, IEnumerable<OilZone> oilZones)
    {
        ArgumentNullException.ThrowIfNull(jurisdictions);
        ArgumentNullException.ThrowIfNull(oilZones);
        var versions = new List<VersionInfo>();
        foreach (var j in jurisdictions)
        {
            if (j.Version.ValidTo is { } end && end <= j.Version.ValidFrom) continue; // never in force
            versions.Add(j.Version);
            if (!j.Geometry.IsEmpty) _jurisdictions.Insert(j.Geometry.EnvelopeInternal, (j, new IndexedPointInAreaLocator(j.Geometry)));
        }
        foreach (var z in oilZones)
            if (!z.Geometry.IsEmpty) _zones.Insert(z.Geometry.EnvelopeInternal, (z, new IndexedPointInAreaLocator(z.Geometry)));
        _jurisdictions.Build();
        _zones.Build();

        foreach (var v in versions.OrderBy(v => v.ValidFrom))
        {
            if (_mapped.Count > 0 && _mapped[^1] is var (start, last) && (last is null || v.ValidFrom <= last))
                _mapped[^1] = (start, last is null || v.ValidTo is null ? null : v.ValidTo > last ? v.ValidTo : last);
            else
                _mapped.Add((v.ValidFrom, v.ValidTo));
        }
    }

    /// <summary>The department and oil zone of an incident: where it lies, with the jurisdictions in force when it occurred.</summary>
    public (string? DepartmentCode, string? OilZoneCode) Attribute(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return (DepartmentAt(incident.Location, incident.OccurredAt), OilZoneAt(incident.Location));
    }

    /// <summary>The department a lon/lat point belongs to at <paramref name="at"/>, or null (see the class remarks).</summary>
    public string? DepartmentAt(Point point, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (MapTime(at) is not { } t) return null;
        string? best = null;
        if (point.IsEmpty) return null;
        var where = point.Coordinate;
        // Candidates smallest code first (the answer does not depend on the order; sorted, a point is located in fewer polygons).
        var candidates = _jurisdictions.Query(point.EnvelopeInternal);
        if (candidates is List<(Jurisdiction Jurisdiction, IndexedPointInAreaLocator Area)> { Count: > 1 } list) list.Sort(s_byDepartment);
        foreach (var (jurisdiction, area) in candidates)
        {
            var code = jurisdiction.DepartmentCode;
            if ((best is null || string.CompareOrdinal(code, best) < 0) && jurisdiction.Version.IsInForceAt(t) && area.Locate(where) != Location.Exterior)
                best = code;
        }
        return best;
    }

    /// <summary>The oil zone a lon/lat point lies in (boundary included; the smallest code when several), or null.</summary>
    public string? OilZoneAt(Point point)
    {
        ArgumentNullException.ThrowIfNull(point);
        string? best = null;
        if (point.IsEmpty) return null;
        var where = point.Coordinate;
        var candidates = _zones.Query(point.EnvelopeInternal);
        if (candidates is List<(OilZone Zone, IndexedPointInAreaLocator Area)> { Count: > 1 } list) list.Sort(s_byZone);
        foreach (var (zone, area) in candidates)
            if ((best is null || string.CompareOrdinal(zone.Code, best) < 0) && area.Locate(where) != Location.Exterior)
                best = zone.Code;
        return best;
    }

    /// <summary>
    /// The instant whose jurisdiction map applies to <paramref name="at"/>: <paramref name="at"/> itself when some version was in
    /// force then, else the start of the first version after it, else null (no map then or later).
    /// </summary>
    public DateTimeOffset? MapTime(DateTimeOffset at)
    {
        int lo = 0, hi = _mapped.Count - 1;
        while (lo <= hi) // first span that has not ended by `at`
        {
            var mid = (lo + hi) / 2;
            if (_mapped[mid].End is { } end && end <= at) lo = mid + 1;
            else hi = mid - 1;
        }
        if (lo == _mapped.Count) return null;
        return _mapped[lo].Start <= at ? at : _mapped[lo].Start;
    }
}
