namespace MapControl.Core.Hotspots;

/// <summary>Meteorological season: spring MAM, summer JJA, autumn SON, winter DJF (months in China Standard Time).</summary>
public enum Season { Spring, Summer, Autumn, Winter }

/// <summary>China Standard Time (UTC+8, no daylight saving since 1991): the clock that months, quarters and seasons follow.</summary>
public static class ChinaTime
{
    /// <summary>The UTC offset of China Standard Time.</summary>
    public static TimeSpan Offset { get; } = TimeSpan.FromHours(8);

    /// <summary>The same instant on the China Standard Time clock.</summary>
    public static DateTimeOffset ToChinaTime(DateTimeOffset at) => at.ToOffset(Offset);

    /// <summary>The calendar date of an instant in China Standard Time.</summary>
    public static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(ToChinaTime(at).DateTime);

    /// <summary>Midnight of a China Standard Time date as an instant.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>The season of an instant, by its month in China Standard Time.</summary>
    public static Season SeasonOf(DateTimeOffset at) => SeasonOfMonth(ToChinaTime(at).Month);

    /// <summary>The season of a month (1–12).</summary>
    public static Season SeasonOfMonth(int month) => month switch
    {
        3 or 4 or 5 => Season.Spring,
        6 or 7 or 8 => Season.Summer,
        9 or 10 or 11 => Season.Autumn,
        12 or 1 or 2 => Season.Winter,
        _ => throw new ArgumentOutOfRangeException(nameof(month), month, "Month must be 1–12."),
    };
}
