using MapControl.Data.Files;

namespace MapControl.Data.Tests.Files;

public sealed class TimeTextTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    [Theory]
    [InlineData("2025-03-01", 2025, 3, 1, 0, 0, 0)]
    [InlineData("2025-03-01T08:05:09", 2025, 3, 1, 8, 5, 9)]
    [InlineData("2025-03-01 08:05", 2025, 3, 1, 8, 5, 0)]
    [InlineData("2025/3/1 8:05", 2025, 3, 1, 8, 5, 0)]
    [InlineData("2025/3/1 8:05:09", 2025, 3, 1, 8, 5, 9)]
    [InlineData("2025/03/01", 2025, 3, 1, 0, 0, 0)]
    [InlineData("2025-3-1 8:05", 2025, 3, 1, 8, 5, 0)]
    [InlineData("2025.3.1", 2025, 3, 1, 0, 0, 0)]
    [InlineData("2025年3月1日", 2025, 3, 1, 0, 0, 0)]
    [InlineData("2025年3月1日 8时5分", 2025, 3, 1, 8, 5, 0)]
    [InlineData("2025年3月1日8时5分9秒", 2025, 3, 1, 8, 5, 9)]
    [InlineData("2025年3月1日 8:05", 2025, 3, 1, 8, 5, 0)]
    [InlineData("2025年3月1日8时", 2025, 3, 1, 8, 0, 0)]
    [InlineData("  2025-12-31 23:59:59  ", 2025, 12, 31, 23, 59, 59)]
    public void TryParse_withoutOffset_isChinaTime(string text, int y, int mo, int d, int h, int mi, int s)
    {
        TimeText.TryParse(text, out var value).Should().BeTrue(text);
        value.Should().Be(new DateTimeOffset(y, mo, d, h, mi, s, Cst));
        value.Offset.Should().Be(Cst);
    }

    [Theory]
    [InlineData("2025-03-01T00:00:00Z", "2025-03-01T00:00:00+00:00")]
    [InlineData("2025-03-01T08:00:00+08:00", "2025-03-01T00:00:00+00:00")]
    [InlineData("2025-03-01T08:00:00.250+0800", "2025-03-01T00:00:00.25+00:00")]
    [InlineData("2025-02-28T19:00:00-05:00", "2025-03-01T00:00:00+00:00")]
    [InlineData("2025-03-01 08:00:00 +08:00", "2025-03-01T00:00:00+00:00")]
    public void TryParse_withOffset_keepsIt(string text, string utc)
    {
        TimeText.TryParse(text, out var value).Should().BeTrue(text);
        value.Should().Be(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025-02-30")]
    [InlineData("2025-13-01")]
    [InlineData("25/3/1")]
    [InlineData("2025/3-1")]
    [InlineData("2025-03-01 25:00")]
    [InlineData("2025-03-01T08:00:00+15:00")]
    [InlineData("yesterday")]
    [InlineData("2025-03-01 8")]
    public void TryParse_notATime_isFalse(string text) => TimeText.TryParse(text, out _).Should().BeFalse(text);

    [Fact]
    public void TryFromExcelSerial_isChinaClock()
    {
        // 45717.3375 = 2025-03-01 08:06 in Excel's 1900 date system.
        TimeText.TryFromExcelSerial(45717.3375, out var value).Should().BeTrue();
        value.Should().Be(new DateTimeOffset(2025, 3, 1, 8, 6, 0, Cst));
    }
}
