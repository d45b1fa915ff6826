using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MapControl.Web.Apis;
using MapControl.Web.Tests.OneMap;
using Microsoft.Extensions.DependencyInjection;

namespace MapControl.Web.Tests.Apis;

/// <summary>The one map's JSON API over the real test PostGIS with the one-map fixture, signed in through the sign-in form.</summary>
public sealed class OneMapApiTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private const string Window = "from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";

    [Fact]
    public async Task Layers_not_signed_in_returns_401()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var response = await factory.CreateClient().GetAsync("/api/layers/jurisdictions");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Page_not_signed_in_redirects_to_sign_in()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/");
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/signin");
    }

    [Fact]
    public async Task SignIn_is_throttled_per_source_never_locking_the_account()
    {
        // Regression (issue 11): five wrong passwords locked any account for 15 minutes (423), the admin's included.
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString, signInPermits: 6, signInWindowSeconds: 8);
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var unknown = await OneMapWeb.SignInAsync(client, "nobody-here", "wrong-password");
        var wrong = await OneMapWeb.SignInAsync(client, "commander", "wrong-password");
        unknown.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Message(await unknown.Content.ReadAsStringAsync()).Should().NotBeEmpty().And.Be(Message(await wrong.Content.ReadAsStringAsync()),
            "an unknown name and a wrong password get the same answer");
        for (var i = 0; i < 4; i++)
            (await OneMapWeb.SignInAsync(client, "commander", "wrong")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var throttled = await OneMapWeb.SignInAsync(client, "commander", OneMapWeb.DemoPassword);
        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the seventh attempt in the window");
        var retryAfter = throttled.Headers.RetryAfter!.Delta!.Value;
        retryAfter.TotalSeconds.Should().BeInRange(1, 8);

        await Task.Delay(retryAfter + TimeSpan.FromSeconds(0.5));
        (await OneMapWeb.SignInAsync(client, "commander", OneMapWeb.DemoPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect,
            "after the window the owner signs in: nothing was locked");
    }

    private static string Message(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "class=\"[^\"]*error[^\"]*\"[^>]*>([^<]*)<").Groups[1].Value;

    [Fact]
    public async Task SignIn_stores_a_hash_not_the_password()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        _ = factory.CreateClient();
        var hash = await database.ScalarAsync<string>("SELECT password_hash FROM app_user WHERE user_name = 'planner'");
        hash.Should().NotContain(OneMapWeb.DemoPassword).And.StartWith("pbkdf2-sha256$", "the data layer's PBKDF2 format, shared with the CLI");
        MapControl.Data.Security.PasswordHasher.Verify(OneMapWeb.DemoPassword, hash).Should().BeTrue();
    }

    [Fact]
    public async Task Jurisdictions_returns_current_versions_with_department_colours()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/layers/jurisdictions"));
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToArray();
        features.Select(f => f.GetProperty("properties").GetProperty("department_code").GetString()).Should().Equal("D1", "D2", "D3");
        features[0].GetProperty("properties").GetProperty("colour").GetString().Should().Be("#1f77b4");
        using var d2 = JsonDocument.Parse(await client.GetStringAsync("/api/layers/jurisdictions?department=D2"));
        d2.RootElement.GetProperty("features").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Gaps_finds_the_planted_gap_between_D1_and_D2_with_its_geodesic_area()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "commander");
        var rows = await client.GetFromJsonAsync<JsonElement>("/api/commander/gaps");
        rows.GetArrayLength().Should().Be(1);
        var gap = rows[0];
        gap.GetProperty("departments").EnumerateArray().Select(e => e.GetString()).Should().Equal("D1", "D2");
        gap.GetProperty("departmentNames").GetString().Should().Be("纯梁护卫部 / 河口护卫部");
        var expected = await database.ScalarAsync<double>("SELECT ST_Area(ST_MakeEnvelope(118.480, 37.40, 118.485, 37.50, 4326)::geography)");
        gap.GetProperty("areaM2").GetDouble().Should().BeApproximately(expected, expected * 0.001, "areas are within 0.1% of the geodesic area");
        gap.GetProperty("wells").GetInt32().Should().Be(10, "column 8 of the well grid (lon 118.4825) lies in the gap");
        var incidents = await database.ScalarAsync<long>("""
            SELECT count(*) FROM incident WHERE ST_Within(geom, ST_MakeEnvelope(118.480, 37.40, 118.485, 37.50, 4326))
              AND occurred_at >= (SELECT max(occurred_at) FROM incident) + interval '1 second' - interval '12 months'
            """);
        gap.GetProperty("incidents").GetInt32().Should().Be((int)incidents);

        using var overlaps = JsonDocument.Parse(await client.GetStringAsync("/api/layers/overlaps"));
        var overlap = overlaps.RootElement.GetProperty("features")[0].GetProperty("properties");
        overlap.GetProperty("departments").GetString().Should().Be("D2,D3");
    }

    [Fact]
    public async Task HotSpots_flags_cells_at_the_planted_hot_spot_only()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/analysis/hotspots?{Window}&cellM=1000"));
        var hot = json.RootElement.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("hot").GetBoolean()).ToArray();
        hot.Should().NotBeEmpty();
        foreach (var f in hot)
        {
            var ring = f.GetProperty("geometry").GetProperty("coordinates")[0];
            var lon = ring.EnumerateArray().Average(c => c[0].GetDouble());
            var lat = ring.EnumerateArray().Average(c => c[1].GetDouble());
            lon.Should().BeApproximately(118.42, 0.03);
            lat.Should().BeApproximately(37.45, 0.03);
        }
    }

    [Fact]
    public async Task YearOverYear_cells_are_the_hot_spot_cells_same_id_same_polygon()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        using var hotJson = JsonDocument.Parse(await client.GetStringAsync($"/api/analysis/hotspots?{Window}&cellM=1000"));
        using var yoyJson = JsonDocument.Parse(await client.GetStringAsync($"/api/analysis/yoy?{Window}&cellM=1000"));
        var hot = hotJson.RootElement.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("count").GetInt32() > 0)
            .ToDictionary(f => f.GetProperty("properties").GetProperty("cell").GetString()!, f => f);
        var yoy = yoyJson.RootElement.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("count").GetInt32() > 0).ToArray();

        hot.Should().NotBeEmpty();
        yoy.Select(f => f.GetProperty("properties").GetProperty("cell").GetString()).Should().BeEquivalentTo(hot.Keys);
        foreach (var f in yoy)
        {
            var p = f.GetProperty("properties");
            var twin = hot[p.GetProperty("cell").GetString()!];
            p.GetProperty("count").GetInt32().Should().Be(twin.GetProperty("properties").GetProperty("count").GetInt32());
            f.GetProperty("geometry").GetRawText().Should().Be(twin.GetProperty("geometry").GetRawText(), "the same cell has the same polygon");
            p.GetProperty("change").GetInt32().Should().Be(p.GetProperty("count").GetInt32() - p.GetProperty("count_last_year").GetInt32());
            p.GetProperty("trend").GetString().Should().BeOneOf("up", "down", "same");
        }
    }

    [Fact]
    public async Task Heat_points_follow_the_window_and_kind()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        var all = await client.GetFromJsonAsync<double[][]>($"/api/analysis/heat?{Window}");
        all!.Sum(p => p[2]).Should().Be(3000, "the cells' counts sum to the incidents");
        all!.Length.Should().BeLessThan(3000, "incidents of one 100 m cell come as one weighted point");
        var casing = await client.GetFromJsonAsync<double[][]>($"/api/analysis/heat?{Window}&kind=casing_theft");
        casing!.Sum(p => p[2]).Should().Be(600, "every fifth incident is casing theft");
        var recent = await client.GetFromJsonAsync<double[][]>(
            $"/api/analysis/heat?from={DateTimeOffset.UtcNow.AddDays(-70):yyyy-MM-ddTHH:mm:ssZ}&to={DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}");
        recent!.Sum(p => p[2]).Should().BeInRange(238, 241, "one incident every 7 hours");
    }

    [Fact]
    public async Task Kpi_counts_match_the_database_and_csv_has_a_row_per_department()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        var from = DateTimeOffset.UtcNow.AddDays(-90).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var to = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var rows = await client.GetFromJsonAsync<JsonElement>($"/api/analysis/kpi?from={from}&to={to}");
        var d1 = rows.EnumerateArray().Single(r => r.GetProperty("departmentCode").GetString() == "D1");
        var expected = await database.ScalarAsync<long>($"SELECT count(*) FROM incident WHERE department_code = 'D1' AND occurred_at >= '{from}' AND occurred_at < '{to}'");
        d1.GetProperty("cases").GetInt32().Should().Be((int)expected);
        var timely = await database.ScalarAsync<double>($"""
            SELECT avg(CASE WHEN discovered_by IN ('patrol', 'video', 'inspection') AND discovered_at - occurred_at <= interval '24 hours' THEN 1.0 ELSE 0.0 END)
                       FILTER (WHERE discovered_at IS NOT NULL)::float8
            FROM incident WHERE department_code = 'D1' AND occurred_at >= '{from}' AND occurred_at < '{to}'
            """);
        d1.GetProperty("timelyRate").GetDouble().Should().BeApproximately(timely, 0.0001);
        // U1 reports every minute for the last 48 h inside D1: patrol hours from the fixes, and cases per patrol hour.
        var hours = d1.GetProperty("patrolHours").GetDouble();
        hours.Should().BeInRange(1, 48);
        d1.GetProperty("casesPerPatrolHour").GetDouble().Should().BeApproximately(expected / hours, expected / hours * 0.001 + 1e-4);
        var csv = await client.GetStringAsync($"/api/analysis/kpi.csv?from={from}&to={to}");
        csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1 + 1 + 3);
        csv.Should().Contain("纯梁护卫部").And.Contain(",patrol_hours,cases_per_patrol_hour,cases_without_discovery_time\n");
    }

    [Fact]
    public async Task Kpi_timely_rate_leaves_out_cases_without_a_discovery_time_as_postgis_counts_them()
    {
        await database.ReloadAsync();
        try
        {
            // Every third case of D1 loses its discovery time (a ledger without 发现时间).
            await using (var update = database.DataSource.CreateCommand(
                "UPDATE incident SET discovered_at = NULL WHERE department_code = 'D1' AND right(code, 1) IN ('0', '3', '6')"))
                (await update.ExecuteNonQueryAsync()).Should().BeGreaterThan(0);
            await using var factory = OneMapWeb.Factory(database.ConnectionString);
            var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
            var rows = await client.GetFromJsonAsync<JsonElement>($"/api/analysis/kpi?{Window}");
            var d1 = rows.EnumerateArray().Single(r => r.GetProperty("departmentCode").GetString() == "D1");
            var where = "department_code = 'D1'";
            d1.GetProperty("cases").GetInt32().Should().Be((int)await database.ScalarAsync<long>($"SELECT count(*) FROM incident WHERE {where}"));
            d1.GetProperty("casesWithoutDiscoveryTime").GetInt32().Should().Be((int)await database.ScalarAsync<long>($"SELECT count(*) FROM incident WHERE {where} AND discovered_at IS NULL"));
            var timely = await database.ScalarAsync<double>($"""
                SELECT (count(*) FILTER (WHERE discovered_by IN ('patrol', 'video', 'inspection') AND discovered_at - occurred_at <= interval '24 hours'))::float8
                       / count(*) FILTER (WHERE discovered_at IS NOT NULL)
                FROM incident WHERE {where}
                """);
            d1.GetProperty("timelyRate").GetDouble().Should().BeApproximately(timely, 0.0001);
            var csv = await client.GetStringAsync($"/api/analysis/kpi.csv?{Window}");
            csv.Split('\n').Single(l => l.StartsWith("D1,", StringComparison.Ordinal)).Should().EndWith("," + d1.GetProperty("casesWithoutDiscoveryTime").GetInt32());
        }
        finally { await database.ReloadAsync(); }
    }

    [Fact]
    public async Task Any_layer_exports_as_xlsx_with_chinese_headers_for_signed_in_users_only()
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        (await factory.CreateClient().GetAsync("/api/export/wells.xlsx")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        (await client.GetAsync("/api/export/nothing.xlsx")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/export/wells.xlsx?headers=fr")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using var response = await client.GetAsync("/api/export/incidents.xlsx?headers=zh");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var path = Path.Combine(Path.GetTempPath(), $"mc-export-{Guid.NewGuid():N}.xlsx");
        try
        {
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
            var read = MapControl.Data.Files.IncidentFiles.Read(path);
            read.Points.Should().HaveCount((int)await database.ScalarAsync<long>("SELECT count(*) FROM incident"));
            var first = await database.ScalarAsync<DateTime>("SELECT min(occurred_at) FROM incident");
            read.Points.Min(p => p.OccurredAt).UtcDateTime.Should().BeCloseTo(first, TimeSpan.FromSeconds(1), "China-time date cells read back to the stored instants");
            using var reader = MapControl.Data.Files.TabularReader.Open(path);
            reader.Header.Should().Contain(["案件编号", "发案时间", "经度", "纬度"]);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Kind_filters_resolve_through_the_database_vocabulary_not_the_built_in_list()
    {
        await database.ReloadAsync();
        try
        {
            await using var factory = OneMapWeb.Factory(database.ConnectionString);
            var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
            // A synonym only the database knows (an admin mapped it): the built-in list would take it as a kind of its own, matching nothing.
            (await client.GetFromJsonAsync<double[][]>($"/api/analysis/heat?{Window}&kind=套管气被偷"))!.Sum(p => p[2]).Should().Be(0);
            await using (var update = database.DataSource.CreateCommand(
                "UPDATE incident_kind SET synonyms = array_append(synonyms, '套管气被偷') WHERE code = 'casing_theft'"))
                await update.ExecuteNonQueryAsync();

            (await client.GetFromJsonAsync<double[][]>($"/api/analysis/heat?{Window}&kind=套管气被偷"))!.Sum(p => p[2]).Should().Be(600, "every fifth incident is casing theft");
            var kpi = await client.GetFromJsonAsync<JsonElement>($"/api/analysis/kpi?{Window}&kind=%E5%A5%97%E7%AE%A1%E6%B0%94%E8%A2%AB%E5%81%B7");
            kpi.EnumerateArray().First().GetProperty("cases").GetInt32().Should().Be(600);
            var vocabulary = await factory.Services.GetRequiredService<IncidentKindService>().VocabularyAsync(default);
            vocabulary.Terms.Select(t => t.Code).Should().StartWith(["casing_theft", "pipeline_tapping"], "the analyst's kind list is the stored vocabulary");
            vocabulary.Resolve("套管气被偷").Code.Should().Be("casing_theft");
        }
        finally
        {
            await using var undo = database.DataSource.CreateCommand("UPDATE incident_kind SET synonyms = array_remove(synonyms, '套管气被偷') WHERE code = 'casing_theft'");
            await undo.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Kpi_patrol_hours_are_kept_across_kinds_and_follow_new_gps_fixes()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        var kpi = factory.Services.GetRequiredService<KpiService>();
        var window = $"from={DateTimeOffset.UtcNow.AddDays(-90):yyyy-MM-ddTHH:mm:ssZ}&to={DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}";
        async Task<double> D1HoursAsync(string query)
        {
            var rows = await client.GetFromJsonAsync<JsonElement>($"/api/analysis/kpi?{query}");
            return rows.EnumerateArray().Single(r => r.GetProperty("departmentCode").GetString() == "D1").GetProperty("patrolHours").GetDouble();
        }

        var hours = await D1HoursAsync(window);
        (await D1HoursAsync(window + "&kind=casing_theft")).Should().Be(hours);
        kpi.PatrolHoursComputed.Should().Be(1, "another kind over the same window reuses the patrol hours");

        // Two more hours of U1's track, 60 h earlier: the window's fixes changed, so the hours are computed again.
        await using (var insert = database.DataSource.CreateCommand("""
            INSERT INTO gps_point (unit_code, department_code, recorded_at, geom, speed_kmh, bearing)
            SELECT unit_code, department_code, recorded_at - interval '60 hours', geom, speed_kmh, bearing
            FROM gps_point WHERE unit_code = 'U1' AND recorded_at > now() - interval '2 hours'
            """))
            (await insert.ExecuteNonQueryAsync()).Should().BeGreaterThan(100);
        (await D1HoursAsync(window)).Should().BeGreaterThan(hours + 1.5);
        kpi.PatrolHoursComputed.Should().Be(2);
    }

    [Fact]
    public async Task Patrol_snapshot_is_kept_until_wells_units_or_the_window_fixes_change()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var patrol = factory.Services.GetRequiredService<PatrolService>();
        async Task ExecuteAsync(string sql)
        {
            await using var cmd = database.DataSource.CreateCommand(sql);
            await cmd.ExecuteNonQueryAsync();
        }

        var first = await patrol.CurrentAsync(default);
        (await patrol.CurrentAsync(default)).Should().BeSameAs(first);

        await ExecuteAsync("UPDATE well SET is_key = NOT is_key WHERE code = (SELECT min(code) FROM well)");
        var afterWell = await patrol.CurrentAsync(default);
        afterWell.Should().NotBeSameAs(first, "a key well changed");

        await ExecuteAsync("UPDATE patrol_unit SET name = name");
        var afterUnit = await patrol.CurrentAsync(default);
        afterUnit.Should().NotBeSameAs(afterWell, "a patrol unit changed");

        // A late upload: a fix inside the window but older than the latest one.
        await ExecuteAsync("""
            INSERT INTO gps_point (unit_code, department_code, recorded_at, geom)
            SELECT unit_code, department_code, recorded_at - interval '90 minutes' + interval '1 second', geom
            FROM gps_point ORDER BY recorded_at DESC LIMIT 1
            """);
        (await patrol.CurrentAsync(default)).Should().NotBeSameAs(afterUnit, "the window's fixes changed");
    }

    [Fact]
    public async Task Save_two_planners_from_the_same_version_second_is_refused_and_nothing_is_lost()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var first = await OneMapWeb.SignedInClientAsync(factory, "planner");
        var second = await OneMapWeb.SignedInClientAsync(factory, "admin");
        var versions = await first.GetFromJsonAsync<JsonElement>("/api/planning/jurisdiction/D1/versions");
        var baseId = versions[0].GetProperty("id").GetInt64();
        // D1 widened to 118.4825 (half the gap closed).
        var wider = Polygon(118.400, 37.40, 118.4825, 37.50);

        using var ok = await first.PostAsJsonAsync("/api/planning/jurisdiction/D1/save", new { baseVersionId = baseId, geometry = wider, reason = "close half the gap" });
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        var newId = (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versionId").GetInt64();

        using var refused = await second.PostAsJsonAsync("/api/planning/jurisdiction/D1/save",
            new { baseVersionId = baseId, geometry = Polygon(118.400, 37.40, 118.470, 37.50), reason = "shrink" });
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("currentVersionId").GetInt64().Should().Be(newId);

        var current = await database.ScalarAsync<double>("SELECT ST_XMax(geom) FROM jurisdiction WHERE department_code = 'D1' AND valid_to IS NULL");
        current.Should().BeApproximately(118.4825, 1e-9, "the first save stands");
        (await database.ScalarAsync<long>("SELECT count(*) FROM jurisdiction WHERE department_code = 'D1'")).Should().Be(2);
        (await database.ScalarAsync<string>("SELECT actor || ':' || action || ':' || (after->>'reason') FROM audit_log WHERE entity = 'jurisdiction'"))
            .Should().Be("planner:save:close half the gap");
        (await database.ScalarAsync<long>("SELECT count(*) FROM audit_log")).Should().Be(1, "the refused save wrote nothing");

        using var gaps = JsonDocument.Parse(await first.GetStringAsync("/api/layers/gaps"));
        var area = gaps.RootElement.GetProperty("features")[0].GetProperty("properties").GetProperty("area_m2").GetDouble();
        var expected = await database.ScalarAsync<double>("SELECT ST_Area(ST_MakeEnvelope(118.4825, 37.40, 118.485, 37.50, 4326)::geography)");
        area.Should().BeApproximately(expected, expected * 0.001, "the gap list follows the new version");
    }

    [Fact]
    public async Task RollBack_makes_a_new_version_equal_to_the_old_one()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "planner");
        var original = (await client.GetFromJsonAsync<JsonElement>("/api/planning/jurisdiction/D2/versions"))[0].GetProperty("id").GetInt64();
        using var saved = await client.PostAsJsonAsync("/api/planning/jurisdiction/D2/save",
            new { baseVersionId = original, geometry = Polygon(118.480, 37.40, 118.545, 37.50), reason = "close gap and overlap" });
        var edited = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versionId").GetInt64();

        using var rolled = await client.PostAsJsonAsync("/api/planning/jurisdiction/D2/rollback", new { toVersionId = original, baseVersionId = edited, reason = (string?)null });
        rolled.StatusCode.Should().Be(HttpStatusCode.OK);
        var rolledId = (await rolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versionId").GetInt64();
        rolledId.Should().NotBe(original);
        (await database.ScalarAsync<bool>($"SELECT ST_Equals(a.geom, b.geom) FROM jurisdiction a, jurisdiction b WHERE a.id = {rolledId} AND b.id = {original}")).Should().BeTrue();
        var history = await client.GetFromJsonAsync<JsonElement>("/api/planning/jurisdiction/D2/versions");
        history.EnumerateArray().Select(v => v.GetProperty("id").GetInt64()).Should().Equal(rolledId, edited, original);
        (await database.ScalarAsync<string>("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log")).Should().Be("save,rollback");
    }

    [Fact]
    public async Task Save_refused_for_analyst_and_for_a_planner_of_another_department()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var analyst = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        var body = new { baseVersionId = 1L, geometry = Polygon(118.400, 37.40, 118.4825, 37.50), reason = "x" };
        (await analyst.PostAsJsonAsync("/api/planning/jurisdiction/D1/save", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        await using (var insert = database.DataSource.CreateCommand(
            "INSERT INTO app_user (user_name, display_name, role, department_code, password_hash) VALUES ('planner-d2', 'D2 规划', 'planner', 'D2', @h)"))
        {
            insert.Parameters.AddWithValue("h", MapControl.Data.Security.PasswordHasher.Hash("pw-d2-planner"));
            await insert.ExecuteNonQueryAsync();
        }
        var d2 = await OneMapWeb.SignedInClientAsync(factory, "planner-d2", "pw-d2-planner");
        (await d2.PostAsJsonAsync("/api/planning/jurisdiction/D1/save", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var d2Base = await database.ScalarAsync<long>("SELECT id FROM jurisdiction WHERE department_code = 'D2' AND valid_to IS NULL");
        (await d2.PostAsJsonAsync("/api/planning/jurisdiction/D2/save",
            new { baseVersionId = d2Base, geometry = Polygon(118.480, 37.40, 118.550, 37.50), reason = "close the gap" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await database.ScalarAsync<long>("SELECT count(*) FROM jurisdiction WHERE department_code = 'D1'")).Should().Be(1);
    }

    [Fact]
    public async Task Impact_of_closing_the_gap_reports_it_closed_and_the_workload_change()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "planner");
        using var response = await client.PostAsJsonAsync("/api/planning/jurisdiction/D1/impact", new { geometry = Polygon(118.400, 37.40, 118.485, 37.50) });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var r = await response.Content.ReadFromJsonAsync<JsonElement>();
        r.GetProperty("gapsClosed").GetArrayLength().Should().Be(1);
        r.GetProperty("gapsCreated").GetArrayLength().Should().Be(0);
        r.GetProperty("gapAreaAfter").GetDouble().Should().Be(0);
        var d1 = r.GetProperty("workload").EnumerateArray().Single(w => w.GetProperty("departmentCode").GetString() == "D1");
        d1.GetProperty("wellsAfter").GetInt32().Should().Be(d1.GetProperty("wellsBefore").GetInt32() + 10);
        d1.GetProperty("compactnessBefore").GetDouble().Should().BeApproximately(
            4 * Math.PI * (0.08 * 0.1) / Math.Pow(2 * (0.08 * Math.Cos(37.45 * Math.PI / 180) + 0.1), 2) * Math.Cos(37.45 * Math.PI / 180), 0.01,
            "Polsby–Popper of a 0.08° × 0.1° rectangle at 37.45° N");
    }

    [Fact]
    public async Task Gaps_layer_and_ogc_gaps_score_risk_over_the_chosen_window_as_postgis_counts_it()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "commander");
        var to = DateTimeOffset.UtcNow;
        var from = to.AddDays(-30);
        string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        // PostGIS as the oracle: incidents of the window in the interior of the planted gap (118.480–118.485).
        var expected = await database.ScalarAsync<long>($"SELECT count(*) FROM incident WHERE occurred_at >= '{Iso(from)}' AND occurred_at < '{Iso(to)}' AND ST_Contains(ST_MakeEnvelope(118.480, 37.40, 118.485, 37.50, 4326), geom)");
        var year = await database.ScalarAsync<long>($"SELECT count(*) FROM incident WHERE occurred_at >= '{Iso(to.AddYears(-1))}' AND occurred_at < '{Iso(to)}' AND ST_Contains(ST_MakeEnvelope(118.480, 37.40, 118.485, 37.50, 4326), geom)");
        expected.Should().BeLessThan(year, "the fixture's gap has more incidents in a year than in 30 days");

        var layer = (await client.GetFromJsonAsync<JsonElement>($"/api/layers/gaps?from={Iso(from)}&to={Iso(to)}")).GetProperty("features")[0].GetProperty("properties");
        layer.GetProperty("incidents_window").GetInt32().Should().Be((int)expected);
        layer.TryGetProperty("incidents_12m", out _).Should().BeFalse("a window's count is not labelled as 12 months");
        var weights = new MapControl.Core.Coverage.CoverageOptions().Risk;
        layer.GetProperty("risk").GetDouble().Should().BeApproximately(
            weights.Score((int)expected, layer.GetProperty("key_wells").GetInt32(), layer.GetProperty("wells").GetInt32(), layer.GetProperty("area_m2").GetDouble()), 0.001);
        var plain = (await client.GetFromJsonAsync<JsonElement>("/api/layers/gaps")).GetProperty("features")[0].GetProperty("properties");
        plain.GetProperty("incidents_12m").GetInt32().Should().Be((int)year);

        using var ogc = await client.GetAsync($"/ogc/collections/gaps/items?f=json&datetime={Iso(from)}/{Iso(to)}");
        ogc.StatusCode.Should().Be(HttpStatusCode.OK);
        var ogcGap = (await ogc.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("features")[0].GetProperty("properties");
        ogcGap.GetProperty("incidents_window").GetInt32().Should().Be((int)expected);
        ogcGap.GetProperty("risk").GetDouble().Should().Be(layer.GetProperty("risk").GetDouble(), "one rule behind the map and OGC");

        (await client.GetAsync($"/api/layers/gaps?from={Iso(to)}&to={Iso(from)}")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Impact_keeps_its_before_half_for_the_edit_and_never_serves_it_stale()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "planner");
        var baselines = factory.Services.GetRequiredService<MapControl.Data.Analysis.RedrawBaselines>();
        async Task<int> WellsGainedAsync(double east)
        {
            using var response = await client.PostAsJsonAsync("/api/planning/jurisdiction/D1/impact", new { geometry = Polygon(118.400, 37.40, east, 37.50) });
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var d1 = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("workload").EnumerateArray()
                .Single(w => w.GetProperty("departmentCode").GetString() == "D1");
            return d1.GetProperty("wellsAfter").GetInt32() - d1.GetProperty("wellsBefore").GetInt32();
        }

        (await WellsGainedAsync(118.485)).Should().Be(10, "the gap's column of wells");
        var builds = baselines.Builds;
        (await WellsGainedAsync(118.4849)).Should().Be(10);
        (await WellsGainedAsync(118.485)).Should().Be(10);
        baselines.Builds.Should().Be(builds, "each move of the edit is measured against the kept before-half");

        // A well added in the gap by anyone (here SQL, as an import would): the next move sees it.
        await database.ScalarAsync<string>("INSERT INTO well (code, geom, kind, status, is_key, oil_zone_code) VALUES ('WX', ST_SetSRID(ST_MakePoint(118.4830, 37.455), 4326), 'oil', 'producing', false, 'Z1') RETURNING code");
        (await WellsGainedAsync(118.485)).Should().Be(11, "the new well's table version changed the key: the before-half is made again");
        baselines.Builds.Should().Be(builds + 1);
    }

    [Fact]
    public async Task Save_with_an_impact_revision_refuses_a_different_geometry_and_accepts_the_same()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "planner");
        var shown = Polygon(118.400, 37.40, 118.485, 37.50);
        using var impact = await client.PostAsJsonAsync("/api/planning/jurisdiction/D1/impact", new { geometry = shown });
        var r = await impact.Content.ReadFromJsonAsync<JsonElement>();
        var revision = r.GetProperty("revision").GetString();
        revision.Should().NotBeNullOrEmpty();
        r.GetProperty("gapAreaDelta").GetDouble().Should().BeLessThan(0, "closing the planted gap");
        r.GetProperty("changes").EnumerateArray().Should().Contain(c => c.GetProperty("kind").GetString() == "gap" && c.GetProperty("change").GetString() == "closed");
        var baseId = (await client.GetFromJsonAsync<JsonElement>("/api/planning/jurisdiction/D1/versions"))[0].GetProperty("id").GetInt64();

        using var stale = await client.PostAsJsonAsync("/api/planning/jurisdiction/D1/save",
            new { baseVersionId = baseId, geometry = Polygon(118.400, 37.40, 118.484, 37.50), reason = "not what was shown", impactRevision = revision });
        stale.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await stale.Content.ReadAsStringAsync()).Should().Contain("not the one whose impact was shown");

        using var same = await client.PostAsJsonAsync("/api/planning/jurisdiction/D1/save",
            new { baseVersionId = baseId, geometry = shown, reason = "what was shown", impactRevision = revision });
        same.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PatrolZone_save_and_impact_work_within_the_departments_jurisdiction()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "planner");
        // D1-P1 shrinks to 118.40–118.43: a 0.01° strip of D1's jurisdiction is left to no patrol zone.
        using var impact = await client.PostAsJsonAsync("/api/planning/patrol-zone/D1-P1/impact", new { geometry = Polygon(118.400, 37.40, 118.430, 37.50) });
        impact.StatusCode.Should().Be(HttpStatusCode.OK);
        var r = await impact.Content.ReadFromJsonAsync<JsonElement>();
        r.GetProperty("gapsCreated").GetArrayLength().Should().Be(1);
        var expected = await database.ScalarAsync<double>("SELECT ST_Area(ST_MakeEnvelope(118.430, 37.40, 118.440, 37.50, 4326)::geography)");
        r.GetProperty("gapsCreated")[0].GetProperty("areaM2").GetDouble().Should().BeApproximately(expected, expected * 0.001);

        var baseId = (await client.GetFromJsonAsync<JsonElement>("/api/planning/patrol-zone/D1-P1/versions"))[0].GetProperty("id").GetInt64();
        using var saved = await client.PostAsJsonAsync("/api/planning/patrol-zone/D1-P1/save",
            new { baseVersionId = baseId, geometry = Polygon(118.400, 37.40, 118.430, 37.50), reason = "narrower" });
        saved.StatusCode.Should().Be(HttpStatusCode.OK);
        (await database.ScalarAsync<string>("SELECT name || ':' || department_code FROM patrol_zone WHERE code = 'D1-P1' AND valid_to IS NULL"))
            .Should().Be("纯梁一巡区:D1", "a new version keeps the zone's name and department");
        (await database.ScalarAsync<long>("SELECT count(*) FROM patrol_zone WHERE code = 'D1-P1'")).Should().Be(2);
    }

    [Theory]
    [InlineData(118.400, 37.40, 118.430, 37.50)]    // well inside D1 (118.400–118.480)
    [InlineData(118.400, 37.40, 118.480, 37.50)]    // the whole jurisdiction: every edge shared
    [InlineData(118.440, 37.40, 118.4806, 37.50)]   // ~50 m into the planted gap, east of D1
    [InlineData(118.440, 37.40, 118.48001, 37.50)]  // ~0.9 m × 11 km: a sliver outside (≈ 9,800 m²)
    [InlineData(118.395, 37.395, 118.42, 37.45)]    // out of the oil zone's corner, south and west
    public async Task PatrolZone_outside_its_jurisdiction_is_refused_on_impact_and_save_as_postgis_covered_by_says(double w, double s, double e, double n)
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var client = await OneMapWeb.SignedInClientAsync(factory, "planner");
        string Env() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326)");
        const string D1 = "(SELECT geom FROM jurisdiction WHERE department_code = 'D1' AND valid_to IS NULL)";
        var coveredBy = await database.ScalarAsync<bool>($"SELECT ST_CoveredBy({Env()}, {D1})");
        var outsideM2 = await database.ScalarAsync<double>($"SELECT coalesce(ST_Area(ST_Difference({Env()}, {D1})::geography), 0)");
        var inside = coveredBy || outsideM2 <= MapControl.Core.Redraw.PatrolZoneContainment.ToleranceM2;

        using var impact = await client.PostAsJsonAsync("/api/planning/patrol-zone/D1-P1/impact", new { geometry = Polygon(w, s, e, n) });
        var baseId = (await client.GetFromJsonAsync<JsonElement>("/api/planning/patrol-zone/D1-P1/versions"))[0].GetProperty("id").GetInt64();
        using var saved = await client.PostAsJsonAsync("/api/planning/patrol-zone/D1-P1/save",
            new { baseVersionId = baseId, geometry = Polygon(w, s, e, n), reason = "containment test" });
        if (inside)
        {
            impact.StatusCode.Should().Be(HttpStatusCode.OK);
            saved.StatusCode.Should().Be(HttpStatusCode.OK);
            return;
        }
        foreach (var response in new[] { impact, saved })
        {
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
            detail.Should().Contain("D1-P1").And.Contain("outside the jurisdiction of department 'D1'");
            var named = double.Parse(System.Text.RegularExpressions.Regex.Match(detail, @"reaches ([0-9.]+) m²").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            named.Should().BeApproximately(outsideM2, outsideM2 * 0.005 + 0.1, "the part outside as PostGIS measures it");
        }
        (await database.ScalarAsync<long>("SELECT count(*) FROM patrol_zone WHERE code = 'D1-P1'")).Should().Be(1, "nothing was saved");
    }

    [Fact]
    public async Task Start_bound_beyond_loopback_with_demo_password_refuses_to_start()
    {
        await database.ReloadAsync();
        await using (var seeding = OneMapWeb.Factory(database.ConnectionString)) _ = seeding.CreateClient();
        await using var factory = OneMapWeb.Factory(database.ConnectionString, b => b.UseSetting("urls", "http://0.0.0.0:5080"));
        var start = () => factory.CreateClient();
        start.Should().Throw<InvalidOperationException>().WithMessage("*Refusing to start*demo password*");
    }

    private static object Polygon(double w, double s, double e, double n) =>
        new { type = "Polygon", coordinates = new[] { new[] { new[] { w, s }, new[] { e, s }, new[] { e, n }, new[] { w, n }, new[] { w, s } } } };
}
