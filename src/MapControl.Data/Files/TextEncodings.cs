using System.Text;

namespace MapControl.Data.Files;

/// <summary>Encodings of attribute text: UTF-8 and the GBK (CP936) that Chinese GIS software and Excel write.</summary>
internal static class TextEncodings
{
    static TextEncodings()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>UTF-8 that throws on invalid bytes, so a GBK file is noticed rather than garbled.</summary>
    public static Encoding StrictUtf8 { get; } = new UTF8Encoding(false, true);

    /// <summary>GBK (code page 936, a superset of GB2312).</summary>
    public static Encoding Gbk => Encoding.GetEncoding(936);

    /// <summary>GB18030 (code page 54936): a superset of GBK that decodes every GBK file the same.</summary>
    public static Encoding Gb18030 => Encoding.GetEncoding(54936);

    /// <summary>The encoding named in a .cpg file; null when the name is unknown.</summary>
    public static Encoding? FromCpg(string cpg)
    {
        var name = cpg.Trim().TrimStart('\uFEFF').Trim();
        var key = name.ToUpperInvariant().Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        if (key.StartsWith("ANSI", StringComparison.Ordinal))
        {
            key = key[4..].Trim();
        }

        switch (key)
        {
            case "UTF8" or "65001":
                return StrictUtf8;
            case "GBK" or "CP936" or "936" or "GB2312" or "MS936" or "WINDOWS936" or "20936":
                return Gbk;
            case "GB18030" or "54936":
                return Encoding.GetEncoding(54936);
        }

        if (int.TryParse(key, out var codePage))
        {
            try
            {
                return Encoding.GetEncoding(codePage);
            }
            catch (ArgumentException)
            {
                return null;
            }
            catch (NotSupportedException)
            {
                return null;
            }
        }

        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Decodes text: the forced encoding, else a BOM, else strict UTF-8, else GBK.</summary>
    public static (string Text, Encoding Encoding) Decode(byte[] bytes, Encoding? forced)
    {
        if (forced is not null)
        {
            return (forced.GetString(bytes).TrimStart('\uFEFF'), forced);
        }

        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return (Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), Encoding.UTF8);
        }

        try
        {
            return (StrictUtf8.GetString(bytes), Encoding.UTF8);
        }
        catch (DecoderFallbackException)
        {
            return (Gbk.GetString(bytes), Gbk);
        }
    }

    /// <summary>True when the exception or one of its inner exceptions is a decoding failure.</summary>
    public static bool IsDecodingFailure(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is DecoderFallbackException)
            {
                return true;
            }
        }

        return false;
    }
}
