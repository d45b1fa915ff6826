using MapControl.Core.Labels;

namespace MapControl.Data.Files;

/// <summary>
/// Header recognition of tabular files (docs/DEFINITIONS.md, "Ledgers as people keep them"): the English and Chinese column
/// names each field goes by. A header cell matches when its <see cref="Vocabulary.Key"/> (case, full-width forms, spaces,
/// '_' and '-' ignored), with a trailing unit in brackets removed (<c>追回油量（吨）</c>), equals one of the field's names;
/// the first name in the list that the header has wins. <c>--map field=column</c> overrides.
/// </summary>
public static class TabularColumns
{
    /// <summary>The names a field goes by, best first; the key is the field's own name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Aliases { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["code"] = ["code", "id", "案件编号", "编号", "案件号", "案号", "案件代码", "井号", "编码", "case_id", "case_no", "case_code", "incident_id", "fid", "警情编号", "警情号"],
        ["lon"] = ["lon", "lng", "long", "longitude", "经度", "经度坐标", "东经"],
        ["lat"] = ["lat", "latitude", "纬度", "纬度坐标", "北纬"],
        ["x"] = ["x", "x坐标", "easting", "east", "东坐标", "横坐标"],
        ["y"] = ["y", "y坐标", "northing", "north", "北坐标", "纵坐标"],
        ["occurred_at"] = ["occurred_at", "发案时间", "案发时间", "发生时间", "发案日期", "案发日期", "发生日期", "时间", "日期", "occurred", "occurred_on",
            "incident_time", "incident_date", "datetime", "date", "time"],
        ["discovered_at"] = ["discovered_at", "发现时间", "发现日期", "报案时间", "接报时间", "报警时间", "接警时间", "discovered", "found_at", "reported_at", "report_time"],
        ["kind"] = ["kind", "type", "案件类型", "类型", "案由", "案件类别", "案件性质", "类别", "警情类别", "警情类型", "警情性质", "incident_type", "category", "case_type", "井别", "井型"],
        ["discovered_by"] = ["discovered_by", "发现方式", "发现途径", "发现渠道", "发现单位类型", "source", "found_by"],
        ["oil_recovered_t"] = ["oil_recovered_t", "追回油量", "追回原油", "追缴油量", "挽回油量", "缴获油量", "追回油量吨", "oil_recovered", "recovered_t", "recovered_oil_t"],
        ["status"] = ["status", "案件状态", "状态", "办理状态", "结案情况", "井况", "state"],
        ["unit"] = ["unit", "unit_code", "unit_id", "device", "vehicle", "巡逻单元", "巡逻车", "车辆", "车牌号", "终端", "设备", "设备编号"],
        ["time"] = ["time", "recorded_at", "timestamp", "fix_time", "occurred_at", "定位时间", "时间", "记录时间", "gps_time"],
        ["department"] = ["department", "department_code", "单位", "所属单位", "部门", "管理区", "责任单位"],
        ["name"] = ["name", "名称", "场地名称", "井名"],
        ["is_key"] = ["is_key", "重点井", "是否重点井", "key_well"],
        ["oil_zone_code"] = ["oil_zone_code", "油区", "油区编号", "区块", "oil_zone"],
    };

    /// <summary>The matching key of a header cell: <see cref="Vocabulary.Key"/> without a trailing bracketed unit.</summary>
    public static string Key(string header)
    {
        var text = header.Trim();
        foreach (var (open, close) in new[] { ('(', ')'), ('（', '）'), ('[', ']'), ('【', '】') })
        {
            if (text.Length > 2 && text[^1] == close && text.LastIndexOf(open) is > 0 and var at)
            {
                text = text[..at];
                break;
            }
        }
        return Vocabulary.Key(text);
    }

    /// <summary>
    /// The column of <paramref name="field"/> in <paramref name="header"/>: the <paramref name="map"/> entry for the field
    /// (a header name, compared by <see cref="Key"/>), else the first alias the header has; -1 when none.
    /// </summary>
    /// <exception cref="FormatException">The map names a column the header lacks.</exception>
    public static int Find(IReadOnlyList<string> header, string field, IReadOnlyDictionary<string, string>? map = null)
    {
        var keys = header.Select(Key).ToArray();
        if (map is not null && map.TryGetValue(field, out var mapped))
        {
            var key = Key(mapped);
            var at = Array.IndexOf(keys, key);
            return at >= 0 ? at : throw new FormatException($"--map {field}={mapped}: the header has no column \"{mapped}\" (columns: {string.Join(", ", header)})");
        }
        var names = Aliases.TryGetValue(field, out var aliases) ? aliases : [field];
        foreach (var name in names)
        {
            var at = Array.IndexOf(keys, Key(name));
            if (at >= 0 && !IsMappedElsewhere(header[at], field, map)) return at;
        }
        return -1;
    }

    /// <summary>The value of <paramref name="field"/> among a feature's properties, by the same rule; null when none.</summary>
    public static object? Value(IReadOnlyDictionary<string, object?> properties, string field, IReadOnlyDictionary<string, string>? map = null)
    {
        var names = properties.Keys.ToArray();
        var at = Find(names, field, map);
        return at < 0 ? null : properties[names[at]];
    }

    /// <summary>Parses <c>field=column</c> pairs (the <c>--map</c> option); <see cref="FormatException"/> for a malformed one.</summary>
    public static IReadOnlyDictionary<string, string> ParseMap(IEnumerable<string> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) throw new FormatException($"--map '{pair}' is not field=column");
            map[parts[0]] = parts[1];
        }
        return map;
    }

    // A column that --map gives to another field is not taken by alias for this one.
    private static bool IsMappedElsewhere(string column, string field, IReadOnlyDictionary<string, string>? map) =>
        map is not null && map.Any(kv => kv.Key != field && Key(kv.Value) == Key(column));
}
