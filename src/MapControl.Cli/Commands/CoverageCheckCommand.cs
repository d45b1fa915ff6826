using System.CommandLine;
using System.Globalization;
using MapControl.Core.Coverage;
using MapControl.Data.Analysis;
using MapControl.Data.Files;

namespace MapControl.Cli.Commands;

/// <summary>
/// <c>mapcontrol coverage-check</c>: gaps (blank areas) and overlaps (交叉区) of jurisdictions within the oil zones, from
/// files or from PostGIS, as GeoJSON features with <c>kind</c>, <c>area_m2</c> and <c>departments</c>.
/// </summary>
public static class CoverageCheckCommand
{
    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var zones = new Option<string?>("--zones") { Description = "Oil zones (the frame): GeoJSON, Shapefile, GeoPackage" };
        var jurisdictions = new Option<string?>("--jurisdictions")
        {
            Description = "Jurisdictions: polygons with a string property 'department'",
        };
        var fromDb = new Option<bool>("--from-db") { Description = "Read the oil zones and current jurisdictions from PostGIS (--db) instead of files" };
        var output = new Option<string>("--out") { Description = "Output GeoJSON (RFC 7946)", Required = true };
        var minArea = new Option<double>("--min-area-m2") { Description = "Leave out gaps and overlaps smaller than this (m²)", DefaultValueFactory = _ => 1.0 };
        var invalidEdges = new Option<bool>("--invalid-edges") { Description = "Also write the invalid edges (kind \"invalid_edge\", length_m)" };
        var timings = new Option<bool>("--timings") { Description = "Print the wall and CPU time of each phase (reading, the check, writing) to stderr" };
        var command = new Command("coverage-check", "Gaps and overlaps of jurisdictions within the oil zones")
        {
            zones, jurisdictions, fromDb, output, minArea, invalidEdges, timings,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var progress = CliApp.Err(parseResult);
            var phase = new PhaseClock(parseResult.GetValue(timings) ? progress : null);
            phase.Done("start-up");
            // The invalid-edge pass (NTS CoverageValidator) costs about as much as the gap and overlap search: only when asked.
            var withEdges = parseResult.GetValue(invalidEdges);
            var options = new CoverageOptions
            {
                MinAreaM2 = Positive(parseResult.GetValue(minArea), "--min-area-m2", allowZero: true),
                FindInvalidEdges = withEdges,
                // --timings also prints the check's own phases (the same lines the benchmark harness logs).
                Trace = phase.Enabled ? phase.Note : null,
            };
            CoverageReport report;
            if (parseResult.GetValue(fromDb))
            {
                if (parseResult.GetValue(zones) is not null || parseResult.GetValue(jurisdictions) is not null)
                    throw new CliException("--from-db reads zones and jurisdictions from the database: leave out --zones and --jurisdictions");
                await using var dataSource = CliApp.OpenDatabase(parseResult);
                // The one check of the stored content (the web's gaps, OGC gaps, the monthly report): the gaps' incidents are read
                // from their boxes, not the 12 months' incidents whole.
                report = await CoverageGaps.CheckAsync(dataSource, DateTimeOffset.UtcNow, options, cancellationToken).ConfigureAwait(false);
                phase.Done("read and check");
            }
            else
            {
                var zonesPath = parseResult.GetValue(zones) ?? throw new CliException("--zones is required (or --from-db)");
                var jurisdictionsPath = parseResult.GetValue(jurisdictions) ?? throw new CliException("--jurisdictions is required (or --from-db)");
                var input = ReadInput(zonesPath, jurisdictionsPath, progress, phase.Enabled ? phase.Done : null);
                phase.Done("read");
                report = CoverageCheck.Run(input, options);
                phase.Done("check");
            }
            foreach (var problem in report.Problems)
            {
                if (!problem.Repaired)
                    throw new CliException($"invalid geometry{(problem.ItemIndex < 0 ? " in the oil zones" : $" of jurisdiction {problem.ItemIndex + 1} ({problem.Owner})")}: {problem.Message}");
                await progress.WriteLineAsync($"note: repaired{(problem.ItemIndex < 0 ? " oil zones" : $" jurisdiction {problem.ItemIndex + 1} ({problem.Owner})")}: {problem.Message}").ConfigureAwait(false);
            }

            var features = ToFeatures(report, withEdges);
            AnalysisFiles.WriteGeoJsonAtomically(parseResult.GetValue(output)!, features);
            phase.Done("write");
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{report.Gaps.Count} gaps ({report.Gaps.Sum(g => g.AreaM2):F1} m²), {report.Overlaps.Count} overlaps ({report.Overlaps.Sum(o => o.AreaM2):F1} m²), {(withEdges ? $"{report.InvalidEdges.Count} invalid edges" : "invalid edges not checked (--invalid-edges)")}; frame {report.FrameAreaM2:F0} m², covered {report.CoveredAreaM2:F0} m²"))
                .ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The coverage input of two files: frame = union of the zones, items = jurisdictions by department.</summary>
    /// <param name="zonesPath">The oil zones.</param>
    /// <param name="jurisdictionsPath">The jurisdictions.</param>
    /// <param name="progress">Where notes go.</param>
    /// <param name="done">Told the end of each reading phase (--timings), or null.</param>
    public static CoverageInput ReadInput(string zonesPath, string jurisdictionsPath, TextWriter progress, Action<string>? done = null)
    {
        var zoneSet = AnalysisFiles.Read(zonesPath, "--zones", progress);
        done?.Invoke("read zones");
        var frame = AnalysisSource.UnionOf(AnalysisFiles.Polygons(zoneSet, zonesPath, "--zones"));
        done?.Invoke("union of zones");
        var jurisdictionSet = AnalysisFiles.Read(jurisdictionsPath, "--jurisdictions", progress);
        done?.Invoke("read jurisdictions");
        var items = AnalysisFiles.Departments(jurisdictionSet, jurisdictionsPath, "--jurisdictions", progress)
            .Select(j => new CoverageItem(j.Geometry, j.Department)).ToList();
        return new CoverageInput(frame, items);
    }

    /// <summary>One feature per gap and overlap (and invalid edge when asked), in the contract's properties.</summary>
    public static IReadOnlyList<FeatureRecord> ToFeatures(CoverageReport report, bool invalidEdges)
    {
        var features = new List<FeatureRecord>();
        for (var i = 0; i < report.Gaps.Count; i++)
            features.Add(new FeatureRecord(report.Gaps[i].Geometry, CoverageGaps.Properties(report.Gaps[i], i + 1)));
        foreach (var overlap in report.Overlaps)
            features.Add(new FeatureRecord(overlap.Geometry, new Dictionary<string, object?>
            {
                ["kind"] = "overlap",
                ["area_m2"] = AnalysisFiles.Round(overlap.AreaM2),
                ["departments"] = AnalysisFiles.JsonArray(overlap.Departments),
                ["width_m"] = AnalysisFiles.Round(overlap.WidthM),
            }));
        if (invalidEdges)
            foreach (var edge in report.InvalidEdges)
                features.Add(new FeatureRecord(edge.Geometry, new Dictionary<string, object?>
                {
                    ["kind"] = "invalid_edge",
                    ["length_m"] = AnalysisFiles.Round(edge.LengthM),
                    ["departments"] = AnalysisFiles.JsonArray(edge.Departments),
                }));
        return features;
    }

    internal static double Positive(double value, string option, bool allowZero = false) =>
        double.IsFinite(value) && (value > 0 || allowZero && value == 0)
            ? value
            : throw new CliException($"{option}: {value.ToString(CultureInfo.InvariantCulture)} is not a {(allowZero ? "non-negative" : "positive")} number");
}
