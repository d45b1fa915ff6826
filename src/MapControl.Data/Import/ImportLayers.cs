using MapControl.Core.Labels;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;

namespace MapControl.Data.Import;

/// <summary>The layers <see cref="LayerImport"/> can load.</summary>
public enum ImportLayer { Wells, OilZones, Jurisdictions, IdleSites, Incidents, PatrolRoutes, Roads }

/// <summary>Type of an import field.</summary>
public enum ImportFieldType { Text, Boolean, Number, Timestamp, Date }

/// <summary>A target field of an import layer.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Value type.</param>
/// <param name="Required">A row without it is rejected.</param>
/// <param name="Allowed">For enumerations: the stored names accepted (snake_case or PascalCase in the file).</param>
/// <param name="Default">Value when the file has none (SQL literal text is never used: values are bound).</param>
/// <param name="Labels">Labels as people write them (Chinese, English, synonyms) → codes; with <paramref name="Allowed"/> null the
/// vocabulary is open: a label it lacks is stored as written (incident, well and idle-site kinds).</param>
/// <param name="Stored">For an open vocabulary: the database vocabulary labels resolve through and unmapped labels are added to
/// (<c>incident_kind</c>, or the <c>field_label</c> field <c>well_kind</c> / <c>idle_site_kind</c>); <paramref name="Labels"/> is its
/// built-in default.</param>
public sealed record ImportField(string Name, ImportFieldType Type, bool Required, IReadOnlyList<string>? Allowed = null, object? Default = null,
    Vocabulary? Labels = null, string? Stored = null);

/// <summary>What an import layer needs: its names, key (empty: none, the file replaces the whole layer), fields and geometry type
/// ("Lines": LineString or MultiLineString).</summary>
public sealed record ImportLayerSpec(ImportLayer Layer, string Name, string Table, string Key, string GeometryType, IReadOnlyList<ImportField> Fields);

/// <summary>The import layers (names as in the CLI: wells, oil-zones, jurisdictions, idle-sites, incidents, patrol-routes, roads).</summary>
public static class ImportLayers
{
    private static ImportField T(string n, bool req = true) => new(n, ImportFieldType.Text, req);
    /// <summary>An open vocabulary field: a label the vocabulary lacks is kept as written and listed as unmapped, never refused.</summary>
    private static ImportField O(string n, Vocabulary builtin, string stored) => new(n, ImportFieldType.Text, true, null, null, builtin, stored);
    private static ImportField E<TEnum>(string n, Vocabulary labels, bool req = true, object? def = null) where TEnum : struct, Enum =>
        new(n, ImportFieldType.Text, req, DomainNames.Names<TEnum>(), def, labels);

    /// <summary>The <see cref="ImportField.Stored"/> name of the incident-kind vocabulary (table <c>incident_kind</c>).</summary>
    public const string IncidentKindStore = "incident_kind";

    /// <summary>Every layer's specification.</summary>
    public static IReadOnlyList<ImportLayerSpec> All { get; } =
    [
        new(ImportLayer.Wells, "wells", "well", "code", "Point",
            [T("code"), O("kind", FieldVocabularies.WellKinds, FieldLabelRepository.WellKind), E<WellStatus>("status", FieldVocabularies.WellStatuses), new("is_key", ImportFieldType.Boolean, false, null, false), T("oil_zone_code")]),
        new(ImportLayer.OilZones, "oil-zones", "oil_zone", "code", "MultiPolygon", [T("code"), T("name")]),
        new(ImportLayer.Jurisdictions, "jurisdictions", "jurisdiction", "department_code", "MultiPolygon", [T("department_code")]),
        new(ImportLayer.IdleSites, "idle-sites", "idle_site", "code", "Polygon",
            [T("code"), T("name"), O("kind", FieldVocabularies.IdleSiteKinds, FieldLabelRepository.IdleSiteKind), E<IdleSiteStatus>("status", FieldVocabularies.IdleSiteStatuses, false, "idle"),
             new("encroached_on", ImportFieldType.Date, false), new("reclaimed_on", ImportFieldType.Date, false)]),
        // No department_code / oil_zone_code: the import attributes each incident by the one rule (Core IncidentAttribution);
        // such attributes in a file are ignored.
        new(ImportLayer.Incidents, "incidents", "incident", "code", "Point",
            [T("code"), O("kind", IncidentKinds.Builtin, IncidentKindStore), new("occurred_at", ImportFieldType.Timestamp, true), new("discovered_at", ImportFieldType.Timestamp, false),
             E<DiscoverySource>("discovered_by", FieldVocabularies.DiscoverySources), new("oil_recovered_t", ImportFieldType.Number, false, null, 0.0), E<IncidentStatus>("status", FieldVocabularies.IncidentStatuses, false, "open")]),
        new(ImportLayer.PatrolRoutes, "patrol-routes", "patrol_route", "code", "LineString", [T("code"), T("department_code"), T("name")]),
        // The road network of dispatch: the file replaces the whole network, noded in the import's transaction (Routing.RoadNetwork).
        new(ImportLayer.Roads, "roads", "road_segment", "", "Lines", [T("name", false), new("kind", ImportFieldType.Text, false, null, "road")]),
    ];

    /// <summary>The layer of a CLI name (e.g. "oil-zones"), or null.</summary>
    public static ImportLayerSpec? Find(string name) => All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The specification of a layer.</summary>
    public static ImportLayerSpec Get(ImportLayer layer) => All.Single(s => s.Layer == layer);
}
