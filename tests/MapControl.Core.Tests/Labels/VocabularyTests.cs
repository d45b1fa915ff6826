using MapControl.Core.Crs;
using MapControl.Core.Labels;
using MapControl.Core.Model;

namespace MapControl.Core.Tests.Labels;

public sealed class VocabularyTests
{
    [Theory]
    [InlineData("casing_theft", "casing_theft")]
    [InlineData("CasingTheft", "casing_theft")]
    [InlineData("套管油被盗", "casing_theft")]
    [InlineData(" 套管油盗窃 ", "casing_theft")]
    [InlineData("打孔盗油", "pipeline_tapping")]
    [InlineData("私接管线", "pipeline_tapping")]
    [InlineData("破坏管线", "pipeline_damage")]
    [InlineData("盗窃原油", "oil_theft")]
    [InlineData("fuel_theft", "oil_theft")]
    [InlineData("Fuel Theft", "oil_theft")]
    [InlineData("ｆｕｅｌ－ｔｈｅｆｔ", "oil_theft")]
    [InlineData("theft", "theft")]
    [InlineData("Vandalism", "vandalism")]
    [InlineData("trespass", "trespass")]
    [InlineData("非法侵入", "trespass")]
    [InlineData("占压", "encroachment")]
    [InlineData("盗窃设备", "equipment_theft")]
    [InlineData("作业井非法敛油", "workover_oil_collection")]
    [InlineData("可疑车辆", "suspicious_vehicle")]
    [InlineData("可疑人员", "suspicious_person")]
    public void Resolve_codeLabelOrSynonym_givesTheMappedKind(string text, string code)
    {
        var term = IncidentKinds.Builtin.Resolve(text);

        term.Code.Should().Be(code);
        term.Mapped.Should().BeTrue();
    }

    [Theory]
    [InlineData("破坏电缆", "破坏电缆")]
    [InlineData("  Copper   wire\u3000theft ", "Copper wire theft")]
    [InlineData("ＡＢＣ盗窃", "ABC盗窃")]
    public void Resolve_unknownLabel_isKeptAsWrittenAndUnmapped(string text, string code)
    {
        var term = IncidentKinds.Builtin.Resolve(text);

        term.Code.Should().Be(code);
        term.LabelZh.Should().Be(code);
        term.Mapped.Should().BeFalse();
        term.Colour.Should().Be(Vocabulary.UnmappedColour);
        IncidentKinds.Builtin.Resolve(text, out var mapped).Should().Be(new IncidentKind(code));
        mapped.Should().BeFalse();
    }

    [Fact]
    public void Defaults_everySpellingNamesOneKind_andTheSampleKindsAreThere()
    {
        var keys = IncidentKinds.Defaults.SelectMany(t => new[] { t.Code, t.LabelZh, t.LabelEn }.Concat(t.Synonyms).Select(s => (Key: Vocabulary.Key(s), t.Code)));
        keys.GroupBy(k => k.Key).Where(g => g.Select(x => x.Code).Distinct().Count() > 1).Should().BeEmpty("a spelling may not name two kinds");
        foreach (var kind in IncidentKind.Sample)
            IncidentKinds.Builtin.Resolve(kind.Code).Should().Match<VocabularyTerm>(t => t.Code == kind.Code && t.Mapped);
    }

    [Fact]
    public void With_addsTermsAndReplacesAKnownCode()
    {
        var vocabulary = IncidentKinds.Builtin.With([new VocabularyTerm("cable_theft", "盗割电缆", "Cable theft", ["破坏电缆"], "#123456"),
            new VocabularyTerm("theft", "盗窃", "Theft", ["偷东西"], "#000000")]);

        vocabulary.Resolve("破坏电缆").Code.Should().Be("cable_theft");
        vocabulary.Resolve("偷东西").Code.Should().Be("theft");
        vocabulary.Resolve("stealing").Mapped.Should().BeFalse("the replaced term has only its new synonyms");
        vocabulary.Terms.Count.Should().Be(IncidentKinds.Defaults.Count + 1);
    }

    [Theory]
    [InlineData("油井", "oil")]
    [InlineData("注水井", "water_injection")]
    [InlineData("关井", "shut_in")]
    [InlineData("井场", "well_pad")]
    [InlineData("群众举报", "public_report")]
    public void FieldVocabularies_resolveChineseLabelsToStoredNames(string text, string code)
    {
        var all = new[] { FieldVocabularies.WellKinds, FieldVocabularies.WellStatuses, FieldVocabularies.IdleSiteKinds, FieldVocabularies.DiscoverySources };
        all.Select(v => v.TryFind(text, out var t) ? t.Code : null).Should().Contain(code);
    }
}

public sealed class GaussKrugerTests
{
    [Theory]
    // 118.55 E 37.45 N in zone 40 (3-degree, CM 120E) and zone 20 (6-degree, CM 117E): gdaltransform to EPSG:4528 / 4498.
    [InlineData(40_371_694.057704646, 4528)]
    [InlineData(20_637_155.1774357, 4498)]
    [InlineData(39_500_000.0, 4527)]
    public void TryZoneOfEasting_readsTheZonePrefix(double easting, int srid)
    {
        GaussKruger.TryZoneOfEasting(easting, out var reference).Should().BeTrue();
        reference!.Srid.Should().Be(srid);
    }

    [Theory]
    [InlineData(371_694.0)]
    [InlineData(24_500_000.0)]
    [InlineData(40_050_000.0)]
    public void TryZoneOfEasting_withoutAZoneOfChina_isFalse(double easting) =>
        GaussKruger.TryZoneOfEasting(easting, out _).Should().BeFalse();

    [Fact]
    public void Zone_roundTripsThroughCm120E_andMatchesTheRegisteredCodes()
    {
        // 118.55 E 37.45 N in EPSG:4549 (CM 120E, no prefix) is (371694.058, 4147440.157); zone 40 adds 40 000 000 to the easting.
        GaussKruger.TryGet(4528, out var zone40).Should().BeTrue();
        var (lon, lat) = CrsTransformer.Create(zone40!, CrsRegistry.Get(CrsRegistry.Wgs84)).Transform(40_371_694.057704646, 4_147_440.15654106);
        lon.Should().BeApproximately(118.55, 1e-8);
        lat.Should().BeApproximately(37.45, 1e-8);

        GaussKruger.TryGet(4498, out var zone20).Should().BeTrue();
        var back = CrsTransformer.Create(CrsRegistry.Get(CrsRegistry.Wgs84), zone20!).Transform(118.55, 37.45);
        var again = CrsTransformer.Create(zone20!, CrsRegistry.Get(CrsRegistry.Wgs84)).Transform(back.X, back.Y);
        // gdaltransform -s_srs "+proj=longlat +datum=WGS84" -t_srs EPSG:4498: 20637155.1774357 4147581.06183327
        back.X.Should().BeApproximately(20_637_155.1774357, 1e-3);
        back.Y.Should().BeApproximately(4_147_581.06183327, 1e-3);
        again.X.Should().BeApproximately(118.55, 1e-9);
        again.Y.Should().BeApproximately(37.45, 1e-9);
    }
}
