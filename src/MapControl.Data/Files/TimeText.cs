using System.Globalization;
using MapControl.Core.Hotspots;

namespace MapControl.Data.Files;

/// <summary>
/// The one rule for times written in files and on the command line (docs/DEFINITIONS.md, "Ledgers as people keep them"):
/// ISO 8601 (<c>2025-03-01</c>, <c>2025-03-01T08:05:09.5+08:00</c>, <c>…Z</c>), <c>yyyy/M/d H:mm[:ss]</c>,
/// <c>yyyy-M-d H:mm[:ss]</c>, <c>yyyy.M.d</c>, <c>yyyy年M月d日 H时m分[s秒]</c> (also <c>H点</c>, <c>d号</c>, <c>H:mm</c> after 日),
/// and Excel date serials (spreadsheet date cells). A time without an offset is on the China Standard Time clock (UTC+8);
/// a date alone is its midnight.
/// </summary>
public static class TimeText
{
    /// <summary>Parses a time; false when the text is none of the accepted forms or names no real date.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        text = text.Trim();
        var i = 0;
        // Date: year (4 digits), month, day.
        if (!Digits(text, ref i, 4, 4, out var year)) return false;
        if (!DateSeparator(text, ref i, out var separator)) return false;
        if (!Digits(text, ref i, 1, 2, out var month)) return false;
        if (!DateSeparator(text, ref i, out var separator2) || !SameFamily(separator, separator2)) return false;
        if (!Digits(text, ref i, 1, 2, out var day)) return false;
        if (i < text.Length && text[i] is '日' or '号') i++;
        int hour = 0, minute = 0, second = 0;
        long ticks = 0;
        TimeSpan? offset = null;
        if (i < text.Length && text[i] is not ('Z' or 'z' or '+'))
        {
            // Time: 'T', spaces, or nothing after 日; hour, then ':'/时/点, minute, then ':'/分, second.
            if (text[i] is 'T' or 't') i++;
            else if (char.IsWhiteSpace(text[i])) { while (i < text.Length && char.IsWhiteSpace(text[i])) i++; }
            else if (separator != '年') return false;
            if (!Digits(text, ref i, 1, 2, out hour)) return false;
            if (i >= text.Length || text[i] is not (':' or '时' or '点')) return false;
            var chinese = text[i] != ':';
            i++;
            if (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                if (!Digits(text, ref i, 1, 2, out minute)) return false;
                if (i < text.Length && (chinese ? text[i] == '分' : text[i] == ':'))
                {
                    i++;
                    if (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        if (!Digits(text, ref i, 1, 2, out second)) return false;
                        if (i < text.Length && text[i] is '.' or ',')
                        {
                            i++;
                            var start = i;
                            long fraction = 0, scale = TimeSpan.TicksPerSecond;
                            while (i < text.Length && char.IsAsciiDigit(text[i]))
                            {
                                if (scale > 1) { scale /= 10; fraction += (text[i] - '0') * scale; }
                                i++;
                            }
                            if (i == start) return false;
                            ticks = fraction;
                        }
                        if (chinese && i < text.Length && text[i] == '秒') i++;
                    }
                }
            }
            else if (!chinese) return false;
        }
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        if (i < text.Length)
        {
            var c = text[i];
            if (c is 'Z' or 'z') { offset = TimeSpan.Zero; i++; }
            else if (c is '+' or '-')
            {
                i++;
                if (!TwoDigits(text, ref i, out var oh)) return false;
                var om = 0;
                if (i < text.Length && text[i] == ':') i++;
                if (i < text.Length && !TwoDigits(text, ref i, out om)) return false;
                if (oh > 14 || om > 59) return false;
                offset = new TimeSpan(c == '-' ? -oh : oh, c == '-' ? -om : om, 0);
            }
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i != text.Length) return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month) || year < 1)
            return false;
        if (hour > 24 || minute > 59 || second > 60) return false;
        if (hour == 24 && (minute != 0 || second != 0 || ticks != 0)) return false;
        if (second == 60) second = 59; // a leap second as written by some loggers
        var clock = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).AddTicks(
            hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute + second * TimeSpan.TicksPerSecond + ticks);
        value = new DateTimeOffset(clock, offset ?? ChinaTime.Offset);
        return true;
    }

    /// <summary>Parses a time; <see cref="FormatException"/> naming <paramref name="what"/> when it is not one.</summary>
    public static DateTimeOffset Parse(string text, string what) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"{what}: \"{text.Trim()}\" is not a date or time (e.g. 2025-03-01, 2025/3/1 8:05, 2025年3月1日 8时5分, 2025-03-01T08:05:00+08:00)");

    /// <summary>A time property value: DateTimeOffset as is, DateTime on China time unless UTC, else its text by <see cref="TryParse(ReadOnlySpan{char}, out DateTimeOffset)"/>.</summary>
    public static bool TryFromValue(object? value, out DateTimeOffset time)
    {
        switch (value)
        {
            case DateTimeOffset dto:
                time = dto;
                return true;
            case DateTime dt:
                time = FromClock(dt);
                return true;
            case null:
                time = default;
                return false;
            default:
                return TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out time);
        }
    }

    /// <summary>An Excel date serial (days since 1899-12-30, the 1900 system) on the China Standard Time clock.</summary>
    public static bool TryFromExcelSerial(double serial, out DateTimeOffset value)
    {
        value = default;
        if (!double.IsFinite(serial) || serial < 1 || serial > 2_958_465) return false;
        var clock = DateTime.FromOADate(serial);
        // Rounded to the millisecond: the serial's binary fraction is not exact.
        clock = new DateTime((clock.Ticks + TimeSpan.TicksPerMillisecond / 2) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified);
        value = new DateTimeOffset(clock, ChinaTime.Offset);
        return true;
    }

    /// <summary>A clock time read from a cell or file without zone (DateTime of kind Unspecified or Local) on China time; UTC as UTC.</summary>
    public static DateTimeOffset FromClock(DateTime clock) =>
        clock.Kind == DateTimeKind.Utc ? new DateTimeOffset(clock) : new DateTimeOffset(DateTime.SpecifyKind(clock, DateTimeKind.Unspecified), ChinaTime.Offset);

    /// <summary>The invariant ISO 8601 text of a time (for messages).</summary>
    public static string Format(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static bool Digits(ReadOnlySpan<char> text, ref int i, int min, int max, out int value)
    {
        value = 0;
        var start = i;
        while (i < text.Length && i - start < max && char.IsAsciiDigit(text[i]))
        {
            value = value * 10 + (text[i] - '0');
            i++;
        }
        return i - start >= min && !(i < text.Length && char.IsAsciiDigit(text[i]));
    }

    // Exactly two digits, whatever follows (+0800).
    private static bool TwoDigits(ReadOnlySpan<char> text, ref int i, out int value)
    {
        value = 0;
        if (i + 1 >= text.Length || !char.IsAsciiDigit(text[i]) || !char.IsAsciiDigit(text[i + 1])) return false;
        value = (text[i] - '0') * 10 + (text[i + 1] - '0');
        i += 2;
        return true;
    }

    private static bool DateSeparator(ReadOnlySpan<char> text, ref int i, out char separator)
    {
        separator = i < text.Length ? text[i] : '\0';
        if (separator is not ('-' or '/' or '.' or '年' or '月')) return false;
        i++;
        return true;
    }

    // 2025-3-1, 2025/3/1, 2025.3.1, 2025年3月1日 — not mixed.
    private static bool SameFamily(char first, char second) => first == '年' ? second == '月' : first == second;
}
