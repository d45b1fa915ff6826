using MapControl.Data.Files;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Data.Tests.Files;

/// <summary>Fixture paths, a scratch folder per test class, and geometry comparison.</summary>
public sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mapcontrol-files-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, true);
        }
        catch (IOException)
        {
            // best effort: a scratch folder in /tmp
        }
    }
}

internal static class FileTestSupport
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Files", "Fixtures", name);

    /// <summary>Copies every file of a Shapefile (any extension) into a folder; returns the new .shp path.</summary>
    public static string CopyShapefile(string fixtureShp, string folder, string newName)
    {
        var stem = Path.GetFileNameWithoutExtension(fixtureShp);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Fixture(fixtureShp))!, stem + ".*"))
        {
            File.Copy(file, Path.Combine(folder, newName + Path.GetExtension(file)), true);
        }

        return Path.Combine(folder, newName + ".shp");
    }

    public static Geometry Wkt(string wkt, int srid = 4326)
    {
        var geometry = new WKTReader().Read(wkt);
        geometry.SRID = srid;
        return geometry;
    }

    public static FeatureRecord Feature(string wkt, params (string Name, object? Value)[] properties) =>
        new(Wkt(wkt), properties.ToDictionary(p => p.Name, p => p.Value));

    /// <summary>Asserts two geometries are the same shape within a tolerance, whatever their ring start and orientation.</summary>
    public static void ShouldMatch(this Geometry actual, Geometry expected, double tolerance)
    {
        var a = actual.Copy();
        var e = expected.Copy();
        a.Normalize();
        e.Normalize();
        a.EqualsExact(e, tolerance).Should().BeTrue($"expected {e.AsText()} within {tolerance}, got {a.AsText()}");
    }

    /// <summary>The original lon/lat features the Shapefile and GeoPackage fixtures were made from with ogr2ogr.</summary>
    public static FeatureSet Original() => FeatureFiles.Read(Fixture("dongying.geojson"));
}
