using MapControl.Core.Model;
using MapControl.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace MapControl.Data.PostGis;

/// <summary>
/// Attributes incidents in memory with the same rule as the SQL of <see cref="Repositories.IncidentRepository"/>: the jurisdiction
/// in force when the incident occurred (else the current one) and the oil zone containing it; ties go to the smallest code.
/// Used by the seed loader so that bulk loads need no UPDATE pass.
/// </summary>
internal sealed class IncidentAttributor
{
    private readonly STRtree<(Jurisdiction Jurisdiction, IPreparedGeometry Prepared)> _jurisdictions = new();
    private readonly OilZone[] _zones;
    private readonly PolygonIndex _zoneIndex;

    public IncidentAttributor(IEnumerable<Jurisdiction> jurisdictions, IEnumerable<OilZone> zones)
    {
        foreach (var j in jurisdictions)
            _jurisdictions.Insert(j.Geometry.EnvelopeInternal, (j, PreparedGeometryFactory.Prepare(j.Geometry)));
        _jurisdictions.Build();
        // Sorted by code, so that the index's first covering polygon is the smallest code.
        _zones = zones.OrderBy(z => z.Code, StringComparer.Ordinal).ToArray();
        _zoneIndex = PolygonIndex.Build(_zones.Select(z => z.Geometry).ToArray());
    }

    public (string? DepartmentCode, string? OilZoneCode) Attribute(Incident incident)
    {
        var point = incident.Location;
        var envelope = point.EnvelopeInternal;
        var at = incident.OccurredAt;

        string? department = null;
        var bestInForce = false;
        foreach (var (j, prepared) in _jurisdictions.Query(envelope))
        {
            var inForce = j.Version.IsInForceAt(at);
            if (!(inForce || j.Version.IsCurrent) || !prepared.Intersects(point)) continue;
            if (department is null || (inForce && !bestInForce)
                || (inForce == bestInForce && string.CompareOrdinal(j.DepartmentCode, department) < 0))
            {
                department = j.DepartmentCode;
                bestInForce = inForce;
            }
        }

        var zone = _zoneIndex.Locate(point.X, point.Y);
        return (department, zone >= 0 ? _zones[zone].Code : null);
    }
}
