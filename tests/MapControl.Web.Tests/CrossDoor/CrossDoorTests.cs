using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.PostGis.Tiles;
using MapControl.Web.Tests.OneMap;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace MapControl.Web.Tests.CrossDoor;

/// <summary>
/// Every door gives the same answer (issue "One truth"): the same question asked of the CLI (the real <c>mapcontrol</c> process), the
/// JSON API, its CSV export, the OGC API, the tiles and the commander's list, over one database (the one-map fixture).
/// </summary>
public sealed class CrossDoorTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private static readonly string From = "2000-01-01T00:00:00Z";
    private static readonly string To = "2100-01-01T00:00:00Z";

    [Theory]
    [InlineData(null)]
    [InlineData("casing_theft")]
    public async Task Kpi_cli_api_and_csv_agree_per_department(string? kind)
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        var query = $"from={From}&to={To}" + (kind is null ? "" : $"&kind={kind}");

        var api = (await client.GetFromJsonAsync<JsonElement>($"/api/analysis/kpi?{query}")).EnumerateArray()
            .Where(r => r.GetProperty("departmentCode").GetString() != "")
            .ToDictionary(r => r.GetProperty("departmentCode").GetString()!, r => (
                Cases: r.GetProperty("cases").GetInt32(), LastYear: r.GetProperty("casesLastYear").GetInt32(),
                KeyWells: r.GetProperty("keyWells").GetInt32(), Watched: r.GetProperty("keyWellsWatched").GetInt32(),
                Oil: r.GetProperty("oilRecoveredT").GetDouble()));
        api.Should().NotBeEmpty();
        api.Values.Sum(r => r.Cases).Should().BePositive("the fixture has incidents in the departments");

        var csvText = await client.GetStringAsync($"/api/analysis/kpi.csv?{query}");
        var csvLines = csvText.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var head = csvLines[0].Split(',');
        var csv = csvLines.Skip(1).Select(l => l.Split(',')).Where(c => c[0] != "ALL")
            .ToDictionary(c => c[0], c => (Cases: int.Parse(c[Array.IndexOf(head, "cases")], CultureInfo.InvariantCulture),
                LastYear: int.Parse(c[Array.IndexOf(head, "cases_last_year")], CultureInfo.InvariantCulture),
                KeyWells: int.Parse(c[Array.IndexOf(head, "key_wells")], CultureInfo.InvariantCulture),
                Watched: int.Parse(c[Array.IndexOf(head, "key_wells_watched")], CultureInfo.InvariantCulture)));

        var outPath = Path.Combine(Path.GetTempPath(), $"kpi-{Guid.NewGuid():N}.json");
        try
        {
            var args = new List<string> { "kpi", "--from", From, "--to", To, "--period", "whole", "--by", "department", "--out", outPath };
            if (kind is not null) args.AddRange(["--kind", kind]);
            await Cli.RunAsync(database.ConnectionString, args);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(outPath));
            var cli = doc.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("scope").GetString()!, r => (
                Cases: r.GetProperty("cases").GetInt32(), LastYear: r.GetProperty("cases_last_year").GetInt32(),
                KeyWells: r.GetProperty("key_wells").GetInt32(), Watched: r.GetProperty("key_wells_watched").GetInt32(),
                Oil: r.GetProperty("oil_recovered_t").GetDouble()));

            cli.Keys.Should().BeEquivalentTo(api.Keys);
            foreach (var (code, a) in api)
            {
                var c = cli[code];
                (c.Cases, c.LastYear, c.KeyWells, c.Watched).Should().Be((a.Cases, a.LastYear, a.KeyWells, a.Watched), $"department {code}, kind {kind ?? "all"}");
                c.Oil.Should().BeApproximately(a.Oil, 0.01);
                (csv[code].Cases, csv[code].LastYear, csv[code].KeyWells, csv[code].Watched).Should().Be((a.Cases, a.LastYear, a.KeyWells, a.Watched));
            }
        }
        finally { File.Delete(outPath); }
    }

    [Fact]
    public async Task Kpi_kind_filter_changes_the_api_answer()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        static int Centre(JsonElement rows) => rows.EnumerateArray().First().GetProperty("cases").GetInt32();
        var all = Centre(await client.GetFromJsonAsync<JsonElement>($"/api/analysis/kpi?from={From}&to={To}"));
        var one = Centre(await client.GetFromJsonAsync<JsonElement>($"/api/analysis/kpi?from={From}&to={To}&kind=casing_theft"));
        one.Should().BePositive().And.BeLessThan(all, "the kind filter reaches the KPI service");
    }

    [Fact]
    public async Task Gaps_cli_ogc_layer_and_commander_list_agree()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = await OneMapWeb.SignedInClientAsync(factory, "commander");

        var layer = (await client.GetFromJsonAsync<JsonElement>("/api/layers/gaps")).GetProperty("features").EnumerateArray().Select(Gap).ToArray();
        var ogc = (await client.GetFromJsonAsync<JsonElement>("/ogc/collections/gaps/items?limit=1000")).GetProperty("features").EnumerateArray().Select(Gap).ToArray();
        var list = (await client.GetFromJsonAsync<JsonElement>("/api/commander/gaps")).EnumerateArray()
            .Select(r => (Rank: r.GetProperty("rank").GetInt32(), Area: r.GetProperty("areaM2").GetDouble(),
                Departments: string.Join(",", r.GetProperty("departments").EnumerateArray().Select(d => d.GetString())),
                Risk: r.GetProperty("risk").GetDouble())).ToArray();
        var outPath = Path.Combine(Path.GetTempPath(), $"gaps-{Guid.NewGuid():N}.geojson");
        try
        {
            await Cli.RunAsync(database.ConnectionString, ["coverage-check", "--from-db", "--out", outPath]);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(outPath));
            var cli = doc.RootElement.GetProperty("features").EnumerateArray()
                .Where(f => f.GetProperty("properties").GetProperty("kind").GetString() == "gap").Select(Gap).ToArray();

            layer.Should().NotBeEmpty("the fixture plants a gap");
            ogc.Should().Equal(layer);
            cli.Should().Equal(layer);
            list.Should().Equal(layer);
        }
        finally { File.Delete(outPath); }

        static (int Rank, double Area, string Departments, double Risk) Gap(JsonElement f)
        {
            var p = f.GetProperty("properties");
            return (p.GetProperty("rank").GetInt32(), p.GetProperty("area_m2").GetDouble(),
                string.Join(",", p.GetProperty("departments").EnumerateArray().Select(d => d.GetString())), p.GetProperty("risk").GetDouble());
        }
    }

    [Fact]
    public async Task Gap_risk_over_a_window_agrees_between_the_map_layer_ogc_and_the_cli_export()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = await OneMapWeb.SignedInClientAsync(factory, "commander");
        var to = DateTimeOffset.UtcNow;
        var from = to.AddDays(-45);
        static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var layer = (await client.GetFromJsonAsync<JsonElement>($"/api/layers/gaps?from={Iso(from)}&to={Iso(to)}")).GetProperty("features").EnumerateArray().Select(Gap).ToArray();
        var ogc = (await client.GetFromJsonAsync<JsonElement>($"/ogc/collections/gaps/items?limit=1000&datetime={Iso(from)}/{Iso(to)}")).GetProperty("features").EnumerateArray().Select(Gap).ToArray();
        var twelveMonths = (await client.GetFromJsonAsync<JsonElement>("/api/layers/gaps")).GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("risk").GetDouble()).ToArray();
        var outPath = Path.Combine(Path.GetTempPath(), $"gaps-window-{Guid.NewGuid():N}.geojson");
        try
        {
            await Cli.RunAsync(database.ConnectionString, ["export", "--layer", "gaps", "--out", outPath, "--from", Iso(from), "--to", Iso(to)]);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(outPath));
            var cli = doc.RootElement.GetProperty("features").EnumerateArray().Select(Gap).ToArray();

            layer.Should().NotBeEmpty("the fixture plants a gap");
            layer.Select(g => g.Risk).Should().NotEqual(twelveMonths, "45 days hold fewer incidents than 12 months");
            ogc.Should().Equal(layer);
            cli.Should().Equal(layer);
        }
        finally { File.Delete(outPath); }

        static (int Rank, double Area, string Departments, double Risk, int Incidents) Gap(JsonElement f)
        {
            var p = f.GetProperty("properties");
            return (p.GetProperty("rank").GetInt32(), p.GetProperty("area_m2").GetDouble(),
                string.Join(",", p.GetProperty("departments").EnumerateArray().Select(d => d.GetString())), p.GetProperty("risk").GetDouble(),
                p.GetProperty("incidents_window").GetInt32());
        }
    }

    [Fact]
    public async Task Jurisdiction_saved_by_a_planner_is_what_the_ogc_item_the_next_tile_and_the_impact_input_show()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var planner = await OneMapWeb.SignedInClientAsync(factory, "planner");
        var repository = new JurisdictionRepository(database.DataSource);
        var before = (await repository.GetCurrentAsync()).First();
        var env = before.Geometry.EnvelopeInternal;
        var tile = TileAddress.Containing(env.Centre.X, env.Centre.Y, 12);

        var tileBefore = await planner.GetAsync($"/tiles/jurisdictions/{tile}.mvt");
        tileBefore.StatusCode.Should().Be(HttpStatusCode.OK);
        var etagBefore = tileBefore.Headers.ETag!.Tag;
        (await planner.GetAsync($"/tiles/jurisdictions/{tile}.mvt")).Headers.ETag!.Tag.Should().Be(etagBefore, "the second request is served from the cache");

        // Shrink the jurisdiction to its south-west quarter around the tile's centre (a real redraw through the planning API).
        var redrawn = new WKTReader().Read(string.Create(CultureInfo.InvariantCulture,
            $"MULTIPOLYGON ((({env.MinX} {env.MinY}, {env.Centre.X} {env.MinY}, {env.Centre.X} {env.Centre.Y}, {env.MinX} {env.Centre.Y}, {env.MinX} {env.MinY})))"));
        var body = new StringContent(JsonSerializer.Serialize(new
        {
            baseVersionId = before.Id,
            geometry = JsonDocument.Parse(MapControl.Data.Files.FeatureJson.Geometry(redrawn)).RootElement,
            reason = "cross-door check",
        }), Encoding.UTF8, "application/json");
        var save = await planner.PostAsync($"/api/planning/jurisdiction/{before.DepartmentCode}/save", body);
        save.StatusCode.Should().Be(HttpStatusCode.OK, await save.Content.ReadAsStringAsync());
        var newId = (await save.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versionId").GetInt64();

        // The next tile request: new ETag and the new shape (its features lie in the quarter).
        var tileAfter = await planner.GetAsync($"/tiles/jurisdictions/{tile}.mvt");
        tileAfter.Headers.ETag!.Tag.Should().NotBe(etagBefore, "a planner save is visible in the next tile request");
        var decoded = new MapboxTileReader().Read(new MemoryStream(await tileAfter.Content.ReadAsByteArrayAsync()),
            new NetTopologySuite.IO.VectorTiles.Tiles.Tile(tile.X, tile.Y, tile.Z));
        var feature = decoded.Layers.Single().Features.Single(f => (string)f.Attributes["department_code"] == before.DepartmentCode);
        feature.Geometry.EnvelopeInternal.MaxX.Should().BeLessThan(env.Centre.X + 1e-4);

        // OGC item and the impact input (the current jurisdictions from the repository) hold the saved geometry.
        var ogc = await planner.GetFromJsonAsync<JsonElement>($"/ogc/collections/jurisdictions/items/{newId}");
        var ogcGeometry = MapControl.Data.Files.GeoJsonGeometry.ParsePolygonal(ogc.GetProperty("geometry").GetRawText())!;
        ogcGeometry = ogcGeometry as MultiPolygon ?? ogcGeometry.Factory.CreateMultiPolygon([(Polygon)ogcGeometry]);
        ogcGeometry.EqualsExact(redrawn, 1e-9).Should().BeTrue();
        var current = (await repository.GetCurrentAsync()).Single(j => j.DepartmentCode == before.DepartmentCode);
        current.Id.Should().Be(newId);
        current.Geometry.EqualsExact(redrawn, 1e-12).Should().BeTrue("the stored geometry is exactly the one sent");
    }

    [Fact]
    public async Task A_write_by_another_process_is_seen_by_the_next_tile_request()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");
        var zone = (await new OilZoneRepository(database.DataSource).GetAllAsync()).First();
        var c = zone.Geometry.EnvelopeInternal.Centre;
        var tile = TileAddress.Containing(c.X, c.Y, 10);
        var first = await client.GetAsync($"/tiles/oil-zones/{tile}.mvt");
        var etag = first.Headers.ETag!.Tag;
        // The CLI imports into another process's view of the database: here, a plain connection renames the zone.
        await using (var cmd = database.DataSource.CreateCommand($"UPDATE oil_zone SET name = 'renamed' WHERE code = '{zone.Code}'"))
            await cmd.ExecuteNonQueryAsync();
        var second = await client.GetAsync($"/tiles/oil-zones/{tile}.mvt");
        second.Headers.ETag!.Tag.Should().NotBe(etag);
        var decoded = new MapboxTileReader().Read(new MemoryStream(await second.Content.ReadAsByteArrayAsync()),
            new NetTopologySuite.IO.VectorTiles.Tiles.Tile(tile.X, tile.Y, tile.Z));
        decoded.Layers.Single().Features.Should().Contain(f => (string)f.Attributes["name"] == "renamed");
    }

    [Fact]
    public async Task A_department_planner_may_not_import_another_departments_jurisdiction()
    {
        await database.ReloadAsync();
        var departments = (await new DepartmentRepository(database.DataSource).GetAllAsync()).Select(d => d.Code).ToArray();
        await UsersCommandAsync(["users", "add", "dplanner", "--role", "planner", "--department", departments[0], "--password", "department-pass-1"]);
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        using var client = await OneMapWeb.SignedInClientAsync(factory, "dplanner", "department-pass-1");
        var other = departments[1];
        var geojson = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"department_code\":\"" + other
            + "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[118.5,37.4],[118.51,37.4],[118.51,37.41],[118.5,37.41],[118.5,37.4]]]}}]}";
        var before = (await new JurisdictionRepository(database.DataSource).GetCurrentAsync()).Single(j => j.DepartmentCode == other).Id;
        using var form = new MultipartFormDataContent
        {
            { new StringContent("jurisdictions"), "layer" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(geojson)), "file", "j.geojson" },
        };
        var response = await client.PostAsync("/api/import", form);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        (await new JurisdictionRepository(database.DataSource).GetCurrentAsync()).Single(j => j.DepartmentCode == other).Id.Should().Be(before);
    }

    private Task UsersCommandAsync(IReadOnlyList<string> args) => Cli.RunAsync(database.ConnectionString, args);

    /// <summary>Runs the built <c>mapcontrol</c> CLI as a separate process (the door a user runs).</summary>
    private static class Cli
    {
        public static async Task RunAsync(string connectionString, IReadOnlyList<string> args)
        {
            var dll = Path.Combine(RepositoryRoot(), "src", "MapControl.Cli", "bin", "Release", "net10.0", "mapcontrol.dll");
            File.Exists(dll).Should().BeTrue($"the CLI is built ({dll})");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment["MAPCONTROL_DB"] = connectionString;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            process.ExitCode.Should().Be(0, $"mapcontrol {string.Join(' ', args)} failed: {await stderr}{await stdout}");
        }

        private static string RepositoryRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MapControl.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("MapControl.sln not found above the test binaries");
        }
    }
}
