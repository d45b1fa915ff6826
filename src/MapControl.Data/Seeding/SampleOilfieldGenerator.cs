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
            ctx.Assets.Wells, ctx.Assets.Cameras, ctx.Assets.IdleSites, incidents, ctx.Units, fixes, ctx.Routes, ctx.Frame.Basemap,
            RoadBuilder.Build(options.Seed));
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
        return new SampleContext(options, Publish(frame), Publish(assets), hotSpots, units,
            routes.Select(r => r with { Geometry = Geo.Publish(r.Geometry) }).ToList());
    }

    private static SampleFrame Publish(SampleFrame f) => f with
    {
        OilZones = f.OilZones.Select(z => z with { Geometry = Geo.Publish(z.Geometry) }).ToList(),
        Jurisdictions = f.Jurisdictions.Select(j => j with { Geometry = Geo.Publish(j.Geometry) }).ToList(),
        PatrolZones = f.PatrolZones.Select(z => z with { Geometry = Geo.Publish(z.Geometry) }).ToList(),
        Basemap = f.Basemap.Select(b => b with { Geometry = Geo.Publish(b.Geometry) }).ToList(),
    };

    private static SampleAssets Publish(SampleAssets a) => a with
    {
        Wells = a.Wells.Select(w => w with { Location = Geo.Publish(w.Location) }).ToList(),
        Cameras = a.Cameras.Select(c => c with { Location = Geo.Publish(c.Location) }).ToList(),
        IdleSites = a.IdleSites.Select(s => s with { Geometry = Geo.Publish(s.Geometry) }).ToList(),
    };

    public IEnumerable<Incident> Incidents() => IncidentBuilder.Stream(Frame, Assets, HotSpots, Options.Seed, Options.IncidentFactor);

    public IEnumerable<GpsFix> Fixes() => PatrolBuilder.Fixes(Frame, Assets, Units, Routes, Options.Seed);
}
