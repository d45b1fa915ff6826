using System.Text;
using MapControl.Data.Files;
using NetTopologySuite.Geometries;

namespace MapControl.Data.Tests.Files;

/// <summary>The one-pass GeoJSON reader (<c>GeoJsonFormat.Reading.cs</c>): members in any order, as files from other tools have them.</summary>
public sealed class GeoJsonStreamingReadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mc-geojson-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json, bool bom = false)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, [.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(json)]);
        return path;
    }

    [Fact]
    public void Members_in_any_order_a_crs_after_the_features_a_bom_comments_and_trailing_commas()
    {
        // EPSG:4549 (CGCS2000 3° Gauss-Kruger CM 120E) given after the features: the positions are projected metres.
        var path = Write("any-order.geojson", """
            { "features": [
                { "geometry": { "coordinates": [[[500000, 4100000], [501000, 4100000], [501000, 4101000], [500000, 4100000]]], "type": "Polygon" },
                  "properties": { "department": "D1", "meta": { "a": [1, 2] }, "n": 3, "x": 1.5, "ok": true, "none": null, },
                  "type": "Feature", "id": "j-1" },
                /* a comment */
                { "type": "Feature", "properties": null, "geometry": { "type": "GeometryCollection", "geometries": [
                    { "type": "Point", "coordinates": [500100, 4100100, 12.5] },
                    { "coordinates": [[[[500000, 4100000], [500500, 4100000], [500500, 4100500], [500000, 4100000]]]], "type": "MultiPolygon" } ] } }
              ],
              "crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:EPSG::4549" } },
              "type": "FeatureCollection" }
            """, bom: true);

        var set = FeatureFiles.Read(path);

        set.SourceSrid.Should().Be(4549);
        set.Features.Should().HaveCount(2);
        var first = set.Features[0];
        first.Geometry.Should().BeOfType<Polygon>().Which.SRID.Should().Be(4326);
        first.Geometry.EnvelopeInternal.MinX.Should().BeApproximately(120.0, 0.01, "reprojected from the Gauss-Kruger zone of CM 120E");
        first.Properties["department"].Should().Be("D1");
        first.Properties["meta"].Should().Be("""{ "a": [1, 2] }""", "an object value is kept as its JSON text");
        first.Properties["n"].Should().BeOfType<long>().Which.Should().Be(3);
        first.Properties["x"].Should().Be(1.5);
        first.Properties["ok"].Should().Be(true);
        first.Properties["none"].Should().BeNull();
        first.Properties["id"].Should().Be("j-1", "the Feature's id when the properties have none");
        set.Features[1].Geometry.Should().BeOfType<GeometryCollection>().Which.NumGeometries.Should().Be(2);
    }

    [Theory]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}},{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[1,2],[3,4]]}}]}""", "bad.geojson: feature 2 has a malformed geometry*")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,"x"]]}}]}""", "bad.geojson: feature 1 has a malformed geometry*")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6],[1,3]]]}}]}""", "bad.geojson: feature 1 has a malformed geometry*")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}, 7]}""", "bad.geojson: feature 2 is not a GeoJSON Feature")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}]} {}""", "bad.geojson: not valid JSON*")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}""", "bad.geojson: not valid JSON*")]
    [InlineData("""{"type":"FeatureCollection"}""", "bad.geojson: FeatureCollection without a \"features\" array")]
    public void Bad_input_is_one_line_naming_the_feature(string json, string message)
    {
        var act = () => FeatureFiles.Read(Write("bad.geojson", json));

        act.Should().Throw<FeatureFileException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Nesting_deeper_than_64_is_not_valid_json()
    {
        var act = () => FeatureFiles.Read(Write("bad.geojson", """{"type":"Feature","properties":{"a":""" + new string('[', 80) + new string(']', 80) + "}}"));

        act.Should().Throw<FeatureFileException>().WithMessage("bad.geojson: not valid JSON*");
    }

    [Fact]
    public void An_edited_geometry_is_read_by_the_same_reader_exactly_as_sent()
    {
        const string bowtie = """{"type":"Polygon","coordinates":[[[118,37],[119,38],[119,37],[118,38],[118,37]]]}""";

        GeoJsonGeometry.ParsePolygonal(bowtie).Should().BeOfType<Polygon>().Which.IsValid.Should().BeFalse("not repaired: the save path refuses it with its reason");
        GeoJsonGeometry.ParsePolygonal("""{"geometry":""" + bowtie + ""","type":"Feature"}""")!.SRID.Should().Be(4326);
        GeoJsonGeometry.ParsePolygonal("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":""" + bowtie + """},{"type":"Feature","geometry":""" + bowtie + """}]}""")
            .Should().BeOfType<MultiPolygon>().Which.NumGeometries.Should().Be(2);
        GeoJsonGeometry.ParsePolygonal("""{"type":"LineString","coordinates":[[118,37],[119,38]]}""").Should().BeNull();
        GeoJsonGeometry.ParsePolygonal("""{"type":"Polygon","coordinates":[[[118,37],[119,38],[119,37]]]}""").Should().BeNull("a ring that is not closed");
        GeoJsonGeometry.ParsePolygonal("{not json").Should().BeNull();
    }
}
