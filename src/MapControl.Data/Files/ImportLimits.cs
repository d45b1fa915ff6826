namespace MapControl.Data.Files;

/// <summary>
/// The bounds of every file MapControl reads (uploads, zip archives, CLI files): what a bad or hostile file can cost is bounded
/// by these numbers, checked before anything large is allocated. Exceeding one is a <see cref="FeatureFileException"/> with
/// <see cref="FeatureFileException.LimitExceeded"/> set (the web answers 413, everything else in a file 400).
/// The web binds the configuration section <see cref="Section"/> (e.g. <c>Import:MaxUploadBytes</c>) onto these defaults.
/// docs/DEFINITIONS.md, "Import limits", describes them.
/// </summary>
public sealed record ImportLimits
{
    /// <summary>The configuration section of the web server.</summary>
    public const string Section = "Import";

    private const long MiB = 1024 * 1024;

    /// <summary>The defaults.</summary>
    public static ImportLimits Default { get; } = new();

    /// <summary>Largest request body of <c>POST /api/import</c> (sets Kestrel's and the form reader's limits for that endpoint): 200 MiB.</summary>
    public long MaxUploadBytes { get; init; } = 200 * MiB;

    /// <summary>Largest single file: an uploaded file, a file unpacked from a zip (counted while unpacking) or a file the CLI reads: 256 MiB.</summary>
    public long MaxFileBytes { get; init; } = 256 * MiB;

    /// <summary>Largest total of the files unpacked from the zip archives of one upload: 512 MiB.</summary>
    public long MaxUnpackedBytes { get; init; } = 512 * MiB;

    /// <summary>Most entries (files and folders) in one zip archive: 1,000.</summary>
    public int MaxZipEntries { get; init; } = 1_000;

    /// <summary>Largest ratio of unpacked to packed bytes of one zip entry, once the entry has unpacked more than 1 MiB: 200.</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>Most features in one file: 1,000,000.</summary>
    public int MaxFeatures { get; init; } = 1_000_000;

    /// <summary>Most vertices in one feature: 100,000 (the planner's bound on one geometry).</summary>
    public int MaxVerticesPerFeature { get; init; } = 100_000;

    /// <summary>Most vertices in one file: 10,000,000.</summary>
    public long MaxVertices { get; init; } = 10_000_000;

    /// <summary>Bytes unpacked from one zip entry before <see cref="MaxCompressionRatio"/> applies: 1 MiB.</summary>
    public const long RatioFloorBytes = MiB;
}
