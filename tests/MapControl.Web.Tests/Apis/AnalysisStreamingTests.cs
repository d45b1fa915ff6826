using System.Globalization;
using System.Text.Json;
using MapControl.Core.Grids;
using MapControl.Core.Hotspots;
using MapControl.Data.Analysis;
using MapControl.Web.Apis;
using MapControl.Web.Tests.OneMap;
using Microsoft.Extensions.DependencyInjection;

namespace MapControl.Web.Tests.Apis;

/// <summary>
/// The analyst endpoints stream the window's incidents into Core accumulators (issue 16): the hot spots and year-over-year cells
/// equal the computation over the listed incidents to the last bit, the heat grid's counts agree with PostGIS, the clustered layer
/// is bounded. Real PostGIS with the one-map fixture (3,000 incidents over ~2.4 years, three departments).
/// </summary>
public sealed class AnalysisStreamingTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    // The window × department × kind cases: all, a year, 90 days of one department, one kind, a season-long window of one kind and department.
    public static TheoryData<int, int, string?, string?> Cases => new()
    {
        { -2000, 10, null, null },
        { -365, 1, null, null },
        { -90, 1, "D1", null },
        { -2000, 10, null, "casing_theft" },
        { -400, -100, "D2", "pipeline_tapping" },
        { -365, 1, "D9", null },
    };

    private static AnalysisQuery Query(int fromDays, int toDays, string? department, string? kind, double cellM = 500) =>
        new(Now.AddDays(fromDays), Now.AddDays(toDays), department, kind, cellM);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Streamed_hot_spots_equal_the_computation_over_the_listed_incidents(int fromDays, int toDays, string? department, string? kind)
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var service = factory.Services.GetRequiredService<AnalysisService>();
        var source = factory.Services.GetRequiredService<AnalysisSource>();
        var kinds = factory.Services.GetRequiredService<IncidentKindService>();
        foreach (var cellM in new[] { 500.0, 250.0 })
        {
            var q = Query(fromDays, toDays, department, kind, cellM);
            var listed = await source.LoadIncidentPointsAsync(q.From, q.To, q.Department);
            var expected = HotSpotAnalysis.Run(listed, new HotSpotOptions { CellSizeM = cellM, Filter = await q.FilterAsync(kinds, default) });
            var (json, actual) = await service.HotSpotsAsync(q, default);

            actual.IncidentsTotal.Should().Be(expected.IncidentsTotal);
            actual.IncidentsBinned.Should().Be(expected.IncidentsBinned);
            actual.IncidentsInvalid.Should().Be(expected.IncidentsInvalid);
            actual.Cells.Should().HaveCount(expected.Cells.Count);
            for (var i = 0; i < expected.Cells.Count; i++)
            {
                var (a, e) = (actual.Cells[i], expected.Cells[i]);
                (a.Id, a.Count, a.Hot, a.Cold).Should().Be((e.Id, e.Count, e.Hot, e.Cold));
                BitConverter.DoubleToInt64Bits(a.GiZ).Should().Be(BitConverter.DoubleToInt64Bits(e.GiZ), "z of {0} to the last bit", e.Id);
                BitConverter.DoubleToInt64Bits(a.GiP).Should().Be(BitConverter.DoubleToInt64Bits(e.GiP), "p of {0} to the last bit", e.Id);
                a.Polygon.EqualsExact(e.Polygon).Should().BeTrue();
            }
            JsonDocument.Parse(json).RootElement.GetProperty("features").GetArrayLength().Should().Be(expected.Cells.Count);
            if (department is null && kind is null && fromDays == -2000 && cellM == 500)
                expected.HotCells.Should().NotBeEmpty("the fixture plants a hot spot, so the comparison covers hot cells");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Streamed_year_over_year_equals_the_computation_over_the_listed_incidents(int fromDays, int toDays, string? department, string? kind)
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var service = factory.Services.GetRequiredService<AnalysisService>();
        var source = factory.Services.GetRequiredService<AnalysisSource>();
        var kinds = factory.Services.GetRequiredService<IncidentKindService>();
        var q = Query(fromDays, toDays, department, kind);
        // The computation as it was: both windows listed (last year's up to this year's start), then HotSpotChange over the list.
        var filter = await q.FilterAsync(kinds, default);
        var then = filter.OneYearEarlier();
        var thenTo = then.To!.Value < q.From ? then.To.Value : q.From;
        var listed = (await source.LoadIncidentPointsAsync(q.From, q.To, q.Department)).ToList();
        if (then.From!.Value < thenTo) listed.AddRange(await source.LoadIncidentPointsAsync(then.From.Value, thenTo, q.Department));
        var expected = HotSpotChange.Run(listed, new HotSpotChangeOptions { CellSizeM = q.CellM, Filter = filter });

        var features = JsonDocument.Parse(await service.YearOverYearAsync(q, default)).RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties"))
            .Select(p => (p.GetProperty("cell").GetString()!, p.GetProperty("count").GetInt32(), p.GetProperty("count_last_year").GetInt32()))
            .ToList();
        features.Should().Equal(expected.Cells.Select(c => (c.Id.Id, c.Now, c.Then)));
        if (fromDays == -365 && department is null) expected.TotalThen.Should().BePositive("the comparison covers last year's counts");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Heat_grid_counts_agree_with_PostGIS(int fromDays, int toDays, string? department, string? kind)
    {
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var service = factory.Services.GetRequiredService<AnalysisService>();
        var q = Query(fromDays, toDays, department, kind);
        var heat = await service.HeatAsync(q, default);

        // Independently: PostGIS projects to the same plane (PROJ's transverse Mercator, the hexagon grid's parameters) and floors.
        var oracle = new Dictionary<(int, int), int>();
        await using (var cmd = database.DataSource.CreateCommand($"""
            SELECT floor((ST_X(p) - 500000) / {HeatGrid.CellSizeM.ToString(CultureInfo.InvariantCulture)})::int,
                   floor(ST_Y(p) / {HeatGrid.CellSizeM.ToString(CultureInfo.InvariantCulture)})::int, count(*)::int
            FROM (SELECT ST_Transform(geom, '+proj=tmerc +lat_0=37.45 +lon_0=118.55 +k=1 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs') p
                  FROM incident WHERE occurred_at >= $1 AND occurred_at < $2
                    AND ($3::text IS NULL OR department_code = $3::text) AND ($4::text IS NULL OR kind = $4::text)) s
            GROUP BY 1, 2
            """))
        {
            cmd.Parameters.AddWithValue(q.From.UtcDateTime);
            cmd.Parameters.AddWithValue(q.To.UtcDateTime);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)department ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) oracle[(reader.GetInt32(0), reader.GetInt32(1))] = reader.GetInt32(2);
        }

        var cells = heat.ToDictionary(
            p => { var (x, y) = HexGrid.Projection.Forward(p[1], p[0]); return HeatGrid.CellAt(x, y); },
            p => (int)p[2]);
        heat.Sum(p => p[2]).Should().Be(oracle.Values.Sum(), "the counts sum to the filtered incidents");
        cells.Should().BeEquivalentTo(oracle, "each cell's count is PostGIS's");
        if (department is null && kind is null && fromDays == -2000) heat.Count.Should().BeLessThan(3000, "an incident's cell neighbours share a point");
    }

    [Fact]
    public async Task Clustered_incidents_are_points_up_to_the_bound_and_cells_beyond()
    {
        await database.ReloadAsync();
        await using var factory = OneMapWeb.Factory(database.ConnectionString);
        var service = factory.Services.GetRequiredService<AnalysisService>();
        var all = Query(-2000, 10, null, null);
        var points = JsonDocument.Parse(await service.IncidentsJson(all, default)).RootElement.GetProperty("features");
        points.GetArrayLength().Should().Be(3000, "below the bound every incident comes as itself");
        points.EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("occurred_at").GetString()).Should().BeInAscendingOrder(StringComparer.Ordinal);
        var casing = JsonDocument.Parse(await service.IncidentsJson(Query(-2000, 10, "D1", "casing_theft"), default)).RootElement.GetProperty("features");
        casing.EnumerateArray().Should().OnlyContain(f => f.GetProperty("properties").GetProperty("kind").GetString() == "casing_theft");
        casing.GetArrayLength().Should().Be(await CountAsync("department_code = 'D1' AND kind = 'casing_theft'"));

        try
        {
            // Beyond the bound: 50,000 more incidents over the same extent; the answer is one point per non-empty 500 m hexagon.
            await using (var cmd = database.DataSource.CreateCommand("""
                INSERT INTO incident (code, kind, occurred_at, discovered_at, discovered_by, geom, oil_recovered_t, status, department_code)
                SELECT 'B' || i, (ARRAY['casing_theft', 'vandalism'])[1 + i % 2], now() - i * interval '10 minutes', NULL, 'patrol',
                       ST_SetSRID(ST_MakePoint(118.40 + 0.2 * ((i * 0.6180339887) - floor(i * 0.6180339887)),
                                               37.40 + 0.1 * ((i * 0.7548776662) - floor(i * 0.7548776662))), 4326), 0, 'open', 'D1'
                FROM generate_series(1, 50000) i
                """))
                await cmd.ExecuteNonQueryAsync();
            var total = await CountAsync("TRUE");
            total.Should().BeGreaterThan(ClusterPoints.MaxPoints);
            var cells = JsonDocument.Parse(await service.IncidentsJson(all, default)).RootElement.GetProperty("features").EnumerateArray()
                .Select(f => f.GetProperty("properties")).ToList();
            cells.Count.Should().BeLessThan(2000);
            cells.Sum(p => p.GetProperty("count").GetInt32()).Should().Be(total, "the cells' counts sum to the incidents");
            cells.Select(p => p.GetProperty("cell").GetString()).Should().OnlyHaveUniqueItems();
            cells.Should().OnlyContain(p => p.GetProperty("kinds").GetString()!.StartsWith(p.GetProperty("kind").GetString() + " ", StringComparison.Ordinal));
            // The analyst's smallest hexagons (100 m) do not make the cells finer than 500 m: the answer stays bounded.
            var fine = JsonDocument.Parse(await service.IncidentsJson(all with { CellM = 100 }, default)).RootElement.GetProperty("features")
                .EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
            fine.Select(p => p.GetProperty("cell").GetString()).Should().BeEquivalentTo(cells.Select(p => p.GetProperty("cell").GetString()));
            // The department and kind filters still apply to the cells; a filter that leaves fewer than the bound gets points again.
            var d1 = JsonDocument.Parse(await service.IncidentsJson(Query(-2000, 10, "D1", null), default)).RootElement.GetProperty("features")
                .EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
            d1.Sum(p => p.GetProperty("count").GetInt32()).Should().Be(await CountAsync("department_code = 'D1'"));
            var vandalism = JsonDocument.Parse(await service.IncidentsJson(Query(-2000, 10, "D1", "vandalism"), default)).RootElement.GetProperty("features")
                .EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
            vandalism.Should().HaveCount(await CountAsync("department_code = 'D1' AND kind = 'vandalism'")).And.HaveCountLessThan(ClusterPoints.MaxPoints);
            vandalism.Should().OnlyContain(p => p.EnumerateObject().All(o => o.Name != "count") && p.GetProperty("kind").GetString() == "vandalism");
        }
        finally
        {
            await database.ReloadAsync();
        }
    }

    private async Task<int> CountAsync(string where)
    {
        await using var cmd = database.DataSource.CreateCommand($"SELECT count(*)::int FROM incident WHERE {where}");
        return (int)(await cmd.ExecuteScalarAsync())!;
    }
}
