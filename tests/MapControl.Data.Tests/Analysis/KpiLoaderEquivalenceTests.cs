using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Data.Analysis;
using MapControl.Data.PostGis;
using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Tests.PostGis;
using static MapControl.Data.Tests.PostGis.TestData;

namespace MapControl.Data.Tests.Analysis;

/// <summary>
/// The KPI loader at scale (light incidents with their stored attribution; patrol hours stored per reduced day, the rest from raw
/// fixes day by day) gives the same KPI table as the previous path — full incidents attributed in memory and patrol hours computed
/// over all the window's raw fixes — on PostGIS, with a redraw, reduced and unreduced days, partial days at the window's ends.
/// </summary>
public sealed class KpiLoaderEquivalenceTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    /// <summary>D1's jurisdiction is redrawn (118.5–118.61 → 118.5–118.56) on 2 June (CST), a day that is reduced.</summary>
    private static readonly DateTimeOffset RedrawAt = T0.AddHours(27);
    // 1 June 02:00 CST to 4 June 20:00 CST: partial first and last days; 2 and 3 June whole.
    private static readonly DateTimeOffset From = T0.AddHours(-6);
    private static readonly DateTimeOffset To = T0.AddHours(84);
    private static readonly DateOnly Reduced1 = new(2025, 6, 2), ReducedPartial = new(2025, 6, 4); // 3 June stays raw

    public async Task InitializeAsync()
    {
        await database.TruncateAsync();
        var d1Old = JurisdictionA with { Version = new VersionInfo(T0.AddYears(-4), RedrawAt, "seed", "initial") };
        var d1New = new Jurisdiction(0, "D1",
            Wkt<NetTopologySuite.Geometries.MultiPolygon>("MULTIPOLYGON (((118.5 37.4, 118.56 37.4, 118.56 37.5, 118.5 37.5, 118.5 37.4)))"),
            new VersionInfo(RedrawAt, null, "seed", "redraw"));
        await SeedLoader.LoadAsync(database.DataSource, Dataset(Incidents()) with { Jurisdictions = [d1Old, d1New, JurisdictionB], GpsFixes = Fixes() });
        var retention = new GpsRetention(database.DataSource);
        await retention.ReduceDayAsync(Reduced1);
        await retention.ReduceDayAsync(ReducedPartial);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>600 incidents over two years and a bit (so the year before every period has cases): every kind and discoverer, some
    /// without a discovery time, some discovered late, some outside every jurisdiction and zone, some in the D1/D2 overlap.</summary>
    private static List<Incident> Incidents()
    {
        var random = new Random(7);
        var kinds = new[] { IncidentKind.CasingTheft, IncidentKind.PipelineTapping, new IncidentKind("vandalism") };
        var sources = Enum.GetValues<DiscoverySource>();
        var list = new List<Incident>();
        for (var i = 0; i < 600; i++)
        {
            var occurred = T0.AddSeconds(Math.Round((-760 + random.NextDouble() * 770) * 86400));
            var roll = random.NextDouble();
            DateTimeOffset? discovered = roll < 0.1 ? null : occurred.AddHours(roll < 0.3 ? 30 : random.Next(0, 24));
            var (lon, lat) = i % 17 == 0 ? (119.5, 38.5) : (118.48 + random.NextDouble() * 0.24, 37.39 + random.NextDouble() * 0.12);
            list.Add(new Incident($"K{i:D4}", kinds[i % kinds.Length], occurred, discovered, sources[i % sources.Length],
                Pt(Math.Round(lon, 6), Math.Round(lat, 6)), Math.Round(random.NextDouble() * 3, 2), IncidentStatus.Closed));
        }
        return list;
    }

    /// <summary>The wandering units of <see cref="PatrolHoursPostGisTests"/> for 4 days after T0: across the D1/D2 overlap, in and
    /// out of the jurisdictions, across China midnights.</summary>
    private static List<GpsFix> Fixes() => PatrolHoursPostGisTests.Fixes(days: 4);

    /// <summary>The previous path, kept here as the oracle: full incidents (attributed in memory by KpiCalculator) and patrol hours
    /// by <see cref="PatrolHoursCalculator"/> over every raw fix of the window with its default options.</summary>
    private async Task<KpiInput> PreviousInputAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var window = KpiCalculator.IncidentWindow(from, to);
        var jurisdictions = await new JurisdictionRepository(database.DataSource).GetAllVersionsAsync();
        var fixes = await new GpsPointRepository(database.DataSource).GetByWindowAsync(from, to);
        return new KpiInput
        {
            Incidents = await new IncidentRepository(database.DataSource).GetByWindowAsync(window.From, window.To),
            Jurisdictions = jurisdictions,
            OilZones = await new OilZoneRepository(database.DataSource).GetAllAsync(),
            Wells = await new WellRepository(database.DataSource).GetAllAsync(),
            Cameras = await new CameraRepository(database.DataSource).GetAllAsync(),
            IdleSites = await new IdleSiteRepository(database.DataSource).GetAllAsync(),
            PatrolHours = PatrolHoursCalculator.Compute(fixes, jurisdictions, from, to),
        };
    }

    public static TheoryData<string> Ranges => new() { "window", "window-month", "year-month", "year-quarter-kind" };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task NewLoader_givesThePreviousKpiTable(string range)
    {
        var (from, to, options) = range switch
        {
            "window" => (From, To, new KpiOptions { From = From, To = To }),
            "window-month" => (From, To, new KpiOptions { From = From, To = To, Period = KpiPeriodKind.Month, TimelyThreshold = TimeSpan.FromHours(12) }),
            "year-month" => (To.AddDays(-365), To, new KpiOptions { From = To.AddDays(-365), To = To, Period = KpiPeriodKind.Month }),
            _ => (To.AddDays(-365), To, new KpiOptions { From = To.AddDays(-365), To = To, Period = KpiPeriodKind.Quarter, Kinds = [IncidentKind.PipelineTapping] }),
        };
        var previous = KpiCalculator.Compute(await PreviousInputAsync(from, to), options);
        var input = await new AnalysisSource(database.DataSource).LoadKpiInputAsync(from, to);
        var now = KpiCalculator.Compute(input, options);

        input.Incidents.Should().BeEmpty("the loader reads the light form only");
        input.Cases.Should().NotBeEmpty();
        previous.Rows.Where(r => r.ScopeKind == KpiScopeKind.Department).Should().Contain(r => r.Cases > 0 && r.CasesLastYear > 0);
        previous.Rows.Should().Contain(r => r.PatrolHours > 0);
        if (range.StartsWith("year", StringComparison.Ordinal)) previous.IncidentsWithoutDepartment.Should().BeGreaterThan(0);
        now.Rows.Should().Equal(previous.Rows);
        (now.IncidentsWithoutDepartment, now.IncidentsWithoutOilZone).Should().Be((previous.IncidentsWithoutDepartment, previous.IncidentsWithoutOilZone));
    }

    /// <summary>
    /// The streamed path (the window's incidents read row by row into Core's KpiAccumulator, only the windows the periods count) gives
    /// the list-based table — the light incidents of the whole incident window as a list, then KpiCalculator.Compute — to the last bit,
    /// and the previous path's table too; several reports in one pass (the monthly report's three) each give their own table.
    /// </summary>
    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task StreamedKpis_giveTheListBasedTable(string range)
    {
        var (from, to, options) = range switch
        {
            "window" => (From, To, new KpiOptions { From = From, To = To }),
            "window-month" => (From, To, new KpiOptions { From = From, To = To, Period = KpiPeriodKind.Month, TimelyThreshold = TimeSpan.FromHours(12) }),
            "year-month" => (To.AddDays(-365), To, new KpiOptions { From = To.AddDays(-365), To = To, Period = KpiPeriodKind.Month }),
            _ => (To.AddDays(-365), To, new KpiOptions { From = To.AddDays(-365), To = To, Period = KpiPeriodKind.Quarter, Kinds = [IncidentKind.PipelineTapping] }),
        };
        var source = new AnalysisSource(database.DataSource);
        var listed = KpiCalculator.Compute(await source.LoadKpiInputAsync(from, to), options);
        var previous = KpiCalculator.Compute(await PreviousInputAsync(from, to), options);
        var (streamed, context, read) = await source.ComputeKpisAsync(options);

        context.Cases.Should().BeEmpty("the streamed path holds no list of incidents");
        read.Should().BeGreaterThan(0);
        listed.Rows.Should().Contain(r => r.Cases > 0 && r.OilRecoveredT > 0);
        streamed.Rows.Should().Equal(listed.Rows);
        streamed.Rows.Should().Equal(previous.Rows);
        (streamed.IncidentsWithoutDepartment, streamed.IncidentsWithoutOilZone).Should().Be((listed.IncidentsWithoutDepartment, listed.IncidentsWithoutOilZone));

        // The monthly report's shape: a month, the same month a year earlier and thirteen months, in one pass.
        var monthOptions = new KpiOptions { From = To.AddDays(-30), To = To };
        var lastYearOptions = new KpiOptions { From = To.AddDays(-30).AddYears(-1), To = To.AddYears(-1) };
        var chartOptions = new KpiOptions { From = To.AddDays(-395), To = To, Period = KpiPeriodKind.Month };
        var bare = await source.LoadKpiContextAsync(chartOptions.From, To, withPatrolHours: false);
        var (reports, _) = await source.ComputeKpisAsync([(bare, monthOptions), (bare, lastYearOptions), (bare, chartOptions), (context, options)]);
        var list = bare with { Cases = await new IncidentRepository(database.DataSource).GetKpiCasesByWindowAsync(To.AddYears(-3), To) };
        var alone = new[] { monthOptions, lastYearOptions, chartOptions }.Select(o => KpiCalculator.Compute(list, o)).ToList();
        reports[0].Rows.Should().Equal(alone[0].Rows);
        reports[1].Rows.Should().Equal(alone[1].Rows);
        reports[2].Rows.Should().Equal(alone[2].Rows);
        reports[3].Rows.Should().Equal(listed.Rows);
        alone[2].Rows.Should().Contain(r => r.Cases > 0 && r.CasesLastYear > 0);
    }

    [Fact]
    public async Task PatrolHours_storedDays_equalTheRawComputation_andOutliveTheRawFixes()
    {
        var jurisdictions = await new JurisdictionRepository(database.DataSource).GetAllVersionsAsync();
        var fixes = await new GpsPointRepository(database.DataSource).GetByWindowAsync(From, To);
        var expected = PatrolHoursCalculator.Compute(fixes, jurisdictions, From, To);
        expected.Select(h => h.Date).Distinct().Should().HaveCount(4, "the window's four China days have hours");

        var stored = await database.ScalarAsync<string>("SELECT string_agg(day::text, ',' ORDER BY day) FROM gps_reduced_day WHERE cardinality(patrol_hours) > 0");
        stored.Should().Be("2025-06-02,2025-06-04", "each reduced day keeps its patrol hours");
        (await PatrolHoursByDay.LoadAsync(database.DataSource, From, To, jurisdictions)).Should().Equal(expected);

        // The raw fixes of the reduced whole day go (retention): its hours come from the stored row alone, unchanged.
        var (start, end) = (Core.Hotspots.ChinaTime.StartOf(Reduced1), Core.Hotspots.ChinaTime.StartOf(Reduced1.AddDays(1)));
        await using (var delete = database.DataSource.CreateCommand("DELETE FROM gps_point WHERE recorded_at >= $1 AND recorded_at < $2"))
        {
            delete.Parameters.Add(new Npgsql.NpgsqlParameter { Value = start.UtcDateTime });
            delete.Parameters.Add(new Npgsql.NpgsqlParameter { Value = end.UtcDateTime });
            (await delete.ExecuteNonQueryAsync()).Should().BeGreaterThan(100);
        }
        (await PatrolHoursByDay.LoadAsync(database.DataSource, From, To, jurisdictions)).Should().Equal(expected);
    }

    [Fact]
    public async Task PatrolHours_aBackdatedVersion_makesAStoredDayComputedAgainFromItsRawFixes()
    {
        // A new department D0 gets a back-dated jurisdiction in force over the whole window across the middle of D1 and D2 (the
        // smallest code wins the overlap): the reduced day's stored hours are stale.
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await DepartmentRepository.InsertAsync(connection, new Department("D0", "D0", "#000000"));
            await JurisdictionRepository.InsertAsync(connection, new Jurisdiction(0, "D0",
                Wkt<NetTopologySuite.Geometries.MultiPolygon>("MULTIPOLYGON (((118.57 37.4, 118.63 37.4, 118.63 37.5, 118.57 37.5, 118.57 37.4)))"),
                new VersionInfo(T0.AddDays(-2), null, "test", "back-dated")));
        }
        var jurisdictions = await new JurisdictionRepository(database.DataSource).GetAllVersionsAsync();
        var fixes = await new GpsPointRepository(database.DataSource).GetByWindowAsync(From, To);
        var expected = PatrolHoursCalculator.Compute(fixes, jurisdictions, From, To);

        expected.Should().Contain(h => h.DepartmentCode == "D0" && h.Date == Reduced1);
        (await PatrolHoursByDay.LoadAsync(database.DataSource, From, To, jurisdictions)).Should().Equal(expected);
        PatrolHoursByDay.JurisdictionKey(jurisdictions, Reduced1).Should().NotBe(
            await database.ScalarAsync<string>($"SELECT patrol_jurisdictions FROM gps_reduced_day WHERE day = '{Reduced1:yyyy-MM-dd}'"));
    }
}
