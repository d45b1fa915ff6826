using MapControl.Web.Localization;

namespace MapControl.Web.Components.Shell;

/// <summary>The three views of the left rail.</summary>
public enum OneMapView { Commander, Analyst, Planner }

/// <summary>Time-range presets of the top bar.</summary>
public enum RangePreset { Month, Quarter, Season, Year }

/// <summary>What the top bar and rail selected, per circuit: language, department, time window, view; raises Changed.</summary>
public sealed class OneMapState
{
    /// <summary>The UI language (zh-CN or en).</summary>
    public string Language { get; private set; } = Texts.Chinese;

    /// <summary>The texts of the language.</summary>
    public Texts Texts => Texts.For(Language);

    /// <summary>Selected department; null for the whole centre.</summary>
    public string? DepartmentCode { get; private set; }

    /// <summary>The window preset.</summary>
    public RangePreset Preset { get; private set; } = RangePreset.Quarter;

    /// <summary>The last day (inclusive) of the window, in China time.</summary>
    public DateOnly EndDate { get; private set; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>True when the window is shifted to the same period one year earlier.</summary>
    public bool LastYear { get; private set; }

    /// <summary>The shown view.</summary>
    public OneMapView View { get; private set; } = OneMapView.Commander;

    /// <summary>Raised after any change.</summary>
    public event Action? Changed;

    /// <summary>Start of the window (inclusive) in China time (UTC+8).</summary>
    public DateTimeOffset From => Window().From;

    /// <summary>End of the window (exclusive) in China time (UTC+8).</summary>
    public DateTimeOffset To => Window().To;

    /// <summary>The window [From, To) for a preset ending on an inclusive end date, shifted a year back when asked.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) WindowOf(RangePreset preset, DateOnly endInclusive, bool lastYear)
    {
        var end = endInclusive.AddDays(1);
        var start = preset switch
        {
            RangePreset.Month => end.AddMonths(-1),
            RangePreset.Quarter or RangePreset.Season => end.AddMonths(-3),
            _ => end.AddYears(-1),
        };
        if (preset == RangePreset.Season)
        {
            // The meteorological season (MAM, JJA, SON, DJF) containing the end date.
            var m = endInclusive.Month;
            var first = m is 12 ? 12 : m < 3 ? 12 : m - (m % 3);
            var year = m < 3 ? endInclusive.Year - 1 : endInclusive.Year;
            start = new DateOnly(year, first, 1);
            end = start.AddMonths(3);
        }
        if (lastYear) { start = start.AddYears(-1); end = end.AddYears(-1); }
        var offset = TimeSpan.FromHours(8);
        return (new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), offset), new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), offset));
    }

    private (DateTimeOffset From, DateTimeOffset To) Window() => WindowOf(Preset, EndDate, LastYear);

    /// <summary>Sets the language.</summary>
    public void SetLanguage(string language) { Language = Texts.Normalise(language); Changed?.Invoke(); }

    /// <summary>Sets the department (null: centre).</summary>
    public void SetDepartment(string? code) { DepartmentCode = string.IsNullOrEmpty(code) ? null : code; Changed?.Invoke(); }

    /// <summary>Sets the time window.</summary>
    public void SetRange(RangePreset preset, DateOnly endDate, bool lastYear)
    {
        Preset = preset; EndDate = endDate; LastYear = lastYear; Changed?.Invoke();
    }

    /// <summary>Switches the view.</summary>
    public void SetView(OneMapView view)
    {
        // Unsaved planner edits: ask first (the planner panel shows the question while PendingView is set).
        if (view != View && HasUnsavedEdits) { PendingView = view; Changed?.Invoke(); return; }
        PendingView = null; View = view; Changed?.Invoke();
    }

    /// <summary>True while the planner has edits not saved; leaving the view then asks first.</summary>
    public bool HasUnsavedEdits { get; set; }

    /// <summary>The view asked for while there were unsaved edits, until the planner discards them or stays.</summary>
    public OneMapView? PendingView { get; private set; }

    /// <summary>Leaves for the pending view, discarding unsaved edits.</summary>
    public void DiscardAndLeave()
    {
        HasUnsavedEdits = false;
        if (PendingView is { } v) { PendingView = null; View = v; }
        Changed?.Invoke();
    }

    /// <summary>Stays in the current view.</summary>
    public void Stay() { PendingView = null; Changed?.Invoke(); }

    /// <summary>The view a role lands on: analysts on Analysis, planners on Planning, everyone else (commander, admin) on Command.</summary>
    public static OneMapView LandingView(MapControl.Core.Model.Role? role) => role switch
    {
        MapControl.Core.Model.Role.Analyst => OneMapView.Analyst,
        MapControl.Core.Model.Role.Planner => OneMapView.Planner,
        _ => OneMapView.Commander,
    };

    private bool _landed;

    /// <summary>Puts the circuit on the role's landing view once (later calls do nothing), without raising Changed.</summary>
    public void Land(MapControl.Core.Model.Role? role)
    {
        if (_landed) return;
        _landed = true;
        View = LandingView(role);
    }

    /// <summary>Initialises without raising Changed.</summary>
    public void Initialise(string language, DateOnly endDate)
    {
        Language = Texts.Normalise(language);
        EndDate = endDate;
    }
}
