using System.Globalization;
using MapControl.Core.Crs;
using MapControl.Core.Model;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace MapControl.Data.Reports;

/// <summary>
/// A map frame on a report page: lon/lat drawn in the Dongying transverse Mercator (the plane of the hexagon grid, so Gi* cells are
/// true hexagons and the scale bar is true along the frame), north up, fitted to an extent; with basemap, scale bar and north arrow.
/// </summary>
internal sealed class ReportMap
{
    private static readonly MetricProjection s_plane = MetricProjection.Dongying;
    private readonly double _scale; // points per metre
    private readonly double _cx, _cy; // plane centre (m)

    public ReportMap(SKRect frame, Envelope lonLat, double margin = 0.06)
    {
        Frame = frame;
        var corners = new[] { (lonLat.MinX, lonLat.MinY), (lonLat.MinX, lonLat.MaxY), (lonLat.MaxX, lonLat.MinY), (lonLat.MaxX, lonLat.MaxY) }
            .Select(c => s_plane.Forward(c.Item1, c.Item2)).ToArray();
        double minX = corners.Min(c => c.X), maxX = corners.Max(c => c.X), minY = corners.Min(c => c.Y), maxY = corners.Max(c => c.Y);
        var w = Math.Max(maxX - minX, 500) * (1 + 2 * margin);
        var h = Math.Max(maxY - minY, 500) * (1 + 2 * margin);
        _scale = Math.Min(frame.Width / w, frame.Height / h);
        (_cx, _cy) = ((minX + maxX) / 2, (minY + maxY) / 2);
    }

    public SKRect Frame { get; }

    /// <summary>Metres per point at the map's scale.</summary>
    public double MetresPerPoint => 1 / _scale;

    public SKPoint ToPage(double lon, double lat)
    {
        var (x, y) = s_plane.Forward(lon, lat);
        return new SKPoint((float)(Frame.MidX + (x - _cx) * _scale), (float)(Frame.MidY - (y - _cy) * _scale));
    }

    /// <summary>A path of a geometry; vertices closer than <paramref name="minStep"/> points to the previous one are skipped.</summary>
    public SKPath PathOf(Geometry geometry, float minStep = 0.3f)
    {
        using var path = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
        Add(path, geometry, minStep);
        return path.Detach();
    }

    private void Add(SKPathBuilder path, Geometry g, float minStep)
    {
        switch (g)
        {
            case Polygon p:
                AddRing(path, p.ExteriorRing.Coordinates, true, minStep);
                foreach (var hole in p.InteriorRings) AddRing(path, hole.Coordinates, true, minStep);
                break;
            case LineString l:
                AddRing(path, l.Coordinates, false, minStep);
                break;
            case GeometryCollection c:
                for (var i = 0; i < c.NumGeometries; i++) Add(path, c.GetGeometryN(i), minStep);
                break;
        }
    }

    private void AddRing(SKPathBuilder path, Coordinate[] coordinates, bool close, float minStep)
    {
        if (coordinates.Length < 2) return;
        var last = ToPage(coordinates[0].X, coordinates[0].Y);
        path.MoveTo(last);
        for (var i = 1; i < coordinates.Length; i++)
        {
            var p = ToPage(coordinates[i].X, coordinates[i].Y);
            if (i < coordinates.Length - 1 && Math.Abs(p.X - last.X) + Math.Abs(p.Y - last.Y) < minStep) continue;
            path.LineTo(p);
            last = p;
        }
        if (close) path.Close();
    }

    public void Fill(SKCanvas canvas, Geometry geometry, SKColor colour)
    {
        using var path = PathOf(geometry);
        using var paint = new SKPaint { Color = colour, IsAntialias = true, Style = SKPaintStyle.Fill };
        canvas.DrawPath(path, paint);
    }

    public void Stroke(SKCanvas canvas, Geometry geometry, SKColor colour, float width, float[]? dash = null)
    {
        using var path = PathOf(geometry);
        using var paint = new SKPaint
        {
            Color = colour, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width, StrokeJoin = SKStrokeJoin.Round,
            StrokeCap = SKStrokeCap.Round, PathEffect = dash is null ? null : SKPathEffect.CreateDash(dash, 0),
        };
        canvas.DrawPath(path, paint);
    }

    /// <summary>Land, sea, coast, river, roads and towns (named), in muted colours under the analysis layers.</summary>
    public void DrawBasemap(SKCanvas canvas, IReadOnlyList<BasemapFeature> features, SKFont labelFont, bool labels = true)
    {
        using (var land = new SKPaint { Color = new SKColor(0xF5, 0xF2, 0xEB) }) canvas.DrawRect(Frame, land);
        foreach (var f in features.Where(f => f.Layer == BasemapLayer.Sea)) Fill(canvas, f.Geometry, new SKColor(0xD4, 0xE6, 0xF2));
        foreach (var f in features.Where(f => f.Layer == BasemapLayer.Coast))
            if (f.Geometry is Polygon or MultiPolygon) Stroke(canvas, f.Geometry.Boundary, new SKColor(0x9D, 0xBC, 0xD4), 0.6f);
            else Stroke(canvas, f.Geometry, new SKColor(0x9D, 0xBC, 0xD4), 0.6f);
        foreach (var f in features.Where(f => f.Layer == BasemapLayer.River))
            if (f.Geometry is Polygon or MultiPolygon) Fill(canvas, f.Geometry, new SKColor(0xB5, 0xD3, 0xEA));
            else Stroke(canvas, f.Geometry, new SKColor(0x8F, 0xBC, 0xE0), 1.6f);
        foreach (var f in features.Where(f => f.Layer == BasemapLayer.Road))
        {
            Stroke(canvas, f.Geometry, new SKColor(0xC8, 0xC1, 0xB3), 1.4f);
            Stroke(canvas, f.Geometry, new SKColor(0xFF, 0xFF, 0xFF), 0.6f);
        }
        using var dot = new SKPaint { Color = new SKColor(0x6E, 0x6E, 0x6E), IsAntialias = true };
        using var text = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        foreach (var f in features.Where(f => f.Layer == BasemapLayer.Town))
        {
            var c = f.Geometry.Centroid;
            var p = ToPage(c.X, c.Y);
            if (!Frame.Contains(p)) continue;
            canvas.DrawCircle(p, 1.6f, dot);
            if (labels && f.Name is { Length: > 0 } name) PdfText.Draw(canvas, name, p.X + 3, p.Y - 2, labelFont, text);
        }
    }

    /// <summary>A frame line around the map.</summary>
    public void DrawFrame(SKCanvas canvas)
    {
        using var paint = new SKPaint { Color = new SKColor(0x44, 0x44, 0x44), Style = SKPaintStyle.Stroke, StrokeWidth = 0.8f };
        canvas.DrawRect(Frame, paint);
    }

    /// <summary>A north arrow in the frame's top right corner (grid north of the plane; true north within 1° over the oilfield).</summary>
    public void DrawNorthArrow(SKCanvas canvas, SKFont font)
    {
        var x = Frame.Right - 22;
        var y = Frame.Top + 14;
        using var box = new SKPaint { Color = new SKColor(255, 255, 255, 220) };
        canvas.DrawRoundRect(new SKRect(x - 12, y - 6, x + 12, y + 34), 3, 3, box);
        using var dark = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var light = new SKPaint { Color = new SKColor(0xFF, 0xFF, 0xFF), IsAntialias = true };
        using var outline = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };
        using var left = Poly(new(x, y + 4), new(x - 6, y + 26), new(x, y + 21));
        using var right = Poly(new(x, y + 4), new(x + 6, y + 26), new(x, y + 21));
        canvas.DrawPath(left, dark);
        canvas.DrawPath(right, light);
        canvas.DrawPath(right, outline);
        PdfText.Draw(canvas, "N", x, y + 3, font, dark, SKTextAlign.Center);
    }

    /// <summary>A closed polygon path.</summary>
    public static SKPath Poly(params SKPoint[] points)
    {
        using var builder = new SKPathBuilder();
        builder.AddPoly(points, true);
        return builder.Detach();
    }

    /// <summary>A scale bar of a round length (1, 2 or 5 × 10ⁿ m) about a fifth of the frame wide, bottom right.</summary>
    public void DrawScaleBar(SKCanvas canvas, SKFont font)
    {
        var target = Frame.Width / 5 * MetresPerPoint;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(target)));
        var metres = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).Last(m => m <= target);
        var width = (float)(metres / MetresPerPoint);
        var x1 = Frame.Right - 12;
        var x0 = x1 - width;
        var y = Frame.Bottom - 12;
        using var box = new SKPaint { Color = new SKColor(255, 255, 255, 220) };
        canvas.DrawRoundRect(new SKRect(x0 - 6, y - 16, x1 + 6, y + 6), 3, 3, box);
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var white = new SKPaint { Color = SKColors.White };
        using var line = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };
        var half = width / 2;
        canvas.DrawRect(new SKRect(x0, y - 3, x0 + half, y), black);
        canvas.DrawRect(new SKRect(x0 + half, y - 3, x1, y), white);
        canvas.DrawRect(new SKRect(x0, y - 3, x1, y), line);
        var label = metres >= 1000 ? (metres / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " km" : metres.ToString("0", CultureInfo.InvariantCulture) + " m";
        PdfText.Draw(canvas, "0", x0, y - 5, font, black, SKTextAlign.Center);
        PdfText.Draw(canvas, label, x1, y - 5, font, black, SKTextAlign.Center);
    }
}
