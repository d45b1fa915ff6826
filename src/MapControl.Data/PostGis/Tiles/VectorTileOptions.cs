namespace MapControl.Data.PostGis.Tiles;

/// <summary>Settings of <see cref="VectorTileRepository"/>.</summary>
/// <param name="MaxConcurrentQueries">Tile queries run at once (0: no limit); further requests wait their turn in order.</param>
public sealed record VectorTileOptions(int MaxConcurrentQueries);
