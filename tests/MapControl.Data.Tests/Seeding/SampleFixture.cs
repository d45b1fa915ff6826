using MapControl.Core.Crs;
using MapControl.Core.Model;
using MapControl.Data.Seeding;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace MapControl.Data.Tests.Seeding;

/// <summary>Tests that share the one generated sample.</summary>
[CollectionDefinition(Name)]
public sealed class SampleCollection : ICollectionFixture<SampleFixture>
{
    public const string Name = "Sample";
}

/// <summary>The sample at size 1, generated once for the test run, with its planted features.</summary>
public sealed class SampleFixture
{
    public SampleFixture()
    {
        Options = new SampleOptions();
        Context = SampleContext.Build(Options);
        Dataset = SampleOilfieldGenerator.Generate(Options);
    }

    public SampleOptions Options { get; }

    internal SampleContext Context { get; }

    public SampleDataset Dataset { get; }

    public static MetricProjection Metric => MetricProjection.Dongying;

    public static double AreaM2(Geometry lonLat) => Metric.Forward(lonLat).Area;

    public static Geometry Union(IEnumerable<Geometry> geometries) =>
        OverlayNGRobust.Union((Geometry)new GeometryFactory(new PrecisionModel(), 4326).BuildGeometry(geometries.ToList()));

    public static IEnumerable<Polygon> Polygons(Geometry g) =>
        Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>();

    public IReadOnlyList<Jurisdiction> Current => Dataset.Jurisdictions.Where(j => j.Version.IsCurrent).ToList();
}
