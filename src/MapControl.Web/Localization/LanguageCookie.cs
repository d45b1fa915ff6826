namespace MapControl.Web.Localization;

/// <summary>The cookie that remembers the language chosen in the top bar.</summary>
public static class LanguageCookie
{
    /// <summary>Cookie name.</summary>
    public const string Name = "mc-lang";
}
