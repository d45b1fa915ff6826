using MapControl.Data.Files;
using NetTopologySuite.Geometries;
using static MapControl.Data.Tests.Files.FileTestSupport;

namespace MapControl.Data.Tests.Files;

public sealed class KmlFormatTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Read_placemarks_giveGeometriesNameAndExtendedData()
    {
        // `ogrinfo -al wells.kml` lists the same geometries (GDAL 3.6.2).
        var set = FeatureFiles.Read(Fixture("wells.kml"));

        set.SourceFormat.Should().Be("KML");
        set.SourceSrid.Should().Be(4326);
        set.Features.Select(f => f.Properties["name"]).Should().Equal("GD1-23-45", "巡逻路线", "闲置井场", "双井");
        set.Features[0].Geometry.ShouldMatch(Wkt("POINT (118.8512345 37.8712345)"), 0);
        set.Features[0].Properties["description"].Should().Be("孤岛 重点井");
        set.Features[0].Properties["kind"].Should().Be("oil");
        set.Features[0].Properties["key_well"].Should().Be("true");
        set.Features[1].Geometry.ShouldMatch(Wkt("LINESTRING (118.5 37.4, 118.55 37.42, 118.6 37.45)"), 0);
        set.Features[2].Geometry.ShouldMatch(Wkt("POLYGON ((118.7 37.5, 118.71 37.5, 118.71 37.51, 118.7 37.51, 118.7 37.5), (118.702 37.502, 118.702 37.504, 118.704 37.504, 118.704 37.502, 118.702 37.502))"), 0);
        set.Features[2].Properties["status"].Should().Be("encroached");
        set.Features[3].Geometry.Should().BeOfType<MultiPoint>();
        set.Features[3].Geometry.ShouldMatch(Wkt("MULTIPOINT ((118.3 37.3), (118.31 37.31))"), 0);
    }

    [Theory]
    [InlineData("<kml><Document><Placemark>", "bad.kml: not valid XML*")]
    [InlineData("<gpx/>", "bad.kml: not KML*")]
    [InlineData("<kml><Placemark><name>a</name><Point><coordinates>118.5;37.4</coordinates></Point></Placemark></kml>", "bad.kml: Placemark 1 (line 1): \"118.5;37.4\" is not a lon,lat[,alt] coordinate")]
    [InlineData("<kml><Placemark><name>a</name></Placemark></kml>", "bad.kml: Placemark 1 (line 1) has no geometry")]
    [InlineData("<kml><Placemark><LineString><coordinates>118.5,37.4</coordinates></LineString></Placemark></kml>", "bad.kml: Placemark 1 (line 1): a LineString needs at least 2 coordinates, found 1")]
    public void Read_badKml_throwsOneLineError(string xml, string message)
    {
        var path = _scratch.File("bad.kml");
        File.WriteAllText(path, xml);

        var act = () => FeatureFiles.Read(path);

        act.Should().Throw<FeatureFileException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }
}
