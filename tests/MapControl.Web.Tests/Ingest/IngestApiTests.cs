using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MapControl.Core.Crs;
using MapControl.Web.Tests.Ogc;

namespace MapControl.Web.Tests.Ingest;

[Collection(InteropCollection.Name)]
public sealed class IngestApiTests(InteropServer server)
{
    private async Task<(double Lon, double Lat, double? Speed, double? Bearing)?> StoredAsync(string unit, DateTimeOffset at)
    {
        await using var cmd = server.DataSource.CreateCommand("SELECT ST_X(geom), ST_Y(geom), speed_kmh, bearing FROM gps_point WHERE unit_code = $1 AND recorded_at = $2");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = unit });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = at.UtcDateTime });
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        return (r.GetDouble(0), r.GetDouble(1), r.IsDBNull(2) ? null : r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3));
    }

    private static DateTimeOffset Recent(int minutesAgo) =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - minutesAgo * 60 - Random.Shared.Next(0, 59));

    [Fact]
    public async Task OsmAnd_get_stores_the_fix_with_knots_as_kmh_and_a_repeat_is_a_no_op()
    {
        var at = Recent(30);
        using var client = server.Anonymous();
        var url = $"/ingest/osmand?id=dev-1&lat=37.401&lon=118.451&timestamp={at.ToUnixTimeSeconds()}&speed=10&bearing=90&altitude=5&accuracy=3&batt=80";
        (await client.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await StoredAsync("U1", at);
        stored.Should().NotBeNull();
        stored!.Value.Lon.Should().Be(118.451);
        stored.Value.Speed.Should().BeApproximately(18.52, 1e-9); // 10 kn × 1.852
        stored.Value.Bearing.Should().Be(90);
        (await server.CountAsync("SELECT count(*) FROM gps_point WHERE unit_code = 'U1' AND recorded_at = $1", at.UtcDateTime)).Should().Be(1);
    }

    [Theory]
    [InlineData("id=nobody&lat=37.4&lon=118.4&timestamp={now}", "unknown device")]
    [InlineData("id=dev-1&lat=97.4&lon=118.4&timestamp={now}", "out of range")]
    [InlineData("id=dev-1&lat=37.4&lon=118.4", "missing timestamp")]
    [InlineData("id=dev-1&lat=abc&lon=118.4&timestamp={now}", "not a number")]
    [InlineData("lat=37.4&lon=118.4&timestamp={now}", "missing device id")]
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp=4102444800", "future")]
    // Issue 11: year 1 (stored as -infinity), 1970 and a speed of 1e308 (stored as Infinity and served in tiles) were accepted.
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp=0001-01-01T00:00:00Z", "older than 30 days")]
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp=1970-01-02T00:00:00Z", "older than 30 days")]
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp={now}&speed=1e308", "above 300 km/h")]
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp={now}&speed=200", "above 300 km/h")] // knots: 370 km/h
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp={now}&accuracy=-3", "accuracy")]
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp={now}&accuracy=1e9", "accuracy")]
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp={now}&altitude=99999", "altitude")]
    [InlineData("id=dev-1&lat=37.4&lon=118.4&timestamp={now}&altitude=NaN", "altitude")]
    public async Task OsmAnd_bad_report_returns_400_with_the_reason(string query, string reason)
    {
        using var client = server.Anonymous();
        var response = await client.GetAsync("/ingest/osmand?" + query.Replace("{now}", Recent(1).ToUnixTimeSeconds().ToString()));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(reason);
    }

    [Fact]
    public async Task Ndjson_old_fixes_need_an_explicit_backfill_and_stay_within_a_year()
    {
        using var client = server.Anonymous();
        var old = DateTimeOffset.UtcNow.AddDays(-45).ToUnixTimeSeconds();
        var ancient = DateTimeOffset.UtcNow.AddDays(-400).ToUnixTimeSeconds();
        var body = $$"""
            {"id":"dev-1","lat":37.40,"lon":118.45,"timestamp":{{old}}}
            {"id":"dev-1","lat":37.40,"lon":118.45,"timestamp":{{ancient}}}
            """;
        using (var plain = JsonDocument.Parse(await (await client.PostAsync("/ingest/ndjson", new StringContent(body))).Content.ReadAsStringAsync()))
        {
            plain.RootElement.GetProperty("inserted").GetInt32().Should().Be(0);
            plain.RootElement.GetProperty("rejected").GetInt32().Should().Be(2);
        }
        using (var backfill = JsonDocument.Parse(await (await client.PostAsync("/ingest/ndjson?backfill=true", new StringContent(body))).Content.ReadAsStringAsync()))
        {
            backfill.RootElement.GetProperty("inserted").GetInt32().Should().Be(1, "45 days back is a back-fill");
            backfill.RootElement.GetProperty("rejections")[0].GetProperty("reason").GetString().Should().Contain("older than 366 days");
        }
        (await client.PostAsync("/ingest/ndjson?backfill=maybe", new StringContent(body))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OsmAnd_traccar_client_json_body_stores_speed_from_metres_per_second()
    {
        var at = Recent(40);
        using var client = server.Anonymous();
        var body = new
        {
            device_id = "dev-2",
            location = new { timestamp = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), coords = new { latitude = 37.41, longitude = 118.46, speed = 5.0, heading = 180.0, accuracy = 4.0, altitude = 3.0 }, battery = new { level = 0.8 } },
        };
        (await client.PostAsJsonAsync("/ingest/osmand", body)).StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await StoredAsync("U2", at);
        stored!.Value.Speed.Should().BeApproximately(18.0, 1e-9); // 5 m/s × 3.6
        stored.Value.Bearing.Should().Be(180);
    }

    [Fact]
    public async Task OsmAnd_gcj02_coordinates_are_stored_as_wgs84()
    {
        var at = Recent(50);
        using var client = server.Anonymous();
        (await client.PostAsync($"/ingest/osmand?coords=gcj02&id=dev-3&lat=37.45&lon=118.58&timestamp={at:yyyy-MM-ddTHH:mm:ssZ}", null))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = (await StoredAsync("U3", at))!.Value;
        var (lon, lat) = Gcj02.ToWgs84(118.58, 37.45);
        stored.Lon.Should().BeApproximately(lon, 1e-9);
        stored.Lat.Should().BeApproximately(lat, 1e-9);
        // The GCJ-02 shift around Dongying is a few hundred metres.
        var shiftM = Math.Sqrt(Math.Pow((118.58 - stored.Lon) * 88_400, 2) + Math.Pow((37.45 - stored.Lat) * 111_000, 2));
        shiftM.Should().BeInRange(100, 1000);
    }

    [Fact]
    public async Task Ndjson_counts_inserted_duplicates_and_rejected_lines_with_reasons()
    {
        var t = Recent(60).ToUnixTimeSeconds();
        var body = new StringBuilder()
            .AppendLine($$"""{"id":"dev-1","lat":37.40,"lon":118.45,"timestamp":{{t}},"speed_kmh":40,"bearing":10}""")
            .AppendLine($$"""{"id":"dev-1","lat":37.40,"lon":118.45,"timestamp":{{t}}}""")
            .AppendLine("not json")
            .AppendLine($$"""{"id":"dev-2","lat":37.40,"lon":318.45,"timestamp":{{t}}}""")
            .AppendLine($$"""{"id":"ghost","lat":37.40,"lon":118.45,"timestamp":{{t}}}""")
            .AppendLine()
            .AppendLine($$"""{"id":"dev-2","lat":37.41,"lon":118.46,"timestamp":"{{DateTimeOffset.FromUnixTimeSeconds(t):yyyy-MM-ddTHH:mm:ssZ}}"}""")
            .ToString();
        using var client = server.Anonymous();
        var response = await client.PostAsync("/ingest/ndjson", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        json.GetProperty("received").GetInt32().Should().Be(6);
        json.GetProperty("inserted").GetInt32().Should().Be(2);
        json.GetProperty("duplicates").GetInt32().Should().Be(1);
        json.GetProperty("rejected").GetInt32().Should().Be(3);
        json.GetProperty("rejections").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()).Should().Equal(3, 4, 5);
        json.GetProperty("rejections")[2].GetProperty("reason").GetString().Should().Contain("unknown device 'ghost'");
        (await StoredAsync("U1", DateTimeOffset.FromUnixTimeSeconds(t)))!.Value.Speed.Should().Be(40);

        // Sending the same batch again stores nothing new.
        var again = JsonDocument.Parse(await (await client.PostAsync("/ingest/ndjson", new StringContent(body))).Content.ReadAsStringAsync()).RootElement;
        again.GetProperty("inserted").GetInt32().Should().Be(0);
        again.GetProperty("duplicates").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Ingest_unknown_coords_value_returns_400()
    {
        using var client = server.Anonymous();
        (await client.GetAsync("/ingest/osmand?coords=bd09&id=dev-1&lat=37.4&lon=118.4&timestamp=1764400000")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
