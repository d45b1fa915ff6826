using System.Globalization;
using MapControl.Core.Crs;

namespace MapControl.Data.Files;

/// <summary>What the lon/lat columns of a file hold: WGS84 (the default; CGCS2000 lon/lat is the same to a metre) or GCJ-02.</summary>
public enum LonLatDatum
{
    /// <summary>WGS84 / CGCS2000 longitude and latitude.</summary>
    Wgs84,

    /// <summary>GCJ-02 (火星坐标, the offset Chinese web maps use): converted to WGS84 by the inverse of the forward formula.</summary>
    Gcj02,
}

/// <summary>
/// The position of each row of a table, in WGS84 lon/lat (docs/DEFINITIONS.md, "Ledgers as people keep them"). Columns:
/// lon/lat (经度/纬度) if the header has them, else X/Y. X/Y that look like lon/lat are lon/lat; otherwise they are CGCS2000
/// Gauss-Kruger metres in the zone named by <c>--srid</c> or by the easting's zone prefix (20xxxxxxx, 40xxxxxxx). Which of X
/// and Y is the easting is read from the values (the northing of China is 1.8–6.0 Mm; Chinese surveying writes X for it).
/// </summary>
internal sealed class TabularPositions
{
    private readonly int _first;
    private readonly int _second;
    private readonly LonLatDatum _datum;
    private readonly int? _srid;
    private bool _decided;
    private bool _swap;
    private CrsTransformer? _toWgs84;

    private readonly string _firstName;
    private readonly string _secondName;

    private TabularPositions(int first, int second, bool lonLatColumns, LonLatDatum datum, int? srid, IReadOnlyList<string> header)
    {
        _firstName = header[first];
        _secondName = header[second];
        var columns = $"{_firstName}, {_secondName}";
        _first = first;
        _second = second;
        _datum = datum;
        _srid = srid;
        Columns = columns;
        if (lonLatColumns && srid is null) _decided = true;
    }

    /// <summary>The columns used, e.g. "经度, 纬度".</summary>
    public string Columns { get; }

    /// <summary>EPSG code of the positions as written (4326 for lon/lat).</summary>
    public int Srid { get; private set; } = CrsRegistry.Wgs84;

    /// <summary>Name of that CRS.</summary>
    public string CrsName { get; private set; } = "WGS 84";

    /// <summary>How positions are read, once the first row decided it: "lon/lat WGS84", "X/Y in EPSG:4528 (…)".</summary>
    public string Description { get; private set; } = "lon/lat WGS84";

    /// <summary>The position columns of a header; <see cref="FormatException"/> when it has neither lon/lat nor X/Y.</summary>
    public static TabularPositions Create(IReadOnlyList<string> header, IReadOnlyDictionary<string, string>? map, LonLatDatum datum, int? srid)
    {
        var lon = TabularColumns.Find(header, "lon", map);
        var lat = TabularColumns.Find(header, "lat", map);
        if (lon >= 0 && lat >= 0) return new TabularPositions(lon, lat, true, datum, srid, header);
        var x = TabularColumns.Find(header, "x", map);
        var y = TabularColumns.Find(header, "y", map);
        if (x >= 0 && y >= 0) return new TabularPositions(x, y, false, datum, srid, header);
        var missing = lon < 0 ? "longitude" : "latitude";
        throw new FormatException($"no {missing} column in the header: it needs lon and lat (经度, 纬度 …) or X and Y, or --map lon=… --map lat=… (columns: {string.Join(", ", header)})");
    }

    /// <summary>The WGS84 lon/lat of the current row; false with a reason when the row has none.</summary>
    public bool TryRead(TabularReader reader, out double lon, out double lat, out string? problem)
    {
        lon = lat = 0;
        problem = null;
        if (!reader.TryNumber(_first, out var a))
        {
            problem = $"\"{reader.Text(_first)}\" in column \"{_firstName}\" is not a number";
            return false;
        }
        if (!reader.TryNumber(_second, out var b))
        {
            problem = $"\"{reader.Text(_second)}\" in column \"{_secondName}\" is not a number";
            return false;
        }
        return TryConvert(a, b, out lon, out lat, out problem);
    }

    /// <summary>Converts one pair of column values to WGS84 lon/lat.</summary>
    public bool TryConvert(double a, double b, out double lon, out double lat, out string? problem)
    {
        lon = lat = 0;
        problem = null;
        if (!_decided && !Decide(a, b, out problem)) return false;
        if (_swap) (a, b) = (b, a);
        if (_toWgs84 is { } transform)
        {
            (lon, lat) = transform.Transform(a, b);
        }
        else
        {
            if (Math.Abs(a) > 180 || Math.Abs(b) > 90)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"({a}, {b}) is not a lon/lat position; give --srid if these are projected coordinates");
                return false;
            }
            (lon, lat) = _datum == LonLatDatum.Gcj02 ? Gcj02.ToWgs84(a, b) : (a, b);
        }
        if (!double.IsFinite(lon) || !double.IsFinite(lat) || Math.Abs(lon) > 180 || Math.Abs(lat) > 90)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"({a}, {b}) gives no lon/lat position");
            return false;
        }
        return true;
    }

    // The first row with a position decides the coordinate system of the file.
    private bool Decide(double a, double b, out string? problem)
    {
        problem = null;
        if (_srid is { } srid)
        {
            if (!GaussKruger.TryResolve(srid, out var reference))
                throw new FormatException($"--srid {srid}: not a supported CRS (supported: {string.Join(", ", CrsRegistry.SupportedSrids)} and the CGCS2000 Gauss-Kruger zones 4491–4554)");
            if (!reference.IsGeographic)
            {
                _swap = LooksLikeNorthing(a) && !LooksLikeNorthing(b);
                _toWgs84 = CrsTransformer.Create(reference, CrsRegistry.Get(CrsRegistry.Wgs84));
            }
            Description = $"{(reference.IsGeographic ? "lon/lat" : "X/Y")} in {reference}";
            (Srid, CrsName) = (reference.Srid, reference.Name);
            _decided = true;
            return true;
        }
        if (Math.Abs(a) <= 180 && Math.Abs(b) <= 90)
        {
            Description = _datum == LonLatDatum.Gcj02 ? "lon/lat GCJ-02 → WGS84" : "lon/lat WGS84";
            _decided = true;
            return true;
        }
        var (easting, northing, swap) = LooksLikeNorthing(a) && !LooksLikeNorthing(b) ? (b, a, true) : (a, b, false);
        if (!LooksLikeNorthing(northing))
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"({a}, {b}) is neither lon/lat nor Gauss-Kruger X/Y of China; give --srid");
            return false;
        }
        if (!GaussKruger.TryZoneOfEasting(easting, out var zone))
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"X/Y ({a}, {b}) in metres without a zone prefix on the easting: give --srid (e.g. 4549 for CGCS2000 3-degree CM 120E, 4548 for CM 117E)"));
        _swap = swap;
        _toWgs84 = CrsTransformer.Create(zone, CrsRegistry.Get(CrsRegistry.Wgs84));
        Description = $"X/Y in {zone} (zone from the easting's prefix{(swap ? "; X is the northing" : "")})";
        (Srid, CrsName) = (zone.Srid, zone.Name);
        _decided = true;
        return true;
    }

    private static bool LooksLikeNorthing(double value) => value is >= 1_800_000 and <= 6_100_000;
}
