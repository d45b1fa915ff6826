using System.CommandLine;
using System.Globalization;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using MapControl.Data.Analysis;
using MapControl.Data.Files;
using NetTopologySuite.Geometries;

namespace MapControl.Cli.Commands;

/// <summary>
/// <c>mapcontrol hotspots</c>: incidents binned into hexagons of size S, Getis-Ord Gi* with Benjamini–Hochberg; one
/// feature per cell of the study area with <c>count</c>, <c>gi_z</c>, <c>gi_p</c>, <c>hot</c>.
/// </summary>
public static class HotspotsCommand
{
    private static readonly string[] s_kindNames = ["type", "kind"];

    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var incidents = new Option<string?>("--incidents")
        {
            Description = "Incidents: CSV id,lon,lat,occurred_at,type or GeoJSON points with occurred_at and type",
        };
        var fromDb = new Option<bool>("--from-db") { Description = "Read the incidents from PostGIS (--db) instead of a file" };
        var cell = new Option<double>("--cell-m") { Description = "Hexagon size: centre-to-vertex distance (m)", Required = true };
        var output = new Option<string>("--out") { Description = "Output GeoJSON (RFC 7946)", Required = true };
        var from = new Option<string?>("--from") { Description = "Incidents at or after this ISO 8601 time (a date is midnight China time)" };
        var to = new Option<string?>("--to") { Description = "Incidents before this ISO 8601 time" };
        var kind = new Option<string[]>("--kind")
        {
            Description = $"Incident kind(s): {string.Join(", ", DomainNames.Names<IncidentKind>())}",
            AllowMultipleArgumentsPerToken = true,
        };
        var rings = new Option<int>("--rings") { Description = "Gi* neighbourhood: the cell and this many rings (default 1)", DefaultValueFactory = _ => 1 };
        var fdr = new Option<double>("--fdr-q") { Description = "Benjamini–Hochberg false discovery rate (default 0.05)", DefaultValueFactory = _ => 0.05 };
        var command = new Command("hotspots", "Getis-Ord Gi* hot spots of incidents on a hexagon grid")
        {
            incidents, fromDb, cell, output, from, to, kind, rings, fdr,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var progress = CliApp.Err(parseResult);
            var size = CoverageCheckCommand.Positive(parseResult.GetValue(cell), "--cell-m");
            var ringCount = parseResult.GetValue(rings);
            if (ringCount is < 1 or > 10) throw new CliException($"--rings: {ringCount} is not in 1…10");
            var q = parseResult.GetValue(fdr);
            if (!(q > 0 && q < 1)) throw new CliException($"--fdr-q: {q.ToString(CultureInfo.InvariantCulture)} is not in (0, 1)");
            var filter = new IncidentFilter
            {
                From = parseResult.GetValue(from) is { } f ? AnalysisFiles.ParseInstant(f, "--from") : null,
                To = parseResult.GetValue(to) is { } t ? AnalysisFiles.ParseInstant(t, "--to") : null,
                Kinds = ParseKinds(parseResult.GetValue(kind) ?? []),
            };
            if (filter.From >= filter.To) throw new CliException("--from must be before --to");

            IReadOnlyList<IncidentPoint> points;
            if (parseResult.GetValue(fromDb))
            {
                if (parseResult.GetValue(incidents) is not null) throw new CliException("--from-db reads incidents from the database: leave out --incidents");
                await using var dataSource = CliApp.OpenDatabase(parseResult);
                points = await new AnalysisSource(dataSource).LoadHotSpotIncidentsAsync(filter, cancellationToken).ConfigureAwait(false);
                await progress.WriteLineAsync($"read {points.Count} incidents from the database").ConfigureAwait(false);
            }
            else
            {
                points = ReadIncidents(parseResult.GetValue(incidents) ?? throw new CliException("--incidents is required (or --from-db)"), progress);
            }

            var report = HotSpotAnalysis.Run(points, new HotSpotOptions { CellSizeM = size, Filter = filter, Rings = ringCount, FdrQ = q });
            AnalysisFiles.WriteGeoJsonAtomically(parseResult.GetValue(output)!, ToFeatures(report));
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{report.IncidentsBinned} of {report.IncidentsTotal} incidents in {report.Cells.Count(c => c.Count > 0)} non-empty cells; {report.Cells.Count} cells in the study area, {report.Cells.Count(c => c.Hot)} hot, {report.Cells.Count(c => c.Cold)} cold"))
                .ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Reads incidents from CSV or GeoJSON points with <c>occurred_at</c> and <c>type</c> (or <c>kind</c>).</summary>
    public static IReadOnlyList<IncidentPoint> ReadIncidents(string path, TextWriter progress)
    {
        var set = AnalysisFiles.Read(path, "--incidents", progress);
        var name = Path.GetFileName(path);
        var points = new IncidentPoint[set.Features.Count];
        for (var i = 0; i < points.Length; i++)
        {
            var feature = set.Features[i];
            if (feature.Geometry is not Point point || point.IsEmpty)
                throw new CliException($"--incidents {name}: feature {i + 1} is a {feature.Geometry.GeometryType}, expected a Point");
            var occurred = Text(feature, "occurred_at")
                ?? throw new CliException($"--incidents {name}: incident {i + 1} has no 'occurred_at'");
            var kindText = s_kindNames.Select(n => Text(feature, n)).FirstOrDefault(v => v is not null)
                ?? throw new CliException($"--incidents {name}: incident {i + 1} has no 'type'");
            if (!DomainNames.TryParse<IncidentKind>(kindText, out var incidentKind))
                throw new CliException($"--incidents {name}: incident {i + 1} has unknown type \"{kindText}\" (known: {string.Join(", ", DomainNames.Names<IncidentKind>())})");
            points[i] = new IncidentPoint(point.X, point.Y, AnalysisFiles.ParseInstant(occurred, $"--incidents {name}: incident {i + 1} occurred_at"), incidentKind);
        }
        return points;
    }

    /// <summary>Kind names (snake_case, repeatable or comma-separated); an unknown one is a <see cref="CliException"/>.</summary>
    public static IReadOnlyCollection<IncidentKind>? ParseKinds(IEnumerable<string> names)
    {
        var kinds = new HashSet<IncidentKind>();
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            kinds.Add(DomainNames.TryParse<IncidentKind>(name, out var kind)
                ? kind
                : throw new CliException($"--kind: unknown incident kind \"{name}\" (known: {string.Join(", ", DomainNames.Names<IncidentKind>())})"));
        return kinds.Count == 0 ? null : kinds;
    }

    /// <summary>One hexagon feature per cell of the study area.</summary>
    public static IReadOnlyList<FeatureRecord> ToFeatures(HotSpotReport report) =>
        report.Cells.Select(c => new FeatureRecord(c.Polygon, new Dictionary<string, object?>
        {
            ["q"] = c.Id.Q,
            ["r"] = c.Id.R,
            ["count"] = c.Count,
            ["gi_z"] = Math.Round(c.GiZ, 6),
            ["gi_p"] = c.GiP,
            ["hot"] = c.Hot,
            ["cold"] = c.Cold,
        })).ToList();

    private static string? Text(FeatureRecord feature, string name) =>
        feature.Properties.TryGetValue(name, out var value) && value is not null
            ? Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : null
            : null;
}
