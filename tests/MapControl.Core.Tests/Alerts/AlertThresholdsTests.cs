using MapControl.Core.Alerts;
using MapControl.Core.Model;

namespace MapControl.Core.Tests.Alerts;

/// <summary>The thresholds' one rule: bounds, inheritance (department, centre, appsettings, default) and who may set them.</summary>
public sealed class AlertThresholdsTests
{
    private static readonly Dictionary<string, double> None = [];

    [Fact]
    public void Every_default_lies_within_its_bounds_and_every_name_is_a_value_of_the_record()
    {
        var defaults = AlertThresholds.Default.ToNames();
        defaults.Keys.Should().BeEquivalentTo(AlertThresholds.Names);
        foreach (var spec in AlertThresholds.Specs)
        {
            AlertThresholds.Check(spec.Name, defaults[spec.Name]).Should().BeNull(spec.Name);
            spec.Min.Should().BePositive("alert_threshold's check keeps values above 0");
            AlertThresholds.Default.With([KeyValuePair.Create(spec.Name, spec.Max)]).ToNames()[spec.Name].Should().Be(spec.Max, "With knows " + spec.Name);
        }
    }

    [Theory]
    [InlineData("outside_zone_minutes", 1, true)]
    [InlineData("outside_zone_minutes", 30, true)]
    [InlineData("outside_zone_minutes", 0.5, false)]
    [InlineData("outside_zone_minutes", 31, false)]
    [InlineData("stationary_minutes", 45, false)]
    [InlineData("device_silent_minutes", 720, false)]
    [InlineData("key_well_radius_m", 300, true)]
    [InlineData("key_well_radius_m", double.NaN, false)]
    [InlineData("key_well_radius_m", double.PositiveInfinity, false)]
    [InlineData("no_such_threshold", 10, false)]
    public void Check_accepts_values_within_the_bounds_only(string name, double value, bool ok)
    {
        var error = AlertThresholds.Check(name, value);
        if (ok) error.Should().BeNull();
        else error.Should().NotBeNullOrEmpty().And.Contain(name);
    }

    [Fact]
    public void The_windows_judged_on_the_live_trail_are_bounded_by_it()
    {
        AlertThresholds.Spec("outside_zone_minutes")!.Max.Should().BeLessThanOrEqualTo(AlertThresholds.MaxTrailWindowMinutes);
        AlertThresholds.Spec("stationary_minutes")!.Max.Should().BeLessThanOrEqualTo(AlertThresholds.MaxTrailWindowMinutes);
        AlertThresholds.Spec("device_silent_minutes")!.Max.Should().BeLessThan(AlertRules.ShiftSpan.TotalMinutes, "silence after a shift is no alert");
    }

    [Fact]
    public void Resolve_takes_the_departments_value_then_the_centres_then_appsettings_then_the_default()
    {
        var appsettings = new Dictionary<string, double> { ["device_silent_minutes"] = 45, ["stationary_minutes"] = 20 };
        var centre = new Dictionary<string, double> { ["stationary_minutes"] = 25, ["key_well_radius_m"] = 400 };
        var department = new Dictionary<string, double> { ["key_well_radius_m"] = 250 };

        var d = AlertThresholds.Resolve(appsettings, centre, department).ToDictionary(t => t.Name);
        d["key_well_radius_m"].Should().Be(new EffectiveThreshold("key_well_radius_m", 250, ThresholdSource.Department, 250));
        d["stationary_minutes"].Should().Be(new EffectiveThreshold("stationary_minutes", 25, ThresholdSource.Centre, null));
        d["device_silent_minutes"].Should().Be(new EffectiveThreshold("device_silent_minutes", 45, ThresholdSource.Appsettings, null));
        d["outside_zone_minutes"].Should().Be(new EffectiveThreshold("outside_zone_minutes", 10, ThresholdSource.Default, null));

        var c = AlertThresholds.Resolve(appsettings, centre, null).ToDictionary(t => t.Name);
        c["key_well_radius_m"].Should().Be(new EffectiveThreshold("key_well_radius_m", 400, ThresholdSource.Centre, 400), "the centre's own stored value");
        c["device_silent_minutes"].Source.Should().Be(ThresholdSource.Appsettings);

        var t = AlertThresholds.Of(AlertThresholds.Resolve(appsettings, centre, department));
        (t.KeyWellRadiusM, t.StationaryMinutes, t.DeviceSilentMinutes, t.OutsideZoneMinutes).Should().Be((250, 25, 45, 10));
        AlertThresholds.Of(AlertThresholds.Resolve(None, None, null)).Should().Be(AlertThresholds.Default);
    }

    [Fact]
    public void Only_admins_set_thresholds_and_a_departments_admin_only_its_own()
    {
        AlertThresholds.Refusal(new User("a", "a", Role.Admin, null), null).Should().BeNull();
        AlertThresholds.Refusal(new User("a", "a", Role.Admin, null), "D2").Should().BeNull();
        AlertThresholds.Refusal(new User("a1", "a1", Role.Admin, "D1"), "D1").Should().BeNull();
        AlertThresholds.Refusal(new User("a1", "a1", Role.Admin, "D1"), "D2").Should().NotBeNull();
        AlertThresholds.Refusal(new User("a1", "a1", Role.Admin, "D1"), null).Should().NotBeNull("the centre's values are the centre admin's");
        foreach (var role in new[] { Role.Commander, Role.Analyst, Role.Planner, Role.Integration })
            AlertThresholds.Refusal(new User("x", "x", role, null), null).Should().Be("Only admins set alert thresholds.");
    }

    [Fact]
    public void A_unit_is_unavailable_without_a_recent_fix_or_while_dispatched_elsewhere()
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        Dispatch.Unavailable("U1", now.AddMinutes(-5), null, now).Should().BeNull();
        Dispatch.Unavailable("U1", now.AddMinutes(-31), null, now).Should().Contain("no position");
        Dispatch.Unavailable("U1", null, null, now).Should().Contain("no position");
        Dispatch.Unavailable("U1", now.AddMinutes(-5), 42, now).Should().Contain("alert 42");
    }
}
