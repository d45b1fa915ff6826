using System.Text;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Files;

/// <summary>One feature read from or written to a file: a geometry and its attribute values.</summary>
/// <param name="Geometry">The geometry; readers return it in EPSG:4326 (SRID 4326).</param>
/// <param name="Properties">Attribute values by name (string, long, double, bool, DateTime or null).</param>
public sealed record FeatureRecord(Geometry Geometry, IReadOnlyDictionary<string, object?> Properties);

/// <summary>The features of one file, reprojected to EPSG:4326, with where they came from.</summary>
/// <param name="Features">The features in file order.</param>
/// <param name="SourceSrid">EPSG code of the file's CRS (0 when its .prj matches no registered EPSG code).</param>
/// <param name="SourceFormat">The format read: "GeoJSON", "ESRI Shapefile", "GeoPackage", "CSV" or "KML".</param>
public sealed record FeatureSet(IReadOnlyList<FeatureRecord> Features, int SourceSrid, string SourceFormat)
{
    /// <summary>Name of the file's CRS, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 120E".</summary>
    public string SourceCrsName { get; init; } = string.Empty;

    /// <summary>What the reader assumed or repaired (one line each), e.g. a geometry fixed by GeometryFixer.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Options for <see cref="FeatureFiles.Read"/>.</summary>
public sealed record FeatureReadOptions
{
    /// <summary>EPSG code to assume when the file does not say (Shapefile without .prj, CSV columns, GeoPackage srs_id −1); null: lon/lat if the coordinates look like it, else an error.</summary>
    public int? AssumeSrid { get; init; }

    /// <summary>GeoPackage layer (table name); null: the only feature layer.</summary>
    public string? Layer { get; init; }

    /// <summary>Text encoding of Shapefile attributes or CSV text; null: the .cpg (Shapefile), else UTF-8, else GBK.</summary>
    public Encoding? Encoding { get; init; }

    /// <summary>XLSX sheet by name or 1-based number; null: the first.</summary>
    public string? Sheet { get; init; }

    /// <summary>Field → column overrides for tabular files (<c>--map lon=东经</c>); see <see cref="TabularColumns"/>.</summary>
    public IReadOnlyDictionary<string, string>? Map { get; init; }

    /// <summary>What lon/lat columns of tabular files hold (WGS84 or GCJ-02).</summary>
    public LonLatDatum Datum { get; init; } = LonLatDatum.Wgs84;

    /// <summary>Repair invalid geometries with NTS GeometryFixer (noted in <see cref="FeatureSet.Notes"/>); false: an invalid geometry is an error.</summary>
    public bool RepairInvalidGeometries { get; init; } = true;

    /// <summary>Bounds on the file: its size, features and vertices (<see cref="ImportLimits.Default"/> unless given).</summary>
    public ImportLimits Limits { get; init; } = ImportLimits.Default;
}
