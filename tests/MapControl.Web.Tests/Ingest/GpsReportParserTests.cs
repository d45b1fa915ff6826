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
            IncomingCoordinates.Wgs84, DateTimeOffset.UtcNow);
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
}
