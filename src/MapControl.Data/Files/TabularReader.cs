using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using nietras.SeparatedValues;

namespace MapControl.Data.Files;

/// <summary>A table that cannot serve as it is: empty, or a quoted field left open (reported as it is, with the file name).</summary>
internal sealed class EmptyTableException(string message) : Exception(message);

/// <summary>Options of a tabular (CSV, XLSX) read.</summary>
public sealed record TabularOptions
{
    /// <summary>XLSX sheet by name or 1-based number; null: the first sheet.</summary>
    public string? Sheet { get; init; }

    /// <summary>CSV text encoding; null: a BOM, else UTF-8 when the bytes are valid UTF-8, else GB18030 (a superset of GBK).</summary>
    public Encoding? Encoding { get; init; }
}

/// <summary>
/// The one reader of tabular files: CSV (UTF-8 with or without BOM, or GBK/GB18030 detected; ',' ';' tab or '|' detected from
/// the header; RFC 4180 quotes) and XLSX (first sheet or a named one; shared strings, inline strings, numbers, date cells).
/// The header is the first row with two or more filled cells: title rows above it (a ledger's "2026年案件台账", "制表单位：…"),
/// at most <see cref="MaxTitleRows"/>, are skipped. Cells come trimmed. Every verb and the import read tables through it.
/// </summary>
public abstract class TabularReader : IDisposable
{
    /// <summary>Rows with at most one filled cell skipped above the header at most.</summary>
    public const int MaxTitleRows = 10;

    /// <summary>Title rows skipped above the header.</summary>
    public int TitleRows { get; protected set; }

    /// <summary>For <see cref="Description"/>: how many title rows were skipped, when any were.</summary>
    protected string TitleNote => TitleRows == 0 ? "" : $", {TitleRows} title row{(TitleRows == 1 ? "" : "s")} above the header skipped";

    /// <summary>File extensions read as tables.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".csv", ".tsv", ".txt", ".xlsx"];

    /// <summary>True when <paramref name="path"/> has a tabular extension.</summary>
    public static bool IsTabular(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Opens a CSV or XLSX file by its extension; a <see cref="FeatureFileException"/> for anything unreadable.</summary>
    public static TabularReader Open(string path, TabularOptions? options = null)
    {
        options ??= new TabularOptions();
        if (!File.Exists(path)) throw FeatureFileException.For(path, Directory.Exists(path) ? "is a folder, not a file" : "file not found");
        try
        {
            return Path.GetExtension(path).ToLowerInvariant() == ".xlsx" ? new XlsxReader(path, options) : CsvReader.OpenCsv(path, options);
        }
        catch (EmptyTableException e)
        {
            throw FeatureFileException.For(path, e.Message, e);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw FeatureFileException.For(path, $"not a readable {(Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) ? "XLSX workbook" : "CSV")} ({e.Message})", e);
        }
    }

    /// <summary>
    /// Reads CSV text the caller has already opened and decoded (e.g. a gzipped file of the sample dataset), by the same rules as a
    /// CSV file; <paramref name="name"/> names it in messages. A <see cref="FeatureFileException"/> for anything unreadable.
    /// </summary>
    public static TabularReader OpenCsv(TextReader text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return CsvReader.FromText(text, "text", name);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw FeatureFileException.For(name, $"not a readable CSV ({e.Message})", e);
        }
    }

    /// <summary>The header cells, trimmed.</summary>
    public abstract IReadOnlyList<string> Header { get; }

    /// <summary>What was read: "CSV, UTF-8", "CSV, GB18030", "XLSX, sheet 案件台账".</summary>
    public abstract string Description { get; }

    /// <summary>Where the current row is, for messages: "line 12" (CSV) or "row 12" (XLSX).</summary>
    public abstract string Where { get; }

    /// <summary>Moves to the next data row; false at the end. Rows whose cells are all empty are skipped.</summary>
    public abstract bool Read();

    /// <summary>The text of a cell of the current row, trimmed; empty when the row is shorter.</summary>
    public abstract ReadOnlySpan<char> Text(int column);

    /// <summary>A number cell's value (XLSX numeric cells); false for text cells and for CSV.</summary>
    public virtual bool TryNumberCell(int column, out double value)
    {
        value = 0;
        return false;
    }

    /// <summary>True when cells carry types (XLSX numbers); CSV cells are text, so that a code such as 0012 stays text.</summary>
    protected virtual bool TypedCells => false;

    /// <summary>A date cell's serial (XLSX numbers with a date format); false otherwise.</summary>
    public virtual bool TryDateCell(int column, out double serial)
    {
        serial = 0;
        return false;
    }

    /// <summary>The cell as a number: a number cell, else the text in invariant culture (full-width digits folded); false when neither.</summary>
    public bool TryNumber(int column, out double value)
    {
        if (TryNumberCell(column, out value)) return true;
        var text = Text(column);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return double.IsFinite(value);
        if (text.IsEmpty) return false;
        var folded = text.ToString().Normalize(NormalizationForm.FormKC).Replace(",", "", StringComparison.Ordinal);
        return double.TryParse(folded, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>The cell as a time by <see cref="TimeText"/>: a date cell, else its text; false when neither.</summary>
    public bool TryTime(int column, out DateTimeOffset value)
    {
        if (TryDateCell(column, out var serial)) return TimeText.TryFromExcelSerial(serial, out value);
        return TimeText.TryParse(Text(column), out value);
    }

    /// <summary>True when <see cref="Value"/> of the cell is its text (or null when empty): neither a date cell nor a typed number cell.</summary>
    public bool IsTextCell(int column) => !TryDateCell(column, out _) && !(TypedCells && TryNumberCell(column, out _));

    /// <summary>The cell's value for a property: a DateTimeOffset for date cells, a double for number cells, else the text (null when empty).</summary>
    public object? Value(int column)
    {
        if (TryDateCell(column, out var serial) && TimeText.TryFromExcelSerial(serial, out var time)) return TimeText.Format(time);
        if (TypedCells && TryNumberCell(column, out var number)) return number;
        var text = Text(column);
        return text.IsEmpty ? null : text.ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the file.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>CSV through Sep (SIMD): the bytes are checked for UTF-8 first, so that GBK is detected rather than garbled.</summary>
    private sealed class CsvReader : TabularReader
    {
        private readonly SepReader _reader;
        private readonly string _path;
        private readonly string _encoding;
        private readonly string[] _header;
        private int _line;

        private CsvReader(SepReader reader, string encoding, string path, int titleRows = 0)
        {
            _reader = reader;
            TitleRows = titleRows;
            _path = path;
            _encoding = encoding;
            _header = reader.HasHeader ? [.. reader.Header.ColNames.Select(n => n.Trim().TrimStart('\uFEFF'))] : [];
        }

        private static readonly SepReaderOptions s_sepOptions = new(null)
        {
            HasHeader = true, Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true, ColNameComparer = StringComparer.Ordinal,
        };

        public static CsvReader FromText(TextReader text, string encoding, string path)
        {
            var (rest, titleRows) = SkipTitleLines(text);
            return new CsvReader(s_sepOptions.From(rest), encoding, path, titleRows);
        }

        public static CsvReader OpenCsv(string path, TabularOptions options)
        {
            var sepOptions = s_sepOptions;
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            try
            {
                var sample = new byte[(int)Math.Min(stream.Length, SampleBytes)];
                stream.ReadExactly(sample);
                if (sample.AsSpan().Trim(" \r\n\t"u8).IsEmpty && stream.Length <= SampleBytes)
                    throw new EmptyTableException("the file is empty (expected a header row)");
                var (encoding, name) = Detect(sample, stream.Length <= SampleBytes, options.Encoding);
                if (UnclosedQuoteLine(path, stream) is { } line) throw new EmptyTableException($"line {line}: a quoted field is not closed");
                stream.Position = 0;
                var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, 1 << 16);
                var (rest, titleRows) = SkipTitleLines(text);
                return new CsvReader(sepOptions.From(rest), name, path, titleRows);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        private const int SampleBytes = 1 << 16;

        // Title lines above the header: lines with at most one filled field whichever separator the file uses. The first line
        // with more is the header, given back to Sep in front of the rest of the text.
        private static (TextReader Text, int TitleRows) SkipTitleLines(TextReader text)
        {
            for (var skipped = 0; skipped < MaxTitleRows; skipped++)
            {
                var line = text.ReadLine();
                if (line is null)
                {
                    if (skipped == 0) return (new StringReader(""), 0); // empty: the caller says so
                    text.Dispose();
                    throw new EmptyTableException($"no header row (a row with two or more filled cells) after {skipped} title lines");
                }
                if (!IsTitle(line)) return (new PrefixedReader(line + "\n", text), skipped);
            }
            return (text, MaxTitleRows);
        }

        // A title line has at most one filled field whichever separator splits it, quotes respected ("台账（单位：吨,元）" is one
        // field). A line that leaves a quote open (a header cell with a line break in it) is never a title.
        private static bool IsTitle(string line)
        {
            foreach (var separator in ",;\t|")
            {
                int filled = 0, quotes = 0;
                var content = false;
                foreach (var c in line)
                {
                    if (c == '"') quotes++;
                    else if (c == separator && quotes % 2 == 0)
                    {
                        if (content) filled++;
                        content = false;
                    }
                    else if (!char.IsWhiteSpace(c) && c != '\uFEFF') content = true;
                }
                if (quotes % 2 != 0) return false;
                if (content) filled++;
                if (filled > 1) return false;
            }
            return true;
        }

        // The encoding: the one given, else a BOM, else UTF-8 when the first 64 KiB are valid UTF-8 (a character cut at the
        // sample's end allowed), else GB18030 (a superset of GBK). UTF-8 is decoded strictly: a GBK byte later in the file is
        // an error naming the line, never a silently garbled label.
        private static (Encoding Encoding, string Name) Detect(byte[] sample, bool whole, Encoding? forced)
        {
            var bom = sample.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
            if (forced is not null) return (forced, forced.WebName);
            if (bom) return (new UTF8Encoding(true, true), "UTF-8 (BOM)");
            var span = sample.AsSpan();
            if (!whole)
            {
                // Leave out a character the sample cut: up to 3 trailing bytes of an incomplete sequence.
                var cut = span.Length;
                for (var back = 1; back <= 3 && back <= span.Length; back++)
                {
                    var b = span[^back];
                    if ((b & 0xC0) == 0x80) continue;
                    if (b >= 0xC0) cut = span.Length - back;
                    break;
                }
                span = span[..cut];
            }
            if (System.Text.Unicode.Utf8.IsValid(span)) return (TextEncodings.StrictUtf8, "UTF-8");
            return (TextEncodings.Gb18030, "GB18030/GBK");
        }

        // An odd number of quotes means a field left open: the line where the last one opened (only then a second scan).
        private static int? UnclosedQuoteLine(string path, FileStream stream)
        {
            var buffer = new byte[1 << 16];
            long quotes = 0;
            stream.Position = 0;
            int read;
            while ((read = stream.Read(buffer)) > 0) quotes += buffer.AsSpan(0, read).Count((byte)'"');
            if (quotes % 2 == 0) return null;
            int line = 1, opened = 1;
            var quoted = false;
            foreach (var b in File.ReadAllBytes(path))
            {
                if (b == (byte)'"')
                {
                    quoted = !quoted;
                    if (quoted) opened = line;
                }
                else if (b == (byte)'\n') line++;
            }
            return quoted ? opened : null;
        }

        public override IReadOnlyList<string> Header => _header;

        public override string Description => $"CSV, {_encoding}{TitleNote}";

        public override string Where => $"line {_line}";

        public override bool Read()
        {
            try
            {
                return ReadRow();
            }
            catch (DecoderFallbackException e)
            {
                throw FeatureFileException.For(_path, $"after line {_line}: bytes that are not {_encoding}, though the start of the file was; save it in one encoding (UTF-8 or GBK)", e);
            }
        }

        private bool ReadRow()
        {
            while (_reader.MoveNext())
            {
                var row = _reader.Current;
                _line = row.LineNumberFrom + TitleRows;
                if (AllEmpty(row)) continue;
                return true;
            }
            return false;
        }

        // A row of separators only (",,,," as spreadsheets export blank rows) is empty too.
        private static bool AllEmpty(SepReader.Row row)
        {
            for (var i = 0; i < row.ColCount; i++) if (!row[i].Span.IsWhiteSpace()) return false;
            return true;
        }

        public override ReadOnlySpan<char> Text(int column)
        {
            var row = _reader.Current;
            return (uint)column < (uint)row.ColCount ? row[column].Span.Trim() : [];
        }

        // Sep's fast float parsing (invariant culture) first; TryNumber falls back to the folded text (full-width digits, 1,234.5).
        public override bool TryNumberCell(int column, out double value)
        {
            var row = _reader.Current;
            value = 0;
            return (uint)column < (uint)row.ColCount && row[column].TryParse(out value) && double.IsFinite(value);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _reader.Dispose();
        }
    }

    /// <summary>XLSX (Office Open XML) through a forward-only XmlReader over the sheet: shared strings, styles (for date cells), one sheet.</summary>
    private sealed class XlsxReader : TabularReader
    {
        private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        private readonly ZipArchive _zip;
        private readonly XmlReader _sheet;
        private readonly string[] _shared;
        private readonly bool[] _dateStyles;
        private readonly string _sheetName;
        private readonly string[] _header;
        private readonly string _rowName = "", _cName = "", _rName = "", _tName = "", _sName = "";
        private string[] _text = new string[16];
        private byte[] _type = new byte[16];
        private int _width;
        private int _row;

        private const byte Empty = 0, TextCell = 1, NumberCell = 2, DateCell = 3;

        public XlsxReader(string path, TabularOptions options)
        {
            _zip = ZipFile.OpenRead(path);
            try
            {
                var (sheetPath, sheetName) = FindSheet(_zip, options.Sheet);
                _sheetName = sheetName;
                _shared = ReadSharedStrings(_zip);
                _dateStyles = ReadDateStyles(_zip);
                var entry = _zip.GetEntry(sheetPath) ?? throw new InvalidDataException($"the workbook names {sheetPath}, which it lacks");
                _sheet = XmlReader.Create(entry.Open(), new XmlReaderSettings { IgnoreComments = true, IgnoreProcessingInstructions = true, IgnoreWhitespace = true, DtdProcessing = DtdProcessing.Prohibit });
                _rowName = _sheet.NameTable.Add("row");
                _cName = _sheet.NameTable.Add("c");
                _rName = _sheet.NameTable.Add("r");
                _tName = _sheet.NameTable.Add("t");
                _sName = _sheet.NameTable.Add("s");
                if (!Read()) throw new EmptyTableException($"sheet \"{sheetName}\" is empty (expected a header row)");
                // Title rows above the header (a merged title cell keeps its text in its first cell).
                while (TitleRows < MaxTitleRows && Enumerable.Range(0, _width).Count(i => _type[i] != Empty && _text[i].AsSpan().Trim().Length > 0) <= 1)
                {
                    TitleRows++;
                    if (!Read()) throw new EmptyTableException($"sheet \"{sheetName}\" has no header row (a row with two or more filled cells)");
                }
                _header = [.. Enumerable.Range(0, _width).Select(i => _type[i] == Empty ? "" : _text[i].Trim())];
                while (_header.Length > 0 && _header[^1].Length == 0) _header = _header[..^1];
            }
            catch
            {
                _zip.Dispose();
                throw;
            }
        }

        public override IReadOnlyList<string> Header => _header;

        public override string Description => $"XLSX, sheet {_sheetName}{TitleNote}";

        public override string Where => $"row {_row}";

        public override bool Read()
        {
            while (_sheet.Read())
            {
                if (_sheet.NodeType != XmlNodeType.Element || !ReferenceEquals(_sheet.LocalName, _rowName)) continue;
                _row = int.TryParse(_sheet.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : _row + 1;
                Array.Clear(_type, 0, _width);
                _width = 0;
                if (_sheet.IsEmptyElement) continue;
                var any = false;
                var next = 0;
                var depth = _sheet.Depth;
                while (_sheet.Read() && _sheet.Depth > depth)
                {
                    if (_sheet.NodeType != XmlNodeType.Element || !ReferenceEquals(_sheet.LocalName, _cName)) continue;
                    // The cell's attributes in one pass (names atomized by the reader's name table: compared by reference).
                    string? reference = null, t = null, s = null;
                    if (_sheet.MoveToFirstAttribute())
                    {
                        do
                        {
                            var name = _sheet.LocalName;
                            if (ReferenceEquals(name, _rName)) reference = _sheet.Value;
                            else if (ReferenceEquals(name, _tName)) t = _sheet.Value;
                            else if (ReferenceEquals(name, _sName)) s = _sheet.Value;
                        }
                        while (_sheet.MoveToNextAttribute());
                        _sheet.MoveToElement();
                    }
                    var column = ColumnOf(reference, next);
                    next = column + 1;
                    var value = CellValue(_sheet, t);
                    if (value is null) continue;
                    Ensure(column + 1);
                    byte type;
                    switch (t)
                    {
                        case "s":
                            value = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _shared.Length
                                ? _shared[index] : throw new InvalidDataException($"row {_row}: shared string {value} is not in the workbook");
                            type = TextCell;
                            break;
                        case null or "n":
                            type = s is not null && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var style) && style < _dateStyles.Length && _dateStyles[style]
                                ? DateCell : NumberCell;
                            break;
                        case "b":
                            value = value == "1" ? "true" : "false";
                            type = TextCell;
                            break;
                        default: // str, inlineStr, d (ISO 8601 text), e (an error such as #N/A: kept as text)
                            type = TextCell;
                            break;
                    }
                    _text[column] = value;
                    _type[column] = type;
                    _width = Math.Max(_width, column + 1);
                    any |= value.AsSpan().Trim().Length > 0;
                }
                if (any) return true;
            }
            return false;
        }

        public override ReadOnlySpan<char> Text(int column) =>
            (uint)column < (uint)_width && _type[column] != Empty ? _text[column].AsSpan().Trim() : [];

        public override bool TryNumberCell(int column, out double value)
        {
            value = 0;
            return (uint)column < (uint)_width && _type[column] is NumberCell or DateCell
                && double.TryParse(_text[column], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        protected override bool TypedCells => true;

        public override bool TryDateCell(int column, out double serial)
        {
            serial = 0;
            return (uint)column < (uint)_width && _type[column] == DateCell
                && double.TryParse(_text[column], NumberStyles.Float, CultureInfo.InvariantCulture, out serial);
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing) return;
            _sheet?.Dispose();
            _zip.Dispose();
        }

        private void Ensure(int width)
        {
            if (width > 16_384) throw new InvalidDataException($"row {_row}: more than 16,384 columns");
            if (width <= _text.Length) return;
            var size = Math.Max(width, _text.Length * 2);
            Array.Resize(ref _text, size);
            Array.Resize(ref _type, size);
        }

        // The value of a <c> element: <v> text, or the <t> runs of an inline string; the reader ends on the cell's end tag.
        private static string? CellValue(XmlReader reader, string? type)
        {
            if (reader.IsEmptyElement) return null;
            var depth = reader.Depth;
            string? value = null;
            StringBuilder? inline = null;
            if (!reader.Read()) return null;
            while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    switch (reader.LocalName)
                    {
                        case "v":
                            value = reader.ReadElementContentAsString();
                            continue;
                        case "t" when type == "inlineStr":
                            (inline ??= new StringBuilder()).Append(reader.ReadElementContentAsString());
                            continue;
                        case "rPh":
                            reader.Skip();
                            continue;
                    }
                }
                if (!reader.Read()) break;
            }
            return inline?.ToString() ?? value;
        }

        private static int ColumnOf(string? reference, int next)
        {
            if (string.IsNullOrEmpty(reference)) return next;
            var column = 0;
            foreach (var c in reference)
            {
                if (c is >= 'A' and <= 'Z') column = column * 26 + (c - 'A' + 1);
                else if (c is >= 'a' and <= 'z') column = column * 26 + (c - 'a' + 1);
                else break;
            }
            return column == 0 ? next : column - 1;
        }

        private static (string Path, string Name) FindSheet(ZipArchive zip, string? wanted)
        {
            var workbook = Load(zip, "xl/workbook.xml") ?? throw new InvalidDataException("no xl/workbook.xml: not an XLSX workbook");
            var rels = Load(zip, "xl/_rels/workbook.xml.rels");
            var sheets = new List<(string Name, string RelId)>();
            foreach (XmlElement sheet in workbook.GetElementsByTagName("sheet", MainNs))
                sheets.Add((sheet.GetAttribute("name"), sheet.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")));
            if (sheets.Count == 0) throw new InvalidDataException("the workbook has no sheets");
            var index = 0;
            if (wanted is not null)
            {
                index = sheets.FindIndex(s => s.Name == wanted);
                if (index < 0 && int.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= sheets.Count) index = number - 1;
                if (index < 0) throw new FormatException($"no sheet \"{wanted}\" (sheets: {string.Join(", ", sheets.Select(s => s.Name))})");
            }
            var (name, relId) = sheets[index];
            var target = $"worksheets/sheet{index + 1}.xml";
            if (rels is not null)
                foreach (XmlElement rel in rels.GetElementsByTagName("Relationship", "http://schemas.openxmlformats.org/package/2006/relationships"))
                    if (rel.GetAttribute("Id") == relId) target = rel.GetAttribute("Target");
            var path = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
            return (path, name);
        }

        private static string[] ReadSharedStrings(ZipArchive zip)
        {
            var entry = zip.GetEntry("xl/sharedStrings.xml");
            if (entry is null) return [];
            var list = new List<string>();
            using var reader = XmlReader.Create(entry.Open(), new XmlReaderSettings { IgnoreComments = true, IgnoreWhitespace = false, DtdProcessing = DtdProcessing.Prohibit });
            var text = new StringBuilder();
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "si") continue;
                if (reader.IsEmptyElement)
                {
                    list.Add("");
                    continue;
                }
                var depth = reader.Depth;
                text.Clear();
                if (!reader.Read()) break;
                while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
                {
                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t")
                    {
                        text.Append(reader.ReadElementContentAsString());
                        continue;
                    }
                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "rPh" or "phoneticPr")
                    {
                        reader.Skip();
                        continue;
                    }
                    if (!reader.Read()) break;
                }
                list.Add(text.ToString());
            }
            return [.. list];
        }

        // Per cell style (cellXfs index): does its number format show a date or time?
        private static bool[] ReadDateStyles(ZipArchive zip)
        {
            var styles = Load(zip, "xl/styles.xml");
            if (styles is null) return [];
            var custom = new Dictionary<int, string>();
            foreach (XmlElement f in styles.GetElementsByTagName("numFmt", MainNs))
                if (int.TryParse(f.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) custom[id] = f.GetAttribute("formatCode");
            var result = new List<bool>();
            if (styles.GetElementsByTagName("cellXfs", MainNs) is { Count: > 0 } xfs)
                foreach (XmlNode node in xfs[0]!.ChildNodes)
                    if (node is XmlElement { LocalName: "xf" } xf)
                    {
                        var id = int.TryParse(xf.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
                        result.Add(custom.TryGetValue(id, out var code) ? IsDateFormat(code) : IsBuiltInDate(id));
                    }
            return [.. result];
        }

        // Built-in date/time formats of ECMA-376 (14–22, 45–47) and those Excel uses in Chinese locales (27–36, 50–58).
        private static bool IsBuiltInDate(int id) => id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58;

        // A custom format is a date when, outside quotes, brackets and escapes, it has y, m, d, h or s (or 年月日时分秒).
        private static bool IsDateFormat(string code)
        {
            var quoted = false;
            var bracket = false;
            for (var i = 0; i < code.Length; i++)
            {
                var c = code[i];
                if (c == '"') quoted = !quoted;
                else if (quoted) continue;
                else if (c == '\\' || c == '_' || c == '*') i++;
                else if (c == '[') bracket = true;
                else if (c == ']') bracket = false;
                else if (bracket) continue;
                else if (c is 'y' or 'Y' or 'm' or 'M' or 'd' or 'D' or 'h' or 'H' or 's' or 'S' or 'e') return !code.Equals("General", StringComparison.OrdinalIgnoreCase);
                else if (c is '年' or '月' or '日' or '时' or '分' or '秒') return true;
            }
            return false;
        }

        private static XmlDocument? Load(ZipArchive zip, string name)
        {
            var entry = zip.GetEntry(name);
            if (entry is null) return null;
            var document = new XmlDocument { XmlResolver = null };
            using var stream = entry.Open();
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            document.Load(reader);
            return document;
        }
    }
}

/// <summary>A line already read, then the rest of a reader: the header line found below title lines, given back to the CSV reader.</summary>
internal sealed class PrefixedReader(string prefix, TextReader rest) : TextReader
{
    private int _at;

    public override int Peek() => _at < prefix.Length ? prefix[_at] : rest.Peek();

    public override int Read() => _at < prefix.Length ? prefix[_at++] : rest.Read();

    public override int Read(Span<char> buffer)
    {
        if (_at >= prefix.Length) return rest.Read(buffer);
        var n = Math.Min(buffer.Length, prefix.Length - _at);
        prefix.AsSpan(_at, n).CopyTo(buffer);
        _at += n;
        return n;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }
}
