using System.CommandLine;
using System.Globalization;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using MapControl.Data.Analysis;
using MapControl.Data.Files;
using NetTopologySuite.Geometries;

namespace MapControl.Cli.Commands;

/// <summary>
/// <c>mapcontrol patrol-coverage</c>: per department, the part of its jurisdiction farther than R from every track, with
/// the jurisdiction, covered area and coverage ratio.
/// </summary>
public static class PatrolCoverageCommand
{
    // The analyses' defaults (Core's options), so the CLI answers as the web does unless told otherwise.
    private static readonly PatrolCoverageOptions Defaults = new();

    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var tracks = new Option<string>("--tracks")
        {
            Description = "Tracks: LineString features (optional 'department'), or GPS points (CSV lon,lat or GeoJSON) with 'unit' and 'time' (optional 'department')",
            Required = true,
        };
        var jurisdictions = new Option<string>("--jurisdictions") { Description = "Jurisdictions: polygons with a string property 'department'", Required = true };
        var radius = new Option<double>("--radius-m")
        {
            Description = $"Coverage radius around tracks (m; default {Defaults.RadiusM:0.###}, as the web analyses)",
            DefaultValueFactory = _ => Defaults.RadiusM,
        };
        var output = new Option<string>("--out") { Description = "Output GeoJSON (RFC 7946)", Required = true };
        var simplify = new Option<double>("--simplify-m")
        {
            Description = $"Simplify tracks by this tolerance before buffering and drop repeat passes within {Defaults.RepeatToleranceM:0.###} m (m; default {Defaults.SimplifyToleranceM:0.###}, as the web analyses; 0 = exact: neither)",
            DefaultValueFactory = _ => Defaults.SimplifyToleranceM,
        };
        var segments = new Option<int>("--quadrant-segments")
        {
            Description = $"Buffer segments per quarter circle (default {Defaults.QuadrantSegments}, as the web analyses)",
            DefaultValueFactory = _ => Defaults.QuadrantSegments,
        };
        var from = new Option<string?>("--from") { Description = "GPS points at or after this ISO 8601 time only" };
        var to = new Option<string?>("--to") { Description = "GPS points before this ISO 8601 time only" };
        var timings = new Option<bool>("--timings") { Description = "Print the wall and CPU time of each phase (reading, each analysis step, writing) to stderr" };
        var command = new Command("patrol-coverage", "Uncovered part of each jurisdiction: farther than R from every patrol track")
        {
            tracks, jurisdictions, radius, output, simplify, segments, from, to, timings,
        };
        var table = new AnalysisFiles.TableOptions();
        foreach (var option in table.All) command.Options.Add(option);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var progress = CliApp.Err(parseResult);
            var r = CoverageCheckCommand.Positive(parseResult.GetValue(radius), "--radius-m");
            var t = CoverageCheckCommand.Positive(parseResult.GetValue(simplify), "--simplify-m", allowZero: true);
            var quadrantSegments = parseResult.GetValue(segments);
            if (quadrantSegments is < 1 or > 256) throw new CliException($"--quadrant-segments: {quadrantSegments} is not in 1…256");
            var fromAt = parseResult.GetValue(from) is { } f ? AnalysisFiles.ParseInstant(f, "--from") : (DateTimeOffset?)null;
            var toAt = parseResult.GetValue(to) is { } u ? AnalysisFiles.ParseInstant(u, "--to") : (DateTimeOffset?)null;
            if (fromAt >= toAt) throw new CliException("--from must be before --to");

            var phase = new PhaseClock(parseResult.GetValue(timings) ? progress : null);
            var jurisdictionsPath = parseResult.GetValue(jurisdictions)!;
            var tracksPath = parseResult.GetValue(tracks)!;
            // The two files are independent: the tracks are read on another thread while this one reads the jurisdictions
            // (the tracks' messages are held and written after the jurisdictions', so the output reads in the same order).
            var tracksProgress = new StringWriter();
            var featureOptions = table.ToFeatureOptions(parseResult);
            var gpsOptions = table.ToGpsOptions(parseResult);
            var reading = Task.Run(() => ReadTracks(tracksPath, fromAt, toAt, tracksProgress, featureOptions, gpsOptions), cancellationToken);
            Dictionary<string, Geometry> byDepartment;
            try
            {
                var jurisdictionSet = AnalysisFiles.Read(jurisdictionsPath, "--jurisdictions", progress);
                byDepartment = AnalysisFiles.Departments(jurisdictionSet, jurisdictionsPath, "--jurisdictions", progress)
                    .GroupBy(j => j.Department, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First().Geometry : AnalysisSource.UnionOf(g.Select(j => j.Geometry)),
                        StringComparer.Ordinal);
            }
            catch
            {
                // The jurisdictions' error is the one reported (as when the files were read one after the other).
                try { reading.Wait(CancellationToken.None); } catch (AggregateException) { }
                throw;
            }
            phase.Done("read jurisdictions");
            PatrolCoverageInput input;
            try
            {
                input = reading.GetAwaiter().GetResult() with { Jurisdictions = byDepartment };
            }
            finally
            {
                progress.Write(tracksProgress.ToString());
            }
            phase.Done("read tracks (alongside the jurisdictions)");

            var options = new PatrolCoverageOptions(RadiusM: r, SimplifyToleranceM: t, RepeatToleranceM: t > 0 ? Defaults.RepeatToleranceM : 0, BlankStripWidthM: 0,
                QuadrantSegments: quadrantSegments, Trace: phase.Enabled ? m => progress.WriteLine($"timing: {m}") : null);
            cancellationToken.ThrowIfCancellationRequested();
            var report = PatrolCoverage.Compute(input, options);
            phase.Done("patrol coverage (total)");
            foreach (var problem in report.Problems)
                progress.WriteLine($"note: {problem.Kind}: {problem.Message}");

            var features = ToFeatures(report);
            AnalysisFiles.WriteGeoJsonAtomically(parseResult.GetValue(output)!, features);
            phase.Done("write output");
            foreach (var d in report.Departments)
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{d.DepartmentCode}: jurisdiction {d.JurisdictionAreaM2:F0} m², covered {d.CoveredAreaM2:F0} m² ({d.CoverageRatio:P1})"));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The patrol input of a track file: LineStrings as ready tracks, points as GPS fixes with unit and time.</summary>
    /// <remarks>The input's jurisdictions are empty: the caller adds them (<c>input with { Jurisdictions = … }</c>).</remarks>
    public static PatrolCoverageInput ReadTracks(string path, DateTimeOffset? from, DateTimeOffset? to, TextWriter progress,
        FeatureReadOptions? options = null, GpsFileOptions? gpsOptions = null)
    {
        var jurisdictions = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        if (TabularReader.IsTabular(path)) return ReadFixTable(path, jurisdictions, from, to, progress, gpsOptions);
        var set = AnalysisFiles.Read(path, "--tracks", progress, options);
        var lines = new List<PatrolTrack>();
        var fixes = new List<GpsFix>();
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = Path.GetFileName(path);
        for (var i = 0; i < set.Features.Count; i++)
        {
            var feature = set.Features[i];
            var department = Text(feature, "department") ?? "";
            switch (feature.Geometry)
            {
                case LineString or MultiLineString when !feature.Geometry.IsEmpty:
                    lines.Add(PatrolTrack.FromGeometry(feature.Geometry, department));
                    break;
                case Point point when !point.IsEmpty:
                    var unit = Field(feature, "unit", options)
                        ?? throw new CliException($"--tracks {name}: point {i + 1} has no 'unit' property (GPS points need unit and time to form tracks)");
                    var timeValue = TabularColumns.Value(feature.Properties, "time", options?.Map)
                        ?? throw new CliException($"--tracks {name}: point {i + 1} has no 'time' property (GPS points need unit and time to form tracks)");
                    if (!TimeText.TryFromValue(timeValue, out var time))
                        throw new CliException($"--tracks {name}: point {i + 1} time: \"{timeValue}\" is not a date or time");
                    fixes.Add(new GpsFix(unit, time, point.X, point.Y));
                    if (!units.TryGetValue(unit, out var known) || known.Length == 0)
                        units[unit] = department;
                    break;
                default:
                    throw new CliException($"--tracks {name}: feature {i + 1} is a {feature.Geometry.GeometryType}, expected a LineString or a Point");
            }
        }
        if (lines.Count == 0 && fixes.Count == 0)
            throw new CliException($"--tracks {name}: no tracks");
        var patrolUnits = units.Select(u => new PatrolUnit(u.Key, u.Value, u.Key, u.Key)).ToList();
        progress.WriteLine($"{lines.Count} track lines, {fixes.Count} GPS points of {patrolUnits.Count} units");
        return new PatrolCoverageInput(jurisdictions, fixes, patrolUnits, [], from, to, lines);
    }

    // A CSV/XLSX of GPS fixes: the typed, streaming reader (no feature per row).
    private static PatrolCoverageInput ReadFixTable(string path, IReadOnlyDictionary<string, Geometry> jurisdictions,
        DateTimeOffset? from, DateTimeOffset? to, TextWriter progress, GpsFileOptions? options)
    {
        GpsFile file;
        try
        {
            file = GpsFiles.Read(path, options);
        }
        catch (FeatureFileException e)
        {
            throw new CliException($"--tracks: {e.Message}");
        }
        var name = Path.GetFileName(path);
        progress.WriteLine($"read {file.Fixes.Count} GPS fixes from {name} ({file.Description})");
        foreach (var note in file.Notes)
            progress.WriteLine($"note: {name}: {note}");
        var patrolUnits = file.UnitDepartments.Select(u => new PatrolUnit(u.Key, u.Value, u.Key, u.Key)).ToList();
        progress.WriteLine($"0 track lines, {file.Fixes.Count} GPS points of {patrolUnits.Count} units");
        return new PatrolCoverageInput(jurisdictions, file.Fixes, patrolUnits, [], from, to, []);
    }

    /// <summary>One feature per department: geometry = the uncovered part of its jurisdiction.</summary>
    public static IReadOnlyList<FeatureRecord> ToFeatures(PatrolCoverageReport report) =>
        report.Departments.Select(d => new FeatureRecord(d.Uncovered, new Dictionary<string, object?>
        {
            ["department"] = d.DepartmentCode,
            ["jurisdiction_area_m2"] = AnalysisFiles.Round(d.JurisdictionAreaM2),
            ["covered_area_m2"] = AnalysisFiles.Round(d.CoveredAreaM2),
            ["uncovered_area_m2"] = AnalysisFiles.Round(d.UncoveredAreaM2),
            ["coverage_ratio"] = Math.Round(d.CoverageRatio, 6),
            ["own_covered_area_m2"] = AnalysisFiles.Round(d.OwnCoveredAreaM2),
            ["neighbour_share"] = Math.Round(d.NeighbourShare, 6),
            ["own_tracks"] = d.OwnTrackCount,
            ["own_patrol_length_m"] = AnalysisFiles.Round(d.OwnPatrolLengthM),
        })).ToList();

    private static string? Text(FeatureRecord feature, string name) =>
        feature.Properties.TryGetValue(name, out var value) && value is not null
            ? Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : null
            : null;

    private static string? Field(FeatureRecord feature, string field, FeatureReadOptions? options) =>
        TabularColumns.Value(feature.Properties, field, options?.Map) is { } value
            ? Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : null
            : null;
}
