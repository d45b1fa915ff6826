using System.Globalization;
using MapControl.Core.Coverage;
using MapControl.Core.Redraw;
using MapControl.Data.Files;
using MapControl.Data.Tests.PostGis;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;
using Npgsql;
using Xunit.Abstractions;

namespace MapControl.Data.Tests.Analysis;

/// <summary>
/// The redraw impact against PostGIS as oracle: a shared vertex of two sample jurisdictions (SB and XH) is moved; total gap area
/// (ST_Difference of the oil-zone union and the jurisdiction union) and total overlap area (union of pairwise ST_Intersection inside the
/// frame) are computed by PostGIS before and after, in the same transverse Mercator, and compared with Core's report.
/// </summary>
public sealed class RedrawImpactPostGisTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    /// <summary>1 m² or a relative 1e-6, whichever is larger.</summary>
    private static double Tolerance(double area) => Math.Max(1.0, Math.Abs(area) * 1e-6);

    private sealed record Sample(Geometry Frame, List<CoverageItem> Items);

    private static Sample LoadSample()
    {
        var folder = SampleFolder();
        var zones = FeatureFiles.Read(Path.Combine(folder, "oil_zones.geojson")).Features.Select(f => f.Geometry).ToList();
        var jurisdictions = FeatureFiles.Read(Path.Combine(folder, "jurisdictions.geojson")).Features
            .Where(f => f.Properties.GetValueOrDefault("valid_to") is null)
            .Select(f => new CoverageItem(f.Geometry, (string)f.Properties["department"]!)).ToList();
        var frame = CascadedPolygonUnion.Union(zones);
        frame.SRID = 4326;
        return new Sample(frame, jurisdictions);
    }

    /// <summary>A vertex SB and XH both have (same coordinates), inside the frame.</summary>
    private static Coordinate SharedVertex(Sample s)
    {
        var sb = s.Items.Single(i => i.Owner == "SB").Geometry;
        var xh = s.Items.Single(i => i.Owner == "XH").Geometry;
        var theirs = new HashSet<(double, double)>(xh.Coordinates.Select(c => (c.X, c.Y)));
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(s.Frame);
        return sb.Coordinates.Where(c => theirs.Contains((c.X, c.Y)))
            .Where(c => prepared.Contains(sb.Factory.CreatePoint(c)))
            .OrderBy(c => c.X).ThenBy(c => c.Y).First();
    }

    private static Geometry Moved(Geometry g, Coordinate from, double dLon, double dLat)
    {
        var copy = g.Copy();
        copy.Apply(new MoveFilter(from, dLon, dLat));
        copy.GeometryChanged();
        return copy;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SharedVertexMoved_gapAndOverlapTotals_agreeWithPostGis(bool bothSides)
    {
        var sample = LoadSample();
        var shared = SharedVertex(sample);
        var sbIndex = sample.Items.FindIndex(i => i.Owner == "SB");
        var xhIndex = sample.Items.FindIndex(i => i.Owner == "XH");
        // About 90 m by 55 m, in the first direction that leaves every moved polygon valid (a move that folds a ring is not an edit).
        var owners = bothSides
            ? Enumerable.Range(0, sample.Items.Count).Where(i => sample.Items[i].Geometry.Coordinates.Any(c => c.Equals2D(shared))).ToList()
            : [sbIndex];
        if (bothSides) owners.Should().Contain(xhIndex).And.HaveCountGreaterThanOrEqualTo(2);
        var (dLon, dLat) = new[] { (0.001, 0.0005), (-0.001, -0.0005), (0.0005, -0.001), (-0.0005, 0.001), (0.0004, 0.0002), (-0.0004, -0.0002) }
            .First(d => owners.All(i => Moved(sample.Items[i].Geometry, shared, d.Item1, d.Item2).IsValid));
        var proposals = owners.Select(i => new RedrawProposal(i, Moved(sample.Items[i].Geometry, shared, dLon, dLat))).ToList();

        var report = RedrawImpact.Compute(new RedrawInput(sample.Frame, sample.Items, proposals), new CoverageOptions { MinAreaM2 = 0 });

        var after = sample.Items.ToArray();
        foreach (var p in proposals) after[p.ItemIndex] = after[p.ItemIndex] with { Geometry = p.NewGeometry };
        var centre = sample.Frame.EnvelopeInternal.Centre;
        var tm = string.Create(CultureInfo.InvariantCulture,
            $"+proj=tmerc +lat_0={centre.Y:R} +lon_0={centre.X:R} +k=1 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs");
        var (gapBefore, overlapBefore) = await PostGisTotalsAsync("rb", sample.Frame, sample.Items, tm);
        var (gapAfter, overlapAfter) = await PostGisTotalsAsync("ra", sample.Frame, after, tm);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"moved vertex {shared.X:R},{shared.Y:R} by ({dLon}, {dLat})° {(bothSides ? "on every side (" + string.Join(", ", proposals.Select(p => sample.Items[p.ItemIndex].Owner)) + ")" : "on SB only")}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gap m²:     Core {report.GapArea.BeforeM2:F3} → {report.GapArea.AfterM2:F3} (Δ {report.GapArea.DeltaM2:F3}); PostGIS {gapBefore:F3} → {gapAfter:F3} (Δ {gapAfter - gapBefore:F3})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"overlap m²: Core {report.OverlapArea.BeforeM2:F3} → {report.OverlapArea.AfterM2:F3} (Δ {report.OverlapArea.DeltaM2:F3}); PostGIS {overlapBefore:F3} → {overlapAfter:F3} (Δ {overlapAfter - overlapBefore:F3})"));
        foreach (var c in report.Overlaps.Changes.Concat<object>(report.Gaps.Changes)) output.WriteLine(c.ToString());

        report.GapArea.BeforeM2.Should().BeApproximately(gapBefore, Tolerance(gapBefore));
        report.GapArea.AfterM2.Should().BeApproximately(gapAfter, Tolerance(gapAfter));
        report.OverlapArea.BeforeM2.Should().BeApproximately(overlapBefore, Tolerance(overlapBefore));
        report.OverlapArea.AfterM2.Should().BeApproximately(overlapAfter, Tolerance(overlapAfter));
        report.GapArea.DeltaM2.Should().BeApproximately(gapAfter - gapBefore, 2 * Tolerance(gapAfter));
        report.OverlapArea.DeltaM2.Should().BeApproximately(overlapAfter - overlapBefore, 2 * Tolerance(overlapAfter));
        if (!bothSides)
        {
            // Moving one side only changes the SB/XH overlap and gaps by thousands of m²: reported with its delta, not hidden.
            Math.Abs(overlapAfter - overlapBefore).Should().BeGreaterThan(1_000);
            report.Overlaps.Changes.Should().Contain(c => c.Kind == ChangeKind.Grown || c.Kind == ChangeKind.Shrunk);
            var sum = report.Overlaps.Changes.Sum(c => c.DeltaM2);
            sum.Should().BeApproximately(report.OverlapArea.DeltaM2, Tolerance(overlapAfter));
        }
    }

    [Fact]
    public void UntouchedSampleJurisdictionRoundedTo6Decimals_exactlyZeroChange()
    {
        var sample = LoadSample();
        foreach (var owner in new[] { "SN", "GD" })
        {
            var index = sample.Items.FindIndex(i => i.Owner == owner);
            var rounded = sample.Items[index].Geometry.Copy();
            rounded.Apply(new RoundFilter());
            rounded.GeometryChanged();

            var report = RedrawImpact.Compute(new RedrawInput(sample.Frame, sample.Items, [new RedrawProposal(index, rounded)]));

            report.GapArea.DeltaM2.Should().Be(0, owner);
            report.OverlapArea.DeltaM2.Should().Be(0, owner);
            report.Gaps.Changes.Should().BeEmpty(owner);
            report.Overlaps.Changes.Should().BeEmpty(owner);
        }
    }

    private async Task<(double Gap, double Overlap)> PostGisTotalsAsync(string prefix, Geometry frame, IReadOnlyList<CoverageItem> items, string tm)
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {prefix}_frame, {prefix}_jur; CREATE TABLE {prefix}_frame (geom geometry); CREATE TABLE {prefix}_jur (id serial, geom geometry)");
        // Edges are straight in lon/lat (as stored); segmentized into equal pieces of at most 0.002° before the projection (Core's densifying
        // step: a lon/lat line bends by micrometres over 200 m in this TM), vertices on the same 1 mm grid as Core's.
        await ExecuteAsync($"INSERT INTO {prefix}_frame VALUES (ST_ReducePrecision(ST_Transform(ST_Segmentize(ST_GeomFromText($1, 4326), 0.002), '{tm}'), 0.001))", frame.AsText());
        foreach (var item in items)
            await ExecuteAsync($"INSERT INTO {prefix}_jur (geom) VALUES (ST_ReducePrecision(ST_Transform(ST_Segmentize(ST_GeomFromText($1, 4326), 0.002), '{tm}'), 0.001))", item.Geometry.AsText());
        var gap = await DoubleAsync($"SELECT ST_Area(ST_Difference((SELECT geom FROM {prefix}_frame), (SELECT ST_Union(geom) FROM {prefix}_jur)))");
        var overlap = await DoubleAsync($"""
            SELECT coalesce(ST_Area(ST_Union(ST_CollectionExtract(ST_Intersection(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3), f.geom), 3))), 0)
              FROM {prefix}_jur a JOIN {prefix}_jur b ON a.id < b.id AND ST_Intersects(a.geom, b.geom), {prefix}_frame f
            """);
        return (gap, overlap);
    }

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<double> DoubleAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return Convert.ToDouble(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static string SampleFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "MapControl.sln")))
                return Path.Combine(folder.FullName, "data", "sample");
        throw new InvalidOperationException("repository root (MapControl.sln) not found");
    }

    private sealed class MoveFilter(Coordinate from, double dLon, double dLat) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq, int i)
        {
            if (seq.GetX(i) != from.X || seq.GetY(i) != from.Y) return;
            seq.SetX(i, from.X + dLon);
            seq.SetY(i, from.Y + dLat);
        }
    }

    private sealed class RoundFilter : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, Math.Round(seq.GetX(i), 6));
            seq.SetY(i, Math.Round(seq.GetY(i), 6));
        }
    }
}
