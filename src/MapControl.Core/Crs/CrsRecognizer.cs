using System.Globalization;
using System.Text.RegularExpressions;
using ProjNet.CoordinateSystems;

namespace MapControl.Core.Crs;

/// <summary>
/// Recognises a CRS from an EPSG code, an "EPSG:N" string, or a .prj text in OGC WKT1 or ESRI WKT
/// (including PROJECTION["Gauss_Kruger"] as written by ArcGIS and Chinese GIS software for CGCS2000 zones).
/// Where the parameters match a registered CRS, that EPSG code is reported.
/// </summary>
public static partial class CrsRecognizer
{
    private const double AngleTolerance = 1e-9;
    private const double LengthTolerance = 1e-4;

    // ESRI names of the registered CRSs: used when ProjNet cannot parse an ESRI .prj at all.
    private static readonly Dictionary<string, int> s_esriNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GCS_WGS_1984"] = CrsRegistry.Wgs84,
        ["GCS_China_Geodetic_Coordinate_System_2000"] = CrsRegistry.Cgcs2000,
        ["CGCS2000_3_Degree_GK_CM_117E"] = CrsRegistry.Cgcs2000GkCm117E,
        ["CGCS2000_3_Degree_GK_CM_120E"] = CrsRegistry.Cgcs2000GkCm120E,
        ["CGCS2000_3_Degree_GK_Zone_39"] = CrsRegistry.Cgcs2000GkZone39,
        ["CGCS2000_3_Degree_GK_Zone_40"] = CrsRegistry.Cgcs2000GkZone40,
        ["WGS_1984_UTM_Zone_50N"] = CrsRegistry.Utm50N,
        ["WGS_1984_Web_Mercator_Auxiliary_Sphere"] = CrsRegistry.WebMercator,
        ["WGS_84_Pseudo_Mercator"] = CrsRegistry.WebMercator,
    };

    /// <summary>The CRS of a supported EPSG code; <see cref="UnknownCrsException"/> otherwise.</summary>
    public static SpatialReference FromEpsg(int epsg) => CrsRegistry.Get(epsg);

    /// <summary>The CRS named by "EPSG:N", "N", or given as WKT1/ESRI WKT text; <see cref="UnknownCrsException"/> when unrecognised.</summary>
    public static SpatialReference FromText(string text)
    {
        var trimmed = (text ?? string.Empty).Trim().TrimStart('\uFEFF');
        var code = EpsgCodeRegex().Match(trimmed);
        return code.Success
            ? CrsRegistry.Get(int.Parse(code.Groups[1].Value, CultureInfo.InvariantCulture))
            : FromPrj(trimmed);
    }

    /// <summary>The CRS of a .prj text (OGC WKT1 or ESRI WKT); <see cref="UnknownCrsException"/> when empty, WKT2 or unparseable.</summary>
    public static SpatialReference FromPrj(string prjText)
    {
        var wkt = (prjText ?? string.Empty).Trim().TrimStart('\uFEFF').Trim();
        if (wkt.Length == 0)
        {
            throw new UnknownCrsException("The CRS text is empty.");
        }

        if (Wkt2Regex().IsMatch(wkt))
        {
            throw new UnknownCrsException($"WKT2 ({wkt[..wkt.IndexOf('[', StringComparison.Ordinal)]}[…) is not supported; export the .prj as WKT1 or ESRI WKT.");
        }

        if (!wkt.StartsWith("PROJCS[", StringComparison.OrdinalIgnoreCase) && !wkt.StartsWith("GEOGCS[", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnknownCrsException($"Not a WKT coordinate system (expected PROJCS[ or GEOGCS[, found \"{Shorten(wkt)}\").");
        }

        var authority = TopLevelEpsgRegex().Match(wkt);
        if (authority.Success && CrsRegistry.TryGet(int.Parse(authority.Groups[1].Value, CultureInfo.InvariantCulture), out var byAuthority))
        {
            return byAuthority;
        }

        CoordinateSystem parsed;
        try
        {
            parsed = Canonical((CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(NormaliseEsri(wkt)));
        }
        catch (Exception ex) when (ex is not UnknownCrsException)
        {
            var name = NameRegex().Match(wkt);
            if (name.Success && s_esriNames.TryGetValue(name.Groups[1].Value, out var byName))
            {
                return CrsRegistry.Get(byName);
            }

            throw new UnknownCrsException($"Unreadable WKT \"{Shorten(wkt)}\": {FirstLine(ex.Message)}", ex);
        }

        return Identify(parsed);
    }

    /// <summary>The registered CRS whose parameters match a ProjNet coordinate system, or the system itself with SRID 0.</summary>
    public static SpatialReference Identify(CoordinateSystem coordinateSystem)
    {
        foreach (var candidate in CrsRegistry.All)
        {
            if (SameDefinition(candidate.CoordinateSystem, coordinateSystem))
            {
                return candidate;
            }
        }

        return new SpatialReference(0, coordinateSystem.Name, coordinateSystem);
    }

    /// <summary>Rewrites ESRI WKT spellings into ones ProjNet parses (Gauss_Kruger is a transverse Mercator).</summary>
    internal static string NormaliseEsri(string wkt)
    {
        var result = GaussKrugerRegex().Replace(wkt, "PROJECTION[\"Transverse_Mercator\"]");
        if (AuxiliarySphereRegex().IsMatch(result))
        {
            result = AuxiliarySphereRegex().Replace(result, "PROJECTION[\"Pseudo-Mercator\"]");
            result = EsriOnlyParameterRegex().Replace(result, string.Empty);
        }

        return result;
    }

    private static bool SameDefinition(CoordinateSystem a, CoordinateSystem b)
    {
        switch (a, b)
        {
            case (GeographicCoordinateSystem ga, GeographicCoordinateSystem gb):
                return SameGeographic(ga, gb);
            case (ProjectedCoordinateSystem pa, ProjectedCoordinateSystem pb):
                if (!SameGeographic(pa.GeographicCoordinateSystem, pb.GeographicCoordinateSystem)
                    || Math.Abs(pa.LinearUnit.MetersPerUnit - pb.LinearUnit.MetersPerUnit) > 1e-12
                    || ProjectionKind(pa.Projection.ClassName) != ProjectionKind(pb.Projection.ClassName))
                {
                    return false;
                }

                var parametersA = Parameters(pa.Projection);
                var parametersB = Parameters(pb.Projection);
                foreach (var name in new[] { "latitude_of_origin", "central_meridian", "scale_factor", "false_easting", "false_northing" })
                {
                    var defaultValue = name == "scale_factor" ? 1.0 : 0.0;
                    var va = parametersA.GetValueOrDefault(name, defaultValue);
                    var vb = parametersB.GetValueOrDefault(name, defaultValue);
                    var tolerance = name.StartsWith("false", StringComparison.Ordinal) ? LengthTolerance : AngleTolerance;
                    if (Math.Abs(va - vb) > tolerance)
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static bool SameGeographic(GeographicCoordinateSystem a, GeographicCoordinateSystem b)
    {
        var ea = a.HorizontalDatum.Ellipsoid;
        var eb = b.HorizontalDatum.Ellipsoid;
        return Math.Abs(ea.SemiMajorAxis - eb.SemiMajorAxis) < 1e-6
               && Math.Abs(ea.InverseFlattening - eb.InverseFlattening) < 1e-8
               && Math.Abs(a.PrimeMeridian.Longitude - b.PrimeMeridian.Longitude) < AngleTolerance
               && Math.Abs(a.AngularUnit.RadiansPerUnit - b.AngularUnit.RadiansPerUnit) < 1e-15;
    }

    /// <summary>Rebuilds a parsed projected system with lower-case parameter names so ESRI spellings ("False_Easting") are honoured.</summary>
    private static CoordinateSystem Canonical(CoordinateSystem parsed)
    {
        if (parsed is not ProjectedCoordinateSystem projected)
        {
            return parsed;
        }

        var kind = ProjectionKind(projected.Projection.ClassName);
        if (kind is not ("transverse_mercator" or "pseudo_mercator"))
        {
            return parsed;
        }

        var parameters = Parameters(projected.Projection)
            .Select(kv => new ProjectionParameter(kv.Key, kv.Value))
            .ToList();
        var factory = new CoordinateSystemFactory();
        var projection = factory.CreateProjection(projected.Projection.Name, kind == "transverse_mercator" ? "Transverse_Mercator" : "Pseudo-Mercator", parameters);
        return factory.CreateProjectedCoordinateSystem(projected.Name, projected.GeographicCoordinateSystem, projection,
            projected.LinearUnit, new AxisInfo("East", AxisOrientationEnum.East), new AxisInfo("North", AxisOrientationEnum.North));
    }

    private static Dictionary<string, double> Parameters(IProjection projection)
    {
        var result = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < projection.NumParameters; i++)
        {
            var parameter = projection.GetParameter(i);
            result[parameter.Name.ToLowerInvariant()] = parameter.Value;
        }

        return result;
    }

    private static string ProjectionKind(string className)
    {
        var name = className.ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
        return name switch
        {
            "gauss_kruger" or "transverse_mercator" => "transverse_mercator",
            "pseudo_mercator" or "popular_visualisation_pseudo_mercator" or "google_mercator" or "webmercator" or "mercator_auxiliary_sphere" => "pseudo_mercator",
            _ => name,
        };
    }

    private static string Shorten(string text)
    {
        var line = FirstLine(text);
        return line.Length <= 60 ? line : line[..60] + "…";
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    [GeneratedRegex(@"^(?:EPSG:)?\s*(\d{4,6})$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCodeRegex();

    [GeneratedRegex(@"^(PROJCRS|GEOGCRS|GEODCRS|BASEGEOGCRS|BOUNDCRS|COMPOUNDCRS|PROJECTEDCRS|GEODETICCRS|VERTCRS)\s*\[", RegexOptions.IgnoreCase)]
    private static partial Regex Wkt2Regex();

    [GeneratedRegex(@"AUTHORITY\[\s*""EPSG""\s*,\s*""?(\d+)""?\s*\]\s*\]\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TopLevelEpsgRegex();

    [GeneratedRegex(@"^(?:PROJCS|GEOGCS)\[\s*""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"PROJECTION\[\s*""Gauss_Kruger""\s*\]", RegexOptions.IgnoreCase)]
    private static partial Regex GaussKrugerRegex();

    [GeneratedRegex(@"PROJECTION\[\s*""Mercator_Auxiliary_Sphere""\s*\]", RegexOptions.IgnoreCase)]
    private static partial Regex AuxiliarySphereRegex();

    [GeneratedRegex(@",\s*PARAMETER\[\s*""(Standard_Parallel_1|Auxiliary_Sphere_Type)""\s*,\s*[-+0-9.eE]+\s*\]", RegexOptions.IgnoreCase)]
    private static partial Regex EsriOnlyParameterRegex();
}
