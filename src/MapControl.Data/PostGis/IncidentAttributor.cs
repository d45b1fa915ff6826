using MapControl.Core.Model;
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
    private readonly STRtree<(OilZone Zone, IPreparedGeometry Prepared)> _zones = new();

    public IncidentAttributor(IEnumerable<Jurisdiction> jurisdictions, IEnumerable<OilZone> zones)
    {
        foreach (var j in jurisdictions)
            _jurisdictions.Insert(j.Geometry.EnvelopeInternal, (j, PreparedGeometryFactory.Prepare(j.Geometry)));
        foreach (var z in zones)
            _zones.Insert(z.Geometry.EnvelopeInternal, (z, PreparedGeometryFactory.Prepare(z.Geometry)));
        _jurisdictions.Build();
        _zones.Build();
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

        string? zone = null;
        foreach (var (z, prepared) in _zones.Query(envelope))
            if (prepared.Intersects(point) && (zone is null || string.CompareOrdinal(z.Code, zone) < 0))
                zone = z.Code;
        return (department, zone);
    }
}
