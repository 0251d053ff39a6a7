"""The designer studio's texts (流程设计): drafts, deploy requests, versions, rollback, the studio's pages."""

MESSAGES = {
    # Drafts
    "design.no_draft": "没有你的草稿“{name}”",
    "design.draft_too_big": "草稿“{name}”过大：最多 {limit} KB",
    "design.draft_submitted": "草稿“{name}”已提交发布申请，等待审批；审批结束前不能修改",
    "design.draft_revision_moved": "草稿“{name}”已在别处保存为第 {revision} 版（{at}）：请刷新页面后再改，免得覆盖那次保存",
    "design.draft_stale": "“{name}”在你开始编辑（基于第 {base} 版）之后已发布了第 {number} 版：不能覆盖更新的版本。"
                          "请先下载你的修改，放弃草稿后基于最新版本重新修改",
    "design.draft_name_taken": "已有已发布的文件“{name}”（第 {number} 版）：请换一个编号，或打开该流程修改",
    "design.bad_id": "编号“{value}”无效：只能用字母、数字、下划线、点和连字符，且以字母或下划线开头，最多 64 个字符",
    "design.bad_name": "请填写名称（最多 128 个字符）",
    "design.blank_start": "开始",
    "design.process_exists": "流程编号“{pid}”已被使用",
    "design.form_exists": "表单编号“{form}”已被使用",
    "design.upload_empty": "请选择要上传的文件（.bpmn、.bpmn20.xml、.dmn、.form、.json）",
    "design.uploaded": "已上传 {count} 个文件为草稿",
    # Requests
    "design.reason_required": "请填写发布理由",
    "design.reason_too_long": "发布理由最多 {limit} 个字符",
    "design.nothing_to_submit": "没有可提交的草稿",
    "design.rollback_current": "第 {number} 版与当前版本相同，无需回退",
    "design.no_version": "流程“{pid}”没有第 {number} 版",
    "design.no_decision": "没有决策表“{id}”",
    "design.no_request": "没有编号为 {id} 的发布申请",
    "design.request_not_pending": "发布申请 {id} 已处理，不能再审批",
    "design.self_approval": "不能审批自己提交的发布申请：需要另一位人员审批",
    "design.request_stale": "申请提交后，{files} 已发布了更新的版本：请设计员基于最新版本重新提交",
    "design.direct_forbidden": "直接发布需要系统管理员角色，且须关闭部署审批（TIANCHANG_DEPLOY_APPROVAL=false）",
    "design.api_deploy_forbidden": "部署需经审批：请在“流程设计”中提交发布申请（直接部署仅限系统管理员，且须关闭部署审批）",
    "design.tests_failed": "{count} 个场景测试未通过（共 {total} 个），不能发布",
    "design.scenario_failed": "场景测试“{name}”未通过：{reason}",
    "design.tests_passed": "全部 {count} 个场景测试通过",
    "design.no_semantic_change": "无业务变更（仅调整了图形布局）",
    "design.more_changes": "另有 {count} 项变更，见完整差异",
    "design.title_deploy": "{subject}（{count} 个文件）",
    "design.title_rollback": "{subject}：回退到第 {number} 版",
    "design.returned_without_comment": "审批人退回，未填写意见",
    "design.notice_published": "发布申请“{title}”已通过审批，发布为第 {number} 版",
    "design.notice_returned": "发布申请“{title}”被退回：{comment}",
    "design.notice_failed": "发布申请“{title}”未能发布：{reason}",
    "design.submitted": "已提交发布申请，等待编办审批",
    "design.published_directly": "已直接发布为第 {number} 版",
    # Versions
    "design.cannot_compare": "请选择两个不同的版本进行对比",
    # API descriptions
    "api.design.blueprint": "流程设计：草稿、校验、场景测试、差异、发布申请、版本与回退",
    "api.design.base_version": "草稿基于的已发布版本号（新文件不填）",
    "api.design.revision": "所替换的草稿版次（防止覆盖别处的保存；新草稿不填）",
    "api.design.unsaved_files": "尚未保存的文件内容（文件名 → 文本），叠加在我的草稿和最新版本之上",
    "api.design.diff_to": "对比的新版本号；不填则与我的草稿对比",
    "api.design.direct": "直接发布，不经审批（仅系统管理员，且须关闭部署审批）",
    "api.design.decision_content": "决策表 DMN 文本（不填则用我的草稿或已发布版本）",
}

LABELS = {
    "draft_status": {"editing": "编辑中", "submitted": "审批中", "returned": "已退回"},
    "request_status": {"pending": "待审批", "published": "已发布", "returned": "已退回", "failed": "发布失败"},
    "request_kind": {"deploy": "发布", "rollback": "回退"},
    "file_kind": {"bpmn": "流程图", "dmn": "决策表", "form": "表单", "scenario": "场景测试"},
    "kpi": {
        "approve": "审批", "consult": "征求意见", "coordinate": "协调", "dispute": "争议处理", "evaluate": "评价",
        "filing": "备案", "handle": "办理", "mutual": "互评", "rectify": "整改", "respond": "响应", "review": "审核",
        "revise": "修改", "supervise": "督办",
    },
}

LABELS.update({
    "script_helper": {
        "now": "now()：当前时间（ISO 字符串）", "today": "today()：今天的日期（本地）",
        "add_days": "add_days(时间, n)：n 天后（自然日）", "add_hours": "add_hours(时间, n)：n 小时后",
        "add_working_days": "add_working_days(时间, n)：n 个工作日后", "add_working_hours":
        "add_working_hours(时间, n)：n 个工作小时后", "working_days_from_now": "working_days_from_now(n)：从现在起 n 个工作日后",
        "working_hours_from_now": "working_hours_from_now(n)：从现在起 n 个工作小时后",
        "is_working_day": "is_working_day(时间)：是否工作日", "math": "math：数学函数，如 math.ceil(x)",
    },
    "org_helper": {
        "initiator_org": "发起人所在单位（不填时的默认值）",
        "'bianban'": "固定单位：引号内写单位代码",
        "dept": "多实例的当前元素（如“各部门会签”中的每个部门）",
        "departments": "单位代码列表：列表中每个单位都收到待办",
    },
})

OPERATIONS = {
    "design.publish": ("发布设计员申请的新版本（部署审批通过时调用）", {"request": "发布申请编号"}),
    "design.return": ("退回发布申请，设计员在草稿上看到意见", {"request": "发布申请编号", "comment": "退回意见"}),
}
