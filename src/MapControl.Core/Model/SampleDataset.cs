namespace MapControl.Core.Model;

/// <summary>A whole oilfield: what the sample generator makes and what <c>mapcontrol seed</c> loads (<paramref name="Roads"/>: the
/// road network's lines before noding; null or empty: no network).</summary>
public sealed record SampleDataset(
    IReadOnlyList<OilZone> OilZones,
    IReadOnlyList<Department> Departments,
    IReadOnlyList<Jurisdiction> Jurisdictions,
    IReadOnlyList<PatrolZone> PatrolZones,
    IReadOnlyList<Well> Wells,
    IReadOnlyList<Camera> Cameras,
    IReadOnlyList<IdleSite> IdleSites,
    IReadOnlyList<Incident> Incidents,
    IReadOnlyList<PatrolUnit> PatrolUnits,
    IReadOnlyList<GpsFix> GpsFixes,
    IReadOnlyList<PatrolRoute> PatrolRoutes,
    IReadOnlyList<BasemapFeature> Basemap,
    IReadOnlyList<RoadLine>? Roads = null);
