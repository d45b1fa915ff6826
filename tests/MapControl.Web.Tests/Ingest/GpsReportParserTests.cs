using MapControl.Web.Ingest;

namespace MapControl.Web.Tests.Ingest;

public sealed class GpsReportParserTests
{
    [Theory]
    [InlineData("1764400000", 1764400000L)]
    [InlineData("1764400000123", 1764400000L)] // milliseconds
    [InlineData("2025-11-29T07:06:40Z", 1764400000L)]
    [InlineData("2025-11-29T15:06:40+08:00", 1764400000L)]
    public void TryTime_unix_seconds_milliseconds_and_iso_parse_to_the_same_instant(string text, long unixSeconds)
    {
        GpsReportParser.TryTime(text, out var t).Should().BeTrue();
        t.ToUnixTimeSeconds().Should().Be(unixSeconds);
    }

    [Fact]
    public void FromNdjsonLine_speed_without_unit_is_knots_like_osmand()
    {
        var (report, error) = GpsReportParser.FromNdjsonLine("""{"id":"k","lat":37.4,"lon":118.4,"timestamp":1764400000,"speed":1}""",
            IncomingCoordinates.Wgs84, DateTimeOffset.FromUnixTimeSeconds(1764400000).AddHours(1));
        error.Should().BeNull();
        report!.SpeedKmh.Should().Be(1.852);
    }

    [Fact]
    public void FromOsmAnd_zero_zero_is_refused_as_no_fix()
    {
        var (report, error) = GpsReportParser.FromOsmAnd(n => n switch { "id" => "k", "lat" => "0", "lon" => "0", "timestamp" => "1764400000", _ => null },
            IncomingCoordinates.Wgs84, DateTimeOffset.UtcNow);
        report.Should().BeNull();
        error.Should().Contain("no fix");
    }

    [Theory]
    [InlineData(-31 * 24 * 60, null, null, null, "older than 30 days")]
    [InlineData(6, null, null, null, "in the future")]
    [InlineData(-1, 301.0, null, null, "above 300 km/h")]
    [InlineData(-1, double.PositiveInfinity, null, null, "above 300 km/h")]
    [InlineData(-1, null, -1.0, null, "accuracy")]
    [InlineData(-1, null, 20_000.0, null, "accuracy")]
    [InlineData(-1, null, null, -2_000.0, "altitude")]
    [InlineData(-1, 120.0, 5.0, 12.0, null)]
    public void GpsLimits_refuse_stale_future_and_absurd_fixes(int minutesFromNow, double? speed, double? accuracy, double? altitude, string? reason)
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        var refusal = new GpsLimits(now).Refusal(now.AddMinutes(minutesFromNow), speed, accuracy, altitude);
        if (reason is null) refusal.Should().BeNull();
        else refusal.Should().Contain(reason);
    }

    [Fact]
    public void GpsLimits_backfill_reaches_a_year_back()
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        new GpsLimits(now) { Backfill = true }.Refusal(now.AddDays(-200), null, null, null).Should().BeNull();
        new GpsLimits(now) { Backfill = true }.Refusal(now.AddDays(-367), null, null, null).Should().Contain("older than 366 days");
    }
}
