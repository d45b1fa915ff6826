namespace MapControl.Data.PostGis.Tiles;

/// <summary>A tile of the Web Mercator (EPSG:3857) XYZ scheme.</summary>
public readonly record struct TileAddress(int Z, int X, int Y)
{
    /// <summary>Highest zoom level served.</summary>
    public const int MaxZoom = 22;

    /// <summary>True when z is 0..22 and x, y are inside the 2^z × 2^z grid.</summary>
    public bool IsValid => Z is >= 0 and <= MaxZoom && X >= 0 && Y >= 0 && X < (1L << Z) && Y < (1L << Z);

    /// <summary>The tile's bounds in lon/lat degrees (west, south, east, north).</summary>
    public (double West, double South, double East, double North) Bounds()
    {
        var n = Math.Pow(2, Z);
        static double Lat(double yy, double n) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * yy / n))) * 180 / Math.PI;
        return (X / n * 360 - 180, Lat(Y + 1, n), (X + 1) / n * 360 - 180, Lat(Y, n));
    }

    /// <summary>The tile at zoom <paramref name="z"/> containing a lon/lat point.</summary>
    public static TileAddress Containing(double lon, double lat, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var latRad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(latRad) + 1 / Math.Cos(latRad)) / Math.PI) / 2 * n);
        return new TileAddress(z, Math.Clamp(x, 0, n - 1), Math.Clamp(y, 0, n - 1));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Z}/{X}/{Y}";
}

/// <summary>A half-open time window [From, To); null ends are open.</summary>
public readonly record struct TimeWindow(DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>No time filter.</summary>
    public static TimeWindow All => default;
}
