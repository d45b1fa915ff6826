using MapControl.Core.Crs;
using MapControl.Core.Model;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Patrol;

/// <summary>
/// Daily tracks (日轨迹): the GPS fixes of a China Standard Time day reduced to their tracks — Core's one track rule
/// (<see cref="TrackBuilder"/>; a track never crosses China midnight, so every track belongs to one day) — each simplified
/// by the simplification patrol coverage applies before buffering (<see cref="TrackSimplifier"/>, Douglas–Peucker, every
/// fix within the tolerance of the kept line) in the same kind of metric projection. What the store keeps of a day once
/// its raw fixes are gone (docs/DEFINITIONS.md, "GPS retention and daily tracks").
/// </summary>
public static class DailyTracks
{
    /// <summary>The simplification tolerance of daily tracks, metres: the analyses' default (<see cref="PatrolCoverageOptions.SimplifyToleranceM"/>).</summary>
    public static double ToleranceM { get; } = new PatrolCoverageOptions().SimplifyToleranceM;

    /// <summary>The simplified tracks of <paramref name="fixes"/> (lon/lat), ordered by unit then time, each carrying its unit's department.</summary>
    /// <param name="fixes">Fixes (of one day or more).</param>
    /// <param name="units">Unit → department; fixes of other units get department "".</param>
    /// <param name="projection">Metric projection for the simplification (null: centred on the fixes).</param>
    /// <param name="toleranceM">Douglas–Peucker tolerance (default <see cref="ToleranceM"/>).</param>
    public static IReadOnlyList<PatrolTrack> Reduce(IReadOnlyCollection<GpsFix> fixes, IEnumerable<PatrolUnit> units,
        MetricProjection? projection = null, double? toleranceM = null)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        ArgumentNullException.ThrowIfNull(units);
        var tolerance = toleranceM ?? ToleranceM;
        projection ??= TrackBuilder.ProjectionFor(fixes);
        var factory = NtsGeometryServices.Instance.CreateGeometryFactory(4326);
        var built = TrackBuilder.BuildDetailed(fixes, TrackBuilder.DepartmentsOf(units), new TrackOptions(), projection);
        var result = new List<PatrolTrack>(built.Count);
        foreach (var track in built)
        {
            if (track.Track.Geometry is Point)
            {
                result.Add(track.Track with { SimplifiedM = tolerance });
                continue;
            }

            var kept = TrackSimplifier.Simplify(track.Xs, track.Ys, track.Offset, track.Count, tolerance);
            var lonLat = new Coordinate[kept.Length];
            for (var i = 0; i < kept.Length; i++)
            {
                var (lon, lat) = projection.Inverse(kept[i].X, kept[i].Y);
                lonLat[i] = new Coordinate(lon, lat);
            }

            Geometry geometry = lonLat.Length >= 2 && !lonLat.All(c => c.Equals2D(lonLat[0]))
                ? factory.CreateLineString(lonLat)
                : factory.CreatePoint(lonLat[0]);
            result.Add(track.Track with { Geometry = geometry, SimplifiedM = tolerance });
        }

        return result;
    }
}
