using System.Globalization;
using System.Text;
using MapControl.Data.Files;

namespace MapControl.Data.Tests.Files;

/// <summary>
/// Large "coordinates" values (16 KB and more) are only delimited while the file is read; their numbers are scanned and the
/// feature's geometry built on the pool. The result must be the reader's, and a problem anywhere in them the reader's error.
/// </summary>
public sealed class GeoJsonDeferredCoordinatesTests
{
    /// <summary>Positions of a ~1,000-vertex line around (118.5, 37.4), ~30 KB of text, without the enclosing brackets.</summary>
    private static string Positions(int count = 1_000, string separator = ",")
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0) text.Append(separator);
            var angle = 2 * Math.PI * i / count;
            text.Append(CultureInfo.InvariantCulture, $"[{118.5 + 0.01 * Math.Cos(angle):R},{37.4 + 0.01 * Math.Sin(angle):R}]");
        }

        return text.ToString();
    }

    private static string Ring() => "[" + Positions() + ",[118.51,37.4]]";

    private static string Fc(params string[] geometries) =>
        "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",\n", geometries.Select((g, i) =>
            "{\"type\":\"Feature\",\"properties\":{\"i\":" + i.ToString(CultureInfo.InvariantCulture) + "},\"geometry\":" + g + "}")) + "]}";

    public static TheoryData<string> Valid() =>
    [
        "{\"type\":\"LineString\",\"coordinates\":[" + Positions() + "]}",
        "{\"type\":\"LineString\",\"coordinates\" : \n [ " + Positions(separator: " ,\n\t") + " ] }",
        "{\"type\":\"Polygon\",\"coordinates\":[" + Ring() + "]}",
        "{\"type\":\"MultiPolygon\",\"coordinates\":[[" + Ring() + "],[" + Ring() + "]]}",
        "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Polygon\",\"coordinates\":[" + Ring() + "]},{\"type\":\"Point\",\"coordinates\":[1,2]}]}",
        "{\"coordinates\":[" + Positions() + "],\"type\":\"MultiPoint\"}",
    ];

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_large_value_reads_as_on_the_readers_path(string geometry)
    {
        // Each geometry holds one large "coordinates" value (a multi-part's is one value).
        GeoJsonCoordinateScanTests.Read(Fc(geometry, "{\"type\":\"Point\",\"coordinates\":[1,2]}", geometry)).Should().Be((true, 2), "both large values are deferred");
        GeoJsonCoordinateScanTests.Read(geometry).Should().Be((true, 1), "a top-level geometry has its deferred value scanned in place");
        GeoJsonCoordinateScanTests.Read("{\"type\":\"Feature\",\"properties\":{},\"geometry\":" + geometry + "}").Should().Be((true, 1));
    }

    [Fact]
    public void A_small_value_is_scanned_in_place()
    {
        GeoJsonCoordinateScanTests.Read(Fc("{\"type\":\"LineString\",\"coordinates\":[" + Positions(300) + "]}")).Should().Be((true, 0));
    }

    /// <summary>What follows feature 1 (whose large coordinates hold a doubled comma) to the end of the file.</summary>
    public static TheoryData<string> LaterProblems() =>
    [
        "],\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG::99999999999\"}}}",   // int.Parse overflows in the crs member
        ",{\"type\":\"Feature\",\"properties\":{\"s\":\"\\uD800\"},\"geometry\":null}]}",   // a lone surrogate: GetString throws
        "],\"x\":[1,,2]}",
    ];

    [Theory]
    [MemberData(nameof(LaterProblems))]
    public void A_bad_large_value_is_the_error_named_whatever_comes_later(string later)
    {
        // The reader stops at the doubled comma of feature 1's coordinates; the walk with deferred values goes past it.
        var json = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":["
            + Positions() + ",,[1,2]]}}" + later;

        GeoJsonCoordinateScanTests.Same(json).Should().BeNull();
        var act = () => GeoJsonFormat.Parse(Encoding.UTF8.GetBytes(json), "f.geojson");
        act.Should().Throw<FeatureFileException>().WithMessage("*not valid JSON*");
        var geometry = () => GeoJsonGeometry.ParsePolygonal(json);
        geometry.Should().NotThrow("the planner's polygon parser sees the reader's error, which it turns into no polygon");
    }

    public static TheoryData<string> Anomalies() =>
    [
        ",[3,1e400]",   // out of range: the reader's error
        ",[01,2]",      // not a JSON number
        ",[1.,2]",
        ",[3,4],",      // trailing comma
        ",,[3,4]",
        ",[3]",         // a position of one number
        ",3",           // mixed nesting
        ",[[3,4]]",
        ",[3,4]/*c*/",  // a comment (not a byte a deferred value may hold)
        ",[3,\"4\"]",
        ",[NaN,2]",
        ",[3,4]]",      // unbalanced: one bracket too many
        "]],[[5,6",     // the array closes early, more arrays after it: the run of number bytes goes past its end
        "] , [5,6",
    ];

    [Theory]
    [MemberData(nameof(Anomalies))]
    public void An_anomaly_deep_in_a_large_value_is_the_readers_result(string anomaly)
    {
        var line = "{\"type\":\"LineString\",\"coordinates\":[" + Positions() + anomaly + "]}";
        GeoJsonCoordinateScanTests.Same(Fc(line));
        GeoJsonCoordinateScanTests.Same(Fc("{\"type\":\"Point\",\"coordinates\":[1,2]}", line, "{\"type\":\"Polygon\",\"coordinates\":[" + Ring() + "]}"));
        GeoJsonCoordinateScanTests.Same(line);
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[],\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG::99999999999\"}}}", "unknown \"crs\" name")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"s\":\"\\uD800\"},\"geometry\":null}]}", "not valid JSON")]
    public void A_crs_code_out_of_range_or_a_lone_surrogate_is_a_file_error(string json, string message)
    {
        var act = () => GeoJsonFormat.Parse(Encoding.UTF8.GetBytes(json), "f.geojson");

        act.Should().Throw<FeatureFileException>().WithMessage($"*{message}*");
        GeoJsonGeometry.ParsePolygonal(json).Should().BeNull("the planner's parser turns a file error into no polygon");
    }

    [Fact]
    public void A_bad_value_no_geometry_uses_is_still_the_readers_error()
    {
        // Stray "coordinates" on a Feature (not its geometry's) and a non-Feature member of the features: read, never built.
        var stray = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"coordinates\":[" + Positions() + ",,[1,2]],\"properties\":{},\"geometry\":null}]}";
        var notFeature = Fc("{\"type\":\"Polygon\",\"coordinates\":[" + Ring() + "]}").Replace("]}", "]},{\"type\":\"Foo\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[" + Positions() + ",,[1,2]]}}]}", StringComparison.Ordinal);

        GeoJsonCoordinateScanTests.Same(stray).Should().BeNull("the reader finds the doubled comma");
        GeoJsonCoordinateScanTests.Same(notFeature).Should().BeNull();
        var act = () => GeoJsonFormat.Parse(Encoding.UTF8.GetBytes(notFeature), "f.geojson");
        act.Should().Throw<FeatureFileException>().WithMessage("*not valid JSON*");
    }

    [Fact]
    public void A_malformed_geometry_before_a_later_error_is_the_error_named()
    {
        // Feature 1: a large coordinates value whose first ring has 2 positions (malformed); feature 2: not a Feature. In file
        // order, feature 1 is named.
        var json = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[1,2],[3,4]],[" + Ring() + "]]}},{\"type\":\"Foo\"}]}";

        GeoJsonCoordinateScanTests.Same(json).Should().BeNull();
        var act = () => GeoJsonFormat.Parse(Encoding.UTF8.GetBytes(json), "f.geojson");
        act.Should().Throw<FeatureFileException>().WithMessage("*feature 1 has a malformed geometry*");
    }

    [Fact]
    public void An_error_after_deferred_values_is_named_at_its_line()
    {
        var json = Fc("{\"type\":\"Polygon\",\"coordinates\":[" + Ring() + "]}", "{\"type\":\"Polygon\",\"coordinates\":[" + Ring() + "]}") + "\n,";
        GeoJsonCoordinateScanTests.Same(json).Should().BeNull();
        var act = () => GeoJsonFormat.Parse(Encoding.UTF8.GetBytes(json), "f.geojson");
        act.Should().Throw<FeatureFileException>().WithMessage("*LineNumber: 2*");
    }

    [Fact]
    public void Random_large_collections_read_as_on_the_readers_path()
    {
        var random = new Random(20261206);
        var deferred = 0;
        for (var round = 0; round < 30; round++)
        {
            if (GeoJsonCoordinateScanTests.Read(GeoJsonCoordinateScanTests.RandomCollection(random, maxFeatures: 4, maxPositions: 1_500)) is { } read)
            {
                read.Scanned.Should().BeTrue();
                if (read.Deferred > 0) deferred++;
            }
        }

        deferred.Should().BeGreaterThan(3, "some random collections are well formed and large (an open random ring is an error on both paths)");
    }
}
