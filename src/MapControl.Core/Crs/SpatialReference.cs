using ProjNet.CoordinateSystems;

namespace MapControl.Core.Crs;

/// <summary>A coordinate reference system ready for transformation: its EPSG code (0 when unregistered), name and ProjNet definition.</summary>
/// <param name="Srid">EPSG code, or 0 for a CRS that matches no registered EPSG code (a local or unusual one).</param>
/// <param name="Name">Human-readable name, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 120E".</param>
/// <param name="CoordinateSystem">The ProjNet coordinate system.</param>
public sealed record SpatialReference(int Srid, string Name, CoordinateSystem CoordinateSystem)
{
    /// <summary>True for lon/lat systems (degrees), false for projected ones (metres).</summary>
    public bool IsGeographic => CoordinateSystem is GeographicCoordinateSystem;

    /// <summary>True when <see cref="Srid"/> is a registered EPSG code.</summary>
    public bool IsRegistered => Srid > 0;

    /// <summary>The CRS as WKT1 (ProjNet's rendering).</summary>
    public string Wkt => CoordinateSystem.WKT;

    /// <inheritdoc />
    public override string ToString() => Srid > 0 ? $"EPSG:{Srid} ({Name})" : Name;
}
