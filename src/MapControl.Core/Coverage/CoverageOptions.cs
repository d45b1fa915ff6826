using MapControl.Core.Crs;

namespace MapControl.Core.Coverage;

/// <summary>Thresholds and settings of a coverage check; thresholds only filter what is reported, never what is computed.</summary>
public sealed record CoverageOptions
{
    /// <summary>Gaps and overlaps smaller than this area (m²) are left out of the report.</summary>
    public double MinAreaM2 { get; init; } = 1.0;

    /// <summary>Gaps and overlaps narrower than this width (m) are left out of the report.</summary>
    public double MinWidthM { get; init; }

    /// <summary>Gap width (m) given to NTS CoverageValidator: near-coincident edges and gaps narrower than this are invalid edges.</summary>
    public double InvalidEdgeToleranceM { get; init; } = 1.0;

    /// <summary>
    /// Whether to run NTS CoverageValidator for <see cref="CoverageReport.InvalidEdges"/> (about as costly as the gap and
    /// overlap search itself on large coverages); false leaves InvalidEdges empty and does not change gaps or overlaps.
    /// </summary>
    public bool FindInvalidEdges { get; init; } = true;

    /// <summary>Distance (m) within which a department's polygon counts as touching a gap.</summary>
    public double TouchToleranceM { get; init; } = 0.01;

    /// <summary>The metric projection to measure in; null centres one on the frame's envelope.</summary>
    public MetricProjection? Projection { get; init; }

    /// <summary>
    /// Lon/lat edges longer than this (degrees) get extra vertices before projection, so edges straight in lon/lat (as
    /// PostGIS stores them) stay within ~1 mm of their projection; 0 projects vertices only.
    /// </summary>
    public double DensifyStepDegrees { get; init; } = 0.002;

    /// <summary>
    /// Grid (m) that inputs and overlay results are snap-rounded to: differences below it are noise, not slivers.
    /// Gaps and items then meet exactly on this grid; in floating point they may overlap by up to ~grid × edge length at crossings.
    /// </summary>
    public double GridM { get; init; } = 0.001;

    /// <summary>Weights of the gap risk score.</summary>
    public GapRiskWeights Risk { get; init; } = new();

    /// <summary>Diagnostics for timing harnesses (benchmarks, perf tests): receives one line per phase when set; null in production.</summary>
    public Action<string>? Trace { get; init; }
}

/// <summary>
/// Weights of the gap risk score: risk = Incident·incidents + KeyWell·keyWells + Well·wells + Area·log10(1 + area_m2 / 10,000);
/// every term is non-negative and increasing, so the score is monotone in each count and in the area.
/// </summary>
public sealed record GapRiskWeights
{
    /// <summary>Weight of each incident of the last 12 months inside the gap.</summary>
    public double Incident { get; init; } = 5.0;

    /// <summary>Weight of each key well inside the gap (on top of its weight as a well).</summary>
    public double KeyWell { get; init; } = 3.0;

    /// <summary>Weight of each well inside the gap.</summary>
    public double Well { get; init; } = 1.0;

    /// <summary>Weight of the area term log10(1 + area in hectares).</summary>
    public double Area { get; init; } = 1.0;

    /// <summary>The risk score of a gap.</summary>
    public double Score(int incidents, int keyWells, int wells, double areaM2) =>
        Incident * incidents + KeyWell * keyWells + Well * wells + Area * Math.Log10(1.0 + Math.Max(0.0, areaM2) / 10_000.0);
}
