using MapControl.Core.Model;
using MapControl.Data.Seeding;

namespace MapControl.Data.Tests.Seeding;

public sealed class SampleDatasetFilesTests
{
    [Fact]
    public void ReadWrite_smallSample_roundTripsExactly()
    {
        var ds = SampleOilfieldGenerator.Generate(new SampleOptions(Seed: 3, Size: 0.05, GpsScale: 0.05));
        var dir = Directory.CreateTempSubdirectory("mc-files-").FullName;
        var again = Directory.CreateTempSubdirectory("mc-files-").FullName;
        try
        {
            SampleDatasetFiles.Write(ds, dir);
            var back = SampleDatasetFiles.Read(dir);

            back.OilZones.Should().Equal(ds.OilZones);
            back.Departments.Should().Equal(ds.Departments);
            back.Jurisdictions.Should().Equal(ds.Jurisdictions);
            back.PatrolZones.Should().Equal(ds.PatrolZones);
            back.Wells.Should().Equal(ds.Wells);
            back.Cameras.Should().Equal(ds.Cameras);
            back.IdleSites.Should().Equal(ds.IdleSites);
            back.Incidents.Should().Equal(ds.Incidents);
            back.PatrolUnits.Should().Equal(ds.PatrolUnits);
            back.GpsFixes.Should().Equal(ds.GpsFixes);
            back.PatrolRoutes.Should().Equal(ds.PatrolRoutes);
            back.Basemap.Should().Equal(ds.Basemap);
            back.Incidents.Select(i => i.OccurredAt.Offset).Distinct().Should().Equal(TimeSpan.FromHours(8));

            SampleDatasetFiles.Write(back, again);
            SampleOilfieldGeneratorTests.FilesHash(again).Should().Be(SampleOilfieldGeneratorTests.FilesHash(dir));
            Directory.GetFiles(dir).Select(Path.GetFileName).Should().Contain("gps_fixes.csv.gz", "files over 1 MB are gzipped");
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(again, true);
        }
    }

    [Fact]
    public void ReadIncidents_csvLine_parsesEveryColumn()
    {
        const string csv = "id,lon,lat,occurred_at,type,discovered_at,discovered_by,oil_recovered_t,status\n" +
                           "AJ-1,118.5,37.25,2026-01-02T03:04:05+08:00,workover_oil_collection,2026-01-02T05:04:05+08:00,public_report,1.25,closed\n";
        var incident = SampleDatasetFiles.ReadIncidents(new StringReader(csv)).Single();
        incident.Code.Should().Be("AJ-1");
        incident.Location.X.Should().Be(118.5);
        incident.Location.Y.Should().Be(37.25);
        incident.Kind.Should().Be(IncidentKind.WorkoverOilCollection);
        incident.OccurredAt.Should().Be(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(8)));
        (incident.DiscoveredAt - incident.OccurredAt).Should().Be(TimeSpan.FromHours(2));
        incident.DiscoveredBy.Should().Be(DiscoverySource.PublicReport);
        incident.OilRecoveredT.Should().Be(1.25);
        incident.Status.Should().Be(IncidentStatus.Closed);
    }

    [Fact]
    public void ReadGpsFixes_wrongHeader_throwsFormatException()
    {
        var act = () => SampleDatasetFiles.ReadGpsFixes(new StringReader("a,b,c\n")).ToList();
        act.Should().Throw<FormatException>().WithMessage("*unit,time,lon,lat,speed_kmh,bearing*");
    }

    /// <summary>Regenerates the committed sample: writes to $MAPCONTROL_SAMPLE_OUT (data/generate.sh sets it) or a temp folder.</summary>
    [Fact]
    [Trait("Category", "Generate")]
    public void Generate_defaultSample_writesAllFiles()
    {
        var target = Environment.GetEnvironmentVariable("MAPCONTROL_SAMPLE_OUT");
        var dir = target ?? Directory.CreateTempSubdirectory("mc-generate-").FullName;
        try
        {
            SampleDatasetFiles.Write(SampleOilfieldGenerator.Generate(), dir);
            Directory.GetFiles(dir).Select(Path.GetFileName).Should().BeEquivalentTo(
                "oil_zones.geojson", "departments.json", "jurisdictions.geojson", "patrol_zones.geojson", "wells.geojson.gz",
                "cameras.geojson", "idle_sites.geojson", "patrol_routes.geojson", "basemap.geojson", "incidents.csv.gz",
                "patrol_units.csv", "gps_fixes.csv.gz", "roads.geojson");
            Directory.GetFiles(dir).Sum(f => new FileInfo(f).Length).Should().BeLessThan(25_000_000);
        }
        finally
        {
            if (target is null) Directory.Delete(dir, true);
        }
    }
}
