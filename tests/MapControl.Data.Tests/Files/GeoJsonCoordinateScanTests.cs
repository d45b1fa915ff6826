using System.Globalization;
using System.Text;
using MapControl.Data.Files;

namespace MapControl.Data.Tests.Files;

/// <summary>
/// The coordinates' fast path (<c>GeoJsonFormat.Coordinates.cs</c>) reads what the reader's path reads: the same features, the
/// same members after the coordinates, and the same error for a bad file, named at the same line and position.
/// </summary>
public sealed class GeoJsonCoordinateScanTests
{
    /// <summary>Whether the fast path took a value (null: the file is an error, the same on both paths).</summary>
    internal static bool? Same(string json) => Read(json)?.Scanned;

    /// <summary>The fast path's reading when the file is read without an error, the same as the reader's (null: the same error on both paths).</summary>
    internal static (bool Scanned, int Deferred)? Read(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Exception? slowError = null, fastError = null;
        (List<(NetTopologySuite.Geometries.Geometry? Geometry, Dictionary<string, object?> Properties, string Where)> Features, int? Crs, bool Scanned, int Deferred) slow = default, fast = default;
        try { slow = GeoJsonFormat.Parse(bytes, "f.geojson", scanCoordinates: false); } catch (FeatureFileException e) { slowError = e; }
        try { fast = GeoJsonFormat.Parse(bytes, "f.geojson", scanCoordinates: true); } catch (FeatureFileException e) { fastError = e; }

        (fastError?.Message).Should().Be(slowError?.Message, json.Length < 400 ? json : "the file");
        if (slowError is not null) return null;
        slow.Scanned.Should().BeFalse();
        fast.Crs.Should().Be(slow.Crs);
        fast.Features!.Should().HaveCount(slow.Features!.Count);
        for (var i = 0; i < slow.Features.Count; i++)
        {
            fast.Features[i].Where.Should().Be(slow.Features[i].Where);
            if (slow.Features[i].Geometry is null) fast.Features[i].Geometry.Should().BeNull();
            else fast.Features[i].Geometry!.EqualsExact(slow.Features[i].Geometry).Should().BeTrue(json.Length < 400 ? json : $"feature {i + 1}");
            fast.Features[i].Properties.Should().Equal(slow.Features[i].Properties);
        }

        return (fast.Scanned, fast.Deferred);
    }

    private static string Fc(string geometry, string properties = "{\"a\":[1,{\"b\":2}],\"s\":\"x\"}") =>
        $"{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"geometry\":{geometry},\"properties\":{properties}}},{{\"type\":\"Feature\",\"properties\":{{\"n\":1}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[1,2]}}}}],\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"EPSG:4326\"}}}}}}";

    [Theory]
    // Well-formed values: every nesting, blanks and newlines, 3D and 4D positions, exponents, signs, zeros, empties.
    [InlineData("{\"type\":\"Point\",\"coordinates\":[118.5,37.25]}", true)]
    [InlineData("{\"type\":\"Point\",\"coordinates\" : \n [ -0.0 , 1E2 , 3.5e-2 ] }", true)]
    [InlineData("{\"coordinates\":[[118,37],[118.1,37.1,5],[118.2,37,1,2]],\"type\":\"LineString\"}", true)]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,3],[3,3],[2,2]]]}", true)]
    [InlineData("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}", true)]
    [InlineData("{\"type\":\"MultiPolygon\",\"coordinates\":[\r\n\t[\r\n\t\t[ [0,0], [1,0], [1,1], [0,0] ]\r\n\t]\r\n]}", true)]
    [InlineData("{\"type\":\"MultiPoint\",\"coordinates\":[]}", true)]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[]}", true)]
    [InlineData("{\"type\":\"Point\",\"coordinates\":[]}", true)]
    [InlineData("{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1e-300,-1.7976931348623157e308]},{\"type\":\"LineString\",\"coordinates\":[[0.1,0.2],[0.30000000000000004,118.30008394086586]]}]}", true)]
    // Values the fast path leaves to the reader: comments, trailing commas, bad numbers, mixed nesting, missing parts.
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],/* c */[3,4]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4],]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2,],[3,4]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[01,2],[3,4]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,1e400]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,\"4\"]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],3]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[[3,4]]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]],\"x\":1}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]] \"x\":1}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1.,2],[3,4]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[+1,2],[3,4]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[-,2],[3,4]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[NaN,2],[3,4]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4e]]}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":{\"x\":1}}", false)]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]", false)]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[1,2],[3,4],[5,6],[1,2]]], \"type\":\"Polygon\" ", false)]
    public void A_geometry_reads_as_on_the_readers_path(string geometry, bool taken)
    {
        Same(Fc(geometry));
        if (Same(geometry) is { } scanned) scanned.Should().Be(taken, "the fast path takes plain arrays of numbers and nothing else");
    }

    [Fact]
    public void An_error_after_scanned_coordinates_is_named_at_its_line_and_position()
    {
        var json = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[\n[1,2],\n[3,4]\n]},\"properties\":{}},\n{\"type\":\"Feature\" \"geometry\":null}]}";
        Same(json);
        var act = () => GeoJsonFormat.Parse(Encoding.UTF8.GetBytes(json), "f.geojson");
        act.Should().Throw<FeatureFileException>().WithMessage("*LineNumber: 5*");
    }

    [Fact]
    public void Nesting_beyond_the_readers_depth_is_its_error()
    {
        var deep = new string('[', 70) + "1,2" + new string(']', 70);
        Same(Fc("{\"type\":\"Point\",\"coordinates\":" + deep + "}"));
    }

    [Fact]
    public void Random_collections_read_as_on_the_readers_path()
    {
        var random = new Random(20261205);
        var read = 0;
        for (var round = 0; round < 200; round++)
        {
            var scanned = Same(RandomCollection(random, maxFeatures: 5));
            scanned.Should().NotBe(false, "a collection read without an error has its coordinates scanned");
            if (scanned == true) read++;
        }

        read.Should().BeGreaterThan(50, "most random collections are well formed (an open random ring is an error on both paths)");
    }

    /// <summary>A FeatureCollection of 1 to <paramref name="maxFeatures"/> random features (<see cref="RandomGeometry"/>).</summary>
    internal static string RandomCollection(Random random, int maxFeatures, int maxPositions = 8)
    {
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        var features = random.Next(1, maxFeatures + 1);
        for (var f = 0; f < features; f++)
        {
            if (f > 0) sb.Append(random.Next(3) == 0 ? ",\n  " : ",");
            sb.Append("{\"type\":\"Feature\",\"properties\":{\"i\":").Append(f).Append("},\"geometry\":");
            sb.Append(RandomGeometry(random, 0, maxPositions)).Append('}');
        }

        return sb.Append("]}").ToString();
    }

    internal static string RandomGeometry(Random random, int depth, int maxPositions = 8)
    {
        string Number()
        {
            var v = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 6));
            return random.Next(5) switch
            {
                0 => v.ToString("E3", CultureInfo.InvariantCulture),
                1 => v.ToString("R", CultureInfo.InvariantCulture),
                2 => ((long)v).ToString(CultureInfo.InvariantCulture),
                3 => v.ToString("F10", CultureInfo.InvariantCulture),
                _ => v.ToString("G17", CultureInfo.InvariantCulture),
            };
        }

        string Blank() => random.Next(4) switch { 0 => " ", 1 => "\n\t", _ => "" };
        string Position() => "[" + Blank() + string.Join("," + Blank(), Enumerable.Range(0, random.Next(2, 5)).Select(_ => Number())) + Blank() + "]";
        string Positions(int min) => "[" + string.Join("," + Blank(), Enumerable.Range(0, random.Next(min, Math.Max(min + 1, maxPositions))).Select(_ => Position())) + "]";
        string Ring() => Positions(4);
        string Polygon() => "[" + string.Join(",", Enumerable.Range(0, random.Next(1, 3)).Select(_ => Ring())) + "]";
        return random.Next(depth < 2 ? 7 : 6) switch
        {
            0 => $"{{\"type\":\"Point\",\"coordinates\":{Blank()}{Position()}}}",
            1 => $"{{\"coordinates\":{Positions(0)},\"type\":\"MultiPoint\"}}",
            2 => $"{{\"type\":\"LineString\",\"coordinates\":{Positions(2)}}}",
            3 => $"{{\"type\":\"MultiLineString\",\"coordinates\":[{string.Join(",", Enumerable.Range(0, random.Next(1, 3)).Select(_ => Positions(2)))}]}}",
            4 => $"{{\"type\":\"Polygon\",\"coordinates\":{Polygon()}}}",
            5 => $"{{\"type\":\"MultiPolygon\",\"coordinates\":[{string.Join(",", Enumerable.Range(0, random.Next(1, 3)).Select(_ => Polygon()))}]}}",
            _ => $"{{\"type\":\"GeometryCollection\",\"geometries\":[{RandomGeometry(random, depth + 1, maxPositions)},{RandomGeometry(random, depth + 1, maxPositions)}]}}",
        };
    }
}
