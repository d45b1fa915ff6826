using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis;

/// <summary>Loads a whole <see cref="SampleDataset"/> into a migrated database in one transaction: all or nothing.</summary>
public static class SeedLoader
{
    private const string IsEmptySql = """
        SELECT NOT EXISTS (SELECT 1 FROM department) AND NOT EXISTS (SELECT 1 FROM oil_zone) AND NOT EXISTS (SELECT 1 FROM well)
           AND NOT EXISTS (SELECT 1 FROM incident) AND NOT EXISTS (SELECT 1 FROM gps_point)
        """;

    private const string AnalyzeSql = """
        ANALYZE oil_zone, department, jurisdiction, patrol_zone, well, camera, idle_site, patrol_unit, patrol_route,
                basemap_feature, incident, gps_point
        """;

    /// <summary>True when the database holds no departments, oil zones, wells, incidents or GPS points.</summary>
    public static async Task<bool> IsEmptyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync<bool>(connection, IsEmptySql, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads the dataset in one transaction (wells, incidents and GPS points by binary COPY), attributes incidents to departments and oil zones, then analyzes the tables.</summary>
    /// <returns>The counts after loading.</returns>
    /// <exception cref="PostgresException">A row broke a constraint; nothing was loaded.</exception>
    public static Task<DatabaseCounts> LoadAsync(NpgsqlDataSource dataSource, SampleDataset dataset, CancellationToken cancellationToken = default) =>
        LoadAsync(dataSource, dataset, progress: null, cancellationToken);

    /// <summary>Loads the dataset like <see cref="LoadAsync(NpgsqlDataSource, SampleDataset, CancellationToken)"/>, reporting each step.</summary>
    public static async Task<DatabaseCounts> LoadAsync(NpgsqlDataSource dataSource, SampleDataset dataset, IProgress<string>? progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            await Each(dataset.Departments, "departments", d => DepartmentRepository.InsertAsync(connection, d, cancellationToken)).ConfigureAwait(false);
            await Each(dataset.OilZones, "oil zones", z => OilZoneRepository.InsertAsync(connection, z, cancellationToken)).ConfigureAwait(false);
            await Each(dataset.Jurisdictions, "jurisdictions", j => JurisdictionRepository.InsertAsync(connection, j, cancellationToken)).ConfigureAwait(false);
            await Each(dataset.PatrolZones, "patrol zones", z => PatrolZoneRepository.InsertAsync(connection, z, cancellationToken)).ConfigureAwait(false);

            progress?.Report($"wells: {dataset.Wells.Count}");
            await WellRepository.CopyAsync(connection, dataset.Wells, cancellationToken).ConfigureAwait(false);

            await Each(dataset.Cameras, "cameras", c => CameraRepository.InsertAsync(connection, c, cancellationToken)).ConfigureAwait(false);
            await Each(dataset.IdleSites, "idle sites", s => IdleSiteRepository.InsertAsync(connection, s, cancellationToken)).ConfigureAwait(false);
            await Each(dataset.PatrolUnits, "patrol units", u => PatrolUnitRepository.InsertAsync(connection, u, cancellationToken)).ConfigureAwait(false);
            await Each(dataset.PatrolRoutes, "patrol routes", r => PatrolRouteRepository.InsertAsync(connection, r, cancellationToken)).ConfigureAwait(false);
            await Each(dataset.Basemap, "basemap features", f => BasemapRepository.InsertAsync(connection, f, cancellationToken)).ConfigureAwait(false);

            if (dataset.Roads is { Count: > 0 } roads)
            {
                // The one noding path (the import uses it too), in this transaction.
                var network = await Routing.RoadNetwork.ReplaceAsync(connection, roads, cancellationToken).ConfigureAwait(false);
                progress?.Report($"road network: {network.Lines} lines noded into {network.Segments} segments, {network.Vertices} vertices");
            }

            progress?.Report($"incidents: {dataset.Incidents.Count}");
            await IncidentRepository.EnsurePartitionsAsync(connection, dataset.Incidents, cancellationToken).ConfigureAwait(false);
            // Attributed in memory by the one rule (Core IncidentAttribution) over the jurisdiction versions and oil zones now in the
            // database (read back inside this transaction) and written by the COPY itself: no UPDATE pass over the loaded rows.
            var attribution = await IncidentRepository.LoadAttributionAsync(connection, cancellationToken).ConfigureAwait(false);
            await IncidentRepository.CopyAsync(connection, dataset.Incidents, attribution, cancellationToken).ConfigureAwait(false);

            progress?.Report($"GPS points: {dataset.GpsFixes.Count}");
            await GpsPointRepository.CopyAsync(connection, dataset.GpsFixes, cancellationToken).ConfigureAwait(false);

            progress?.Report("committing");
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            progress?.Report("analyzing tables");
            await ExecuteAsync(connection, AnalyzeSql, cancellationToken).ConfigureAwait(false);
        }
        return await DatabaseStats.GetCountsAsync(dataSource, cancellationToken).ConfigureAwait(false);

        async Task Each<T>(IReadOnlyList<T> items, string what, Func<T, Task> insert)
        {
            progress?.Report($"{what}: {items.Count}");
            foreach (var item in items)
                await insert(item).ConfigureAwait(false);
        }
    }
}
