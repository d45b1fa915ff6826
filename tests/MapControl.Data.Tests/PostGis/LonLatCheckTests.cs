namespace MapControl.Data.Tests.PostGis;

/// <summary>
/// Migration 0015: <c>lonlat_in_bounds</c> is inlined where it is planned (the CHECK constraints of every geometry column), and
/// answers as before: NULL for NULL, else whether the bounding box lies within ±180° × ±90°.
/// </summary>
public sealed class LonLatCheckTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Theory]
    [InlineData("POINT(118.5 37.5)", true)]
    [InlineData("POINT(180 90)", true)]
    [InlineData("POINT(-180 -90)", true)]
    [InlineData("POINT(180.000001 0)", false)]
    [InlineData("POINT(0 -90.5)", false)]
    [InlineData("LINESTRING(0 0, 190 0)", false)]
    [InlineData("POLYGON((170 80, 179 80, 179 89, 170 89, 170 80))", true)]
    public async Task The_check_answers_by_the_bounding_box(string wkt, bool inBounds) =>
        (await database.ScalarAsync<bool>($"SELECT lonlat_in_bounds(ST_GeomFromText('{wkt}', 4326))")).Should().Be(inBounds);

    [Fact]
    public async Task Null_gives_null() =>
        (await database.ScalarAsync<bool>("SELECT lonlat_in_bounds(NULL::geometry) IS NULL")).Should().BeTrue();

    [Fact]
    public async Task The_function_is_inlined_where_it_is_planned()
    {
        // A STRICT SQL function whose body is not strict is never inlined: each checked row ran it through the SQL-function executor.
        (await database.ScalarAsync<bool>("SELECT proisstrict FROM pg_proc WHERE proname = 'lonlat_in_bounds'")).Should().BeFalse();
        await using var cmd = database.DataSource.CreateCommand("EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM incident WHERE lonlat_in_bounds(geom)");
        await using var r = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await r.ReadAsync()) lines.Add(r.GetString(0));
        string.Join("\n", lines).Should().Contain("st_xmin").And.NotContain("lonlat_in_bounds");
    }
}
