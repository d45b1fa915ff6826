namespace MapControl.Data.Files;

/// <summary>
/// Column names of exported tables in Chinese (the <c>--headers zh</c> / <c>?headers=zh</c> option). Names of fields that
/// ledgers carry are names <see cref="TabularColumns"/> recognises, so an exported sheet reads back through the tabular reader.
/// A field without a Chinese name keeps its own.
/// </summary>
public static class TableHeaders
{
    private static readonly Dictionary<string, string> s_zh = new(StringComparer.Ordinal)
    {
        ["id"] = "标识", ["code"] = "编号", ["name"] = "名称", ["kind"] = "类型", ["status"] = "状态", ["is_key"] = "重点井",
        ["oil_zone_code"] = "油区", ["department_code"] = "部门", ["department_name"] = "部门名称", ["colour"] = "颜色",
        ["valid_from"] = "生效时间", ["edited_by"] = "编辑人", ["reason"] = "原因",
        ["occurred_at"] = "发案时间", ["discovered_at"] = "发现时间", ["discovered_by"] = "发现方式", ["oil_recovered_t"] = "追回油量（吨）",
        ["heading_deg"] = "朝向（度）", ["fov_deg"] = "视场角（度）", ["range_m"] = "监控距离（米）", ["well_code"] = "监控井号",
        ["encroached_on"] = "侵占日期", ["reclaimed_on"] = "收回日期",
        ["unit_code"] = "巡逻单元", ["day"] = "巡逻日期", ["segment"] = "段号", ["started_at"] = "开始时间", ["ended_at"] = "结束时间", ["points"] = "定位点数",
        ["rank"] = "排名", ["area_m2"] = "面积（平方米）", ["width_m"] = "宽度（米）", ["departments"] = "相关部门", ["department_names"] = "相关部门名称",
        ["wells"] = "油井数", ["key_wells"] = "重点井数", ["incidents_12m"] = "近12个月案件数", ["risk"] = "风险分",
        ["lon"] = "经度", ["lat"] = "纬度", ["wkt"] = "几何（WKT）",
    };

    // Where a layer's own word is clearer (and still a name the tabular reader knows).
    private static readonly Dictionary<(string Layer, string Field), string> s_zhByLayer = new()
    {
        [("incidents", "code")] = "案件编号", [("incidents", "kind")] = "案件类型", [("incidents", "status")] = "案件状态",
        [("wells", "code")] = "井号", [("wells", "kind")] = "井别", [("wells", "status")] = "井况",
    };

    /// <summary>The header of <paramref name="field"/> of <paramref name="layer"/>: its Chinese name with <paramref name="chinese"/>, else the field name.</summary>
    public static string Of(string layer, string field, bool chinese) =>
        !chinese ? field : s_zhByLayer.GetValueOrDefault((layer, field)) ?? s_zh.GetValueOrDefault(field) ?? field;
}
