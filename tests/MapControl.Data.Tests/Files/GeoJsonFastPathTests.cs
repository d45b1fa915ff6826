using System.Globalization;
using System.Text;
using System.Text.Json;
using MapControl.Data.Files;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace MapControl.Data.Tests.Files;

/// <summary>
/// The fast paths of <c>GeoJsonFormat</c>: the geometry writer (<c>GeoJsonFormat.Writing.cs</c>) writes the bytes NetTopologySuite's
/// converter writes for the rounded copy; the parallel reader (<c>GeoJsonFormat.Parallel.cs</c>) reads what the one pass reads and
/// reports the same first error.
/// </summary>
public sealed class GeoJsonFastPathTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private static readonly JsonSerializerOptions NtsOptions = new()
    {
        Converters = { new GeoJsonConverterFactory(Factory, false, "_NetTopologySuite_id", RingOrientationOption.EnforceRfc9746) },
    };

    // The reference: the rounded copy through NetTopologySuite's converter (what GeoJsonFormat wrote before the fast path).
    private static string Reference(Geometry geometry) => JsonSerializer.Serialize(GeoJsonFormat.ToRfc7946(geometry), NtsOptions);

    private static Coordinate[] Ring(Random random, double cx, double cy, double size, int n, bool clockwise)
    {
        var points = new Coordinate[n + 1];
        for (var i = 0; i < n; i++)
        {
            var angle = (clockwise ? -1 : 1) * 2 * Math.PI * i / n;
            var r = size * (0.6 + 0.4 * random.NextDouble());
            points[i] = new Coordinate(cx + r * Math.Cos(angle), cy + r * Math.Sin(angle));
        }

        points[n] = points[0].Copy();
        return points;
    }

    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Writer_writes_the_bytes_of_the_converter_for_random_geometries(int seed)
    {
        var random = new Random(seed);
        // Centres from lon/lat around the oilfield to values near zero, negative and with few decimals (integers, 0.5).
        double Centre() => random.Next(6) switch
        {
            0 => 118 + random.NextDouble(),
            1 => -random.NextDouble() * 179,
            2 => random.NextDouble() * 1e-3,
            3 => Math.Round(random.NextDouble() * 100),
            4 => Math.Round(random.NextDouble() * 100, 1) + 0.05,
            _ => random.NextDouble() * 2 - 1,
        };
        for (var k = 0; k < 50; k++)
        {
            var cx = Centre();
            var cy = Centre() / 2;
            var size = random.Next(3) switch { 0 => 1e-6, 1 => 1e-3, _ => 0.1 };
            var shell = Factory.CreateLinearRing(Ring(random, cx, cy, size, 3 + random.Next(40), clockwise: random.Next(2) == 0));
            var hole = Factory.CreateLinearRing(Ring(random, cx, cy, size / 4, 3 + random.Next(10), clockwise: random.Next(2) == 0));
            var polygon = Factory.CreatePolygon(shell, random.Next(2) == 0 ? [hole] : []);
            var line = Factory.CreateLineString(Ring(random, cx, cy, size, 5, false)[..4]);
            Geometry[] geometries =
            [
                polygon,
                Factory.CreateMultiPolygon([polygon, Factory.CreatePolygon(Ring(random, cx + 3 * size, cy, size, 7, true))]),
                Factory.CreatePoint(new Coordinate(cx, cy)),
                line,
                shell,
                Factory.CreateMultiLineString([line, Factory.CreateLineString(Ring(random, cx, cy, size, 5, true)[..3])]),
                Factory.CreateMultiPoint([Factory.CreatePoint(new Coordinate(cx, cy)), Factory.CreatePoint(new Coordinate(-cx, 0))]),
            ];
            foreach (var geometry in geometries)
            {
                Assert.Equal(Reference(geometry), GeoJsonFormat.GeometryJson(geometry));
            }
        }
    }

    [Fact]
    public void Writer_falls_back_to_the_converter_for_z_empty_parts_collections_and_other_crs()
    {
        Geometry[] geometries =
        [
            Factory.CreatePoint(new CoordinateZ(118.1, 37.2, 5)),
            Factory.CreatePolygon(),
            Factory.CreateGeometryCollection([Factory.CreatePoint(new Coordinate(118.1, 37.2))]),
            Factory.CreateMultiPolygon([Factory.CreatePolygon(Ring(new Random(1), 118, 37, 0.1, 5, false)), Factory.CreatePolygon()]),
            Factory.CreatePoint(new Coordinate(-0.00000001, 1e-9)),
            Factory.CreatePoint(new Coordinate(0, 0)),
        ];
        foreach (var geometry in geometries)
        {
            Assert.Equal(Reference(geometry), GeoJsonFormat.GeometryJson(geometry));
        }

        var projected = new GeometryFactory(new PrecisionModel(), 4549).CreatePoint(new Coordinate(500000, 4100000));
        Assert.Equal(Reference(projected), GeoJsonFormat.GeometryJson(projected));
    }

    // A FeatureCollection larger than the parallel reader's threshold: detailed polygons, assorted properties.
    private static string LargeCollection(int features, Func<int, string>? feature = null, string before = "", string after = "")
    {
        var text = new StringBuilder();
        text.Append("{ ").Append(before).Append("\"type\": \"FeatureCollection\", \"features\": [\n");
        var random = new Random(7);
        for (var f = 0; f < features; f++)
        {
            if (f > 0) text.Append(",\n");
            if (feature is not null && feature(f) is { Length: > 0 } custom)
            {
                text.Append(custom);
                continue;
            }

            var ring = Ring(random, 118 + f * 0.01, 37, 0.004, 400, false);
            text.Append("{\"type\":\"Feature\",\"id\":").Append(f).Append(",\"properties\":{\"department\":\"D")
                .Append(f.ToString("D3", CultureInfo.InvariantCulture)).Append("\",\"name\":\"区 \\\"").Append(f)
                .Append("\\\"\",\"meta\":{\"a\":[1,{\"b\":\"}]\"}]},\"n\":").Append(f).Append(",\"x\":1.5}")
                .Append(",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
            text.AppendJoin(',', ring.Select(c => string.Create(CultureInfo.InvariantCulture, $"[{c.X:R},{c.Y:R}]")));
            text.Append("]]}}");
        }

        text.Append("\n]").Append(after).Append(" }");
        return text.ToString();
    }

    private static void AssertSameAsOnePass(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(bytes.Length >= 1 << 20, "the collection must be large enough for the parallel reader");
        var expected = GeoJsonFormat.ParseOnePass(bytes, "x.geojson");
        var actual = GeoJsonFormat.Parse(bytes, "x.geojson");
        Assert.Equal(expected.Crs, actual.Crs);
        Assert.Equal(expected.Features.Count, actual.Features.Count);
        for (var i = 0; i < expected.Features.Count; i++)
        {
            Assert.Equal(expected.Features[i].Where, actual.Features[i].Where);
            Assert.True(expected.Features[i].Geometry!.EqualsExact(actual.Features[i].Geometry!), $"geometry {i}");
            Assert.Equal(expected.Features[i].Properties.OrderBy(p => p.Key), actual.Features[i].Properties.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public void Parallel_reader_reads_what_the_one_pass_reads()
    {
        Assert.NotNull(GeoJsonFormat.ParseInParallel(Encoding.UTF8.GetBytes(LargeCollection(200)), "x.geojson"));
        AssertSameAsOnePass(LargeCollection(200));
        AssertSameAsOnePass(LargeCollection(200, before: "\"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"urn:ogc:def:crs:EPSG::4490\" } }, ",
            after: ", \"bbox\": [1, 2, 3, 4], \"name\": \"x\""));
        // A trailing comma in the array, whitespace everywhere.
        AssertSameAsOnePass(LargeCollection(200).Replace("\n]", ",\n  ]", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "missing comma", "" },
        { "not a feature", "{\"type\":\"Fxature\",\"properties\":{},\"geometry\":null}" },
        { "malformed geometry", "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[1,2]}}" },
        { "bad json", "{\"type\":\"Feature\",\"properties\":{\"a\":tru},\"geometry\":null}" },
        { "not an object", "17" },
        { "comment", "/* c */ {\"type\":\"Feature\",\"properties\":{},\"geometry\":null}" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Parallel_reader_reports_the_error_of_the_one_pass(string name, string feature150)
    {
        var json = LargeCollection(200, f => f == 150 && name != "missing comma" ? feature150 : "");
        if (name == "missing comma")
        {
            // No comma between features 150 and 151.
            var end = json.IndexOf("]]}}", json.IndexOf("\"D150\"", StringComparison.Ordinal), StringComparison.Ordinal) + 4;
            Assert.Equal(",\n", json.Substring(end, 2));
            json = json[..end] + " \n" + json[(end + 2)..];
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        Exception? expected = null, actual = null;
        try
        {
            _ = GeoJsonFormat.ParseOnePass(bytes, "x.geojson");
        }
        catch (Exception e)
        {
            expected = e;
        }

        try
        {
            _ = GeoJsonFormat.Parse(bytes, "x.geojson");
        }
        catch (Exception e)
        {
            actual = e;
        }

        Assert.Equal(expected?.GetType(), actual?.GetType());
        Assert.Equal(expected?.Message, actual?.Message);
        Assert.Null(GeoJsonFormat.ParseInParallel(bytes, "x.geojson"));
    }
}
