using System.Text;

namespace MapControl.Core.Labels;

/// <summary>One term of a vocabulary: a code with its Chinese and English labels, synonyms and colour.</summary>
/// <param name="Code">The stored code (snake_case for built-in terms; the label as written for an unmapped one).</param>
/// <param name="LabelZh">Chinese label (中文名称).</param>
/// <param name="LabelEn">English label.</param>
/// <param name="Synonyms">Other spellings that mean this term (Chinese or English).</param>
/// <param name="Colour">Map colour, <c>#rrggbb</c>.</param>
/// <param name="Mapped">False for a label the vocabulary lacked, kept as its own term until an admin maps it.</param>
public sealed record VocabularyTerm(string Code, string LabelZh, string LabelEn, IReadOnlyList<string> Synonyms, string Colour, bool Mapped = true);

/// <summary>
/// Resolves labels as people write them (a code, a Chinese or English label, a synonym) to terms. Matching ignores case,
/// full-width forms (ＡＢＣ, full-width space), whitespace, '_' and '-'; a label that matches nothing is never refused: it
/// becomes an unmapped term of its own (<see cref="Resolve"/>). Immutable; pure.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>Colour of unmapped terms.</summary>
    public const string UnmappedColour = "#7f7f7f";

    private readonly Dictionary<string, VocabularyTerm> _byKey;
    private readonly Dictionary<string, VocabularyTerm>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    /// <summary>A vocabulary of <paramref name="terms"/>; a later term with the code of an earlier one replaces it.</summary>
    /// <remarks>When two terms claim the same spelling, codes win over labels and labels over synonyms; then the earlier term.</remarks>
    public Vocabulary(IEnumerable<VocabularyTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var byCode = new Dictionary<string, VocabularyTerm>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var term in terms)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(term.Code);
            if (!byCode.ContainsKey(term.Code)) order.Add(term.Code);
            byCode[term.Code] = term;
        }
        Terms = order.Select(c => byCode[c]).ToArray();
        _byKey = new Dictionary<string, VocabularyTerm>(StringComparer.Ordinal);
        foreach (var pass in new Func<VocabularyTerm, IEnumerable<string>>[] { t => [t.Code], t => [t.LabelZh, t.LabelEn], t => t.Synonyms })
            foreach (var term in Terms)
                foreach (var spelling in pass(term))
                    if (!string.IsNullOrWhiteSpace(spelling)) _byKey.TryAdd(Key(spelling), term);
        _bySpan = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The terms in order.</summary>
    public IReadOnlyList<VocabularyTerm> Terms { get; }

    /// <summary>This vocabulary with <paramref name="terms"/> added; a term of a known code replaces it (labels, synonyms, colour).</summary>
    public Vocabulary With(IEnumerable<VocabularyTerm> terms) => new(Terms.Concat(terms));

    /// <summary>The term a code, label or synonym names; false when none does.</summary>
    public bool TryFind(ReadOnlySpan<char> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VocabularyTerm? term)
    {
        term = null;
        if (text.IsWhiteSpace()) return false;
        if (IsPlainKey(text)) return _bySpan.TryGetValue(text, out term);
        return _byKey.TryGetValue(Key(text), out term);
    }

    /// <summary>The term <paramref name="text"/> names, or an unmapped term of its own (code and labels = the text as written, trimmed).</summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    public VocabularyTerm Resolve(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return TryFind(text, out var term) ? term : Unmapped(text);
    }

    /// <summary>The unmapped term of a label the vocabulary lacks: code and labels are the label as written (full-width folded, whitespace trimmed and collapsed).</summary>
    public static VocabularyTerm Unmapped(string text)
    {
        var label = AsWritten(text);
        return new VocabularyTerm(label, label, label, [], UnmappedColour, Mapped: false);
    }

    /// <summary>
    /// The matching key of a spelling: Unicode NFKC (full-width → ASCII), lower case, without whitespace, '_', '-' and '·'.
    /// <c>Fuel_Theft</c>, <c>fuel theft</c>, <c>ｆｕｅｌ－ｔｈｅｆｔ</c> and <c>FuelTheft</c> share the key <c>fueltheft</c>.
    /// </summary>
    public static string Key(ReadOnlySpan<char> text)
    {
        var folded = text.ToString().Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c) || c is '_' or '-' or '·' or '\u200B' or '\uFEFF') continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>A label as written: NFKC (full-width folded), trimmed, inner whitespace runs as one space.</summary>
    public static string AsWritten(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).Trim();
        var sb = new StringBuilder(folded.Length);
        var space = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    // A span already in key form (ASCII lower-case letters and digits, or CJK ideographs) needs no normalisation: the fast
    // path for millions of rows of the same few codes.
    private static bool IsPlainKey(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is >= '\u4E00' and <= '\u9FFF')) return false;
        return true;
    }
}
