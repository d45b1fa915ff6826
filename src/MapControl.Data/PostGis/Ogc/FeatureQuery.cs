namespace MapControl.Data.PostGis.Ogc;

/// <summary>A bounding box in lon/lat (CRS84).</summary>
public readonly record struct BoundingBox(double MinX, double MinY, double MaxX, double MaxY);

/// <summary>A closed time filter: an instant (From == To) or an interval with open ends as null.</summary>
public readonly record struct TimeFilter(DateTimeOffset? From, DateTimeOffset? To, bool IsInstant);

/// <summary>A query of a feature collection: spatial and time filters, property filters (already checked against the queryables) and a page.</summary>
public sealed record FeatureQuery(BoundingBox? Bbox = null, TimeFilter? Time = null, IReadOnlyList<KeyValuePair<string, string>>? Filters = null,
    int Limit = 10, long Offset = 0);

/// <summary>One feature as GeoJSON pieces: its id, its geometry and its properties as JSON texts.</summary>
public sealed record FeatureRow(string Id, string GeometryJson, string PropertiesJson);

/// <summary>A page of features and how many match in all.</summary>
public sealed record FeaturePage(IReadOnlyList<FeatureRow> Features, long NumberMatched);
