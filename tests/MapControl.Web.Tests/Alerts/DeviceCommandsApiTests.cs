using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Tests.OneMap;

namespace MapControl.Web.Tests.Alerts;

/// <summary>
/// The device command channel against PostGIS through HTTP: a dispatch queues a command the unit's device polls (with its device
/// key) and acknowledges; commanders send messages to their units only; every command and acknowledgement is audited once; the
/// queue is bounded.
/// </summary>
public sealed class DeviceCommandsApiTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private async Task<HttpClient> ClientAsync(WebApplicationFactoryHolder holder, string user, Role role, string? department = null)
    {
        var users = new UserRepository(database.DataSource);
        if (await users.GetAsync(user) is null) await users.AddAsync(new User(user, user, role, department), "secret-password-1");
        var client = holder.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await users.CreateApiTokenAsync(user));
        return client;
    }

    public sealed record WebApplicationFactoryHolder(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Factory);

    [Fact]
    public async Task A_dispatch_reaches_the_units_device_which_acknowledges_it_and_commanders_message_only_their_units()
    {
        await database.ReloadAsync(keepUsers: true);
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var app = new WebApplicationFactoryHolder(factory);
        using var video = await ClientAsync(app, "video", Role.Integration);
        using var commander = await ClientAsync(app, "commander-x", Role.Commander);
        using var commanderD2 = await ClientAsync(app, "commander-D2", Role.Commander, "D2");
        using var analyst = await ClientAsync(app, "analyst-x", Role.Analyst);
        using var device = factory.CreateClient();

        var posted = await (await video.PostAsJsonAsync("/ingest/events", new { kind = "intrusion", at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), lon = 118.43, lat = 37.44 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var alert = posted.GetProperty("alertId").GetInt64();
        (await commander.PostAsJsonAsync($"/api/alerts/{alert}/dispatch", new { unit = "U1" })).StatusCode.Should().Be(HttpStatusCode.OK);

        var polled = await device.GetFromJsonAsync<JsonElement>("/device/commands?id=dev-u1");
        polled.GetArrayLength().Should().Be(1);
        var command = polled[0];
        command.GetProperty("kind").GetString().Should().Be("dispatch");
        command.GetProperty("alert").GetInt64().Should().Be(alert);
        (command.GetProperty("lon").GetDouble(), command.GetProperty("lat").GetDouble()).Should().Be((118.43, 37.44));
        command.GetProperty("text").GetString().Should().StartWith($"出警 #{alert}");
        var delivered = command.GetProperty("deliveredAt").GetDateTimeOffset();
        var id = command.GetProperty("id").GetInt64();
        var again = await device.GetFromJsonAsync<JsonElement>("/device/commands?id=dev-u1");
        again[0].GetProperty("deliveredAt").GetDateTimeOffset().Should().Be(delivered, "unacknowledged commands come again, delivered once");
        (await device.GetFromJsonAsync<JsonElement>("/device/commands?id=dev-u2")).GetArrayLength().Should().Be(0, "another unit's queue");

        (await device.PostAsync($"/device/commands/{id}/ack?id=dev-u2", null)).StatusCode.Should().Be(HttpStatusCode.NotFound, "not its command");
        (await device.GetAsync("/device/commands?id=no-such-device")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await device.GetAsync("/device/commands")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var acked = await (await device.PostAsync($"/device/commands/{id}/ack?id=dev-u1", null)).Content.ReadFromJsonAsync<JsonElement>();
        acked.GetProperty("ackedAt").ValueKind.Should().Be(JsonValueKind.String);
        (await device.PostAsync($"/device/commands/{id}/ack?id=dev-u1", null)).StatusCode.Should().Be(HttpStatusCode.OK, "acknowledging again is harmless");
        (await device.GetFromJsonAsync<JsonElement>("/device/commands?id=dev-u1")).GetArrayLength().Should().Be(0);

        (await commander.PostAsJsonAsync("/api/units/U1/commands", new { text = "到达后拍照回传" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await commanderD2.PostAsJsonAsync("/api/units/U1/commands", new { text = "x" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await commanderD2.GetAsync("/api/units/U1/commands")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await commanderD2.PostAsJsonAsync("/api/units/U2/commands", new { text = "本部门" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await analyst.PostAsJsonAsync("/api/units/U1/commands", new { text = "x" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await commander.PostAsJsonAsync("/api/units/NOPE/commands", new { text = "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await commander.PostAsJsonAsync("/api/units/U1/commands", new { text = " " })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await commander.PostAsJsonAsync("/api/units/U1/commands", new { text = new string('字', 501) })).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var list = await commander.GetFromJsonAsync<JsonElement>("/api/units/U1/commands");
        list.EnumerateArray().Select(c => c.GetProperty("kind").GetString()).Should().Equal("message", "dispatch");
        (await device.GetFromJsonAsync<JsonElement>("/device/commands?id=dev-u1"))[0].GetProperty("text").GetString().Should().Be("到达后拍照回传");
        (await database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE entity = 'device_command'")).Should().Be(4,
            "the dispatch command, the two messages and one acknowledgement");

        // The queue is bounded: with 100 unacknowledged commands (the message and 99 more) the next is refused.
        await using (var fill = database.DataSource.CreateCommand(
            "INSERT INTO device_command (unit_code, kind, text, created_by) SELECT 'U1', 'message', 'm' || g, 'test' FROM generate_series(1, 99) g"))
            await fill.ExecuteNonQueryAsync();
        (await commander.PostAsJsonAsync("/api/units/U1/commands", new { text = "one too many" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await device.GetFromJsonAsync<JsonElement>("/device/commands?id=dev-u1")).GetArrayLength().Should().Be(20, "a poll returns at most 20");
    }
}
