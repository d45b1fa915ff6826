using Npgsql;

namespace MapControl.Data.PostGis;

/// <summary>How many rows the main tables hold; jurisdictions and patrol zones count current versions only.</summary>
public sealed record DatabaseCounts(long OilZones, long Departments, long Jurisdictions, long PatrolZones, long Wells, long KeyWells,
    long Cameras, long IdleSites, long Incidents, long GpsPoints)
{
    /// <summary>The counts under their snake_case names, in a fixed order (oil_zones … gps_points).</summary>
    public IReadOnlyDictionary<string, long> ToDictionary() => new OrderedDictionary<string, long>
    {
        ["oil_zones"] = OilZones,
        ["departments"] = Departments,
        ["jurisdictions"] = Jurisdictions,
        ["patrol_zones"] = PatrolZones,
        ["wells"] = Wells,
        ["key_wells"] = KeyWells,
        ["cameras"] = Cameras,
        ["idle_sites"] = IdleSites,
        ["incidents"] = Incidents,
        ["gps_points"] = GpsPoints,
    };
}

/// <summary>Row counts and versions for the health endpoint and <c>mapcontrol stats</c>.</summary>
public static class DatabaseStats
{
    private const string CountsSql = """
        SELECT (SELECT count(*) FROM oil_zone),
               (SELECT count(*) FROM department),
               (SELECT count(*) FROM jurisdiction WHERE valid_to IS NULL),
               (SELECT count(*) FROM patrol_zone WHERE valid_to IS NULL),
               (SELECT count(*) FROM well),
               (SELECT count(*) FROM well WHERE is_key),
               (SELECT count(*) FROM camera),
               (SELECT count(*) FROM idle_site),
               (SELECT count(*) FROM incident),
               (SELECT count(*) FROM gps_point)
        """;

    /// <summary>Counts the rows of the main tables.</summary>
    public static async Task<DatabaseCounts> GetCountsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(CountsSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new DatabaseCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9));
    }

    /// <summary>The PostGIS library version (<c>PostGIS_Lib_Version()</c>, e.g. "3.3.2").</summary>
    public static async Task<string> GetPostGisVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT PostGIS_Lib_Version()");
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
