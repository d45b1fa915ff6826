using System.Text;
using MapControl.Core.Crs;
using Microsoft.Data.Sqlite;

namespace MapControl.Data.Files;

/// <summary>
/// Reads GeoJSON, ESRI Shapefile, GeoPackage, CSV (lon/lat columns) and KML into one shape, reprojected to EPSG:4326;
/// writes RFC 7946 GeoJSON, Shapefiles (with .prj and .cpg) and GeoPackages. Every problem is a <see cref="FeatureFileException"/>.
/// </summary>
public static class FeatureFiles
{
    /// <summary>File extensions <see cref="Read"/> understands.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".geojson", ".json", ".shp", ".gpkg", ".csv", ".tsv", ".txt", ".xlsx", ".kml"];

    /// <summary>Reads a file by its extension; geometries come back in EPSG:4326 (SRID 4326).</summary>
    public static FeatureSet Read(string path, FeatureReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new FeatureReadOptions();
        if (!File.Exists(path))
        {
            throw FeatureFileException.For(path, Directory.Exists(path) ? "is a folder, not a file" : "file not found");
        }

        var length = new FileInfo(path).Length;
        if (length > options.Limits.MaxFileBytes)
        {
            throw FeatureFileException.Limit(path, $"{length:N0} bytes, larger than {options.Limits.MaxFileBytes:N0} (the import limit per file)");
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        return Guard(path, extension switch
        {
            ".geojson" or ".json" => GeoJsonFormat.Name,
            ".shp" => ShapefileFormat.Name,
            ".gpkg" => GeoPackageFormat.Name,
            ".csv" or ".tsv" or ".txt" => TabularFormat.CsvName,
            ".xlsx" => TabularFormat.XlsxName,
            ".kml" => KmlFormat.Name,
            _ => throw FeatureFileException.For(path, $"unsupported file type \"{extension}\" (supported: {string.Join(", ", SupportedExtensions)})"),
        }, () => extension switch
        {
            ".geojson" or ".json" => GeoJsonFormat.Read(path, options),
            ".shp" => ShapefileFormat.Read(path, options),
            ".gpkg" => GeoPackageFormat.Read(path, options),
            ".csv" or ".tsv" or ".txt" or ".xlsx" => TabularFormat.Read(path, options),
            _ => KmlFormat.Read(path, options),
        });
    }

    /// <summary>Reads GeoJSON text (e.g. an upload); <paramref name="sourceName"/> names it in error messages.</summary>
    public static FeatureSet ReadGeoJson(string json, string sourceName = "GeoJSON", FeatureReadOptions? options = null) =>
        Guard(sourceName, GeoJsonFormat.Name, () => GeoJsonFormat.ReadBytes(Encoding.UTF8.GetBytes(json), sourceName, options ?? new FeatureReadOptions()));

    /// <summary>Writes by extension: .geojson/.json (RFC 7946, always lon/lat), .shp or .gpkg (in <paramref name="targetSrid"/>).</summary>
    public static void Write(string path, IEnumerable<FeatureRecord> features, int targetSrid = CrsRegistry.Wgs84)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".geojson" or ".json":
                WriteGeoJson(path, features);
                break;
            case ".shp":
                WriteShapefile(path, features, targetSrid);
                break;
            case ".gpkg":
                WriteGeoPackage(path, features, SafeLayerName(path), targetSrid);
                break;
            default:
                throw FeatureFileException.For(path, $"cannot write \"{extension}\" files (writable: .geojson, .json, .shp, .gpkg)");
        }
    }

    /// <summary>Writes an RFC 7946 FeatureCollection: lon/lat (other SRIDs reprojected), exterior rings counter-clockwise, coordinates rounded to 1e-7°.</summary>
    public static void WriteGeoJson(string path, IEnumerable<FeatureRecord> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        Guard(path, GeoJsonFormat.Name, () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var stream = File.Create(path);
            GeoJsonFormat.Write(stream, features);
            return true;
        });
    }

    /// <summary>The RFC 7946 FeatureCollection as a string (what <see cref="WriteGeoJson"/> writes).</summary>
    public static string ToGeoJson(IEnumerable<FeatureRecord> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var stream = new MemoryStream();
        GeoJsonFormat.Write(stream, features);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes a Shapefile (.shp .shx .dbf, ESRI .prj of <paramref name="targetSrid"/>, UTF-8 .cpg); geometries are reprojected from their SRID (≤ 0: lon/lat).</summary>
    public static void WriteShapefile(string path, IEnumerable<FeatureRecord> features, int targetSrid = CrsRegistry.Wgs84)
    {
        ArgumentNullException.ThrowIfNull(features);
        Guard(path, ShapefileFormat.Name, () =>
        {
            ShapefileFormat.Write(path, [.. features], targetSrid);
            return true;
        });
    }

    /// <summary>Writes a GeoPackage with one feature layer in <paramref name="targetSrid"/> (an existing file is replaced).</summary>
    public static void WriteGeoPackage(string path, IEnumerable<FeatureRecord> features, string layer = "features", int targetSrid = CrsRegistry.Wgs84)
    {
        ArgumentNullException.ThrowIfNull(features);
        Guard(path, GeoPackageFormat.Name, () =>
        {
            GeoPackageFormat.Write(path, [.. features], layer, targetSrid);
            return true;
        });
    }

    /// <summary>The file name as a GeoPackage layer name: letters, digits and _ only.</summary>
    private static string SafeLayerName(string path)
    {
        var name = new string([.. Path.GetFileNameWithoutExtension(path).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        return name.Length == 0 || char.IsAsciiDigit(name[0]) ? "features_" + name : name;
    }

    /// <summary>Turns every failure into a one-line <see cref="FeatureFileException"/> naming the file.</summary>
    private static T Guard<T>(string path, string format, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (FeatureFileException)
        {
            throw;
        }
        catch (UnknownCrsException ex)
        {
            throw FeatureFileException.For(path, ex.Message, ex);
        }
        catch (SqliteException ex)
        {
            throw FeatureFileException.For(path, $"not a readable {format} ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            throw FeatureFileException.For(path, $"cannot process as {format}: {ex.Message}", ex);
        }
    }
}
