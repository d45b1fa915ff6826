namespace MapControl.Data.PostGis.Tiles;

/// <summary>Settings of <see cref="VectorTileRepository"/>.</summary>
public sealed record VectorTileOptions
{
    /// <param name="maxConcurrentQueries">Tile queries run at once (0: no limit); further requests wait their turn in order.</param>
    /// <exception cref="ArgumentOutOfRangeException">The limit is negative.</exception>
    public VectorTileOptions(int maxConcurrentQueries)
    {
        if (maxConcurrentQueries < 0)
            throw new ArgumentOutOfRangeException(nameof(maxConcurrentQueries), maxConcurrentQueries,
                "MapControl:Tiles:MaxConcurrentQueries must be 0 (no limit) or a positive number of queries.");
        MaxConcurrentQueries = maxConcurrentQueries;
    }

    /// <summary>Tile queries run at once (0: no limit).</summary>
    public int MaxConcurrentQueries { get; }
}
