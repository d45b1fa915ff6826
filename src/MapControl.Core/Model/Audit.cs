namespace MapControl.Core.Model;

/// <summary>One entry of the audit log: who changed what, with the states before and after as JSON.</summary>
public sealed record AuditEntry(long Id, string Actor, DateTimeOffset At, string Action, string Entity, string EntityKey,
    string? BeforeJson, string? AfterJson);

/// <summary>Roles of the one map (DESIGN §2) plus administration.</summary>
public enum Role { Commander, Analyst, Planner, Admin, Integration }

/// <summary>A user of the platform; a null department means the user belongs to the centre.</summary>
public sealed record User(string UserName, string DisplayName, Role Role, string? DepartmentCode);
