using NetTopologySuite.Geometries;

namespace MapControl.Core.Model;

/// <summary>Layers of the offline basemap.</summary>
public enum BasemapLayer { Coast, Sea, River, Road, Town }

/// <summary>One basemap feature (coast line, Yellow River, road, town) with its Chinese name when it has one.</summary>
public sealed record BasemapFeature(BasemapLayer Layer, string? Name, string? Kind, Geometry Geometry);
