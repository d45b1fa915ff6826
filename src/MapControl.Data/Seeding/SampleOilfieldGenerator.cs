using MapControl.Core.Model;

namespace MapControl.Data.Seeding;

/// <summary>
/// The deterministic sample oilfield of the Yellow River delta (DESIGN §7): 7 oil zones, 8 departments whose
/// jurisdictions tile the zones with planted gaps, overlaps and an invalid edge, wells, key wells and cameras, idle
/// sites, 3 years of incidents, patrol units with 90 days of GPS fixes, planned routes and a basemap.
/// </summary>
public static class SampleOilfieldGenerator
{
    /// <summary>The fixed "now" of the sample: 2026-11-29 00:00 China Standard Time (+08:00).</summary>
    public static DateTimeOffset ReferenceNow => SampleLayout.Now;

    /// <summary>Generates the whole dataset (incidents and GPS fixes unless the options leave them out).</summary>
    public static SampleDataset Generate(SampleOptions? options = null)
    {
        options ??= new SampleOptions();
        var ctx = SampleContext.Build(options);
        var incidents = options.IncludeIncidents ? ctx.Incidents().ToList() : [];
        var fixes = options.IncludeGpsFixes ? ctx.Fixes().ToList() : [];
        return new SampleDataset(ctx.Frame.OilZones, ctx.Frame.Departments, ctx.Frame.Jurisdictions, ctx.Frame.PatrolZones,
            ctx.Assets.Wells, ctx.Assets.Cameras, ctx.Assets.IdleSites, incidents, ctx.Units, fixes, ctx.Routes, ctx.Frame.Basemap);
    }

    /// <summary>The incidents of <see cref="Generate"/> in time order, produced lazily (for 10⁶ and more).</summary>
    public static IEnumerable<Incident> StreamIncidents(SampleOptions? options = null) =>
        SampleContext.Build(options ?? new SampleOptions()).Incidents();

    /// <summary>The GPS fixes of <see cref="Generate"/>, unit after unit and each in time order, produced lazily (for 10⁷ and more).</summary>
    public static IEnumerable<GpsFix> StreamGpsFixes(SampleOptions? options = null) =>
        SampleContext.Build(options ?? new SampleOptions()).Fixes();
}

/// <summary>Everything but the two large layers, from which those stream.</summary>
internal sealed record SampleContext(SampleOptions Options, SampleFrame Frame, SampleAssets Assets, IReadOnlyList<HotSpot> HotSpots,
    IReadOnlyList<PatrolUnit> Units, IReadOnlyList<PatrolRoute> Routes)
{
    public static SampleContext Build(SampleOptions options)
    {
        if (!(options.Size > 0) || !(options.IncidentFactor > 0) || !(options.GpsFactor > 0))
            throw new ArgumentOutOfRangeException(nameof(options), "Size and scales must be positive.");
        var frame = FrameBuilder.Build(options.Seed);
        var assets = AssetBuilder.Build(frame, options.Seed, options.Size);
        var hotSpots = IncidentBuilder.HotSpots(frame, assets, options.Seed);
        var units = PatrolBuilder.Units(options.Seed, options.GpsFactor);
        var routes = PatrolBuilder.Routes(frame, assets, options.Seed);
        return new SampleContext(options, frame, assets, hotSpots, units, routes);
    }

    public IEnumerable<Incident> Incidents() => IncidentBuilder.Stream(Frame, Assets, HotSpots, Options.Seed, Options.IncidentFactor);

    public IEnumerable<GpsFix> Fixes() => PatrolBuilder.Fixes(Frame, Assets, Units, Routes, Options.Seed);
}
