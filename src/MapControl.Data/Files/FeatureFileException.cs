namespace MapControl.Data.Files;

/// <summary>A file could not be read or written; the message is one line naming the file and what is wrong.</summary>
public sealed class FeatureFileException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public FeatureFileException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and the error behind it.</summary>
    public FeatureFileException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>True when the file (or upload) exceeds one of the <see cref="ImportLimits"/>, rather than being malformed.</summary>
    public bool LimitExceeded { get; private init; }

    /// <summary>"file.ext: what" — the message shape every reader and writer uses.</summary>
    internal static FeatureFileException For(string path, string what, Exception? inner = null)
    {
        var message = $"{Path.GetFileName(path)}: {OneLine(what)}";
        return inner is null ? new FeatureFileException(message) : new FeatureFileException(message, inner);
    }

    /// <summary>"file.ext: what" for a file beyond one of the <see cref="ImportLimits"/>.</summary>
    internal static FeatureFileException Limit(string path, string what) => LimitMessage($"{Path.GetFileName(path)}: {OneLine(what)}");

    /// <summary>A whole one-line message for a file (or upload) beyond one of the <see cref="ImportLimits"/>.</summary>
    internal static FeatureFileException LimitMessage(string message) => new(OneLine(message)) { LimitExceeded = true };

    /// <summary>The first line of a message, trimmed.</summary>
    public static string OneLineOf(string text) => OneLine(text);

    internal static string OneLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return (end < 0 ? text : text[..end]).Trim();
    }
}
