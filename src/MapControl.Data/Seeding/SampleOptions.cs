namespace MapControl.Data.Seeding;

/// <summary>Options of the sample oilfield generator; the same options always give the same dataset.</summary>
/// <param name="Seed">Seed of every random stream (System.Random).</param>
/// <param name="Size">Scale of wells, key wells, cameras, idle sites, incidents and patrol units (1 = the committed sample).</param>
/// <param name="IncidentScale">Scale of incidents alone (default: <paramref name="Size"/>); 125 gives ~10⁶ incidents.</param>
/// <param name="GpsScale">Scale of patrol units and so of GPS fixes (default: <paramref name="Size"/>); 22 gives ~10⁷ fixes.</param>
/// <param name="IncludeIncidents">False leaves <see cref="MapControl.Core.Model.SampleDataset.Incidents"/> empty (stream them instead).</param>
/// <param name="IncludeGpsFixes">False leaves <see cref="MapControl.Core.Model.SampleDataset.GpsFixes"/> empty (stream them instead).</param>
public sealed record SampleOptions(
    int Seed = SampleOptions.DefaultSeed,
    double Size = 1.0,
    double? IncidentScale = null,
    double? GpsScale = null,
    bool IncludeIncidents = true,
    bool IncludeGpsFixes = true)
{
    /// <summary>The seed of the committed sample under data/sample.</summary>
    public const int DefaultSeed = 20261129;

    internal double IncidentFactor => IncidentScale ?? Size;

    internal double GpsFactor => GpsScale ?? Size;
}
