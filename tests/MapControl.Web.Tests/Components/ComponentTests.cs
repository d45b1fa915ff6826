using Bunit;
using MapControl.Web.Apis;
using MapControl.Web.Components.Map;
using MapControl.Web.Components.Shell;
using MapControl.Web.Components.Views;
using MapControl.Web.Localization;

namespace MapControl.Web.Tests.Components;

/// <summary>bUnit tests of the one map's components that render without a database or a browser.</summary>
public sealed class ComponentTests : IDisposable
{
    private readonly BunitContext _ctx = new();

    public void Dispose() => _ctx.Dispose();

    [Fact]
    public void AttributesPanel_feature_shows_its_properties_and_closes()
    {
        var closed = false;
        var feature = new FeatureClick("gaps", 118.4825, 37.45, new Dictionary<string, string?> { ["department_names"] = "纯梁护卫部 / 河口护卫部", ["colour"] = "#f00" });
        var cut = _ctx.Render<AttributesPanel>(p => p
            .AddCascadingValue(Texts.En)
            .Add(x => x.Feature, feature)
            .Add(x => x.OnClose, () => closed = true));
        cut.Find("header strong").TextContent.Should().Be("Attributes · Gaps");
        cut.FindAll("th").Select(th => th.TextContent).Should().Equal("Departments", "Lon, lat", "Gauss-Kruger (CGCS2000)");
        cut.Markup.Should().Contain("纯梁护卫部 / 河口护卫部").And.Contain("118.48250, 37.45000");
        cut.Find("[data-testid=attributes-close]").Click();
        closed.Should().BeTrue();
    }

    [Fact]
    public void AttributesPanel_shows_words_for_keys_china_time_and_kind_names()
    {
        var cut = _ctx.Render<AttributesPanel>(p => p
            .AddCascadingValue(Texts.Zh)
            .Add(x => x.Feature, new FeatureClick("incidents", 118.5, 37.45, new Dictionary<string, string?>
            {
                ["code"] = "AJ-1", ["kind"] = "casing_theft", ["occurred_at"] = "2026-11-30T17:30:00Z", ["is_key"] = "true", ["odd_key"] = "x",
            })));
        var rows = cut.FindAll("tr").Select(tr => (tr.QuerySelector("th")!.TextContent, tr.QuerySelector("td")!.TextContent)).ToArray();
        rows.Should().Contain(("发案时间", "2026-12-01 01:30"), "17:30 UTC is 01:30 the next day in China");
        rows.Should().Contain(("类型", "套管油盗窃")).And.Contain(("编号", "AJ-1")).And.Contain(("重点井", "是")).And.Contain(("odd key", "x"));
        cut.Find("header strong").TextContent.Should().Be("属性 · 案件");
        var gk = MapControl.Core.Crs.GaussKrugerReadout.Of(118.5, 37.45)!.Value;
        rows.Should().Contain(r => r.Item1 == "高斯-克吕格 (CGCS2000)" && r.Item2.StartsWith("20 · X " + gk.X.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void AttributesPanel_in_chinese_uses_chinese_labels()
    {
        var cut = _ctx.Render<AttributesPanel>(p => p
            .AddCascadingValue(Texts.Zh)
            .Add(x => x.Feature, new FeatureClick("wells", 1, 2, new Dictionary<string, string?>())));
        cut.Find("header strong").TextContent.Should().StartWith("属性");
    }

    [Fact]
    public void MonthlyChart_series_draws_one_line_per_department_plus_total_and_last_year()
    {
        var months = new[] { new DateOnly(2026, 9, 1), new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1) };
        var series = new[]
        {
            new MonthlyCases("D1", "#1f77b4", months.Select((m, i) => (m, 10 + i, 12)).ToArray()),
            new MonthlyCases("D2", "#ff7f0e", months.Select((m, i) => (m, 5, 4)).ToArray()),
        };
        var cut = _ctx.Render<MonthlyChart>(p => p.Add(x => x.Series, series).Add(x => x.Title, "月度发案"));
        var lines = cut.FindAll("polyline");
        lines.Should().HaveCount(4);
        lines.Select(l => l.GetAttribute("stroke")).Should().Contain(["#1f77b4", "#ff7f0e"]);
        lines[0].GetAttribute("points")!.Split(' ').Should().HaveCount(3);
        cut.Markup.Should().Contain("26-09").And.Contain("月度发案");
    }

    private static GapRow Gap(int rank, double areaM2, int wells, int incidents) =>
        new(rank, areaM2, 1, ["D1", "D2"], "纯梁护卫部 / 河口护卫部", wells, 0, incidents, 10.0 / rank, 118, 37, 118.1, 37.1, "{}");

    [Fact]
    public void GapList_folds_empty_slivers_into_one_line_and_shows_them_on_request()
    {
        GapRow? selected = null;
        var gaps = new[] { Gap(1, 240_000, 7, 81), Gap(2, 60, 1, 0), Gap(3, 17, 0, 0), Gap(4, 3, 0, 0) };
        var cut = _ctx.Render<GapList>(p => p
            .AddCascadingValue(Texts.En)
            .Add(x => x.Gaps, gaps)
            .Add(x => x.OnSelect, g => selected = g));

        cut.FindAll("[data-testid=gap-row]").Should().HaveCount(2, "the 60 m² gap has a well, so it is not folded");
        cut.Find("[data-testid=gap-slivers]").TextContent.Should().StartWith("2 slivers under 100 m²").And.Contain("20 m² in all");
        cut.Find("[data-testid=toggle-slivers]").Click();
        cut.FindAll("[data-testid=gap-row]").Should().HaveCount(4);
        cut.Find("[data-testid=toggle-slivers]").TextContent.Should().Be("hide");
        cut.FindAll("[data-testid=gap-row]")[1].Click();
        selected!.Rank.Should().Be(2);
    }

    [Fact]
    public void GapList_without_slivers_has_no_fold_line()
    {
        var cut = _ctx.Render<GapList>(p => p.AddCascadingValue(Texts.Zh).Add(x => x.Gaps, new[] { Gap(1, 4_910_000, 10, 14) }));

        cut.FindAll("[data-testid=gap-row]").Should().ContainSingle().Which.TextContent.Should().Contain("4.91 km²");
        cut.FindAll("[data-testid=gap-slivers]").Should().BeEmpty();
    }

    [Fact]
    public void WellList_lists_every_well_searches_by_code_and_sorts()
    {
        var wells = Enumerable.Range(0, 225).Select(i => new KeyWellStatus($"W{i:000}", 118.4, 37.4, i % 2 == 0 ? "D1" : "D2", null, i % 2 == 0)).Reverse().ToArray();
        var cut = _ctx.Render<WellList>(p => p.AddCascadingValue(Texts.En).Add(x => x.Wells, wells).Add(x => x.Map, null!).Add(x => x.TestId, "w"));
        cut.FindAll("[data-testid=well-row]").Should().HaveCount(225, "no row is hidden behind a count");
        cut.Markup.Should().NotContain("… +");
        cut.Find("[data-testid=w-search]").Input("W01");
        cut.FindAll("[data-testid=well-row]").Select(li => li.GetAttribute("data-code")).Should().Equal(Enumerable.Range(10, 10).Select(i => $"W{i:000}"));
        cut.Find("[data-testid=w-count]").TextContent.Should().Be("10 of 225");
        cut.Find("[data-testid=w-search]").Input("");
        cut.Find("[data-testid=w-sort]").Change("code");
        cut.FindAll("[data-testid=well-row]").First().GetAttribute("data-code").Should().Be("W000");
        cut.Find("[data-testid=w-sort]").Change("department");
        cut.FindAll("[data-testid=well-row]").Last().GetAttribute("data-department").Should().Be("D2");
    }
}

/// <summary>The resource dictionary and the time-window arithmetic of the top bar.</summary>
public sealed class TextsAndWindowTests
{
    [Fact]
    public void Texts_every_key_differs_between_languages_or_is_a_shared_symbol()
    {
        foreach (var key in Texts.Keys)
        {
            Texts.Zh[key].Should().NotBeNullOrWhiteSpace();
            Texts.En[key].Should().NotBeNullOrWhiteSpace();
        }
        Texts.Zh["view.commander"].Should().Be("指挥");
        Texts.En["view.commander"].Should().Be("Command");
        Texts.Zh["no.such.key"].Should().Be("no.such.key");
    }

    [Theory]
    [InlineData(null, "zh-CN")]
    [InlineData("en-US,en;q=0.9", "en")]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN")]
    [InlineData("en;q=0.5,zh-TW;q=0.8", "zh-CN")]
    [InlineData("fr-FR,en;q=0.3", "en")]
    [InlineData("de-DE", "zh-CN")]
    public void FromAcceptLanguage_header_picks_the_preferred_supported_language(string? header, string expected) =>
        Texts.FromAcceptLanguage(header).Should().Be(expected);

    [Theory]
    [InlineData(RangePreset.Month, "2026-11-28", false, "2026-10-29", "2026-11-29")]
    [InlineData(RangePreset.Quarter, "2026-11-28", false, "2026-08-29", "2026-11-29")]
    [InlineData(RangePreset.Year, "2026-11-28", true, "2024-11-29", "2025-11-29")]
    [InlineData(RangePreset.Season, "2026-11-28", false, "2026-09-01", "2026-12-01")]
    [InlineData(RangePreset.Season, "2026-01-15", false, "2025-12-01", "2026-03-01")]
    [InlineData(RangePreset.Season, "2026-12-31", true, "2025-12-01", "2026-03-01")]
    public void WindowOf_preset_and_end_date_gives_the_china_time_window(RangePreset preset, string end, bool lastYear, string from, string to)
    {
        var (f, t) = OneMapState.WindowOf(preset, DateOnly.Parse(end), lastYear);
        f.Should().Be(new DateTimeOffset(DateTime.Parse(from), TimeSpan.FromHours(8)));
        t.Should().Be(new DateTimeOffset(DateTime.Parse(to), TimeSpan.FromHours(8)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://127.8.0.1:80/", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    [InlineData("http://[::]:5080", false)]
    public void IsLoopback_listen_url_is_recognised(string url, bool loopback) =>
        MapControl.Web.Auth.DemoUsers.IsLoopback(url).Should().Be(loopback);
}
