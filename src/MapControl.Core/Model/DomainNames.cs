using System.Text;

namespace MapControl.Core.Model;

/// <summary>The snake_case names under which enum values are stored and exchanged (e.g. WaterInjection ⇄ "water_injection").</summary>
public static class DomainNames
{
    /// <summary>The stored name of an enum value.</summary>
    public static string ToName<TEnum>(TEnum value) where TEnum : struct, Enum => ToSnake(value.ToString());

    /// <summary>Parses a stored name (case-insensitive, snake_case or PascalCase).</summary>
    /// <exception cref="FormatException">The name is not a value of <typeparamref name="TEnum"/>.</exception>
    public static TEnum Parse<TEnum>(string name) where TEnum : struct, Enum =>
        TryParse<TEnum>(name, out var value)
            ? value
            : throw new FormatException($"'{name}' is not a {typeof(TEnum).Name}; expected one of: {string.Join(", ", Names<TEnum>())}.");

    /// <summary>Tries to parse a stored name.</summary>
    public static bool TryParse<TEnum>(string? name, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        return !string.IsNullOrWhiteSpace(name)
            && Enum.TryParse(name.Replace("_", "").Replace("-", ""), ignoreCase: true, out value)
            && Enum.IsDefined(value);
    }

    /// <summary>All stored names of <typeparamref name="TEnum"/>.</summary>
    public static IReadOnlyList<string> Names<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(ToName).ToArray();

    private static string ToSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
