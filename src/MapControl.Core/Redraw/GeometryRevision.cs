using System.Security.Cryptography;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapControl.Core.Redraw;

/// <summary>A short fingerprint of a geometry (SHA-256 of its 2D WKB, 16 hex digits): an impact carries the one of the geometry it was
/// computed for, and a save carrying it is refused when the geometry it sends differs.</summary>
public static class GeometryRevision
{
    /// <summary>The fingerprint of <paramref name="geometry"/> (coordinates bit for bit, in order).</summary>
    public static string Of(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var wkb = new WKBWriter(ByteOrder.LittleEndian, false, false, false).Write(geometry);
        return Convert.ToHexString(SHA256.HashData(wkb), 0, 8).ToLowerInvariant();
    }

    /// <summary>The fingerprint of several geometries together (the edited item and the neighbours moved with it), in the order given.</summary>
    public static string Of(IEnumerable<(string Key, Geometry Geometry)> geometries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new WKBWriter(ByteOrder.LittleEndian, false, false, false);
        foreach (var (key, geometry) in geometries)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(key + "\n"));
            hash.AppendData(writer.Write(geometry));
        }
        return Convert.ToHexString(hash.GetHashAndReset(), 0, 8).ToLowerInvariant();
    }
}
