using MapControl.Core.Model;

namespace MapControl.Core.Labels;

/// <summary>
/// The built-in incident-kind vocabulary (案件类型): the terms protection centres use, in Chinese and English. This list is
/// the one source of the defaults: migration 0005 stores the same rows in <c>incident_kind</c> (a test keeps them equal), and
/// the CLI uses it as it is when it reads files without a database.
/// </summary>
public static class IncidentKinds
{
    /// <summary>The default terms, in display order.</summary>
    public static IReadOnlyList<VocabularyTerm> Defaults { get; } =
    [
        new("casing_theft", "套管油盗窃", "Casing oil theft", ["套管油被盗", "盗套管油", "套管气盗窃", "偷套管油", "casing theft"], "#d62728"),
        new("pipeline_tapping", "打孔盗油", "Pipeline tapping", ["管线打孔", "管线打孔盗油", "私接管线", "打孔", "tapping", "illegal tap", "hot tapping"], "#9467bd"),
        new("workover_oil_collection", "作业井非法敛油", "Workover oil collection", ["非法敛油", "敛油", "作业井敛油"], "#ff7f0e"),
        new("equipment_theft", "设备盗窃", "Equipment theft", ["盗窃设备", "设备被盗", "盗窃油田设备", "偷盗设备"], "#8c564b"),
        new("encroachment", "侵占", "Encroachment", ["占压", "违章占压", "侵占场地", "非法占用", "occupation"], "#17becf"),
        new("oil_theft", "盗油", "Oil theft", ["盗窃原油", "偷油", "原油被盗", "fuel theft", "crude theft", "crude oil theft"], "#e377c2"),
        new("pipeline_damage", "破坏管线", "Pipeline damage", ["破坏管道", "管线被破坏", "损坏管线", "sabotage"], "#1f77b4"),
        new("vandalism", "破坏设施", "Vandalism", ["故意破坏", "毁坏设备", "破坏设备", "损坏设施", "damage"], "#bcbd22"),
        new("trespass", "非法侵入", "Trespass", ["非法闯入", "擅自进入", "闯入", "intrusion", "trespassing"], "#2ca02c"),
        new("theft", "盗窃", "Theft", ["偷盗", "失窃", "被盗", "stealing", "larceny"], "#ff9896"),
        new("suspicious_vehicle", "可疑车辆", "Suspicious vehicle", ["可疑车", "suspicious car"], "#c5b0d5"),
        new("suspicious_person", "可疑人员", "Suspicious person", ["可疑人", "可疑人物"], "#f7b6d2"),
    ];

    /// <summary>The defaults as a vocabulary.</summary>
    public static Vocabulary Builtin { get; } = new(Defaults);

    /// <summary>The kind a label names in <paramref name="vocabulary"/>, or its own unmapped kind.</summary>
    public static IncidentKind Resolve(this Vocabulary vocabulary, string label, out bool mapped)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var term = vocabulary.Resolve(label);
        mapped = term.Mapped;
        return new IncidentKind(term.Code);
    }
}

/// <summary>
/// Built-in vocabularies of the other coded fields that files carry as labels (well kind and status, idle-site kind and
/// status, discovery source, case status): their codes are the stored enum names (<see cref="DomainNames"/>).
/// </summary>
public static class FieldVocabularies
{
    /// <summary>Well kinds (井别).</summary>
    public static Vocabulary WellKinds { get; } = new(
    [
        new("oil", "油井", "Oil well", ["采油井", "生产井", "oil well"], "#000000"),
        new("water_injection", "注水井", "Water injection well", ["注水", "水井", "injector"], "#1f77b4"),
        new("gas", "气井", "Gas well", ["采气井", "天然气井", "gas well"], "#ff7f0e"),
    ]);

    /// <summary>Well statuses (井况).</summary>
    public static Vocabulary WellStatuses { get; } = new(
    [
        new("producing", "生产", "Producing", ["开井", "正常生产", "在产", "正常"], "#2ca02c"),
        new("shut_in", "关井", "Shut in", ["停井", "停产", "shut-in", "shutin"], "#7f7f7f"),
        new("idle", "闲置", "Idle", ["长停井", "废弃", "报废"], "#bcbd22"),
        new("workover", "作业", "Workover", ["作业井", "修井", "措施作业"], "#ff7f0e"),
    ]);

    /// <summary>Idle-site kinds (闲置场地类型).</summary>
    public static Vocabulary IdleSiteKinds { get; } = new(
    [
        new("well_pad", "井场", "Well pad", ["井台", "pad"], "#8c564b"),
        new("yard", "堆场", "Yard", ["料场", "场地", "院落"], "#7f7f7f"),
        new("platform", "平台", "Platform", ["井组平台"], "#1f77b4"),
        new("station", "站", "Station", ["场站", "站点", "计量站", "接转站"], "#9467bd"),
    ]);

    /// <summary>Idle-site statuses.</summary>
    public static Vocabulary IdleSiteStatuses { get; } = new(
    [
        new("idle", "闲置", "Idle", ["空闲"], "#7f7f7f"),
        new("encroached", "被侵占", "Encroached", ["侵占", "被占", "占用"], "#d62728"),
        new("reclaimed", "已收回", "Reclaimed", ["收回", "已清理", "恢复"], "#2ca02c"),
    ]);

    /// <summary>Who discovered an incident (发现方式).</summary>
    public static Vocabulary DiscoverySources { get; } = new(
    [
        new("patrol", "巡逻", "Patrol", ["巡护", "巡查", "巡逻发现"], "#000000"),
        new("video", "视频", "Video", ["视频监控", "监控发现", "camera", "cctv"], "#000000"),
        new("inspection", "检查", "Inspection", ["巡检", "检查发现"], "#000000"),
        new("public_report", "群众举报", "Public report", ["举报", "群众报案", "report", "tip"], "#000000"),
        new("police", "公安", "Police", ["公安机关", "派出所", "警方"], "#000000"),
    ]);

    /// <summary>Case statuses (案件状态).</summary>
    public static Vocabulary IncidentStatuses { get; } = new(
    [
        new("open", "未结", "Open", ["在办", "侦办中", "立案", "未破"], "#000000"),
        new("solved", "已破", "Solved", ["破案", "已破案"], "#000000"),
        new("closed", "结案", "Closed", ["已结案", "已结", "销案"], "#000000"),
    ]);
}
