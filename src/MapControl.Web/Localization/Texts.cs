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
