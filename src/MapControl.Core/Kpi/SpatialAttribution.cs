using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Core.Kpi;

/// <summary>
/// Finds which departments (by the jurisdiction version in force at a time) and which oil zones contain a lon/lat point.
/// A point on a boundary or in an overlap belongs to every polygon that covers it.
/// </summary>
internal sealed class SpatialAttribution
{
    private readonly STRtree<(Jurisdiction Jurisdiction, IPreparedGeometry Prepared)> _jurisdictions = new();
    private readonly STRtree<(OilZone Zone, IPreparedGeometry Prepared)> _zones = new();

    public SpatialAttribution(IReadOnlyList<Jurisdiction> jurisdictions, IReadOnlyList<OilZone> zones)
    {
        foreach (var j in jurisdictions)
            if (!j.Geometry.IsEmpty) _jurisdictions.Insert(j.Geometry.EnvelopeInternal, (j, PreparedGeometryFactory.Prepare(j.Geometry)));
        foreach (var z in zones)
            if (!z.Geometry.IsEmpty) _zones.Insert(z.Geometry.EnvelopeInternal, (z, PreparedGeometryFactory.Prepare(z.Geometry)));
        _jurisdictions.Build();
        _zones.Build();
    }

    /// <summary>Departments whose jurisdiction in force at <paramref name="at"/> covers the point (distinct, in code order).</summary>
    public void DepartmentsAt(Point point, DateTimeOffset at, List<string> result)
    {
        result.Clear();
        foreach (var (jurisdiction, prepared) in _jurisdictions.Query(point.EnvelopeInternal))
            if (jurisdiction.Version.IsInForceAt(at) && !result.Contains(jurisdiction.DepartmentCode) && prepared.Covers(point))
                result.Add(jurisdiction.DepartmentCode);
        result.Sort(StringComparer.Ordinal);
    }

    /// <summary>Oil zones covering the point (distinct, in code order).</summary>
    public void ZonesAt(Point point, List<string> result)
    {
        result.Clear();
        foreach (var (zone, prepared) in _zones.Query(point.EnvelopeInternal))
            if (!result.Contains(zone.Code) && prepared.Covers(point))
                result.Add(zone.Code);
        result.Sort(StringComparer.Ordinal);
    }
}
