using System.Globalization;
using MapControl.Core.Hotspots;
using MapControl.Core.Kpi;
using MapControl.Core.Model;
using MapControl.Core.Patrol;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace MapControl.Data.Reports;

/// <summary>
/// Lays out a monthly report as an A4 PDF with SkiaSharp's PDF backend: title page with the headline KPIs and year-over-year arrows
/// and the KPI table of all departments; the map of the month's cases and significant Gi* cells; the map of patrol coverage; the map
/// of gaps and overlaps with the 13-month chart (ScottPlot, drawn as vectors); the tables; the definitions. All text goes through
/// <see cref="PdfText"/>, so it extracts as written.
/// </summary>
public static class MonthlyReportPdf
{
    private const float PageWidth = 595.28f, PageHeight = 841.89f, Margin = 42f;
    private const float ContentWidth = PageWidth - 2 * Margin;
    private static readonly SKColor Navy = SKColor.Parse("#12304a");
    private static readonly SKColor Ink = SKColor.Parse("#1d2733");
    private static readonly SKColor Grey = SKColor.Parse("#6b7480");
    private static readonly SKColor Rule = SKColor.Parse("#c9d1da");
    private static readonly SKColor Better = SKColor.Parse("#1a7f37");
    private static readonly SKColor Worse = SKColor.Parse("#c62828");

    /// <summary>The PDF of the report.</summary>
    public static byte[] Render(MonthlyReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = Title(data), Author = "MapControl", Creator = "MapControl monthly report", Producer = "MapControl (SkiaSharp)",
            Creation = data.GeneratedAt.UtcDateTime, Modified = data.GeneratedAt.UtcDateTime, RasterDpi = 150,
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            var writer = new Writer(document, data);
            writer.TitlePage();
            writer.CasesMapPage();
            writer.PatrolPage();
            writer.GapsAndChartPage();
            writer.TablesPages();
            document.Close();
        }
        return stream.ToArray();
    }

    /// <summary>The report's title line, e.g. "河口护卫部 2026年10月 治安态势月报".</summary>
    public static string Title(MonthlyReportData data)
    {
        var zh = data.Request.Language == ReportLanguage.Chinese;
        return zh
            ? $"{ScopeName(data, true)} {ReportFormat.Month(data.Request.Month, true)} 治安态势月报"
            : $"{ScopeName(data, false)} — monthly security report, {ReportFormat.Month(data.Request.Month, false)}";
    }

    private static string ScopeName(MonthlyReportData data, bool zh) =>
        data.Department is { } d ? d.Name : zh ? "护卫中心（全部护卫部）" : "Centre (all departments)";

    private sealed class Writer(SKDocument document, MonthlyReportData data)
    {
        private readonly bool _zh = data.Request.Language == ReportLanguage.Chinese;
        private int _page;
        private SKCanvas _canvas = default!;

        private string L(string zh, string en) => _zh ? zh : en;

        private static SKFont Font(float size, bool bold = false) => new(bold ? ReportFonts.Bold : ReportFonts.Regular, size) { Subpixel = true };

        private static SKPaint Paint(SKColor colour) => new() { Color = colour, IsAntialias = true };

        private float Text(string text, float x, float y, float size, SKColor colour, bool bold = false, SKTextAlign align = SKTextAlign.Left)
        {
            using var font = Font(size, bold);
            using var paint = Paint(colour);
            return PdfText.Draw(_canvas, text, x, y, font, paint, align);
        }

        private float Paragraph(string text, float x, float y, float width, float size, SKColor colour, float leading = 1.45f)
        {
            using var font = Font(size);
            using var paint = Paint(colour);
            foreach (var line in PdfText.Wrap(text, font, width))
            {
                PdfText.Draw(_canvas, line, x, y, font, paint);
                y += size * leading;
            }
            return y;
        }

        private SKColor ScopeColour => data.Department is { } d ? SKColor.Parse(d.Colour) : Navy;

        private string DepartmentName(string? code) =>
            code is null ? L("（无）", "(none)") : data.Departments.FirstOrDefault(d => d.Code == code)?.Name ?? code;

        private string MonthTitle => ReportFormat.Month(data.Request.Month, _zh);

        private void BeginPage(string? heading)
        {
            _page++;
            _canvas = document.BeginPage(PageWidth, PageHeight);
            if (heading is null) return;
            Text($"{ScopeName(data, _zh)} · {MonthTitle} {L("治安态势月报", "monthly security report")}", Margin, 30, 8, Grey);
            Text("MapControl", PageWidth - Margin, 30, 8, Grey, align: SKTextAlign.Right);
            using (var rule = new SKPaint { Color = Rule, StrokeWidth = 0.6f }) _canvas.DrawLine(Margin, 36, PageWidth - Margin, 36, rule);
            using (var bar = new SKPaint { Color = ScopeColour }) _canvas.DrawRect(new SKRect(Margin, 50, Margin + 4, 66), bar);
            Text(heading, Margin + 10, 64, 15, Ink, bold: true);
        }

        private void EndPage()
        {
            using (var rule = new SKPaint { Color = Rule, StrokeWidth = 0.6f }) _canvas.DrawLine(Margin, PageHeight - 34, PageWidth - Margin, PageHeight - 34, rule);
            var made = data.GeneratedAt.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            Text(L($"生成时间 {made}（北京时间） · 口径见“数据口径说明”", $"Generated {made} (China time) · definitions on the last page"),
                Margin, PageHeight - 22, 7, Grey);
            Text(L($"第 {_page} 页", $"Page {_page}"), PageWidth - Margin, PageHeight - 22, 7, Grey, align: SKTextAlign.Right);
            document.EndPage();
        }

        // ---------------------------------------------------------------- page 1

        public void TitlePage()
        {
            BeginPage(null);
            using (var band = new SKPaint { Color = Navy }) _canvas.DrawRect(new SKRect(0, 0, PageWidth, 170), band);
            using (var stripe = new SKPaint { Color = ScopeColour }) _canvas.DrawRect(new SKRect(0, 170, PageWidth, 175), stripe);
            var white = SKColors.White;
            var soft = new SKColor(0xC9, 0xD6, 0xE3);
            Text(L("油田治安护卫中心 · 月度报告", "Oilfield Security Centre · Monthly report"), Margin, 48, 10, soft);
            Text(ScopeName(data, _zh), Margin, 92, 28, white, bold: true);
            Text(L($"{MonthTitle} 治安态势月报", $"Security report for {MonthTitle}"), Margin, 124, 16, white);
            var last = data.Request.Month.AddMonths(1).AddDays(-1);
            Text(L($"统计期：{data.Request.Month:yyyy-MM-dd} 至 {last:yyyy-MM-dd}（北京时间）", $"Period: {data.Request.Month:yyyy-MM-dd} to {last:yyyy-MM-dd} (China time)"),
                Margin, 150, 9, soft);
            if (data.Department is { } dept) Text(L($"部门代码 {dept.Code}", $"Department code {dept.Code}"), PageWidth - Margin, 150, 9, soft, align: SKTextAlign.Right);

            var y = 205f;
            Text(L("本月主要指标", "Headline figures"), Margin, y, 13, Ink, bold: true);
            Text(L("箭头：与去年同月相比", "Arrows: against the same month last year"), PageWidth - Margin, y, 8, Grey, align: SKTextAlign.Right);
            y += 12;
            var k = data.Kpi;
            var ly = data.KpiLastYear;
            var cards = new (string Label, string Value, string Unit, double? Now, double? Then, bool HigherIsBetter, string ThenText)[]
            {
                (L("发案数", "Cases"), ReportFormat.Count(k.Cases), L("起", ""), k.Cases, k.CasesLastYear, false, ReportFormat.Count(k.CasesLastYear)),
                (L("及时发现率", "Timely discovery"), ReportFormat.Rate(k.TimelyRate), "", k.TimelyRate, ly.TimelyRate, true, ReportFormat.Rate(ly.TimelyRate)),
                (L("追回原油", "Oil recovered"), ReportFormat.Tonnes(k.OilRecoveredT), L("吨", "t"), k.OilRecoveredT, ly.OilRecoveredT, true, ReportFormat.Tonnes(ly.OilRecoveredT)),
                (L("收回被占闲置场地", "Idle-site area reclaimed"), ReportFormat.SquareMetres(k.ReclaimedAreaM2), "m²", k.ReclaimedAreaM2, ly.ReclaimedAreaM2, true, ReportFormat.SquareMetres(ly.ReclaimedAreaM2)),
                (L("重点井视频覆盖", "Key wells watched"), $"{k.KeyWellsWatched}/{k.KeyWells}", L("口", ""), null, null, true, ""),
                (L("巡逻时长", "Patrol hours"), ReportFormat.Hours(k.PatrolHours), L("小时", "h"), k.PatrolHours, ly.PatrolHours, true, ReportFormat.Hours(ly.PatrolHours)),
                (L("每巡逻小时发案", "Cases per patrol hour"), ReportFormat.PerHour(k.CasesPerPatrolHour), L("起/小时", "/h"), k.CasesPerPatrolHour, ly.CasesPerPatrolHour, false, ReportFormat.PerHour(ly.CasesPerPatrolHour)),
                (L("每百口井发案", "Cases per 100 wells"), k.CasesPer100Wells is { } c100 ? ReportFormat.Number(c100, 2) : ReportFormat.Missing, "", k.CasesPer100Wells, ly.CasesPer100Wells, false,
                    ly.CasesPer100Wells is { } l100 ? ReportFormat.Number(l100, 2) : ReportFormat.Missing),
            };
            const float gap = 10;
            var cardWidth = (ContentWidth - 3 * gap) / 4;
            const float cardHeight = 78;
            for (var i = 0; i < cards.Length; i++)
            {
                var (label, value, unit, now, then, higherIsBetter, thenText) = cards[i];
                var x = Margin + i % 4 * (cardWidth + gap);
                var top = y + i / 4 * (cardHeight + gap);
                var rect = new SKRect(x, top, x + cardWidth, top + cardHeight);
                using (var fill = new SKPaint { Color = new SKColor(0xF4, 0xF7, 0xFA), IsAntialias = true }) _canvas.DrawRoundRect(rect, 4, 4, fill);
                using (var accent = new SKPaint { Color = ScopeColour }) _canvas.DrawRect(new SKRect(x, top + 4, x + 3, top + cardHeight - 4), accent);
                Text(label, x + 10, top + 17, 8.5f, Grey);
                var w = Text(value, x + 10, top + 44, value.Length > 8 ? 16 : 20, Ink, bold: true);
                if (unit.Length > 0) Text(unit, x + 13 + w, top + 44, 8.5f, Grey);
                DrawChange(x + 10, top + 64, now, then, higherIsBetter, thenText, label == L("重点井视频覆盖", "Key wells watched"));
            }
            y += 2 * cardHeight + gap + 24;

            y = Paragraph(Summary(), Margin, y, ContentWidth, 10, Ink, 1.6f) + 8;

            Text(L("各护卫部本月指标", "This month by department"), Margin, y + 6, 13, Ink, bold: true);
            y += 16;
            var columns = new[]
            {
                new Column(L("部门", "Department"), 92, SKTextAlign.Left), new Column(L("发案", "Cases"), 34), new Column(L("去年同期", "Last yr"), 40),
                new Column(L("同比", "YoY"), 42), new Column(L("及时发现率", "Timely"), 46), new Column(L("追回油(t)", "Oil (t)"), 44),
                new Column(L("收回面积(m²)", "Reclaimed m²"), 60), new Column(L("重点井视频", "Key watched"), 48),
                new Column(L("巡逻(h)", "Patrol h"), 46), new Column(L("起/巡逻小时", "Per patrol h"), 59),
            };
            var rows = data.AllRows.Select(r => new[]
            {
                r.ScopeKind == KpiScopeKind.Centre ? L("ALL 中心合计", "ALL Centre") : $"{r.ScopeKey} {DepartmentName(r.ScopeKey)}",
                ReportFormat.Count(r.Cases), ReportFormat.Count(r.CasesLastYear), ReportFormat.Change(r.YoyPct), ReportFormat.Rate(r.TimelyRate),
                ReportFormat.Tonnes(r.OilRecoveredT), ReportFormat.SquareMetres(r.ReclaimedAreaM2), $"{r.KeyWellsWatched}/{r.KeyWells}",
                ReportFormat.Hours(r.PatrolHours), ReportFormat.PerHour(r.CasesPerPatrolHour),
            }).ToList();
            var highlight = data.IsCentre ? 0 : data.AllRows.ToList().FindIndex(r => r.ScopeKind == KpiScopeKind.Department && r.ScopeKey == data.Request.DepartmentCode);
            y = Table(Margin, y, columns, rows, highlight, firstBold: data.IsCentre);
            y += 12;
            Paragraph(L("注：指标与 mapcontrol kpi 及 /api/analysis/kpi 同源同口径（KpiCalculator）；案件按案发时有效辖区归属。", "Note: figures are those of mapcontrol kpi and /api/analysis/kpi (KpiCalculator); a case belongs to the jurisdiction in force when it occurred. ")
                    + AlertLine(data) + L("定义见“数据口径说明”。", " Definitions on the last page."),
                Margin, y, ContentWidth, 7.5f, Grey);
            EndPage();
        }

        private void DrawChange(float x, float y, double? now, double? then, bool higherIsBetter, string thenText, bool noHistory)
        {
            if (noHistory)
            {
                Text(L("按当前摄像头位置统计", "cameras as placed today"), x, y, 7.5f, Grey);
                return;
            }
            if (now is not { } n || then is not { } t)
            {
                Text(L($"去年同月 {thenText}", $"last year {thenText}"), x, y, 7.5f, Grey);
                return;
            }
            var diff = n - t;
            var flat = Math.Abs(diff) < 1e-9;
            var good = flat || (diff > 0) == higherIsBetter;
            var colour = flat ? Grey : good ? Better : Worse;
            using var paint = Paint(colour);
            using var arrow = flat ? ReportMap.Poly(new(x, y - 5), new(x + 7, y - 5), new(x + 7, y - 3), new(x, y - 3))
                : diff > 0 ? ReportMap.Poly(new(x + 3.5f, y - 8), new(x + 7.5f, y - 1), new(x - 0.5f, y - 1))
                : ReportMap.Poly(new(x + 3.5f, y), new(x + 7.5f, y - 7), new(x - 0.5f, y - 7));
            _canvas.DrawPath(arrow, paint);
            var change = t != 0 ? ReportFormat.Change((n - t) * 100 / Math.Abs(t)) : flat ? "0.0%" : L("新增", "new");
            var w = Text(change, x + 11, y, 8, colour, bold: true);
            Text(L($"去年同月 {thenText}", $"last year {thenText}"), x + 16 + w, y, 7.5f, Grey);
        }

        private string Summary()
        {
            var k = data.Kpi;
            var kinds = data.Incidents.GroupBy(i => i.Incident.Kind).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Code, StringComparer.Ordinal)
                .Select(g => $"{ReportFormat.KindName(g.Key, _zh)} {g.Count()}").ToList();
            var hot = data.HotSpots.Cells.Count(c => c.Hot);
            var uncovered = data.PatrolRows.Sum(d => d.UncoveredAreaM2);
            var jurisdiction = data.PatrolRows.Sum(d => d.JurisdictionAreaM2);
            var covered = jurisdiction > 0 ? (jurisdiction - uncovered) / jurisdiction : (double?)null;
            var yoy = k.YoyPct is { } p ? L($"同比{(p >= 0 ? "上升" : "下降")} {Math.Abs(Math.Round(p, 1)).ToString("0.0", CultureInfo.InvariantCulture)}%", $"{ReportFormat.Change(p)} year over year")
                                        : L("去年同月无案件", "none in the same month last year");
            return _zh
                ? $"本月共发案 {ReportFormat.Count(k.Cases)} 起（去年同月 {ReportFormat.Count(k.CasesLastYear)} 起），{yoy}；及时发现率 {ReportFormat.Rate(k.TimelyRate)}{(k.CasesWithoutDiscoveryTime > 0 ? $"（{k.CasesWithoutDiscoveryTime} 起未记录发现时间，不计入）" : "")}；追回原油 {ReportFormat.Tonnes(k.OilRecoveredT)} 吨；收回被占闲置场地 {ReportFormat.SquareMetres(k.ReclaimedAreaM2)} m²。"
                  + (kinds.Count > 0 ? $"案件构成：{string.Join("，", kinds)}。" : "")
                  + $"Gi* 显著热点单元 {hot} 个。巡逻轨迹覆盖辖区 {ReportFormat.Rate(covered)}，未覆盖 {ReportFormat.SquareKilometres(uncovered)} km²；重点井本月未巡 {data.KeyWellsNotPatrolled.Count} 口。"
                  + $"与相邻部门间空白区 {data.Gaps.Count} 处、交叉区 {data.Overlaps.Count} 处。"
                : $"{ReportFormat.Count(k.Cases)} cases this month ({ReportFormat.Count(k.CasesLastYear)} in the same month last year), {yoy}; timely discovery {ReportFormat.Rate(k.TimelyRate)}{(k.CasesWithoutDiscoveryTime > 0 ? $" ({k.CasesWithoutDiscoveryTime} without a discovery time, left out)" : "")}; "
                  + $"{ReportFormat.Tonnes(k.OilRecoveredT)} t of oil recovered; {ReportFormat.SquareMetres(k.ReclaimedAreaM2)} m² of encroached idle sites reclaimed. "
                  + (kinds.Count > 0 ? $"By kind: {string.Join(", ", kinds)}. " : "")
                  + $"{hot} significant Gi* hot-spot cells. Patrol tracks covered {ReportFormat.Rate(covered)} of the jurisdiction, {ReportFormat.SquareKilometres(uncovered)} km² uncovered; "
                  + $"{data.KeyWellsNotPatrolled.Count} key wells not patrolled. Gaps with neighbouring departments: {data.Gaps.Count}; overlaps: {data.Overlaps.Count}.";
        }

        // ---------------------------------------------------------------- tables

        private sealed record Column(string Header, float Width, SKTextAlign Align = SKTextAlign.Right);

        private float Table(float x, float y, IReadOnlyList<Column> columns, IReadOnlyList<string[]> rows, int highlight = -1, bool firstBold = false,
            float size = 8f)
        {
            var rowHeight = size * 2.0f;
            var total = columns.Sum(c => c.Width);
            using (var head = new SKPaint { Color = new SKColor(0xE6, 0xEC, 0xF2) }) _canvas.DrawRect(new SKRect(x, y, x + total, y + rowHeight), head);
            var cx = x;
            foreach (var c in columns)
            {
                var tx = c.Align == SKTextAlign.Left ? cx + 4 : cx + c.Width - 4;
                Text(Fit(c.Header, c.Width - 6, size - 0.5f), tx, y + rowHeight * 0.68f, size - 0.5f, Ink, bold: true, align: c.Align);
                cx += c.Width;
            }
            y += rowHeight;
            using var rule = new SKPaint { Color = Rule, StrokeWidth = 0.4f };
            for (var r = 0; r < rows.Count; r++)
            {
                if (r == highlight)
                    using (var hl = new SKPaint { Color = ScopeColour.WithAlpha(40) }) _canvas.DrawRect(new SKRect(x, y, x + total, y + rowHeight), hl);
                cx = x;
                for (var i = 0; i < columns.Count; i++)
                {
                    var c = columns[i];
                    var tx = c.Align == SKTextAlign.Left ? cx + 4 : cx + c.Width - 4;
                    Text(Fit(rows[r][i], c.Width - 6, size), tx, y + rowHeight * 0.68f, size, Ink, bold: (r == 0 && firstBold) || r == highlight, align: c.Align);
                    cx += c.Width;
                }
                y += rowHeight;
                _canvas.DrawLine(x, y, x + total, y, rule);
            }
            if (rows.Count == 0)
            {
                Text(L("（无）", "(none)"), x + 4, y + rowHeight * 0.68f, size, Grey);
                y += rowHeight;
            }
            return y;
        }

        private static string Fit(string text, float width, float size)
        {
            using var font = Font(size);
            if (PdfText.Width(text, font) <= width) return text;
            var runes = text.EnumerateRunes().ToList();
            while (runes.Count > 1 && PdfText.Width(string.Concat(runes.Select(r => r.ToString())) + "…", font) > width) runes.RemoveAt(runes.Count - 1);
            return string.Concat(runes.Select(r => r.ToString())) + "…";
        }

        // ---------------------------------------------------------------- maps

        private Geometry ScopeGeometry =>
            data.Request.DepartmentCode is { } code && data.Jurisdictions.TryGetValue(code, out var g) ? g
            : Analysis.AnalysisSource.UnionOf(data.Jurisdictions.Values.Concat(data.OilZones.Select(z => (Geometry)z.Geometry)));

        private ReportMap NewMap(SKRect frame, Envelope extent)
        {
            var map = new ReportMap(frame, extent);
            _canvas.Save();
            _canvas.ClipRect(frame);
            using var label = Font(7);
            map.DrawBasemap(_canvas, data.Basemap, label);
            return map;
        }

        private void FinishMap(ReportMap map)
        {
            _canvas.Restore();
            using var font = Font(7.5f, bold: true);
            map.DrawNorthArrow(_canvas, font);
            using var small = Font(7);
            map.DrawScaleBar(_canvas, small);
            map.DrawFrame(_canvas);
        }

        private void DrawJurisdictions(ReportMap map, bool fillAll, float labelSize = 8)
        {
            foreach (var (code, geometry) in data.Jurisdictions.OrderBy(j => j.Key == data.Request.DepartmentCode))
            {
                var colour = SKColor.Parse(data.Departments.FirstOrDefault(d => d.Code == code)?.Colour ?? "#888888");
                var own = code == data.Request.DepartmentCode;
                if (fillAll || own) map.Fill(_canvas, geometry, colour.WithAlpha(own ? (byte)30 : (byte)26));
                map.Stroke(_canvas, geometry, own || data.IsCentre ? colour : new SKColor(0x99, 0x99, 0x99), own ? 1.8f : data.IsCentre ? 1.0f : 0.7f,
                    own || data.IsCentre ? null : [3, 2]);
            }
            foreach (var (code, geometry) in data.Jurisdictions)
            {
                var p = geometry.InteriorPoint;
                var page = map.ToPage(p.X, p.Y);
                if (!map.Frame.Contains(page)) continue;
                var own = code == data.Request.DepartmentCode;
                if (own) continue; // the page is the department's: its name is in the header and the legend
                using var halo = new SKPaint { Color = new SKColor(255, 255, 255, 200), IsAntialias = true };
                var name = DepartmentName(code);
                using var font = Font(own ? labelSize + 1 : labelSize, own || data.IsCentre);
                var w = PdfText.Width(name, font);
                _canvas.DrawRoundRect(new SKRect(page.X - w / 2 - 2, page.Y - labelSize - 1, page.X + w / 2 + 2, page.Y + 3), 2, 2, halo);
                Text(name, page.X, page.Y, own ? labelSize + 1 : labelSize, own || data.IsCentre ? Ink : Grey, bold: own || data.IsCentre, align: SKTextAlign.Center);
            }
        }

        /// <summary>A legend in rows under a map: "图例" then symbol and label pairs, wrapped to the content width; returns the y below it.</summary>
        private float Legend(float y, IReadOnlyList<(string Label, Action<float, float> Symbol)> items)
        {
            using var font = Font(7.5f);
            var x = Margin + Text(L("图例：", "Legend: "), Margin, y, 7.5f, Ink, bold: true) + 4;
            var start = x;
            foreach (var (label, symbol) in items)
            {
                var w = PdfText.Width(label, font) + 22;
                if (x + w > PageWidth - Margin) { x = start; y += 12; }
                symbol(x + 6, y - 3);
                Text(label, x + 15, y, 7.5f, Ink);
                x += w;
            }
            return y + 14;
        }

        private Action<float, float> Swatch(SKColor fill, SKColor? stroke = null) => (cx, cy) =>
        {
            using var f = new SKPaint { Color = fill, IsAntialias = true };
            _canvas.DrawRect(new SKRect(cx - 5, cy - 4, cx + 5, cy + 4), f);
            if (stroke is { } s)
                using (var p = new SKPaint { Color = s, Style = SKPaintStyle.Stroke, StrokeWidth = 0.8f, IsAntialias = true })
                    _canvas.DrawRect(new SKRect(cx - 5, cy - 4, cx + 5, cy + 4), p);
        };

        private Action<float, float> Dot(SKColor fill, float r = 2.8f) => (cx, cy) => DrawDot(cx, cy, fill, r);

        private void DrawDot(float cx, float cy, SKColor fill, float r) => DrawDot(_canvas, cx, cy, fill, r);

        private static void DrawDot(SKCanvas canvas, float cx, float cy, SKColor fill, float r)
        {
            using var f = new SKPaint { Color = fill, IsAntialias = true };
            using var s = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f };
            canvas.DrawCircle(cx, cy, r, f);
            canvas.DrawCircle(cx, cy, r, s);
        }

        /// <summary>
        /// The month's incidents as dots coloured by kind (kinds in code order, so the later kinds lie on top). Up to
        /// <see cref="VectorDotsAtMost"/> they are drawn as vector circles; more (a centre's month at 10⁶ incidents a year is ~83,000
        /// dots, 29 MB of PDF and most of the layout time) are drawn the same way into one transparent image of the map frame at
        /// <see cref="DotLayerDpi"/> dpi, placed where the circles would be: the page looks the same at print resolution.
        /// </summary>
        private void DrawIncidentDots(ReportMap map, SKRect frame)
        {
            var radius = data.IsCentre ? 2.0f : 2.6f;
            var colours = new Dictionary<IncidentKind, SKColor>();
            SKColor Colour(IncidentKind kind) =>
                colours.TryGetValue(kind, out var c) ? c : colours[kind] = SKColor.Parse(ReportFormat.KindColour(kind));
            var ordered = data.Incidents.OrderBy(i => i.Incident.Kind.Code, StringComparer.Ordinal);
            if (data.Incidents.Count <= VectorDotsAtMost)
            {
                foreach (var i in ordered)
                {
                    var p = map.ToPage(i.Incident.Location.X, i.Incident.Location.Y);
                    DrawDot(p.X, p.Y, Colour(i.Incident.Kind), radius);
                }
                return;
            }
            var scale = DotLayerDpi / 72f;
            using var layer = new SKBitmap(new SKImageInfo((int)Math.Ceiling(frame.Width * scale), (int)Math.Ceiling(frame.Height * scale),
                SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(layer))
            {
                canvas.Clear(SKColors.Transparent);
                canvas.Scale(scale);
                canvas.Translate(-frame.Left, -frame.Top);
                foreach (var i in ordered)
                {
                    var p = map.ToPage(i.Incident.Location.X, i.Incident.Location.Y);
                    if (p.X < frame.Left - radius || p.X > frame.Right + radius || p.Y < frame.Top - radius || p.Y > frame.Bottom + radius) continue;
                    DrawDot(canvas, p.X, p.Y, Colour(i.Incident.Kind), radius);
                }
            }
            using var image = SKImage.FromBitmap(layer);
            _canvas.DrawImage(image, new SKRect(frame.Left, frame.Top, frame.Left + layer.Width / scale, frame.Top + layer.Height / scale),
                new SKSamplingOptions(SKFilterMode.Linear));
        }

        /// <summary>Most incident dots drawn as vector circles on a map; more go into one image (<see cref="DrawIncidentDots"/>).</summary>
        internal const int VectorDotsAtMost = 5000;

        /// <summary>Resolution of the incident dot image of a map with more than <see cref="VectorDotsAtMost"/> dots.</summary>
        internal const float DotLayerDpi = 300;

        private void DrawTriangle(float cx, float cy, SKColor fill, float r = 3.4f)
        {
            using var path = ReportMap.Poly(new(cx, cy - r), new(cx + r, cy + r * 0.8f), new(cx - r, cy + r * 0.8f));
            using var f = new SKPaint { Color = fill, IsAntialias = true };
            using var s = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f };
            _canvas.DrawPath(path, f);
            _canvas.DrawPath(path, s);
        }

        public void CasesMapPage()
        {
            BeginPage(L("辖区案件与热点分布", "Cases and hot spots of the month"));
            var frame = new SKRect(Margin, 80, PageWidth - Margin, 650);
            var extent = new Envelope(ScopeGeometry.EnvelopeInternal);
            foreach (var i in data.Incidents) extent.ExpandToInclude(i.Incident.Location.Coordinate);
            var map = NewMap(frame, extent);
            DrawJurisdictions(map, fillAll: data.IsCentre);
            var hotColour = SKColor.Parse("#d7191c");
            var coldColour = SKColor.Parse("#2c7bb6");
            foreach (var cell in data.HotSpots.Cells.Where(c => c.Hot || c.Cold))
            {
                map.Fill(_canvas, cell.Polygon, (cell.Hot ? hotColour : coldColour).WithAlpha(110));
                map.Stroke(_canvas, cell.Polygon, cell.Hot ? SKColor.Parse("#a00000") : SKColor.Parse("#003366"), 0.6f);
            }
            DrawIncidentDots(map, frame);
            FinishMap(map);

            var counts = data.Incidents.GroupBy(i => i.Incident.Kind).ToDictionary(g => g.Key, g => g.Count());
            var items = ReportFormat.KindsInOrder(counts.Keys.Concat(IncidentKind.Sample))
                .Select(k => ($"{ReportFormat.KindName(k, _zh)}（{counts.GetValueOrDefault(k)}）", Dot(SKColor.Parse(ReportFormat.KindColour(k)))))
                .Append((L("Gi* 显著热点单元", "Gi* hot spot (significant)"), Swatch(hotColour.WithAlpha(110), SKColor.Parse("#a00000"))))
                .Append((L("Gi* 显著冷点单元", "Gi* cold spot (significant)"), Swatch(coldColour.WithAlpha(110), SKColor.Parse("#003366"))))
                .Append((data.IsCentre ? L("护卫部辖区", "Department jurisdictions") : L("本部辖区", "Own jurisdiction"), Swatch(ScopeColour.WithAlpha(30), ScopeColour)))
                .ToList();
            var y = Legend(frame.Bottom + 14, items) + 6;

            var hot = data.HotSpots.Cells.Count(c => c.Hot);
            var cold = data.HotSpots.Cells.Count(c => c.Cold);
            y = Paragraph(L($"本月案件 {data.Incidents.Count} 起（与首页发案数同口径）。热点分析：Getis-Ord Gi*，六边形网格边长 {data.HotSpots.CellSizeM:0} m（与分析视图及瓦片同一网格），邻域 {data.HotSpots.Rings} 环，Benjamini–Hochberg 错误发现率 q = {data.HotSpots.FdrQ.ToString(CultureInfo.InvariantCulture)}；显著热点单元 {hot} 个，冷点单元 {cold} 个。",
                    $"{data.Incidents.Count} cases this month (the case count of the first page). Hot spots: Getis-Ord Gi* on hexagons of {data.HotSpots.CellSizeM:0} m (the grid of the analyst view and the tiles), {data.HotSpots.Rings} ring, Benjamini–Hochberg false discovery rate q = {data.HotSpots.FdrQ.ToString(CultureInfo.InvariantCulture)}: {hot} significant hot cells, {cold} cold cells."),
                Margin, y, ContentWidth, 9, Ink);
            var top = data.HotSpots.Cells.Where(c => c.Hot).OrderByDescending(c => c.Count).ThenByDescending(c => c.GiZ).Take(5).ToList();
            if (top.Count > 0)
                Paragraph(L("主要热点单元（单元编号 q,r · 案件数 · z 值）：", "Main hot cells (cell q,r · cases · z): ")
                          + string.Join(_zh ? "；" : "; ", top.Select(c => $"{c.Id.Id} · {c.Count} · {c.GiZ.ToString("0.00", CultureInfo.InvariantCulture)}")),
                    Margin, y + 2, ContentWidth, 8.5f, Grey);
            Paragraph(L($"底图：离线底图（{data.BasemapSource}）。", $"Basemap: offline basemap ({data.BasemapSource})."), Margin, PageHeight - 50, ContentWidth, 7, Grey);
            EndPage();
        }

        public void PatrolPage()
        {
            BeginPage(L("巡逻覆盖与未覆盖区域", "Patrol coverage and uncovered area"));
            var frame = new SKRect(Margin, 80, PageWidth - Margin, 545);
            var extent = ScopeGeometry.EnvelopeInternal;
            var map = NewMap(frame, extent);
            var covered = SKColor.Parse("#33a02c");
            var uncovered = SKColor.Parse("#fb9a99");
            var rows = data.PatrolRows;
            foreach (var d in rows)
                if (data.Jurisdictions.TryGetValue(d.DepartmentCode, out var j)) map.Fill(_canvas, j, covered.WithAlpha(85));
            foreach (var d in rows)
            {
                if (!d.Uncovered.IsEmpty) map.Fill(_canvas, d.Uncovered, uncovered.WithAlpha(200));
                if (!d.Uncovered.IsEmpty) map.Stroke(_canvas, d.Uncovered, SKColor.Parse("#e31a1c"), 0.4f);
            }
            DrawJurisdictions(map, fillAll: false, labelSize: 7.5f);
            var notPatrolled = data.KeyWellsNotPatrolled.Select(k => k.Code).ToHashSet(StringComparer.Ordinal);
            foreach (var d in rows)
                foreach (var k in d.KeyWells.Where(k => k.Visited))
                {
                    var p = map.ToPage(k.Location.X, k.Location.Y);
                    DrawDot(p.X, p.Y, SKColor.Parse("#1f4e79"), 1.6f);
                }
            foreach (var k in data.KeyWellsNotPatrolled)
            {
                var p = map.ToPage(k.Location.X, k.Location.Y);
                DrawTriangle(p.X, p.Y, SKColor.Parse("#d00000"));
            }
            FinishMap(map);
            var y = Legend(frame.Bottom + 14,
            [
                (L($"巡逻覆盖（轨迹 {data.Patrol.RadiusM:0} m 范围内）", $"Covered (within {data.Patrol.RadiusM:0} m of a track)"), Swatch(covered.WithAlpha(85))),
                (L("未覆盖区域", "Not covered"), Swatch(uncovered.WithAlpha(200), SKColor.Parse("#e31a1c"))),
                (L("重点井（本月已巡）", "Key well, patrolled"), Dot(SKColor.Parse("#1f4e79"), 1.8f)),
                (L("重点井（本月未巡）", "Key well, not patrolled"), (cx, cy) => DrawTriangle(cx, cy, SKColor.Parse("#d00000"))),
            ]) + 6;
            if (data.GpsFixes == 0)
                y = Paragraph(L("本月无 GPS 定位数据：覆盖率为 0，全部辖区计为未覆盖。", "No GPS fixes this month: coverage is 0 and the whole jurisdiction counts as uncovered."),
                    Margin, y, ContentWidth, 9, Worse) + 4;
            var columns = new[]
            {
                new Column(L("部门", "Department"), 95, SKTextAlign.Left), new Column(L("辖区(km²)", "Area km²"), 50), new Column(L("覆盖(km²)", "Covered km²"), 55),
                new Column(L("覆盖率", "Coverage"), 46), new Column(L("未覆盖(km²)", "Uncov. km²"), 60), new Column(L("本部轨迹", "Own tracks"), 45),
                new Column(L("本部里程(km)", "Own km"), 58), new Column(L("邻部覆盖占比", "Nbr share"), 56), new Column(L("重点井未巡", "Key missed"), 46),
            };
            var table = rows.Select(d => new[]
            {
                $"{d.DepartmentCode} {DepartmentName(d.DepartmentCode)}", ReportFormat.SquareKilometres(d.JurisdictionAreaM2), ReportFormat.SquareKilometres(d.CoveredAreaM2),
                ReportFormat.Rate(d.CoverageRatio), ReportFormat.SquareKilometres(d.UncoveredAreaM2), ReportFormat.Count(d.OwnTrackCount),
                ReportFormat.Number(d.OwnPatrolLengthM / 1000, 1), ReportFormat.Rate(d.NeighbourShare),
                $"{d.KeyWells.Count(k => !k.Visited)}/{d.KeyWells.Count}",
            }).ToList();
            y = Table(Margin, y, columns, table);
            Paragraph(L($"口径：本月 GPS 定位 {ReportFormat.Count(data.GpsFixes)} 条连成轨迹（与指挥视图同一规则，按北京时间零点断开），轨迹 {data.Patrol.RadiusM:0} m 缓冲区之并为覆盖；辖区为当前有效辖区。邻部覆盖占比：仅由其他部门巡逻覆盖的面积占覆盖面积之比。",
                    $"Definition: the month's {ReportFormat.Count(data.GpsFixes)} GPS fixes joined into tracks (the commander view's rule, broken at China midnight); coverage is the union of {data.Patrol.RadiusM:0} m buffers; current jurisdictions. By neighbours: share of the covered area reached only by other departments' patrols."),
                Margin, y + 12, ContentWidth, 7.5f, Grey);
            EndPage();
        }

        /// <summary>Cross-hatches a polygon (lines every 3 points both ways) with a thin outline.</summary>
        private void Hatch(ReportMap map, Geometry geometry, SKColor colour)
        {
            using var path = map.PathOf(geometry);
            var bounds = path.Bounds;
            _canvas.Save();
            _canvas.ClipPath(path, antialias: true);
            using var white = new SKPaint { Color = SKColors.White.WithAlpha(170) };
            _canvas.DrawRect(bounds, white);
            using var line = new SKPaint { Color = colour, Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f, IsAntialias = true };
            var size = bounds.Width + bounds.Height;
            for (var d = -bounds.Height; d < bounds.Width; d += 3)
            {
                _canvas.DrawLine(bounds.Left + d, bounds.Top, bounds.Left + d + bounds.Height, bounds.Bottom, line);
                _canvas.DrawLine(bounds.Left + d + bounds.Height, bounds.Top, bounds.Left + d, bounds.Bottom, line);
            }
            _ = size;
            _canvas.Restore();
        }

        public void GapsAndChartPage()
        {
            BeginPage(L("与相邻部门的空白区和交叉区 · 发案趋势", "Gaps and overlaps with neighbours · trend of cases"));
            var frame = new SKRect(Margin, 80, PageWidth - Margin, 420);
            var scope = ScopeGeometry;
            var extent = new Envelope(scope.EnvelopeInternal);
            foreach (var (_, g) in data.Gaps) extent.ExpandToInclude(g.Geometry.EnvelopeInternal);
            foreach (var o in data.Overlaps) extent.ExpandToInclude(o.Geometry.EnvelopeInternal);
            if (!data.IsCentre) extent.ExpandBy(extent.Width * 0.25, extent.Height * 0.25);
            var map = NewMap(frame, extent);
            foreach (var (code, geometry) in data.Jurisdictions)
                map.Fill(_canvas, geometry, SKColor.Parse(data.Departments.FirstOrDefault(d => d.Code == code)?.Colour ?? "#888888").WithAlpha(38));
            DrawJurisdictions(map, fillAll: false, labelSize: 7.5f);
            // Gaps and overlaps in colours no department has: gaps yellow, overlaps cross-hatched in black.
            var gapColour = SKColor.Parse("#ffd400");
            var gapEdge = SKColor.Parse("#5c4a00");
            var overlapColour = SKColor.Parse("#1a1a1a");
            foreach (var o in data.Overlaps)
            {
                Hatch(map, o.Geometry, overlapColour);
                map.Stroke(_canvas, o.Geometry, overlapColour, data.IsCentre ? 1.4f : 0.8f);
            }
            foreach (var (rank, gap) in data.Gaps)
            {
                map.Fill(_canvas, gap.Geometry, gapColour.WithAlpha(235));
                map.Stroke(_canvas, gap.Geometry, gapEdge, data.IsCentre ? 1.4f : 0.8f);
            }
            foreach (var (rank, gap) in data.Gaps.Take(10))
            {
                var c = gap.Geometry.InteriorPoint;
                var p = map.ToPage(c.X, c.Y);
                Text($"#{rank}", p.X + 4, p.Y - 3, 7.5f, gapEdge, bold: true);
            }
            FinishMap(map);
            var y = Legend(frame.Bottom + 14,
            [
                (L($"空白区（{data.Gaps.Count} 处，编号为风险排名）", $"Gap ({data.Gaps.Count}; number = risk rank)"), Swatch(gapColour.WithAlpha(235), gapEdge)),
                (L($"交叉区（{data.Overlaps.Count} 处）", $"Overlap ({data.Overlaps.Count})"), (cx, cy) =>
                {
                    var box = new SKRect(cx - 5, cy - 4, cx + 5, cy + 4);
                    using var clip = new SKPaint { Color = overlapColour, Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f, IsAntialias = true };
                    _canvas.Save();
                    _canvas.ClipRect(box);
                    for (var d = -10f; d < 10; d += 3) { _canvas.DrawLine(cx + d, cy - 4, cx + d + 8, cy + 4, clip); _canvas.DrawLine(cx + d + 8, cy - 4, cx + d, cy + 4, clip); }
                    _canvas.Restore();
                    _canvas.DrawRect(box, clip);
                }),
                (L("护卫部辖区（当前）", "Jurisdictions (current)"), Swatch(ScopeColour.WithAlpha(38), ScopeColour)),
            ]) + 4;
            var gapArea = data.Gaps.Sum(g => g.Gap.AreaM2);
            var overlapArea = data.Overlaps.Sum(o => o.AreaM2);
            if (!data.IsCentre && data.Gaps.Count == 0 && data.Overlaps.Count == 0)
                y = Paragraph(L("本部辖区与相邻部门之间未发现空白区和交叉区。", "No gap or overlap between this department's jurisdiction and its neighbours."),
                    Margin, y, ContentWidth, 8.5f, Better) + 2;
            Paragraph(L($"空白区合计 {ReportFormat.SquareMetres(gapArea)} m²，交叉区合计 {ReportFormat.SquareMetres(overlapArea)} m²（油区范围内，当前辖区，近 12 个月案件计入风险）。",
                    $"Gaps total {ReportFormat.SquareMetres(gapArea)} m², overlaps {ReportFormat.SquareMetres(overlapArea)} m² (inside the oil zones; current jurisdictions; risk counts the cases of the 12 months before the month's end)."),
                Margin, y, ContentWidth, 8.5f, Ink);

            y += 26;
            Text(L("近 13 个月发案数：今年与去年同月", "Cases over 13 months: this year and the same months last year"), Margin, y, 12, Ink, bold: true);
            Chart(new SKRect(Margin, y + 8, PageWidth - Margin, PageHeight - 60));
            EndPage();
        }

        private void Chart(SKRect rect)
        {
            var months = data.Months;
            var xs = Enumerable.Range(1, months.Count).Select(i => (double)i).ToArray();
            var plot = new ScottPlot.Plot();
            plot.Font.Set(ReportFonts.Family);
            var colour = ScopeColour;
            var bars = plot.Add.Bars(xs, months.Select(m => (double)m.Cases).ToArray());
            foreach (var bar in bars.Bars)
            {
                bar.FillColor = new ScottPlot.Color(colour.Red, colour.Green, colour.Blue, 200);
                bar.LineWidth = 0;
                bar.Size = 0.6;
            }
            var last = plot.Add.Scatter(xs, months.Select(m => (double)m.CasesLastYear).ToArray());
            last.Color = new ScottPlot.Color(0x55, 0x55, 0x55);
            last.LineWidth = 1.5f;
            last.MarkerSize = 5;
            last.LinePattern = ScottPlot.LinePattern.Dashed;
            plot.Axes.Bottom.SetTicks(xs, months.Select(m => ChinaTime.DateOf(m.PeriodStart).ToString("yy-MM", CultureInfo.InvariantCulture)).ToArray());
            plot.Axes.Bottom.TickLabelStyle.FontSize = 9;
            plot.Axes.Left.TickLabelStyle.FontSize = 9;
            var max = months.Count == 0 ? 1 : Math.Max(1, months.Max(m => Math.Max(m.Cases, m.CasesLastYear)));
            plot.Axes.SetLimits(0.3, months.Count + 0.7, 0, max * 1.18);
            plot.Grid.MajorLineColor = new ScottPlot.Color(0xE3, 0xE7, 0xEC);
            var top = rect.Top + 16;
            _canvas.Save();
            _canvas.Translate(rect.Left, top);
            plot.Render(_canvas, (int)rect.Width, (int)(rect.Bottom - top));
            _canvas.Restore();
            // Legend and axis title drawn as extractable text.
            var lx = rect.Right - 200;
            using (var sw = new SKPaint { Color = colour.WithAlpha(200) }) _canvas.DrawRect(new SKRect(lx, rect.Top + 2, lx + 10, rect.Top + 10), sw);
            Text(L("当月发案", "cases in the month"), lx + 14, rect.Top + 10, 8, Ink);
            using (var ln = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), StrokeWidth = 1.5f, PathEffect = SKPathEffect.CreateDash([3, 2], 0) })
                _canvas.DrawLine(lx + 95, rect.Top + 6, lx + 110, rect.Top + 6, ln);
            Text(L("去年同月", "same month last year"), lx + 114, rect.Top + 10, 8, Ink);
            Text(L("案件数（起）；横轴：年-月", "Cases; axis: year-month"), rect.Left, rect.Top + 10, 8, Grey);
        }

        // ---------------------------------------------------------------- tables pages

        private float _y;

        private void Ensure(float height, string? heading = null)
        {
            if (_y + height <= PageHeight - 50) return;
            EndPage();
            BeginPage(heading ?? L("明细表（续）", "Tables (continued)"));
            _y = 92;
        }

        private void Section(string title, string? note = null)
        {
            Ensure(60);
            Text(title, Margin, _y, 11.5f, Ink, bold: true);
            if (note is not null) Text(note, PageWidth - Margin, _y, 7.5f, Grey, align: SKTextAlign.Right);
            _y += 8;
        }

        private void TableBlock(IReadOnlyList<Column> columns, IReadOnlyList<string[]> rows)
        {
            Ensure(16 * (rows.Count + 1) + 10);
            _y = Table(Margin, _y, columns, rows, size: 7.5f) + 22;
        }

        public void TablesPages()
        {
            BeginPage(L("明细表", "Tables"));
            _y = 92;
            const int top = 8;

            var gaps = data.Gaps.Take(top).ToList();
            Section(L("空白区风险排名（前 8）", "Gaps by risk (top 8)"), L($"共 {data.Gaps.Count} 处", $"{data.Gaps.Count} in all"));
            TableBlock(
            [
                new Column(L("排名", "Rank"), 34), new Column(L("相邻部门", "Departments"), 150, SKTextAlign.Left), new Column(L("面积(m²)", "Area m²"), 70),
                new Column(L("宽度(m)", "Width m"), 50), new Column(L("井", "Wells"), 36), new Column(L("重点井", "Key wells"), 44),
                new Column(L("近12月案件", "Cases 12 mo"), 56), new Column(L("风险分", "Risk"), 71),
            ], gaps.Select(g => new[]
            {
                ReportFormat.Count(g.Rank), string.Join(" / ", g.Gap.Departments.Select(DepartmentName)), ReportFormat.SquareMetres(g.Gap.AreaM2),
                ReportFormat.Number(g.Gap.WidthM, 1), ReportFormat.Count(g.Gap.Wells), ReportFormat.Count(g.Gap.KeyWells), ReportFormat.Count(g.Gap.Incidents),
                ReportFormat.Number(g.Gap.RiskScore, 3),
            }).ToList());

            var wells = data.KeyWellsNotPatrolled;
            Section(L("本月未巡重点井", "Key wells not patrolled this month"),
                L($"{wells.Count} / {data.KeyWellsInScope} 口（列前 {top} 口）", $"{wells.Count} of {data.KeyWellsInScope} (first {top} listed)"));
            TableBlock(
            [
                new Column(L("井号", "Well"), 110, SKTextAlign.Left), new Column(L("部门", "Department"), 130, SKTextAlign.Left),
                new Column(L("油区", "Oil zone"), 90, SKTextAlign.Left), new Column(L("视频覆盖", "Camera"), 80, SKTextAlign.Left),
                new Column(L("经纬度", "Lon, lat"), 101),
            ], wells.Take(top).Select(w => new[]
            {
                w.Code, DepartmentName(w.DepartmentCode), w.OilZoneCode, w.Watched ? L("有", "yes") : L("无", "no"),
                string.Create(CultureInfo.InvariantCulture, $"{w.Location.X:0.0000}, {w.Location.Y:0.0000}"),
            }).ToList());

            var sites = data.IdleSites;
            Section(L("本月闲置场地被占与收回", "Idle sites encroached or reclaimed this month"),
                L($"被占 {sites.Count(s => s.Event == IdleSiteStatus.Encroached)} 处，收回 {sites.Count(s => s.Event == IdleSiteStatus.Reclaimed)} 处",
                  $"{sites.Count(s => s.Event == IdleSiteStatus.Encroached)} encroached, {sites.Count(s => s.Event == IdleSiteStatus.Reclaimed)} reclaimed"));
            TableBlock(
            [
                new Column(L("编号", "Code"), 70, SKTextAlign.Left), new Column(L("名称", "Name"), 130, SKTextAlign.Left), new Column(L("类型", "Kind"), 50, SKTextAlign.Left),
                new Column(L("事件", "Event"), 50, SKTextAlign.Left), new Column(L("日期", "Date"), 70), new Column(L("面积(m²)", "Area m²"), 70),
                new Column(L("部门", "Department"), 71, SKTextAlign.Left),
            ], sites.Take(top).Select(s => new[]
            {
                s.Site.Code, s.Site.Name, ReportFormat.SiteKindName(s.Site.Kind, _zh),
                s.Event == IdleSiteStatus.Reclaimed ? L("收回", "reclaimed") : L("被占", "encroached"),
                s.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ReportFormat.SquareMetres(s.AreaM2), DepartmentName(s.DepartmentCode),
            }).ToList());

            var largest = data.Incidents.OrderByDescending(i => i.Incident.OilRecoveredT).ThenBy(i => i.Incident.OccurredAt).Take(top).ToList();
            Section(L("本月主要案件（按追回油量，前 8）", "Largest cases of the month (by oil recovered, top 8)"), L($"共 {data.Incidents.Count} 起", $"{data.Incidents.Count} in all"));
            TableBlock(
            [
                new Column(L("案件编号", "Case"), 80, SKTextAlign.Left), new Column(L("类型", "Kind"), 80, SKTextAlign.Left),
                new Column(L("案发时间", "Occurred"), 80, SKTextAlign.Left), new Column(L("发现方式", "Found by"), 56, SKTextAlign.Left),
                new Column(L("发现用时(h)", "Found after h"), 55), new Column(L("追回油(t)", "Oil t"), 50), new Column(L("状态", "Status"), 40, SKTextAlign.Left),
                new Column(L("部门", "Department"), 70, SKTextAlign.Left),
            ], largest.Select(i => new[]
            {
                i.Incident.Code, ReportFormat.KindName(i.Incident.Kind, _zh),
                ChinaTime.ToChinaTime(i.Incident.OccurredAt).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture),
                ReportFormat.SourceName(i.Incident.DiscoveredBy, _zh), i.Incident.DiscoveredAt is { } found ? ReportFormat.Number((found - i.Incident.OccurredAt).TotalHours, 1) : "—",
                ReportFormat.Tonnes(i.Incident.OilRecoveredT), ReportFormat.StatusName(i.Incident.Status, _zh), DepartmentName(i.DepartmentCode),
            }).ToList());

            Definitions();
            EndPage();
        }

        private void Definitions()
        {
            var lines = _zh ? DefinitionsZh : DefinitionsEn;
            using var font = Font(7.2f);
            var height = lines.Sum(l => PdfText.Wrap(l, font, ContentWidth).Count * 7.2f * 1.45f) + 30;
            Ensure(height, L("数据口径说明", "Definitions used"));
            using (var rule = new SKPaint { Color = Rule, StrokeWidth = 0.6f }) _canvas.DrawLine(Margin, _y - 8, Margin + 160, _y - 8, rule);
            Text(L("数据口径说明", "Definitions used"), Margin, _y + 4, 9.5f, Ink, bold: true);
            _y += 18;
            foreach (var line in lines) _y = Paragraph(line, Margin, _y, ContentWidth, 7.2f, Grey) + 1;
        }

        // The figures in the definitions are the options the report computes with, so the text cannot drift from the numbers.
        private static readonly PatrolCoverageOptions Patrol = MonthlyReportMonth.PatrolDefaults;
        private static readonly string HexM = ReportFormat.Number(MonthlyReportMonth.HotSpotDefaults.CellSizeM, 0);
        private static readonly string RadiusM = ReportFormat.Number(Patrol.RadiusM, 0);
        private static readonly string SimplifyM = ReportFormat.Number(Patrol.SimplifyToleranceM, 0);
        private static readonly string RepeatM = ReportFormat.Number(Patrol.RepeatToleranceM, 0);
        private static readonly string OnSceneM = ReportFormat.Number(MapControl.Core.Alerts.Dispatch.OnSceneRadiusM, 0);

        private static readonly string[] DefinitionsZh =
        [
            "① 统计期为北京时间自然月；同比与去年同月（北京时间同一日历月）比较。发案数：案发时间在统计期内的案件；案件归属案发时有效的辖区版本（重叠或边界上取代码最小的部门）。",
            "② 及时发现率：本部力量（巡逻、视频、巡检）在案发后 24 小时内发现的案件占发案数之比（未记录发现时间的案件不计入分子和分母）。追回原油：统计期案件追回油量之和（吨）。收回被占闲置场地：状态为“已收回”且收回日期在统计期内的场地面积（m²），按场地内点归属部门。",
            "③ 重点井视频覆盖：重点井位于某摄像头视域扇形内（按当前摄像头位置，无历史）。巡逻时长：GPS 定位连成轨迹的时长按北京时间日期归属部门；每巡逻小时发案 = 发案数 ÷ 巡逻时长。每百口井发案按统计期末辖区内井数。",
            $"④ 热点：Getis-Ord Gi*，分析视图同一六边形网格（东营横轴墨卡托平面，边长 {HexM} m），邻域 1 环，Benjamini–Hochberg 校正 q = 0.05。",
            $"⑤ 巡逻覆盖：本月轨迹（简化 {SimplifyM} m，去重 {RepeatM} m）{RadiusM} m 缓冲区之并与当前辖区之交；未覆盖 = 辖区 − 覆盖。重点井已巡：本月有定位点距井 {RadiusM} m 以内。",
            "⑥ 空白区与交叉区：油区范围内未被任何当前辖区覆盖 / 被两个以上辖区覆盖的连通区域；空白区风险分按其中井、重点井与统计期末前 12 个月案件计（与指挥视图、coverage-check 相同）。",
            $"⑦ 告警：响应时间＝派出单元首次进入告警点 {OnSceneM} m 内的时刻－开警时刻；处置时间＝结案－开警（取本月告警的中位数）。全部定义见 docs/DEFINITIONS.md；数字与 mapcontrol kpi、/api/analysis/kpi 同源。",
        ];

        /// <summary>The month's alerts in one sentence (GET /api/alerts/kpi), or that there were none.</summary>
        private string AlertLine(MonthlyReportData data)
        {
            if (data.Alerts is not { Alerts: > 0 } a) return L("本期无告警记录。", "No alerts this month.");
            string M(double? v) => v is { } x ? x.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) : "—";
            return L($"本期告警 {a.Alerts} 起，结案 {a.Closed} 起（立案 {a.Incidents}、误报 {a.FalseAlarms}），响应时间中位数 {M(a.MedianResponseMinutes)} 分钟（开警→到场），处置时间中位数 {M(a.MedianClosureMinutes)} 分钟。",
                $"Alerts this month: {a.Alerts}, closed {a.Closed} (incidents {a.Incidents}, false alarms {a.FalseAlarms}); median response {M(a.MedianResponseMinutes)} min (open → on scene), median closure {M(a.MedianClosureMinutes)} min.");
        }

        private static readonly string[] DefinitionsEn =
        [
            "1. Periods are calendar months in China time; year over year compares with the same calendar month a year earlier. Cases: incidents that occurred in the period, each belonging to the jurisdiction version in force when it occurred (in an overlap or on a boundary, the smallest department code).",
            "2. Timely discovery: share of cases found by own forces (patrol, video, inspection) within 24 h of occurring (cases without a recorded discovery time are left out of the rate). Oil recovered: sum over the period's cases (t). Idle-site area reclaimed: sites whose status is reclaimed with a reclaimed date in the period (m²), by the site's interior point.",
            "3. Key wells watched: key wells inside some camera's view sector (cameras as placed today; no history). Patrol hours: duration of GPS tracks per department and China date; cases per patrol hour = cases / patrol hours. Cases per 100 wells use the wells of the jurisdiction at the period's end.",
            $"4. Hot spots: Getis-Ord Gi* on the analyst view's hexagon grid (Dongying transverse Mercator, {HexM} m cells), one ring, Benjamini–Hochberg q = 0.05.",
            $"5. Patrol coverage: union of {RadiusM} m buffers of the month's tracks (simplified {SimplifyM} m, repeats within {RepeatM} m dropped) within the current jurisdiction; uncovered = jurisdiction − coverage. A key well is patrolled when a fix of the month lies within {RadiusM} m.",
            "6. Gaps and overlaps: connected parts of the oil zones covered by no current jurisdiction / by two or more; gap risk counts wells, key wells and the cases of the 12 months before the period's end (as the commander view and coverage-check).",
            $"7. Alerts: response time = first fix of the dispatched unit within {OnSceneM} m − opening; closure time = closing − opening (medians of the month's alerts). All definitions: docs/DEFINITIONS.md; figures as mapcontrol kpi and /api/analysis/kpi.",
        ];
    }
}
