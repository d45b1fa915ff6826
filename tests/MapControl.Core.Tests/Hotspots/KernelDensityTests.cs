using MapControl.Core.Crs;
using MapControl.Core.Hotspots;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;

namespace MapControl.Core.Tests.Hotspots;

public sealed class KernelDensityTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static IncidentPoint At(double lon, double lat) => new(lon, lat, T0, IncidentKind.CasingTheft);

    [Fact]
    public void Run_randomPoints_integralEqualsNumberOfPoints()
    {
        var random = new Random(5);
        var points = Enumerable.Range(0, 200).Select(_ => At(118.5 + random.NextDouble() * 0.1, 37.4 + random.NextDouble() * 0.08)).ToArray();

        var raster = KernelDensity.Run(points, new KernelDensityOptions { CellSizeM = 50, BandwidthM = 800 });

        raster.Points.Should().Be(200);
        raster.Integral.Should().BeApproximately(200, 200 * 0.005);
        raster.Values.Should().OnlyContain(v => v >= 0);
        raster.Width.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Run_onePoint_cellValueIsQuarticKernelPerKm2()
    {
        const double h = 500;
        var raster = KernelDensity.Run([At(118.6, 37.5)], new KernelDensityOptions { CellSizeM = 25, BandwidthM = h });
        var (px, py) = MetricProjection.Dongying.Forward(118.6, 37.5);

        for (var row = 0; row < raster.Height; row += 3)
            for (var col = 0; col < raster.Width; col += 3)
            {
                var (cx, cy) = raster.CellCentre(col, row);
                var d = Math.Sqrt((cx - px) * (cx - px) + (cy - py) * (cy - py));
                var expected = d < h ? 3 / (Math.PI * h * h) * Math.Pow(1 - d * d / (h * h), 2) * 1e6 : 0;
                ((double)raster[col, row]).Should().BeApproximately(expected, 1e-4 * 3 / (Math.PI * h * h) * 1e6);
            }
        raster.Max.Should().BeApproximately((float)(3 / (Math.PI * h * h) * 1e6), 0.01f * raster.Max);
        raster.ValueAtLonLat(118.6, 37.5).Should().Be(raster.Max);
        raster.ValueAtLonLat(118.6, 37.52).Should().Be(0); // ~2.2 km away, beyond h
    }

    [Fact]
    public void Run_gridAlignedOnCellSizeAndCoversBandwidth()
    {
        var raster = KernelDensity.Run([At(118.6, 37.5), At(118.62, 37.51)], new KernelDensityOptions { CellSizeM = 100, BandwidthM = 1000 });
        (raster.OriginX % 100).Should().BeApproximately(0, 1e-6);
        (raster.OriginY % 100).Should().BeApproximately(0, 1e-6);
        var (x, y) = MetricProjection.Dongying.Forward(118.6, 37.5);
        (x - raster.OriginX).Should().BeGreaterThanOrEqualTo(1000);
        var (x2, y2) = MetricProjection.Dongying.Forward(118.62, 37.51);
        (raster.OriginY - y2).Should().BeInRange(1000, 1100); // the northern point sets the north edge
        (raster.OriginX + raster.Width * 100 - x2).Should().BeInRange(1000, 1100);
        (y - (raster.OriginY - raster.Height * 100)).Should().BeInRange(1000, 1100);
        var envelope = raster.LonLatEnvelope();
        envelope.Contains(118.6, 37.5).Should().BeTrue();
        raster.CellPolygonLonLat(0, 0).SRID.Should().Be(4326);
        MetricProjection.Dongying.Forward(raster.CellPolygonLonLat(3, 4)).Area.Should().BeApproximately(100 * 100, 1e-3);
    }

    [Fact]
    public void Run_filterExcludesAll_emptyRaster()
    {
        var raster = KernelDensity.Run([At(118.6, 37.5)], new KernelDensityOptions { Filter = new IncidentFilter { To = T0 } });
        raster.Width.Should().Be(0);
        raster.Values.Should().BeEmpty();
        raster.Integral.Should().Be(0);
    }
}
