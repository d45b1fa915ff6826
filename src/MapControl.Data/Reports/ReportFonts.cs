using System.Text;
using SkiaSharp;

namespace MapControl.Data.Reports;

/// <summary>
/// The report's typefaces: Noto Sans CJK SC regular and bold (Debian <c>fonts-noto-cjk</c>, installed by build.sh), which cover
/// Chinese, Latin, digits and the symbols the report uses. Loaded once per process from the font files (or, failing that, from the
/// system's font manager); a missing font is an error that names the package, never a silent fallback to boxes.
/// </summary>
public static class ReportFonts
{
    /// <summary>The family the report is set in.</summary>
    public const string Family = "Noto Sans CJK SC";

    private static readonly string[] s_regularFiles =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    ];

    private static readonly Lazy<(SKTypeface Regular, SKTypeface Bold)> s_faces = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Noto Sans CJK SC Regular.</summary>
    public static SKTypeface Regular => s_faces.Value.Regular;

    /// <summary>Noto Sans CJK SC Bold.</summary>
    public static SKTypeface Bold => s_faces.Value.Bold;

    private static (SKTypeface, SKTypeface) Load()
    {
        var regular = FromFiles(s_regularFiles) ?? Match(SKFontStyle.Normal);
        var bold = FromFiles(s_regularFiles.Select(f => f.Replace("-Regular.", "-Bold.", StringComparison.Ordinal))) ?? Match(SKFontStyle.Bold) ?? regular;
        if (regular is null || bold is null)
            throw new InvalidOperationException($"No {Family} font: install the Debian package fonts-noto-cjk (./build.sh installs it).");
        return (regular, bold);
    }

    private static SKTypeface? FromFiles(IEnumerable<string> files)
    {
        foreach (var file in files.Where(File.Exists))
            for (var index = 0; index < 16; index++)
            {
                var face = SKTypeface.FromFile(file, index);
                if (face is null) break;
                if (face.FamilyName == Family) return face;
                face.Dispose();
            }
        return null;
    }

    private static SKTypeface? Match(SKFontStyle style) =>
        SKFontManager.Default.MatchFamily(Family, style) is { FamilyName: Family } face ? face : null;
}

/// <summary>
/// Draws text into a PDF canvas so that it extracts as written. Skia's PDF backend maps each glyph back to one code point, and
/// in Noto Sans CJK the glyph of 口 (U+53E3) is also the glyph of the Kangxi radical ⼝ (U+2F1D) — plain
/// <c>DrawText</c> makes <c>pdftotext</c> give 河⼝ for 河口, 10⽉ for 10月. A text blob that carries its UTF-8 text and the
/// cluster of each glyph makes Skia write the text as <c>/ActualText</c>, which extracts, searches and copies as written.
/// </summary>
public static class PdfText
{
    /// <summary>Width of <paramref name="text"/> in points.</summary>
    public static float Width(string text, SKFont font) => string.IsNullOrEmpty(text) ? 0 : font.MeasureText(text);

    /// <summary>Draws one line of text with its baseline at <paramref name="y"/>; returns its width.</summary>
    public static float Draw(SKCanvas canvas, string text, float x, float y, SKFont font, SKPaint paint, SKTextAlign align = SKTextAlign.Left)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var glyphs = font.GetGlyphs(text);
        var positions = font.GetGlyphPositions(glyphs);
        var width = font.MeasureText(glyphs);
        var utf8 = Encoding.UTF8.GetBytes(text);
        // One glyph per code point (Chinese and Latin need no shaping): glyph i's cluster is the byte offset of code point i.
        var clusters = new uint[glyphs.Length];
        int i = 0, offset = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (i < clusters.Length) clusters[i++] = (uint)offset;
            offset += rune.Utf8SequenceLength;
        }
        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocatePositionedTextRun(font, glyphs.Length, utf8.Length, null);
        run.SetGlyphs(glyphs);
        run.SetPositions(positions);
        run.SetText(utf8);
        run.SetClusters(clusters);
        using var blob = builder.Build();
        if (blob is null) return 0;
        var left = align switch { SKTextAlign.Center => x - width / 2, SKTextAlign.Right => x - width, _ => x };
        canvas.DrawText(blob, left, y, paint);
        return width;
    }

    /// <summary>Splits text into lines no wider than <paramref name="maxWidth"/> (between any two Chinese characters, else at spaces).</summary>
    public static IReadOnlyList<string> Wrap(string text, SKFont font, float maxWidth)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            var lastBreak = -1;
            foreach (var rune in paragraph.EnumerateRunes())
            {
                line.Append(rune.ToString());
                if (rune.Value == ' ') lastBreak = line.Length;
                if (Width(line.ToString(), font) <= maxWidth) continue;
                var cut = rune.Value > 0x2E7F || lastBreak <= 0 ? line.Length - rune.Utf16SequenceLength : lastBreak;
                if (cut <= 0) cut = line.Length;
                lines.Add(line.ToString(0, cut).TrimEnd());
                var rest = line.ToString(cut, line.Length - cut).TrimStart();
                line.Clear().Append(rest);
                lastBreak = -1;
            }
            lines.Add(line.ToString());
        }
        return lines;
    }
}
