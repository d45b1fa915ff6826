using System.Globalization;
using System.Text.Json;
using MapControl.Core.Crs;

namespace MapControl.Web.Ingest;

/// <summary>One position report as a tracker sent it, before the device key is resolved to a patrol unit.</summary>
/// <param name="DeviceKey">The tracker's identifier (OsmAnd <c>id</c>) = patrol_unit.device_key.</param>
/// <param name="Time">Fix time.</param>
/// <param name="Lon">WGS84 longitude (after any GCJ-02 conversion).</param>
/// <param name="Lat">WGS84 latitude.</param>
/// <param name="SpeedKmh">Speed in km/h, when sent.</param>
/// <param name="Bearing">Bearing in degrees 0..360, when sent.</param>
public sealed record GpsReport(string DeviceKey, DateTimeOffset Time, double Lon, double Lat, double? SpeedKmh, double? Bearing);

/// <summary>A report that was refused, with its position in the request (1-based line or 1 for a single report) and why.</summary>
public sealed record GpsRejection(int Line, string Reason);

/// <summary>Which datum incoming coordinates are in.</summary>
public enum IncomingCoordinates
{
    /// <summary>WGS84, as GPS receivers report.</summary>
    Wgs84,
    /// <summary>GCJ-02 (火星坐标), as Chinese map SDKs report; converted to WGS84 on arrival.</summary>
    Gcj02,
}

/// <summary>
/// What a fix must satisfy to be stored (settings under <c>Ingest</c> in appsettings): not older than <see cref="MaxAge"/> (30 days;
/// an NDJSON batch sent with <c>?backfill=true</c> may go back <see cref="BackfillMaxAge"/>, 366 days), not more than
/// <see cref="MaxFuture"/> ahead (5 min of clock skew), speed at most <see cref="MaxSpeedKmh"/> (300 km/h: no patrol vehicle is
/// faster, so more is a broken device), accuracy 0…<see cref="MaxAccuracyM"/> m and altitude −1,000…10,000 m when sent.
/// </summary>
/// <param name="Now">The server's time of receipt.</param>
public sealed record GpsLimits(DateTimeOffset Now)
{
    /// <summary>The oldest fix accepted, relative to now.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The oldest fix accepted in an explicit back-fill.</summary>
    public TimeSpan BackfillMaxAge { get; init; } = TimeSpan.FromDays(366);

    /// <summary>The furthest ahead a fix may be.</summary>
    public TimeSpan MaxFuture { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The highest speed accepted, km/h.</summary>
    public double MaxSpeedKmh { get; init; } = 300;

    /// <summary>The largest horizontal accuracy radius accepted, metres.</summary>
    public double MaxAccuracyM { get; init; } = 10_000;

    /// <summary>True when this request is an explicit back-fill (NDJSON with <c>?backfill=true</c>).</summary>
    public bool Backfill { get; init; }

    /// <summary>The limits with the settings of the <c>Ingest</c> section (MaxAgeDays, BackfillMaxAgeDays, MaxFutureMinutes, MaxSpeedKmh, MaxAccuracyM).</summary>
    public static GpsLimits From(IConfiguration configuration, DateTimeOffset now, bool backfill = false)
    {
        var section = configuration.GetSection("Ingest");
        var d = new GpsLimits(now);
        return d with
        {
            MaxAge = TimeSpan.FromDays(section.GetValue("MaxAgeDays", d.MaxAge.TotalDays)),
            BackfillMaxAge = TimeSpan.FromDays(section.GetValue("BackfillMaxAgeDays", d.BackfillMaxAge.TotalDays)),
            MaxFuture = TimeSpan.FromMinutes(section.GetValue("MaxFutureMinutes", d.MaxFuture.TotalMinutes)),
            MaxSpeedKmh = section.GetValue("MaxSpeedKmh", d.MaxSpeedKmh),
            MaxAccuracyM = section.GetValue("MaxAccuracyM", d.MaxAccuracyM),
            Backfill = backfill,
        };
    }

    /// <summary>Null when the fix's time, speed, accuracy and altitude are acceptable, else the reason.</summary>
    internal string? Refusal(DateTimeOffset time, double? speedKmh, double? accuracyM, double? altitudeM)
    {
        if (time > Now + MaxFuture) return $"timestamp {time:O} is in the future";
        var maxAge = Backfill ? BackfillMaxAge : MaxAge;
        if (time < Now - maxAge)
            return Backfill
                ? $"timestamp {time:O} is older than {maxAge.TotalDays:0} days"
                : $"timestamp {time:O} is older than {maxAge.TotalDays:0} days (send old fixes as an NDJSON back-fill: /ingest/ndjson?backfill=true)";
        if (speedKmh is { } s && !(s <= MaxSpeedKmh)) return $"speed {s:0.#} km/h is above {MaxSpeedKmh:0} km/h";
        if (accuracyM is { } a && (a < 0 || a > MaxAccuracyM)) return $"accuracy {a} m is outside 0..{MaxAccuracyM:0}";
        if (altitudeM is { } h && h is < -1_000 or > 10_000) return $"altitude {h} m is outside -1000..10000";
        return null;
    }
}

/// <summary>Parses the OsmAnd protocol of Traccar Client (query/form fields or the JSON body of Traccar Client 7+) and MapControl's NDJSON lines.</summary>
public static class GpsReportParser
{
    /// <summary>Knots to km/h (OsmAnd sends speed in knots).</summary>
    public const double KnotsToKmh = 1.852;

    /// <summary>Parses OsmAnd fields: id, lat, lon, timestamp (unix seconds, milliseconds or ISO 8601), speed (knots), bearing; altitude, accuracy, batt are accepted and not stored.</summary>
    public static (GpsReport? Report, string? Error) FromOsmAnd(Func<string, string?> field, IncomingCoordinates coords, DateTimeOffset now) =>
        FromOsmAnd(field, coords, new GpsLimits(now));

    /// <summary>Parses OsmAnd fields with the given limits.</summary>
    public static (GpsReport? Report, string? Error) FromOsmAnd(Func<string, string?> field, IncomingCoordinates coords, GpsLimits limits)
    {
        var id = field("id") ?? field("deviceid");
        var lat = field("lat");
        var lon = field("lon");
        var ts = field("timestamp");
        if (lat is null && field("location") is { } loc && loc.Split(',') is [var la, var lo]) { lat = la; lon = lo; }
        return Build(id, lat, lon, ts, field("speed"), KnotsToKmh, field("bearing") ?? field("heading"), field("accuracy"), field("altitude"),
            coords, limits);
    }

    /// <summary>Parses the JSON body of Traccar Client 7+: {"device_id", "location": {"timestamp", "coords": {"latitude", "longitude", "speed" (m/s), "heading"}}}.</summary>
    public static (GpsReport? Report, string? Error) FromTraccarJson(JsonElement root, IncomingCoordinates coords, DateTimeOffset now) =>
        FromTraccarJson(root, coords, new GpsLimits(now));

    /// <summary>Parses the Traccar Client 7+ JSON body with the given limits.</summary>
    public static (GpsReport? Report, string? Error) FromTraccarJson(JsonElement root, IncomingCoordinates coords, GpsLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object) return (null, "expected a JSON object");
        var id = Str(root, "device_id");
        if (!root.TryGetProperty("location", out var location) || location.ValueKind != JsonValueKind.Object) return (null, "missing location");
        if (!location.TryGetProperty("coords", out var c) || c.ValueKind != JsonValueKind.Object) return (null, "missing location.coords");
        return Build(id, Str(c, "latitude"), Str(c, "longitude"), Str(location, "timestamp"), Str(c, "speed"), 3.6, Str(c, "heading"),
            Str(c, "accuracy"), Str(c, "altitude"), coords, limits);
    }

    /// <summary>Parses one NDJSON line: {"id", "lat", "lon", "timestamp", "speed_kmh"?, "bearing"?} or a Traccar Client JSON object.</summary>
    public static (GpsReport? Report, string? Error) FromNdjsonLine(string line, IncomingCoordinates coords, DateTimeOffset now) =>
        FromNdjsonLine(line, coords, new GpsLimits(now));

    /// <summary>Parses one NDJSON line with the given limits.</summary>
    public static (GpsReport? Report, string? Error) FromNdjsonLine(string line, IncomingCoordinates coords, GpsLimits limits)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { return (null, "not JSON: " + e.Message.Split('.')[0]); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "expected a JSON object");
            if (root.TryGetProperty("location", out _)) return FromTraccarJson(root, coords, limits);
            string? speed = Str(root, "speed_kmh"), knots = null;
            if (speed is null) knots = Str(root, "speed");
            return Build(Str(root, "id") ?? Str(root, "device_id"), Str(root, "lat"), Str(root, "lon"), Str(root, "timestamp") ?? Str(root, "time"),
                speed ?? knots, speed is null ? KnotsToKmh : 1, Str(root, "bearing"), Str(root, "accuracy"), Str(root, "altitude"), coords, limits);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => v.GetRawText(),
        } : null;

    private static (GpsReport?, string?) Build(string? id, string? latText, string? lonText, string? tsText, string? speedText, double speedFactor,
        string? bearingText, string? accuracyText, string? altitudeText, IncomingCoordinates coords, GpsLimits limits)
    {
        if (string.IsNullOrWhiteSpace(id)) return (null, "missing device id");
        if (!TryNumber(latText, out var lat)) return (null, latText is null ? "missing lat" : $"lat '{latText}' is not a number");
        if (!TryNumber(lonText, out var lon)) return (null, lonText is null ? "missing lon" : $"lon '{lonText}' is not a number");
        if (lat is < -90 or > 90 || lon is < -180 or > 180) return (null, $"coordinates out of range (lat {lat}, lon {lon})");
        if (lat == 0 && lon == 0) return (null, "coordinates 0,0 (no fix)");
        if (!TryTime(tsText, out var time)) return (null, tsText is null ? "missing timestamp" : $"timestamp '{tsText}' is neither unix seconds nor ISO 8601");
        double? speed = null, bearing = null, accuracy = null, altitude = null;
        if (speedText is not null)
        {
            if (!TryNumber(speedText, out var s)) return (null, $"speed '{speedText}' is not a number");
            if (s < 0) { /* -1 means unknown in Android location APIs */ }
            else speed = s * speedFactor;
        }
        if (bearingText is not null)
        {
            if (!TryNumber(bearingText, out var b)) return (null, $"bearing '{bearingText}' is not a number");
            if (b is >= 0 and <= 360) bearing = b;
            else if (b >= -1 && b < 0) { /* unknown */ }
            else return (null, $"bearing {b} is outside 0..360");
        }
        if (accuracyText is not null)
        {
            if (!TryNumber(accuracyText, out var a)) return (null, $"accuracy '{accuracyText}' is not a number");
            accuracy = a;
        }
        if (altitudeText is not null)
        {
            if (!TryNumber(altitudeText, out var h)) return (null, $"altitude '{altitudeText}' is not a number");
            altitude = h;
        }
        if (limits.Refusal(time, speed, accuracy, altitude) is { } refusal) return (null, refusal);
        if (coords == IncomingCoordinates.Gcj02) (lon, lat) = Gcj02.ToWgs84(lon, lat);
        return (new GpsReport(id.Trim(), time, lon, lat, speed, bearing), null);
    }

    private static bool TryNumber(string? s, out double value)
    {
        value = 0;
        return s is not null && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Unix seconds (or milliseconds when above 10^11), or ISO 8601 with an offset (UTC when none).</summary>
    internal static bool TryTime(string? s, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(s)) return false;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
        {
            if (n > 1e11) n /= 1000;
            if (n <= 0 || n > 32503680000) return false;
            time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(n * 1000));
            return true;
        }
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
