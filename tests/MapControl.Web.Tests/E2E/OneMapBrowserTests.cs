using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MapControl.Web.Tests.E2E;

/// <summary>End-to-end: Chromium signs in as each role and uses the one map against the app over the fixture database.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OneMapBrowserTests(OneMapBrowserFixture app, ITestOutputHelper output)
{
    private const string Password = "mapcontrol-demo";

    private async Task<(IPage Page, double FirstDrawMs)> SignInAsync(string user, string locale = "zh-CN", string? screenshot = null)
    {
        var page = await app.NewPageAsync(locale);
        page.Console += (_, m) => { if (m.Type is "error" or "warning") output.WriteLine($"browser {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => output.WriteLine("page error: " + e);
        await page.GotoAsync(app.BaseUrl + "/");
        page.Url.Should().Contain("/signin", "the map needs a signed-in user");
        await page.FillAsync("[data-testid=username]", user);
        await page.FillAsync("[data-testid=password]", Password);
        if (screenshot is not null) await Shot(page, screenshot);
        var clock = Stopwatch.StartNew();
        await page.ClickAsync("[data-testid=signin-submit]");
        // First map draw: the map exists and the jurisdictions layer has been fetched and drawn.
        try
        {
            await page.WaitForSelectorAsync("[data-testid=map][data-count-jurisdictions='3']", new() { Timeout = 60_000, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            await Shot(page, "failed-first-draw-" + user);
            output.WriteLine(app.AppLog);
            throw;
        }
        var sinceSubmit = clock.Elapsed.TotalMilliseconds;
        // The page marks the moment each overlay is first drawn; the test notices it later (selector polling and
        // this round trip wait for the browser's busy main thread), so both moments are reported.
        var times = await page.EvaluateAsync<double[]>(
            "[performance.now(), ...['oil-zones', 'jurisdictions'].map(id => performance.getEntriesByName('mc-drawn-' + id, 'mark')[0]?.startTime ?? -1)]");
        var (sinceNavigation, oilZonesDrawn, jurisdictionsDrawn) = (times[0], times[1], times[2]);
        var drawn = Math.Max(oilZonesDrawn, jurisdictionsDrawn);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"time to first map draw ({user}): {drawn:0} ms after the page's navigation start (oil zones and jurisdictions drawn), noticed by the test at {sinceNavigation:0} ms, {sinceSubmit:0} ms after pressing sign in");
        output.WriteLine(line);
        Console.WriteLine(line);
        oilZonesDrawn.Should().BePositive("the page marks the first draw of the oil zones");
        jurisdictionsDrawn.Should().BePositive("the page marks the first draw of the jurisdictions");
        return (page, drawn);
    }

    private static async Task Shot(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, name + ".png") });

    private static async Task<string> Attr(IPage page, string name) =>
        await page.GetAttributeAsync("[data-testid=map]", name) ?? "";

    private static async Task WaitAttrAsync(IPage page, string name, Func<string, bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string value;
        while (!condition(value = await Attr(page, name)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name}='{value}': {because}");
            await Task.Delay(150);
        }
    }

    [Fact]
    public async Task Commander_sees_layers_toggles_one_and_opens_a_gap_from_the_list()
    {
        var (page, firstDraw) = await SignInAsync("commander", screenshot: "signin");
        firstDraw.Should().BeLessThan(30_000);
        (await page.TextContentAsync("[data-testid=user]")).Should().Contain("指挥员");
        await page.WaitForSelectorAsync("[data-testid=gap-row]", new() { Timeout = 60_000 });
        (await Attr(page, "data-visible")).Split(' ').Should().Contain(["basemap", "oil-zones", "jurisdictions", "gaps", "overlaps", "incidents", "key-wells"]);
        (await page.TextContentAsync("[data-testid=gap-row]")).Should().Contain("纯梁护卫部 / 河口护卫部");
        await page.WaitForSelectorAsync("[data-testid=kpi-cases]");
        await Shot(page, "commander");

        // Toggle a layer in the layer control.
        await page.Locator(".leaflet-control-layers-overlays label", new() { HasText = "交叉区" }).ClickAsync();
        await WaitAttrAsync(page, "data-visible", v => !v.Split(' ').Contains("overlaps"), "overlaps switched off");
        await page.Locator(".leaflet-control-layers-overlays label", new() { HasText = "交叉区" }).ClickAsync();
        await WaitAttrAsync(page, "data-visible", v => v.Split(' ').Contains("overlaps"), "overlaps switched on again");

        // Open the gap: the map flies to it and outlines it.
        var before = await Attr(page, "data-center");
        await page.ClickAsync("[data-testid=gap-row]");
        await WaitAttrAsync(page, "data-highlight", v => v == "true", "the gap is highlighted");
        await WaitAttrAsync(page, "data-zoom", v => int.Parse(v, CultureInfo.InvariantCulture) >= 11, "the map zooms in to the gap");
        await page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=map]').hasAttribute('data-moving')"); // the flight ended
        var centre = (await Attr(page, "data-center")).Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        (await Attr(page, "data-center")).Should().NotBe(before);
        centre[0].Should().BeApproximately(118.4825, 0.01);
        centre[1].Should().BeApproximately(37.45, 0.02);
        await Shot(page, "commander-gap");

        // Click on the map inside the gap: the attributes panel shows it. The point clicked is inside the gap (PostGIS), at least
        // 10 px from its edge and 24 px from every key well and incident (their symbols take a click on top of the gap; the
        // sample's incidents move with the date), the nearest such point to the map's centre.
        var box = (await page.Locator("[data-testid=map]").BoundingBoxAsync())!;
        var (x, y) = await PointInsideAGapClearOfPointsAsync(page, box);
        output.WriteLine($"click inside the gap at {x:0},{y:0} px of the {box.Width:0}×{box.Height:0} map");
        await page.Mouse.ClickAsync(box.X + (float)x, box.Y + (float)y);
        await page.WaitForSelectorAsync("[data-testid=attributes]");
        (await page.TextContentAsync("[data-testid=attributes]")).Should().Contain("gap");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// A pixel of the map (relative to its box) inside a gap of the gaps layer: Web Mercator from the map's centre and zoom, the
    /// containment and the 10 px edge margin by PostGIS; no key well (as the map loaded them) and no incident within 24 px.
    /// </summary>
    private async Task<(double X, double Y)> PointInsideAGapClearOfPointsAsync(IPage page, LocatorBoundingBoxResult box)
    {
        var c = (await Attr(page, "data-center")).Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var zoom = int.Parse(await Attr(page, "data-zoom"), CultureInfo.InvariantCulture);
        var world = 256 * Math.Pow(2, zoom);
        static double Mx(double lon) => (lon + 180) / 360;
        static double My(double lat) { var r = lat * Math.PI / 180; return (1 - Math.Log(Math.Tan(r) + 1 / Math.Cos(r)) / Math.PI) / 2; }
        (double X, double Y) Pixel(double lon, double lat) => (box.Width / 2 + (Mx(lon) - Mx(c[0])) * world, box.Height / 2 + (My(lat) - My(c[1])) * world);
        (double Lon, double Lat) LonLat(double x, double y)
        {
            var mx = Mx(c[0]) + (x - box.Width / 2) / world;
            var my = My(c[1]) + (y - box.Height / 2) / world;
            return (mx * 360 - 180, Math.Atan(Math.Sinh(Math.PI * (1 - 2 * my))) * 180 / Math.PI);
        }
        var points = new List<(double X, double Y)>();
        using (var wells = System.Text.Json.JsonDocument.Parse(await (await page.APIRequest.GetAsync(app.BaseUrl + "/api/layers/key-wells")).TextAsync()))
        {
            foreach (var f in wells.RootElement.GetProperty("features").EnumerateArray())
            {
                var xy = f.GetProperty("geometry").GetProperty("coordinates");
                points.Add(Pixel(xy[0].GetDouble(), xy[1].GetDouble()));
            }
        }
        var incidents = await app.Database.ScalarAsync<string>("SELECT coalesce(string_agg(ST_X(geom)::text || ' ' || ST_Y(geom)::text, ';'), '') FROM incident");
        foreach (var p in incidents.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var xy = p.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            points.Add(Pixel(xy[0], xy[1]));
        }
        var candidates = new List<(double X, double Y, double Lon, double Lat, double D)>();
        for (var x = box.Width * 0.2; x <= box.Width * 0.8; x += 6)
        {
            for (var y = box.Height * 0.2; y <= box.Height * 0.8; y += 6)
            {
                if (points.Any(p => Math.Sqrt((p.X - x) * (p.X - x) + (p.Y - y) * (p.Y - y)) < 24)) continue;
                var (lon, lat) = LonLat(x, y);
                candidates.Add((x, y, lon, lat, Math.Sqrt((x - box.Width / 2) * (x - box.Width / 2) + (y - box.Height / 2) * (y - box.Height / 2))));
            }
        }
        candidates.Should().NotBeEmpty("some part of the map is clear of point symbols");
        var gaps = await (await page.APIRequest.GetAsync(app.BaseUrl + "/api/layers/gaps")).TextAsync();
        var metresPerPixel = 40_075_016.686 * Math.Cos(c[1] * Math.PI / 180) / world;
        string List(Func<(double X, double Y, double Lon, double Lat, double D), double> f) =>
            string.Join(",", candidates.Select(k => f(k).ToString("R", CultureInfo.InvariantCulture)));
        var sql = $"""
            WITH gap AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326) AS geom
                         FROM jsonb_array_elements('{gaps.Replace("'", "''")}'::jsonb -> 'features') f),
                 c AS (SELECT * FROM unnest(ARRAY[{List(k => k.X)}]::float8[], ARRAY[{List(k => k.Y)}]::float8[],
                                            ARRAY[{List(k => k.Lon)}]::float8[], ARRAY[{List(k => k.Lat)}]::float8[], ARRAY[{List(k => k.D)}]::float8[]) AS c(x, y, lon, lat, d))
            SELECT c.x::text || ' ' || c.y::text FROM c JOIN gap ON ST_Covers(gap.geom, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326))
            WHERE ST_Distance(ST_Boundary(gap.geom)::geography, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)::geography) >= {(10 * metresPerPixel).ToString("R", CultureInfo.InvariantCulture)}
            ORDER BY c.d LIMIT 1
            """;
        var found = await app.Database.ScalarAsync<string?>(sql);
        found.Should().NotBeNull("a point of a gap on screen is clear of point symbols and 10 px from the gap's edge");
        var parts = found!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (parts[0], parts[1]);
    }

    [Fact]
    public async Task Analyst_changes_the_time_range_and_the_heatmap_changes()
    {
        var (page, _) = await SignInAsync("analyst");
        await page.ClickAsync("[data-testid=rail-analyst]");
        await page.WaitForSelectorAsync("[data-testid=analyst-panel]");
        await page.CheckAsync("[data-testid=toggle-heat]"); // the kernel density is on request (Gi* cells are the view's default)
        await WaitAttrAsync(page, "data-count-heat", v => v.Length > 0 && v != "0", "the heat layer loaded");
        var quarter = int.Parse(await Attr(page, "data-count-heat"), CultureInfo.InvariantCulture);
        quarter.Should().BeInRange(290, 330, "one incident every 7 hours over about 91 days");

        await page.ClickAsync("[data-testid=preset-month]");
        await WaitAttrAsync(page, "data-count-heat", v => v != quarter.ToString(CultureInfo.InvariantCulture), "a month has fewer incidents");
        var month = int.Parse(await Attr(page, "data-count-heat"), CultureInfo.InvariantCulture);
        month.Should().BeInRange(95, 110);

        await page.ClickAsync("[data-testid=preset-year]");
        await WaitAttrAsync(page, "data-count-heat", v => v != month.ToString(CultureInfo.InvariantCulture), "a year has more incidents");
        int.Parse(await Attr(page, "data-count-heat"), CultureInfo.InvariantCulture).Should().BeInRange(1240, 1260);
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=hot-count]').textContent) > 0");
        await page.WaitForSelectorAsync("[data-testid=kpi-table] tbody tr >> nth=3");
        await page.WaitForSelectorAsync("[data-testid=monthly-chart] polyline");
        await Shot(page, "analyst");

        // Export the map as PNG and the KPI table as CSV.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-png]"));
        var png = Path.Combine(OneMapBrowserFixture.ScreenshotFolder, "analyst-export.png");
        await download.SaveAsAsync(png);
        var bytes = await File.ReadAllBytesAsync(png);
        bytes.Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        bytes.Length.Should().BeGreaterThan(10_000);
        var csv = await page.APIRequest.GetAsync(app.BaseUrl + "/" + await page.GetAttributeAsync("[data-testid=export-kpi-csv]", "href"));
        csv.Status.Should().Be(200);
        (await csv.TextAsync()).Should().Contain("纯梁护卫部");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Planner_edits_a_jurisdiction_sees_the_impact_saves_and_rolls_back()
    {
        await app.Database.ReloadAsync(keepUsers: true);
        var (page, _) = await SignInAsync("planner");
        await page.ClickAsync("[data-testid=rail-planner]");
        await page.WaitForSelectorAsync("[data-testid=version-row]");
        var original = await page.GetAttributeAsync("[data-testid=version-row] >> nth=0", "data-version");
        await page.ClickAsync("[data-testid=start-edit]");
        await WaitAttrAsync(page, "data-editing", v => v == "true", "editing started");
        await Task.Delay(800);

        // Drag the north-east vertex of D1 east, into the gap towards D2.
        var markers = page.Locator(".leaflet-marker-icon.marker-icon:not(.marker-icon-middle)");
        (await markers.CountAsync()).Should().BeGreaterThanOrEqualTo(4);
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < await markers.CountAsync(); i++) boxes.Add((await markers.Nth(i).BoundingBoxAsync())!);
        var ne = boxes.OrderByDescending(b => b.X - b.Y).First();
        await page.Mouse.MoveAsync(ne.X + ne.Width / 2, ne.Y + ne.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(ne.X + ne.Width / 2 + 20, ne.Y + ne.Height / 2, new() { Steps = 8 });
        await page.Mouse.MoveAsync(ne.X + ne.Width / 2 + 40, ne.Y + ne.Height / 2, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await WaitAttrAsync(page, "data-edit-revision", v => v.Length > 0, "the drag changed the polygon");

        // The impact follows the drag by itself (no button): wait until it is computed for the current edit.
        await page.WaitForSelectorAsync("[data-testid=impact][data-stale=false] [data-testid=workload]", new() { Timeout = 60_000 });
        (await page.TextContentAsync("[data-testid=workload] tbody tr >> nth=0")).Should().Contain("→", "D1's area changes");
        await page.FillAsync("[data-testid=reason]", "东北角向东延伸，缩小空白区");
        await Shot(page, "planner-impact");
        await page.ClickAsync("[data-testid=save]");
        await page.WaitForSelectorAsync("[data-testid=planner-message]:has-text('已保存新版本')");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=version-row]').length === 2");
        var saved = await page.GetAttributeAsync("[data-testid=version-row] >> nth=0", "data-version");
        long.Parse(saved!, CultureInfo.InvariantCulture).Should().BeGreaterThan(long.Parse(original!, CultureInfo.InvariantCulture));
        (await page.TextContentAsync("[data-testid=version-row] >> nth=0")).Should().Contain("planner").And.Contain("缩小空白区");

        await page.ClickAsync($"[data-testid=version-row][data-version='{original}'] [data-testid=rollback]");
        await page.WaitForSelectorAsync("[data-testid=rollback-confirm]");
        await page.ClickAsync("[data-testid=rollback-yes]");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=version-row]').length === 3");
        (await app.Database.ScalarAsync<bool>($"""
            SELECT ST_Equals(c.geom, o.geom) FROM jurisdiction c, jurisdiction o
            WHERE c.department_code = 'D1' AND c.valid_to IS NULL AND o.id = {original}
            """)).Should().BeTrue("roll back = a new version equal to the old one");
        await Shot(page, "planner-history");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Analyst_in_the_planner_view_is_refused_editing()
    {
        var (page, _) = await SignInAsync("analyst");
        await page.ClickAsync("[data-testid=rail-planner]");
        await page.WaitForSelectorAsync("[data-testid=planner-readonly]");
        (await page.IsDisabledAsync("[data-testid=start-edit]")).Should().BeTrue();
        (await page.Locator("[data-testid=rollback]").CountAsync()).Should().Be(0);
        var response = await page.APIRequest.PostAsync(app.BaseUrl + "/api/planning/jurisdiction/D1/save", new()
        {
            DataObject = new { baseVersionId = 1, reason = "x", geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { 118.4, 37.4 }, new[] { 118.5, 37.4 }, new[] { 118.5, 37.5 }, new[] { 118.4, 37.4 } } } } },
        });
        response.Status.Should().Be(403);
        await Shot(page, "planner-readonly");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_stored_name_with_markup_is_shown_as_text_and_nothing_breaks_the_content_security_policy()
    {
        // Issue 11: an oil zone name such as <img src=x onerror=…> imported by a planner ran as script in an admin's browser
        // (Leaflet tooltips insert strings as HTML). Both a permanent label (department name) and a hover tooltip (oil zone name).
        const string payload = "<img src=x onerror=\"window.__mcXss=(window.__mcXss||0)+1\">";
        var department = await app.Database.ScalarAsync<string>("SELECT code FROM department ORDER BY code LIMIT 1");
        var name = await app.Database.ScalarAsync<string>($"SELECT name FROM department WHERE code = '{department}'");
        async Task Exec(string sql, params object[] values)
        {
            await using var command = app.Database.DataSource.CreateCommand(sql);
            foreach (var v in values) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = v });
            await command.ExecuteNonQueryAsync();
        }
        await Exec($"UPDATE department SET name = $1 || name WHERE code = '{department}'", payload);
        await Exec("UPDATE oil_zone SET name = $1 || name", payload);
        try
        {
            var page = await app.NewPageAsync();
            await page.AddInitScriptAsync("""
                window.__mcCsp = [];
                document.addEventListener('securitypolicyviolation', e => window.__mcCsp.push(e.violatedDirective + ' ' + e.blockedURI));
                """);
            await page.GotoAsync(app.BaseUrl + "/signin");
            await page.FillAsync("[data-testid=username]", "admin");
            await page.FillAsync("[data-testid=password]", Password);
            await page.ClickAsync("[data-testid=signin-submit]");
            await page.WaitForSelectorAsync("[data-testid=map][data-count-jurisdictions='3']", new() { Timeout = 60_000, State = WaitForSelectorState.Attached });
            var label = page.Locator(".mc-label", new() { HasText = "<img src=x" });
            await label.First.WaitForAsync(new() { Timeout = 30_000 });
            (await label.First.InnerHTMLAsync()).Should().Contain("&lt;img", "the name is text, not markup");

            // Hover over every oil-zone path until a tooltip shows (the zone's label is a hover tooltip).
            foreach (var path in await page.Locator(".leaflet-overlay-pane path").AllAsync())
            {
                try { await path.HoverAsync(new() { Timeout = 1_000, Force = true }); } catch (TimeoutException) { }
            }
            await Task.Delay(500);
            (await page.EvaluateAsync<int>("() => window.__mcXss ?? 0")).Should().Be(0, "no stored name ran as script");
            (await page.Locator(".leaflet-tooltip img").CountAsync()).Should().Be(0);
            (await page.EvaluateAsync<string[]>("() => window.__mcCsp")).Should().BeEmpty(
                "Blazor, Leaflet and the map modules work under script-src 'self' without a violation");
            await page.Context.CloseAsync();
        }
        finally
        {
            await Exec($"UPDATE department SET name = $1 WHERE code = '{department}'", name);
            await Exec("UPDATE oil_zone SET name = substr(name, $1)", payload.Length + 1);
        }
    }

    [Fact]
    public async Task Commander_sees_a_unit_move_live_and_takes_a_camera_alert_through_ack_dispatch_close()
    {
        var users = new MapControl.Data.PostGis.Repositories.UserRepository(app.Database.DataSource);
        if (await users.GetAsync("video-platform") is null)
            await users.AddAsync(new MapControl.Core.Model.User("video-platform", "视频平台", MapControl.Core.Model.Role.Integration, null), "video-secret-1");
        var videoToken = await users.CreateApiTokenAsync("video-platform");
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var (page, _) = await SignInAsync("commander");
        await page.WaitForSelectorAsync("[data-testid=map][data-live-units='3']", new() { State = WaitForSelectorState.Attached });
        await page.WaitForSelectorAsync("[data-unit=U2]", new() { State = WaitForSelectorState.Attached });

        // A fix ingested over HTTP moves the unit on the open map (pushed over the circuit, no polling).
        var clock = Stopwatch.StartNew();
        var ingest = await http.GetAsync($"/ingest/osmand?id=dev-u2&lat=37.47&lon=118.52&timestamp={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&speed=10&bearing=90");
        ingest.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        await page.WaitForSelectorAsync("[data-unit=U2][data-lon='118.52']", new() { State = WaitForSelectorState.Attached, Timeout = 5_000 });
        var moved = clock.ElapsedMilliseconds;
        output.WriteLine($"ingest → marker moved: {moved} ms");
        moved.Should().BeLessThan(5_000);

        // A camera event posted by the video platform makes an alert appear in the list and on the map.
        var camera = await app.Database.ScalarAsync<string>("SELECT code FROM camera ORDER BY code LIMIT 1");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/ingest/events")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { camera, kind = "人员闯入", at = DateTimeOffset.UtcNow.ToString("O") }),
        };
        post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", videoToken);
        (await http.SendAsync(post)).StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        var row = page.Locator("[data-testid=alert-row][data-kind=video_event]");
        await row.First.WaitForAsync(new() { Timeout = 5_000 });
        (await row.First.TextContentAsync()).Should().Contain("人员闯入").And.Contain(camera);
        await page.WaitForSelectorAsync("[data-alert][data-status=open]", new() { State = WaitForSelectorState.Attached });
        await Shot(page, "commander-alert");

        await row.First.Locator("[data-testid=alert-ack]").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=alert-row][data-kind=video_event][data-status=acknowledged]");
        await row.First.Locator("[data-testid=alert-dispatch]").ClickAsync();
        var candidate = row.First.Locator("[data-testid=candidate-row]").First;
        await candidate.WaitForAsync();
        await candidate.ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=alert-row][data-kind=video_event][data-status=dispatched]");
        await page.WaitForSelectorAsync("[data-testid=map][data-live-routes='1']", new() { State = WaitForSelectorState.Attached, Timeout = 5_000 });
        await Shot(page, "commander-dispatched");
        await row.First.Locator("[data-testid=alert-close]").ClickAsync();
        await row.First.Locator("[data-testid=close-outcome]").SelectOptionAsync("Incident");
        await row.First.Locator("[data-testid=close-note]").FillAsync("现场抓获两人");
        await row.First.Locator("[data-testid=close-confirm]").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=closed-row]", new() { State = WaitForSelectorState.Attached });
        await page.WaitForSelectorAsync("[data-testid=map][data-live-routes='0']", new() { State = WaitForSelectorState.Attached, Timeout = 5_000 });
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM incident WHERE code LIKE 'AL-%' AND discovered_by = 'video'")).Should().BeGreaterThan(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_signs_in_and_switches_the_language_to_english()
    {
        var (page, _) = await SignInAsync("admin", locale: "en-US");
        (await page.TextContentAsync("[data-testid=rail-commander]")).Should().Contain("Command", "Accept-Language en-US");
        await page.SelectOptionAsync("[data-testid=language]", "zh-CN");
        await page.WaitForSelectorAsync("[data-testid=rail-commander]:has-text('指挥')");
        await page.SelectOptionAsync("[data-testid=language]", "en");
        await page.WaitForSelectorAsync("[data-testid=rail-commander]:has-text('Command')");
        await page.WaitForSelectorAsync("[data-testid=gap-row]", new() { Timeout = 60_000 });
        await Shot(page, "commander-en");

        // The department selector narrows the department layers to one department.
        await page.SelectOptionAsync("[data-testid=department]", "D2");
        await WaitAttrAsync(page, "data-count-jurisdictions", v => v == "1", "only D2's jurisdiction");
        await WaitAttrAsync(page, "data-count-patrol-zones", v => v == "1", "only D2's patrol zone");
        await page.SelectOptionAsync("[data-testid=department]", "");
        await WaitAttrAsync(page, "data-count-jurisdictions", v => v == "3", "all departments again");
        await page.ClickAsync("[data-testid=signout]");
        await page.WaitForURLAsync("**/signin");
        await page.Context.CloseAsync();
    }
}
