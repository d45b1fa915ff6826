using System.Globalization;
using System.Text;
using MapControl.Data.Files;

namespace MapControl.Data.Tests.Files;

/// <summary>
/// Features of 1,000+ vertices are checked on the pool while the rest of the file is read (FeatureSetBuilder.StartEarlyChecks):
/// the same features, notes and first error as checking after the whole file, whatever the order of limits, invalid features
/// and a "crs" member that comes after the features.
/// </summary>
public sealed class GeoJsonEarlyChecksTests
{
    /// <summary>A circle-like ring of <paramref name="vertices"/> around (lon, lat), radius ~1 km; twisted (invalid) when asked.</summary>
    private static string Ring(double lon, double lat, int vertices, bool bowTie = false, double scale = 0.01)
    {
        var text = new StringBuilder("[[");
        for (var i = 0; i <= vertices; i++)
        {
            var k = i % vertices;
            // Twisted: vertices 10 and 11 swapped, so that the ring crosses itself there (a small bow tie).
            if (bowTie && k is 10 or 11) k = 21 - k;
            var angle = 2 * Math.PI * k / vertices;
            var (x, y) = (lon + scale * Math.Cos(angle), lat + scale * Math.Sin(angle));
            text.Append(CultureInfo.InvariantCulture, $"[{x:R},{y:R}]");
            if (i < vertices) text.Append(',');
        }

        return text.Append("]]").ToString();
    }

    private static string Collection(string? crs, params string[] rings)
    {
        var features = string.Join(",", rings.Select((r, i) =>
            "{\"type\":\"Feature\",\"properties\":{\"n\":" + (i + 1).ToString(CultureInfo.InvariantCulture) + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + r + "}}"));
        var collection = "{\"type\":\"FeatureCollection\",\"features\":[" + features + "]";
        return crs is null ? collection + "}" : collection + ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + crs + "\"}}}";
    }

    [Fact]
    public void Large_valid_features_are_read_as_given()
    {
        var set = FeatureFiles.ReadGeoJson(Collection(null, Ring(118.5, 37.4, 1500), Ring(118.6, 37.4, 2000), Ring(118.7, 37.4, 12)));

        set.Features.Should().HaveCount(3);
        set.Features.Select(f => f.Geometry.NumPoints).Should().Equal(1501, 2001, 13);
        set.Features.Select(f => f.Properties["n"]).Should().Equal(1L, 2L, 3L);
        set.Notes.Should().BeEmpty();
    }

    [Fact]
    public void A_large_invalid_feature_is_repaired_with_its_note_in_order()
    {
        var set = FeatureFiles.ReadGeoJson(Collection(null, Ring(118.5, 37.4, 1500), Ring(118.6, 37.4, 1200, bowTie: true), Ring(118.7, 37.4, 12, bowTie: true)));

        set.Features.Should().HaveCount(3);
        set.Features.Should().OnlyContain(f => f.Geometry.IsValid);
        set.Notes.Should().HaveCount(2);
        set.Notes[0].Should().StartWith("feature 2: repaired invalid geometry");
        set.Notes[1].Should().StartWith("feature 3: repaired invalid geometry");
    }

    [Fact]
    public void The_first_invalid_feature_is_the_error_when_repair_is_off()
    {
        var act = () => FeatureFiles.ReadGeoJson(Collection(null, Ring(118.5, 37.4, 1500), Ring(118.6, 37.4, 1200, bowTie: true), Ring(118.7, 37.4, 1300, bowTie: true)),
            options: new FeatureReadOptions { RepairInvalidGeometries = false });

        act.Should().Throw<FeatureFileException>().WithMessage("*feature 2 has an invalid geometry*");
    }

    [Fact]
    public void An_invalid_feature_before_the_limit_is_the_error_and_one_after_it_is_not_checked()
    {
        var options = new FeatureReadOptions { RepairInvalidGeometries = false, Limits = new ImportLimits { MaxFeatures = 2 } };

        var before = () => FeatureFiles.ReadGeoJson(Collection(null, Ring(118.5, 37.4, 1500), Ring(118.6, 37.4, 1200, bowTie: true), Ring(118.7, 37.4, 1300)), options: options);
        var after = () => FeatureFiles.ReadGeoJson(Collection(null, Ring(118.5, 37.4, 1500), Ring(118.6, 37.4, 1200), Ring(118.7, 37.4, 1300, bowTie: true)), options: options);

        before.Should().Throw<FeatureFileException>().Where(e => !e.LimitExceeded).WithMessage("*feature 2 has an invalid geometry*");
        after.Should().Throw<FeatureFileException>().Where(e => e.LimitExceeded && e.Message.Contains("more than 2 ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_crs_member_after_the_features_has_them_checked_in_its_crs()
    {
        // Gauss-Krüger metres (EPSG:4549, central meridian 120°E): checked as lon/lat they would be "not a lon/lat position".
        var set = FeatureFiles.ReadGeoJson(Collection("urn:ogc:def:crs:EPSG::4549", Ring(371694.0, 4147440.0, 1500, scale: 1000)));

        set.SourceSrid.Should().Be(4549);
        set.Features.Should().ContainSingle();
        set.Features[0].Geometry.EnvelopeInternal.Centre.X.Should().BeApproximately(118.55, 0.01);
        set.Features[0].Geometry.EnvelopeInternal.Centre.Y.Should().BeApproximately(37.45, 0.01);
    }

    [Fact]
    public void Lon_lat_out_of_range_in_a_large_feature_is_the_error()
    {
        var act = () => FeatureFiles.ReadGeoJson(Collection(null, Ring(118.5, 37.4, 1500), Ring(371694.0, 4147440.0, 1500, scale: 1000)));

        act.Should().Throw<FeatureFileException>().WithMessage("*feature 2: (*is not a lon/lat position*");
    }
}
