using System.Collections.Frozen;

namespace MapControl.Web.Localization;

/// <summary>The UI strings in zh-CN and en: a small resource dictionary; names from the data are shown as they are.</summary>
public sealed class Texts
{
    /// <summary>Simplified Chinese.</summary>
    public const string Chinese = "zh-CN";

    /// <summary>English.</summary>
    public const string English = "en";

    /// <summary>The languages offered.</summary>
    public static IReadOnlyList<string> Languages { get; } = [Chinese, English];

    private static readonly FrozenDictionary<string, (string Zh, string En)> Entries = new Dictionary<string, (string, string)>
    {
        ["app.title"] = ("油区管控“一张图”", "Oilfield security one map"),
        ["signin.title"] = ("登录", "Sign in"),
        ["signin.user"] = ("用户名", "User name"),
        ["signin.password"] = ("密码", "Password"),
        ["signin.submit"] = ("登录", "Sign in"),
        ["signin.invalid"] = ("用户名或密码错误", "Wrong user name or password"),
        ["signout"] = ("退出", "Sign out"),
        ["centre"] = ("中心（全部护卫部）", "Centre (all departments)"),
        ["centre.short"] = ("中心", "Centre"),
        ["view.commander"] = ("指挥", "Command"),
        ["view.analyst"] = ("分析", "Analysis"),
        ["view.planner"] = ("规划", "Planning"),
        ["range.month"] = ("月", "Month"),
        ["range.quarter"] = ("季度", "Quarter"),
        ["range.season"] = ("季节", "Season"),
        ["range.year"] = ("年", "Year"),
        ["range.lastyear"] = ("去年同期", "Same period last year"),
        ["range.end"] = ("截止", "Ending"),
        ["role.commander"] = ("指挥员", "commander"),
        ["role.analyst"] = ("分析员", "analyst"),
        ["role.planner"] = ("规划员", "planner"),
        ["role.admin"] = ("管理员", "admin"),
        ["layer.basemap"] = ("底图", "Basemap"),
        ["layer.oilzones"] = ("油区", "Oil zones"),
        ["layer.jurisdictions"] = ("辖区", "Jurisdictions"),
        ["layer.patrolzones"] = ("巡区", "Patrol zones"),
        ["layer.wells"] = ("油井", "Wells"),
        ["layer.keywells"] = ("重点井", "Key wells"),
        ["layer.cameras"] = ("监控点", "Cameras"),
        ["layer.idlesites"] = ("闲置场地", "Idle sites"),
        ["layer.incidents"] = ("案件", "Incidents"),
        ["layer.tracks"] = ("巡逻轨迹", "Patrol tracks"),
        ["layer.coverage"] = ("巡逻覆盖", "Patrol coverage"),
        ["layer.gaps"] = ("空白区", "Gaps"),
        ["layer.overlaps"] = ("交叉区", "Overlaps"),
        ["layer.blankstrips"] = ("空白带", "Blank strips"),
        ["layer.heat"] = ("核密度热力图", "Kernel density"),
        ["layer.hotspots"] = ("热点 (Gi*)", "Hot spots (Gi*)"),
        ["layer.yoy"] = ("同比变化", "Year-over-year change"),
        ["layer.recency"] = ("巡逻时效", "Patrol recency"),
        ["attributes"] = ("属性", "Attributes"),
        ["close"] = ("关闭", "Close"),
        ["legend.hot"] = ("热点 (显著)", "Hot (significant)"),
        ["legend.cold"] = ("冷点 (显著)", "Cold (significant)"),
        ["legend.notsig"] = ("不显著", "Not significant"),
        ["legend.up"] = ("上升", "Increase"),
        ["legend.down"] = ("下降", "Decrease"),
        ["analyst.kind"] = ("案件类型", "Incident kind"),
        ["analyst.allkinds"] = ("全部类型", "All kinds"),
        ["analyst.cell"] = ("六边形大小 (米)", "Hexagon size (m)"),
        ["analyst.run"] = ("分析", "Analyse"),
        ["analyst.hotcells"] = ("显著热点", "Significant hot cells"),
        ["analyst.exportpng"] = ("导出地图 PNG", "Export map PNG"),
        ["analyst.exportcsv"] = ("导出 CSV", "Export CSV"),
        ["report.monthly"] = ("月报（PDF）", "Monthly report (PDF)"),
        ["report.stored"] = ("已存月报", "Stored monthly reports"),
        ["report.regenerate"] = ("重新生成", "Re-generate"),
        ["report.none"] = ("暂无已存月报（每月1日自动生成）", "No stored reports yet (made on the 1st of each month)"),
        ["kpi.title"] = ("关键指标", "Key figures"),
        ["kpi.cases"] = ("发案数", "Cases"),
        ["kpi.yoy"] = ("同比", "YoY"),
        ["kpi.timely"] = ("及时发现率", "Timely discovery"),
        ["kpi.perpatrolhour"] = ("每巡逻小时发案", "Cases per patrol hour"),
        ["kpi.oil"] = ("追回原油 (吨)", "Oil recovered (t)"),
        ["kpi.keywatched"] = ("重点井监控", "Key wells watched"),
        ["kpi.department"] = ("护卫部", "Department"),
        ["kpi.timely.short"] = ("及时发现", "Timely"),
        ["kpi.perpatrolhour.short"] = ("每巡逻小时", "Per patrol h"),
        ["kpi.oil.short"] = ("追回油 (吨)", "Oil (t)"),
        ["kpi.keywatched.short"] = ("重点井监控", "Key wells"),
        ["kpi.monthly"] = ("月度发案", "Cases per month"),
        ["commander.gaps"] = ("空白区（按风险排序）", "Gaps ranked by risk"),
        ["alerts.title"] = ("实时警情", "Live alerts"),
        ["alerts.none"] = ("当前没有警情", "No open alerts"),
        ["alerts.unavailable"] = ("警情列表暂时无法读取，请稍后刷新", "The alert list could not be read; refresh in a moment"),
        ["alerts.mute"] = ("静音", "Mute"),
        ["alerts.ack"] = ("确认", "Acknowledge"),
        ["alerts.dispatch"] = ("派警", "Dispatch"),
        ["alerts.close"] = ("结案", "Close"),
        ["alerts.candidates"] = ("可派单元（距离 · 预计到达）", "Units (distance · ETA)"),
        ["alerts.note"] = ("处置说明", "Note"),
        ["alerts.outcome.false_alarm"] = ("误报", "False alarm"),
        ["alerts.outcome.incident"] = ("立案", "Incident"),
        ["alerts.outcome.handed_to_police"] = ("移交公安", "Handed to police"),
        ["alerts.outcome.other"] = ("其他", "Other"),
        ["alerts.status.open"] = ("待处置", "open"),
        ["alerts.status.acknowledged"] = ("已确认", "acknowledged"),
        ["alerts.status.dispatched"] = ("已派警", "dispatched"),
        ["alerts.status.closed"] = ("已结案", "closed"),
        ["alerts.onscene"] = ("到场", "on scene"),
        ["alerts.shiftlog"] = ("本班次处置记录", "This shift's log"),
        ["alerts.byroad"] = ("沿路", "by road"),
        ["alerts.straight"] = ("直线", "straight line"),
        ["alerts.nounits"] = ("没有可派单元（30分钟内无定位）", "No unit available (no fix in 30 min)"),
        ["live.units"] = ("巡逻单元（实时）", "Patrol units (live)"),
        ["live.trails"] = ("30分钟轨迹", "30-minute trails"),
        ["live.fresh"] = ("实时", "live"),
        ["live.stale"] = ("超过5分钟", "over 5 min"),
        ["live.lost"] = ("超过30分钟", "over 30 min"),
        ["commander.between"] = ("相邻", "between"),
        ["commander.risk"] = ("风险", "risk"),
        ["commander.area"] = ("面积", "area"),
        ["commander.nogaps"] = ("没有空白区", "No gaps"),
        ["commander.slivers"] = ("个小于 {0} m² 的碎片空白区（无井、无案件），共 {1} m²", " slivers under {0} m² without wells or incidents, {1} m² in all"),
        ["commander.show"] = ("显示", "show"),
        ["commander.hide"] = ("隐藏", "hide"),
        ["commander.unpatrolled24"] = ("24小时未巡重点井", "Key wells not patrolled in 24 h"),
        ["commander.unpatrolled7"] = ("7天未巡重点井", "Key wells not patrolled in 7 days"),
        ["commander.novideo"] = ("无视频重点井", "Key wells without video"),
        ["commander.blankstrips"] = ("空白带", "Blank strips"),
        ["commander.recency"] = ("巡逻时效（六边形）", "Patrol recency by hex cell"),
        ["planner.target"] = ("编辑对象", "Edit"),
        ["planner.jurisdiction"] = ("辖区", "Jurisdiction"),
        ["planner.patrolzone"] = ("巡区", "Patrol zone"),
        ["planner.department"] = ("护卫部", "Department"),
        ["planner.start"] = ("开始编辑", "Start editing"),
        ["planner.impact"] = ("计算影响", "Compute impact"),
        ["planner.reason"] = ("修改原因", "Reason"),
        ["planner.save"] = ("保存为新版本", "Save as new version"),
        ["planner.cancel"] = ("取消", "Cancel"),
        ["planner.history"] = ("版本历史", "Version history"),
        ["planner.view"] = ("查看", "View"),
        ["planner.rollback"] = ("回滚到此版本", "Roll back to this"),
        ["planner.saved"] = ("已保存新版本", "Saved as a new version"),
        ["planner.conflict"] = ("保存被拒绝：他人已在您之后保存了新版本。您的修改未丢失，请重新加载后合并。", "Refused: someone saved a newer version since you started. Your edit is kept; reload and merge."),
        ["planner.forbidden"] = ("您的角色无权编辑该护卫部", "Your role may not edit this department"),
        ["planner.gapscreated"] = ("新增空白区", "Gaps created"),
        ["planner.gapsclosed"] = ("消除空白区", "Gaps closed"),
        ["planner.overlapscreated"] = ("新增交叉区", "Overlaps created"),
        ["planner.overlapsclosed"] = ("消除交叉区", "Overlaps closed"),
        ["planner.workload"] = ("工作量平衡", "Workload balance"),
        ["planner.compactness"] = ("紧凑度", "Compactness"),
        ["planner.current"] = ("当前", "current"),
        ["planner.needreason"] = ("请填写修改原因", "Give a reason"),
        ["planner.readonly"] = ("只读：您的角色不能编辑", "Read only: your role cannot edit"),
        ["planner.netgap"] = ("空白区总面积", "Total gap area"),
        ["planner.netoverlap"] = ("交叉区总面积", "Total overlap area"),
        ["planner.changes"] = ("逐块变化", "Each gap and overlap"),
        ["planner.nochange"] = ("无变化：空白区与交叉区均未改变", "No change: gaps and overlaps are as before"),
        ["planner.created"] = ("新增", "created"),
        ["planner.closed"] = ("消除", "closed"),
        ["planner.grown"] = ("扩大", "grown"),
        ["planner.shrunk"] = ("缩小", "shrunk"),
        ["planner.gap"] = ("空白区", "Gap"),
        ["planner.overlap"] = ("交叉区", "Overlap"),
        ["planner.updating"] = ("正在重新计算影响…", "Updating the impact…"),
        ["planner.stale"] = ("影响已过期：等待重新计算后才能保存", "The impact is out of date: save waits for it"),
        ["planner.undo"] = ("撤销", "Undo"),
        ["planner.redo"] = ("重做", "Redo"),
        ["planner.avoid"] = ("避免交叉（按邻区裁剪）", "Avoid overlaps (clip by neighbours)"),
        ["planner.topo"] = ("拓扑编辑（共享节点两侧同时移动）", "Topological editing (shared vertices move both sides)"),
        ["planner.moved"] = ("共享节点已同时移动：", "Shared vertex moved on both sides: "),
        ["planner.refused"] = ("该节点与无权编辑的邻区共享，已还原：", "Vertex shared with a neighbour you may not edit; it was put back: "),
        ["planner.wellrule"] = ("交叉区内的井计入每个覆盖它的护卫部（工作量）", "A well in an overlap counts for every department covering it (workload)"),
        ["planner.unsaved"] = ("有未保存的修改。离开将丢弃这些修改。", "You have unsaved edits. Leaving discards them."),
        ["planner.discard"] = ("丢弃并离开", "Discard and leave"),
        ["planner.stay"] = ("留下继续编辑", "Stay"),
        ["planner.reapply"] = ("重新加载并重新应用我的修改", "Reload and re-apply my change"),
        ["planner.reapplied.skipped"] = ("已在相邻单元的最新版本上重新应用 {0} 处共享顶点移动；{1} 处的顶点已被他人改动或删除，未再应用。", "Re-applied {0} shared-vertex move(s) onto the neighbours' latest versions; {1} whose vertex another planner changed or removed were not re-applied."),
        ["planner.confirmrollback"] = ("确认回滚", "Confirm roll back"),
        ["planner.rollbackdiff"] = ("回滚将改变面积", "Rolling back changes the area"),
        ["planner.rollbackchanged"] = ("形状改变（青色线为差异）", "shape changed (cyan line: the difference)"),
        ["planner.clipped"] = ("已按邻区裁剪（青色轮廓为将保存的形状）", "Clipped by the neighbours (cyan outline: what will be saved)"),
        ["planner.neighbours"] = ("同时保存邻区：", "Neighbours saved too: "),
        ["col.area"] = ("面积 km²", "Area km²"),
        ["col.wells"] = ("井数", "Wells"),
        ["col.keywells"] = ("重点井", "Key wells"),
        ["col.incidents"] = ("案件(12月)", "Incidents (12 mo)"),
        ["col.patrol"] = ("巡逻线 km", "Patrol km"),
        ["col.before"] = ("之前", "before"),
        ["col.after"] = ("之后", "after"),
        ["loading"] = ("计算中…", "Working…"),
        ["cancel"] = ("取消", "Cancel"),
        ["none"] = ("无", "none"),
        // ---- one-map views, legend, attribute drawer (issue 12, items 4–6) ----
        ["col.incidents.window"] = ("时段内案件", "Incidents in window"),
        ["legend.idle"] = ("闲置", "idle"),
        ["legend.encroached"] = ("被侵占", "encroached"),
        ["legend.reclaimed"] = ("已收回", "reclaimed"),
        ["legend.keywell.video"] = ("重点井（有视频）", "key well (video)"),
        ["legend.keywell.novideo"] = ("重点井（无视频）", "key well (no video)"),
        ["legend.patrolled7"] = ("7天内已巡", "patrolled (7 days)"),
        ["legend.notpatrolled"] = ("未巡", "not patrolled"),
        ["legend.not7d"] = ("7天内未巡", "not in 7 days"),
        ["legend.hot99"] = ("热点 99% 置信", "Hot spot, 99% confidence"),
        ["legend.hot95"] = ("热点 95% 置信", "Hot spot, 95% confidence"),
        ["legend.hot90"] = ("热点 90% 置信", "Hot spot, 90% confidence"),
        ["legend.low"] = ("低", "low"),
        ["legend.high"] = ("高", "high"),
        ["layer.incidents.clustered"] = ("案件（聚合）", "Incidents (clustered)"),
        ["map.legend"] = ("图例", "Legend"),
        ["map.measure"] = ("测量距离/面积（单击加点，双击结束）", "Measure distance/area (click to add points, double-click to end)"),
        ["map.measurehint"] = ("单击地图加点", "click the map"),
        ["menu"] = ("视图", "Views"),
        ["list.search"] = ("按井号搜索", "Search well code"),
        ["list.sort.visit"] = ("按最后巡查", "By last visit"),
        ["list.sort.code"] = ("按井号", "By code"),
        ["list.sort.department"] = ("按护卫部", "By department"),
        ["list.count"] = ("{0} / {1} 口", "{0} of {1}"),
        ["list.never"] = ("从未", "never"),
        ["list.watched"] = ("有视频", "video"),
        ["chart.total"] = ("合计", "All"),
        ["chart.lastyear"] = ("去年同期", "Last year"),
        ["chart.cases"] = ("{0}：{1} 起", "{0}: {1} cases"),
        ["export.window"] = ("时段", "Window"),
        ["attr.code"] = ("编号", "Code"),
        ["attr.name"] = ("名称", "Name"),
        ["attr.kind"] = ("类型", "Kind"),
        ["attr.status"] = ("状态", "Status"),
        ["attr.occurred_at"] = ("发案时间", "Occurred"),
        ["attr.discovered_at"] = ("发现时间", "Discovered"),
        ["attr.discovered_by"] = ("发现方式", "Discovered by"),
        ["attr.oil_recovered_t"] = ("追回原油 (吨)", "Oil recovered (t)"),
        ["attr.department_code"] = ("护卫部代码", "Department code"),
        ["attr.department_name"] = ("护卫部", "Department"),
        ["attr.department_names"] = ("相邻护卫部", "Departments"),
        ["attr.departments"] = ("护卫部", "Departments"),
        ["attr.oil_zone_code"] = ("油区", "Oil zone"),
        ["attr.valid_from"] = ("生效时间", "Valid from"),
        ["attr.valid_to"] = ("失效时间", "Valid to"),
        ["attr.edited_by"] = ("编辑人", "Edited by"),
        ["attr.reason"] = ("修改原因", "Reason"),
        ["attr.id"] = ("版本号", "Version"),
        ["attr.rank"] = ("风险排名", "Risk rank"),
        ["attr.area_m2"] = ("面积 (m²)", "Area (m²)"),
        ["attr.width_m"] = ("宽度 (m)", "Width (m)"),
        ["attr.wells"] = ("井数", "Wells"),
        ["attr.key_wells"] = ("重点井", "Key wells"),
        ["attr.incidents_12m"] = ("案件(12月)", "Incidents (12 months)"),
        ["attr.incidents_window"] = ("案件(所选时段)", "Incidents (chosen window)"),
        ["attr.window_from"] = ("时段起", "Window from"),
        ["attr.window_to"] = ("时段止", "Window to"),
        ["attr.risk"] = ("风险", "Risk"),
        ["attr.is_key"] = ("重点井", "Key well"),
        ["attr.watched"] = ("有视频监控", "Watched by video"),
        ["attr.count"] = ("案件数", "Incidents"),
        ["attr.kinds"] = ("案件类型", "Kinds"),
        ["attr.count_last_year"] = ("去年同期案件数", "Incidents a year earlier"),
        ["attr.change"] = ("变化", "Change"),
        ["attr.trend"] = ("趋势", "Trend"),
        ["attr.gi_z"] = ("Gi* z 值", "Gi* z-score"),
        ["attr.gi_p"] = ("Gi* p 值", "Gi* p-value"),
        ["attr.hot"] = ("热点", "Hot spot"),
        ["attr.cold"] = ("冷点", "Cold spot"),
        ["attr.class"] = ("分类", "Class"),
        ["attr.hot_confidence"] = ("热点置信度 (%)", "Hot-spot confidence (%)"),
        ["attr.cell"] = ("六边形", "Hexagon"),
        ["attr.heading_deg"] = ("朝向 (°)", "Heading (°)"),
        ["attr.fov_deg"] = ("视场角 (°)", "Field of view (°)"),
        ["attr.range_m"] = ("视距 (m)", "Range (m)"),
        ["attr.well_code"] = ("井号", "Well"),
        ["attr.encroached_on"] = ("被侵占日期", "Encroached on"),
        ["attr.reclaimed_on"] = ("收回日期", "Reclaimed on"),
        ["attr.hours_since"] = ("距上次巡逻 (小时)", "Hours since last patrol"),
        ["attr.last_fix"] = ("最后定位", "Last fix"),
        ["attr.band"] = ("时效", "Band"),
        ["attr.uncovered_share"] = ("未巡比例", "Uncovered share"),
        ["attr.boundary_m"] = ("边界长度 (m)", "Boundary (m)"),
        ["attr.coverage_ratio"] = ("覆盖率", "Coverage ratio"),
        ["attr.department"] = ("护卫部", "Department"),
        ["attr.layer"] = ("图层", "Layer"),
        ["attr.position"] = ("经纬度", "Lon, lat"),
        ["attr.gk"] = ("高斯-克吕格 (CGCS2000)", "Gauss-Kruger (CGCS2000)"),
        ["attr.time"] = ("北京时间", "China time"),
        ["yes"] = ("是", "yes"),
        ["no"] = ("否", "no"),
    }.ToFrozenDictionary();

    private Texts(string language) => Language = language;

    /// <summary>The language of these texts.</summary>
    public string Language { get; }

    /// <summary>True for Chinese.</summary>
    public bool IsChinese => Language == Chinese;

    /// <summary>The text for a key (the key itself when unknown, so a missing entry is visible).</summary>
    public string this[string key] => Entries.TryGetValue(key, out var e) ? (IsChinese ? e.Zh : e.En) : key;

    /// <summary>True when the key has an entry.</summary>
    public static bool Has(string key) => Entries.ContainsKey(key);

    /// <summary>Every key (for tests).</summary>
    public static IEnumerable<string> Keys => Entries.Keys;

    /// <summary>Chinese texts.</summary>
    public static Texts Zh { get; } = new(Chinese);

    /// <summary>English texts.</summary>
    public static Texts En { get; } = new(English);

    /// <summary>The texts of a language (anything not Chinese is English).</summary>
    public static Texts For(string? language) => Normalise(language) == Chinese ? Zh : En;

    /// <summary>zh-CN or en from a language tag.</summary>
    public static string Normalise(string? language) =>
        language is not null && language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;

    /// <summary>The preferred of zh-CN / en from an Accept-Language header (by q-value, first wins on ties); zh-CN when absent.</summary>
    public static string FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return Chinese;
        var best = (Lang: (string?)null, Q: -1.0);
        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            var q = 1.0;
            foreach (var p in pieces.Skip(1))
                if (p.StartsWith("q=", StringComparison.Ordinal) && double.TryParse(p[2..], System.Globalization.CultureInfo.InvariantCulture, out var v)) q = v;
            var tag = pieces[0];
            string? lang = tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese
                : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : null;
            if (lang is not null && q > best.Q) best = (lang, q);
        }
        return best.Lang ?? Chinese;
    }
}
