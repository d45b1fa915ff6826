namespace MapControl.Core.Model;

/// <summary>
/// What a user may edit — the one rule every write path checks (planner UI, planning API, <c>/api/import</c>; the CLI acts as the
/// database operator): planners and admins of the centre edit every department; of a department, only their own department's
/// jurisdiction and patrol zones. Centre-wide layers (oil zones, wells, idle sites, incidents, routes) are edited by planners and
/// admins of the centre only.
/// </summary>
public static class EditRights
{
    /// <summary>True when the user may edit the jurisdiction and patrol zones of the department.</summary>
    public static bool CanEdit(User? user, string departmentCode) =>
        user is { Role: Role.Planner or Role.Admin }
        && (user.DepartmentCode is null || string.Equals(user.DepartmentCode, departmentCode, StringComparison.Ordinal));

    /// <summary>True when the user may edit anything at all.</summary>
    public static bool CanEditAny(User? user) => user is { Role: Role.Planner or Role.Admin };

    /// <summary>True when the user may edit layers that belong to the whole centre rather than to one department.</summary>
    public static bool CanEditCentre(User? user) => user is { Role: Role.Planner or Role.Admin, DepartmentCode: null };

    /// <summary>Why <paramref name="user"/> may not edit <paramref name="departmentCode"/> (null for the centre), for a 403 message.</summary>
    public static string Refusal(User? user, string? departmentCode) =>
        user is null ? "Not signed in."
            : $"{user.UserName} ({DomainNames.ToName(user.Role)}{(user.DepartmentCode is { } d ? ", " + d : "")}) may not edit "
              + (departmentCode is null ? "centre-wide layers." : $"department {departmentCode}.");
}
