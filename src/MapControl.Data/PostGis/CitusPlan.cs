namespace MapControl.Data.PostGis;

/// <summary>
/// How MapControl's tables are meant to be laid out on Citus (distributed PostgreSQL) when one machine is no longer enough
/// (docs/SCALE.md). The one place the intended distribution is written: a schema test (CitusPlanTests) reads it and checks a
/// migrated database against the rules Citus imposes, so a migration cannot quietly close the road.
/// </summary>
public static class CitusPlan
{
    /// <summary>Hash-distributed tables and their distribution column (the tables that grow with time and fleet size).</summary>
    public static IReadOnlyDictionary<string, string> Distributed { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // 43 million fixes a day for 500 units at 1 Hz; a unit's fixes and its daily tracks live on one shard (co-located).
        ["gps_point"] = "unit_code",
        ["gps_daily_track"] = "unit_code",
        // Thousands a year, but joined with fixes per window; distributed by code, its key's leading column.
        ["incident"] = "code",
    };

    /// <summary>Reference tables: small, read by every query, replicated to every node.</summary>
    public static IReadOnlySet<string> Reference { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "department", "oil_zone", "jurisdiction", "patrol_zone", "well", "camera", "idle_site", "patrol_unit", "patrol_route",
        "basemap_feature", "app_user", "audit_log", "data_change", "data_change_day", "gps_reduced_day", "schema_migrations",
        // Tokens, the kind vocabulary, stored reports, alerts and their thresholds and camera events: small or slow-growing.
        "api_token", "incident_kind", "monthly_report", "alert", "alert_threshold", "video_event",
        // The road network (pgRouting reads it whole) and the device command queues.
        "road_segment", "road_vertex", "device_command",
        // Well and idle-site kind vocabularies (migration 0012): a few rows.
        "field_label",
    };

    /// <summary>Tables that are not MapControl's own (extensions') and are left where they are.</summary>
    public static IReadOnlySet<string> External { get; } = new HashSet<string>(StringComparer.Ordinal) { "spatial_ref_sys" };
}
