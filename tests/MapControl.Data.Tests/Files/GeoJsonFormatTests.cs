using System.Text.Json;
using MapControl.Data.Files;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using static MapControl.Data.Tests.Files.FileTestSupport;

namespace MapControl.Data.Tests.Files;

public sealed class GeoJsonFormatTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Read_featureCollection_givesGeometriesAndTypedProperties()
    {
        var set = Original();

        set.SourceSrid.Should().Be(4326);
        set.SourceFormat.Should().Be("GeoJSON");
        set.Features.Should().HaveCount(3);
        set.Features[0].Geometry.SRID.Should().Be(4326);
        ((Polygon)set.Features[0].Geometry).NumInteriorRings.Should().Be(1);
        set.Features[0].Properties["name"].Should().Be("孤岛护卫部辖区");
        set.Features[0].Properties["code"].Should().BeOfType<long>().Which.Should().Be(5L);
        set.Features[0].Properties["area_km2"].Should().Be(412.5);
        set.Features[2].Geometry.Should().BeOfType<MultiPolygon>();
    }

    [Fact]
    public void Read_singleFeatureAndBareGeometry_areAccepted()
    {
        var feature = FeatureFiles.ReadGeoJson("""{"type":"Feature","id":7,"properties":{"a":null,"b":[1,2]},"geometry":{"type":"Point","coordinates":[118.5,37.4]}}""");
        var bare = FeatureFiles.ReadGeoJson("""{"type":"LineString","coordinates":[[118.5,37.4],[118.6,37.5]]}""");

        feature.Features.Single().Properties.Should().Contain(new KeyValuePair<string, object?>("id", 7L)).And.ContainKey("a");
        feature.Features[0].Properties["b"].Should().Be("[1,2]");
        bare.Features.Single().Geometry.ShouldMatch(Wkt("LINESTRING (118.5 37.4, 118.6 37.5)"), 0);
    }

    [Fact]
    public void Read_legacyCrsMemberInGaussKruger_isReprojected()
    {
        // gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4549: 118.55 37.45 → 371694.057704646 4147440.15654106
        var set = FeatureFiles.ReadGeoJson("""
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},
             "features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[371694.057704646,4147440.15654106]}}]}
            """);

        set.SourceSrid.Should().Be(4549);
        set.Features[0].Geometry.ShouldMatch(Wkt("POINT (118.55 37.45)"), 1e-9);
    }

    [Fact]
    public void WriteGeoJson_thenRead_roundTripsWithin1e7()
    {
        var original = Original();
        var path = _scratch.File("out.geojson");

        FeatureFiles.WriteGeoJson(path, original.Features);
        var back = FeatureFiles.Read(path);

        back.Features.Should().HaveCount(3);
        for (var i = 0; i < 3; i++)
        {
            back.Features[i].Geometry.ShouldMatch(original.Features[i].Geometry, 1e-7);
            back.Features[i].Properties.Should().BeEquivalentTo(original.Features[i].Properties);
        }

        File.ReadAllText(path).Should().Contain("孤岛护卫部辖区", "Chinese is written as UTF-8, not \\u escapes");
    }

    [Fact]
    public void WriteGeoJson_clockwisePolygon_isWrittenCounterClockwiseWithClockwiseHole()
    {
        var clockwise = Feature("POLYGON ((118 37, 118 38, 119 38, 119 37, 118 37), (118.2 37.2, 118.4 37.2, 118.4 37.4, 118.2 37.4, 118.2 37.2))");
        Orientation.IsCCW(((Polygon)clockwise.Geometry).Shell.CoordinateSequence).Should().BeFalse("the test input is clockwise");

        var json = FeatureFiles.ToGeoJson([clockwise]);

        using var document = JsonDocument.Parse(json);
        var rings = document.RootElement.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
        Orientation.IsCCW(Ring(rings[0])).Should().BeTrue("RFC 7946: exterior rings are counter-clockwise");
        Orientation.IsCCW(Ring(rings[1])).Should().BeFalse("RFC 7946: holes are clockwise");
    }

    [Fact]
    public void WriteGeoJson_projectedGeometry_isWrittenAsRoundedLonLat()
    {
        var projected = Feature("POINT (371694.057704646 4147440.15654106)");
        projected.Geometry.SRID = 4549;

        var json = FeatureFiles.ToGeoJson([projected]);

        json.Should().Contain("\"coordinates\":[118.55,37.45]");
    }

    [Fact]
    public void Read_invalidBowTie_isRepairedAndNoted()
    {
        var set = FeatureFiles.ReadGeoJson("""{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[118,37],[119,38],[119,37],[118,38],[118,37]]]}}""", "bowtie.geojson");

        set.Features.Single().Geometry.IsValid.Should().BeTrue();
        set.Features[0].Geometry.Area.Should().BeApproximately(0.5, 1e-9);
        set.Notes.Should().ContainSingle().Which.Should().Contain("feature 1: repaired invalid geometry");
    }

    [Fact]
    public void Read_invalidBowTieWithoutRepair_throws()
    {
        var act = () => FeatureFiles.ReadGeoJson("""{"type":"Polygon","coordinates":[[[118,37],[119,38],[119,37],[118,38],[118,37]]]}""", "bowtie.geojson",
            new FeatureReadOptions { RepairInvalidGeometries = false });

        act.Should().Throw<FeatureFileException>().WithMessage("bowtie.geojson: geometry has an invalid geometry (Self-intersection*");
    }

    [Fact]
    public void Read_collapsedPolygon_cannotBeRepaired()
    {
        var act = () => FeatureFiles.ReadGeoJson("""{"type":"Polygon","coordinates":[[[118,37],[118,37],[118,37],[118,37]]]}""", "flat.geojson");

        act.Should().Throw<FeatureFileException>().WithMessage("flat.geojson: geometry has an invalid geometry*cannot be repaired");
    }

    [Theory]
    [InlineData("{not json", "bad.geojson: not valid JSON*")]
    [InlineData("[1,2,3]", "bad.geojson: not GeoJSON*")]
    [InlineData("""{"type":"Topology"}""", "bad.geojson: unknown GeoJSON type \"Topology\"")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}""", "bad.geojson: feature 1 has no geometry")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":"x"}}]}""", "bad.geojson: feature 1 has a malformed geometry*")]
    [InlineData("""{"type":"Point","crs":{"type":"name","properties":{"name":"EPSG:2436"}},"coordinates":[1,2]}""", "bad.geojson: EPSG:2436 is not a supported CRS*")]
    public void Read_badInput_throwsOneLineFeatureFileException(string json, string message)
    {
        var path = _scratch.File("bad.geojson");
        File.WriteAllText(path, json);

        var act = () => FeatureFiles.Read(path);

        act.Should().Throw<FeatureFileException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }

    private static CoordinateSequence Ring(JsonElement ring) =>
        new NetTopologySuite.Geometries.Implementation.CoordinateArraySequence(
            ring.EnumerateArray().Select(p => new Coordinate(p[0].GetDouble(), p[1].GetDouble())).ToArray());
}
