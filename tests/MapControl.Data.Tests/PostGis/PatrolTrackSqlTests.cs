using MapControl.Core.Crs;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis.Ogc;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.PostGis.Sql;
using MapControl.Data.PostGis.Tiles;
using NetTopologySuite.Geometries;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.PostGis;

/// <summary>The tile/OGC track SQL and Core's TrackBuilder follow one rule: the same fixes give the same tracks.</summary>
public sealed class PatrolTrackSqlTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    // 15:40 UTC = 23:40 China Standard Time on 10 June; midnight China time is 16:00 UTC.
    private static readonly DateTimeOffset Start = new(2025, 6, 10, 15, 40, 0, TimeSpan.Zero);
    private static readonly MetricProjection Plane = MetricProjection.Dongying;

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptA);
        await new DepartmentRepository(database.DataSource).InsertAsync(DeptB);
        await new PatrolUnitRepository(database.DataSource).InsertAsync(UnitA);
        await new PatrolUnitRepository(database.DataSource).InsertAsync(UnitB);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fix of a unit <paramref name="minutes"/> after <see cref="Start"/> at (x, y) metres from the Dongying origin.</summary>
    private static GpsFix At(string unit, double minutes, double x, double y)
    {
        var (lon, lat) = Plane.Inverse(MetricProjection.FalseEasting + x, y);
        return new GpsFix(unit, Start.AddMinutes(minutes), lon, lat);
    }

    private static List<GpsFix> Fixes()
    {
        var fixes = new List<GpsFix>();
        // U1 drives east 200 m a minute from 15:40 to 16:20 UTC, through midnight China time (16:00 UTC).
        for (var m = 0; m <= 40; m++) fixes.Add(At("U1", m, 200 * m, 0));
        // An 11-minute pause at the same spot, then on again for 5 minutes.
        for (var m = 51; m <= 55; m++) fixes.Add(At("U1", m, 8000 + 150 * (m - 51), 0));
        // A 2.1 km jump within one minute, then on for 3 minutes.
        for (var m = 56; m <= 59; m++) fixes.Add(At("U1", m, 8600 + 2100 + 150 * (m - 56), 0));
        // An isolated fix half an hour later: a one-fix track in Core, no line in the SQL.
        fixes.Add(At("U1", 90, 11_000, 0));
        // U2: a gap of exactly 10 minutes and a jump of 1.9 km both stay in one track; north-south, off the central meridian.
        fixes.Add(At("U2", 0, 30_000, 5000));
        fixes.Add(At("U2", 1, 30_000, 5100));
        fixes.Add(At("U2", 11, 30_000, 5200));
        fixes.Add(At("U2", 12, 30_000, 7100));
        fixes.Add(At("U2", 13, 30_000, 7200));
        return fixes;
    }

    [Fact]
    public async Task Tracks_sql_equals_core_track_builder_across_midnight_china_time_a_pause_and_a_jump()
    {
        await new GpsPointRepository(database.DataSource).InsertManyAsync(Fixes());
        var from = Start.AddHours(-1);
        var to = Start.AddHours(3);
        var stored = await new GpsPointRepository(database.DataSource).GetByWindowAsync(from, to);

        var core = TrackBuilder.Build(stored, [UnitA, UnitB], new TrackOptions(From: from, To: to));
        var sql = await SqlTracksAsync(from, to);

        // The rule itself, spelled out: U1 breaks at 16:00 UTC, at the 11-minute pause, at the 2.1 km jump and before the lone fix.
        core.Select(t => (t.UnitCode, t.Start, t.PointCount)).Should().Equal(
            ("U1", Start, 20),                      // 15:40–15:59 UTC: 10 June in China
            ("U1", Start.AddMinutes(20), 21),       // 16:00–16:20 UTC: 11 June in China
            ("U1", Start.AddMinutes(51), 5),        // after the 11-minute pause
            ("U1", Start.AddMinutes(56), 4),        // after the 2.1 km jump
            ("U1", Start.AddMinutes(90), 1),        // the lone fix
            ("U2", Start, 5));                      // a 10-minute gap and a 1.9 km jump stay
        sql.Select(t => t.Id).Should().Equal("U1.2025-06-10.1", "U1.2025-06-11.1", "U1.2025-06-11.2", "U1.2025-06-11.3", "U2.2025-06-10.1");

        var lines = core.Where(t => t.PointCount >= 2).ToList();
        sql.Select(t => (t.Unit, t.Department, t.Started, t.Ended, t.Points)).Should().Equal(
            lines.Select(t => (t.UnitCode, t.DepartmentCode, t.Start, t.End, t.PointCount)));
        for (var i = 0; i < lines.Count; i++)
            sql[i].Geometry.Coordinates.Should().Equal(lines[i].Geometry.Coordinates, (a, b) => a.X == b.X && a.Y == b.Y);
    }

    [Fact]
    public async Task Track_by_id_reads_the_china_time_day_of_its_id()
    {
        await new GpsPointRepository(database.DataSource).InsertManyAsync(Fixes());
        var repository = new FeatureRepository(database.DataSource, new CoverageGaps(database.DataSource, TimeProvider.System));
        var collection = FeatureCollections.Find(FeatureCollections.PatrolTracks)!;

        var afterMidnight = await repository.GetAsync(collection, "U1.2025-06-11.1", CancellationToken.None);
        var beforeMidnight = await repository.GetAsync(collection, "U1.2025-06-10.1", CancellationToken.None);

        afterMidnight.Should().NotBeNull();
        afterMidnight!.PropertiesJson.Should().Contain("\"points\": 21");
        beforeMidnight.Should().NotBeNull();
        beforeMidnight!.PropertiesJson.Should().Contain("\"points\": 20");
    }

    [Fact]
    public async Task A_tracks_tile_builds_only_the_unit_days_near_it_and_draws_the_same_tracks()
    {
        await new GpsPointRepository(database.DataSource).InsertManyAsync(Fixes());
        var from = Start.AddHours(-1);
        var to = Start.AddHours(3);
        var fixes = Fixes();
        var tiles = new HashSet<TileAddress>();
        foreach (var z in new[] { 12, 13, 14, 15, 16 })
            foreach (var f in fixes)
                for (var dx = -1; dx <= 1; dx++)
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        var t = TileAddress.Containing(f.Lon, f.Lat, z);
                        tiles.Add(t with { X = t.X + dx, Y = t.Y + dy });
                    }
        // U2's 1.9 km step north (11 → 12 min) crosses this z16 tile, which holds none of its fixes.
        var (midLon, midLat) = Plane.Inverse(MetricProjection.FalseEasting + 30_000, 6150);
        var crossed = TileAddress.Containing(midLon, midLat, 16);
        tiles.Add(crossed);

        var drawnWithoutFix = 0;
        // The whole data, and a window cut in the middle of both China-time days (15:50–16:25 UTC).
        foreach (var (f0, t0) in new[] { (from, to), (Start.AddMinutes(10), Start.AddMinutes(45)) })
            foreach (var tile in tiles)
            {
                var all = await TracksInTileAsync(PatrolTrackSql.Tracks, tile, f0, t0, near: false);
                var near = await TracksInTileAsync(PatrolTrackSql.TracksNear, tile, f0, t0, near: true);
                near.Should().Equal(all, $"tile {tile}, window {f0:O}–{t0:O}");
                var (w, s, e, n) = tile.Bounds();
                if (all.Count > 0 && !fixes.Any(f => f.Lon >= w && f.Lon <= e && f.Lat >= s && f.Lat <= n)) drawnWithoutFix++;
            }
        (await TracksInTileAsync(PatrolTrackSql.TracksNear, crossed, from, to, near: true)).Should().ContainSingle()
            .Which.Should().StartWith("U2.2025-06-10.1 ");
        drawnWithoutFix.Should().BePositive("tracks cross tiles that hold none of their fixes");
    }

    /// <summary>The tracks drawn in a tile: id, points and the line's bytes (hashed).</summary>
    private async Task<List<string>> TracksInTileAsync(string tracks, TileAddress tile, DateTimeOffset from, DateTimeOffset to, bool near)
    {
        await using var cmd = database.DataSource.CreateCommand(
            $"SELECT id || ' ' || points || ' ' || md5(ST_AsBinary(geom)) FROM ({tracks}) t WHERE ST_AsMVTGeom(ST_Transform(t.geom, 3857), ST_TileEnvelope(@z, @x, @y), 4096, 64, true) IS NOT NULL ORDER BY id");
        cmd.Parameters.AddWithValue("z", tile.Z);
        cmd.Parameters.AddWithValue("x", tile.X);
        cmd.Parameters.AddWithValue("y", tile.Y);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.AddWithValue("unit", DBNull.Value);
        if (near)
        {
            var (w, s, e, n) = VectorTileRepository.TracksNearEnvelope(tile);
            cmd.Parameters.AddWithValue("west", w);
            cmd.Parameters.AddWithValue("south", s);
            cmd.Parameters.AddWithValue("east", e);
            cmd.Parameters.AddWithValue("north", n);
        }
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    [Fact]
    public void Sql_takes_its_thresholds_from_core()
    {
        PatrolTrackSql.Tracks.Should().Contain($"interval '{TrackOptions.DefaultMaxTimeGap.TotalSeconds} seconds'")
            .And.Contain($"> {TrackOptions.DefaultMaxJumpM})").And.Contain($"interval '{TrackOptions.DayUtcOffset.TotalSeconds} seconds'");
        PatrolTrackSql.Rule.Should().Be("per unit and China Standard Time (UTC+08:00) day, broken where consecutive points are more than 10 min or 2 km apart");
    }

    private async Task<List<(string Id, string Unit, string Department, DateTimeOffset Started, DateTimeOffset Ended, int Points, Geometry Geometry)>> SqlTracksAsync(
        DateTimeOffset from, DateTimeOffset to)
    {
        await using var cmd = database.DataSource.CreateCommand(
            $"SELECT id, unit_code, department_code, started_at, ended_at, points, geom FROM ({PatrolTrackSql.Tracks}) t ORDER BY unit_code, started_at");
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.AddWithValue("unit", DBNull.Value);
        await using var reader = await cmd.ExecuteReaderAsync();
        var result = new List<(string, string, string, DateTimeOffset, DateTimeOffset, int, Geometry)>();
        while (await reader.ReadAsync())
            result.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), reader.GetFieldValue<Geometry>(6)));
        return result;
    }
}
