using System.Globalization;
using System.Text;
using System.Text.Json;
using MapControl.Data.Files;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace MapControl.Data.Tests.Files;

/// <summary>
/// The fast geometry writer of <c>GeoJsonFormat</c> (<c>GeoJsonFormat.Writing.cs</c>) writes the bytes NetTopologySuite's converter
/// writes for the rounded copy.
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

    [Fact]
    public void A_large_collection_formatted_in_parallel_batches_is_each_geometry_as_the_converter_writes_it_in_order()
    {
        // 150 features (batches of 64, the last one short), 450 vertices each: batches are formatted on every core. Features the
        // fast path does not take (Z, a collection, empty) lie among them.
        var random = new Random(20261205);
        var features = new List<FeatureRecord>();
        for (var i = 0; i < 150; i++)
        {
            Geometry geometry = (i % 37) switch
            {
                5 => Factory.CreatePoint(new CoordinateZ(118 + i * 1e-3, 37, 12)),
                6 => Factory.CreateGeometryCollection([Factory.CreatePoint(new Coordinate(118, 37)), Factory.CreateLineString([new Coordinate(118, 37), new Coordinate(118.1, 37.1)])]),
                7 => Factory.CreatePolygon(),
                _ => Factory.CreatePolygon(Ring(random, 118 + i * 0.01, 37 + i * 0.005, 0.004, 450, clockwise: i % 2 == 0)),
            };
            features.Add(new FeatureRecord(geometry, new Dictionary<string, object?> { ["n"] = (long)i, ["名"] = $"井{i}" }));
        }

        using var stream = new MemoryStream();
        GeoJsonFormat.Write(stream, features);

        using var document = JsonDocument.Parse(stream.ToArray());
        var written = document.RootElement.GetProperty("features").EnumerateArray().ToList();
        written.Should().HaveCount(features.Count);
        for (var i = 0; i < features.Count; i++)
        {
            written[i].GetProperty("properties").GetProperty("n").GetInt64().Should().Be(i);
            written[i].GetProperty("geometry").GetRawText().Should().Be(Reference(features[i].Geometry), $"feature {i + 1} in its place");
        }
    }
}
