"""Tianchang's part of the catalogue: what the lists, calls, supervision and evaluations say to people."""

MESSAGES = {
    # lists
    "list.not_found": "清单事项 {code} 不存在",
    "list.unknown_org": "单位代码 {code} 不存在",
    "list.bad_limit": "时限必须是 1 到 8760 之间的整数",
    "list.bad_dates": "失效日期不能早于生效日期",
    "list.code_exists": "事项编码 {code} 已存在",
    "list.reason_required": "修改清单必须填写理由",
    "list.import_rejected": "导入被拒绝：{count} 行有错误，清单未做任何修改",
    "list.import_header": "表头不正确：第 1 行应为 {expected}",
    "list.import_cell": "第 {row} 行 {column}",
    "list.import_reason": "Excel 导入",
    "list.sheet": "清单",
    "list.bad_kind": "清单类别必须是 权责清单、配合事项清单 或 交办事项",
    "list.bad_date": "日期格式应为 YYYY-MM-DD",
    "list.bad_number": "应为正整数",
    "list.duplicate_row": "事项编码在文件中重复",
    "list.bad_file": "不是有效的 Excel（.xlsx）文件：{detail}",
    "list.published": "流程实例 {instance} 审批通过后发布",
    "list.saved": "已保存为新版本",
    # calls
    "call.not_found": "呼叫单不存在",
    "call.not_party": "该单位不是此呼叫的办理单位",
    "call.not_late": "{org} 尚未超过时限，无需催办",
    "call.not_caller": "只有呼叫方可以催办",
    "call.closed": "呼叫已办结",
    "call.item_retired": "清单事项 {code} 已废止，不能再呼叫",
    "call.bad_status": "未知的呼叫状态：{status}",
    # supervision
    "supervision.not_found": "督办事项不存在",
    "supervision.bad_reason": "未知的督办原因：{reason}",
    "supervision.bad_grade": "未知的督办等级：{grade}",
    "supervision.bad_status": "未知的督办状态：{status}",
    "supervision.ungraded": "待定",
    # evaluations
    "evaluation.ratings": "准确性 {accuracy}，配合 {cooperation}",
    # notices: what an organisation reads in its notifications
    "notice.call_urged": "呼叫 {number}（{title}）已超时，{caller} 催办",
    "notice.call_urged_note": "呼叫 {number}（{title}）已超时，{caller} 催办：{note}",
    "notice.call_forwarded": "呼叫 {number}（{title}）被 {org} 驳回，呼叫方已转发，请组织协商",
    "notice.case_opened": "督办 {number}（{reason}）：{summary}",
    "notice.evaluated": "收到评价（{kind}）：{grade}",
    "notice.amendment": "清单调整建议（事项“{item}”）：{note}",
    # the command line and the demo
    "cli.lists": "清单：Excel 导入、导出",
    "cli.lists.reason_option": "修改理由（记入每个新版本）",
    "cli.lists.kind_option": "只导出一类",
    "cli.lists.checking": "检查并导入",
    "cli.lists.imported": "导入完成：新增 {created} 项，修订 {revised} 项，未变 {unchanged} 项",
    "cli.lists.exported": "已导出到 {path}",
    "cli.demo": "演示数据",
    "cli.demo.loaded": "演示数据：{orgs} 个单位，新建 {users} 个用户、{items} 个清单事项",
    "cli.demo.once_option": "已有呼叫记录时跳过（供 make run 使用）",
    "cli.demo.skipped": "已有呼叫记录，跳过演示场景",
    "demo.reason": "演示数据",
    "demo.started": "{user} 发起 {process}（{number}）",
    "demo.completed": "{user} 完成 {task}",
    "demo.timers": "{count} 个定时器到期",
    "demo.no_task": "{user} 没有待办任务 {task}",
}

LABELS = {
    "call_status": {"responding": "待响应", "handling": "办理中", "disputed": "协调中", "confirming": "待确认",
                    "rating": "待评价", "closed": "已办结"},
    "party_status": {"pending": "待签收", "accepted": "已响应", "rejected": "已驳回", "negotiating": "协商协调中",
                     "handling": "办理中", "handled": "已办结", "released": "驳回成立", "redo": "重办"},
    "urgency": {"normal": "一般", "urgent": "紧急"},
    "list_kind": {"power": "权责清单", "cooperation": "配合事项清单", "assigned": "交办事项"},
    "list_status": {"active": "有效", "retired": "已废止"},
    "list_column": {
        "code": "事项编码", "kind": "清单类别", "title": "事项名称", "category": "分类", "legal_basis": "法律依据",
        "lead_org": "主办单位", "cooperating_orgs": "配合单位", "lead_duties": "主办职责",
        "cooperating_duties": "配合职责", "response_hours": "响应时限（小时）", "handle_days": "办理时限（工作日）",
        "effective_from": "生效日期", "effective_to": "失效日期",
    },
    "case_reason": {"no_response": "不响应", "late_response": "迟响应", "inaction": "响应不作为",
                    "forwarded": "驳回转发"},
    "case_grade": {"blue": "蓝牌", "yellow": "黄牌", "red": "红牌"},
    "case_status": {"open": "待整改", "verifying": "待核实", "closed": "已办结"},
    "evaluation_kind": {"satisfaction": "满意度评价", "call_quality": "呼叫质量评价", "admission": "准入意见"},
    # The grades are stored as the words the forms offer; the codes name them for the rules (their scores).
    "evaluation_grade": {"satisfied": "满意", "fair": "基本满意", "unsatisfied": "不满意"},
    "audit_action": {
        "call.open": "登记呼叫", "call.party": "更新办理单位", "call.status": "更新呼叫状态", "call.urge": "催办",
        "call.extension.request": "申请延期", "call.extension.decide": "审批延期",
        "call.rejection.outcome": "记录驳回处理结果", "supervision.open": "开启督办", "supervision.update": "更新督办",
        "list.version": "生成清单新版本", "list.amendment.proposed": "提出清单调整建议", "evaluation": "评价",
    },
}

# Tianchang's host operations as designers read them in the studio: what each does, what each parameter means.
OPERATIONS = {
    "lists.lookup": ("查询清单事项（主办、配合单位与时限）", {"item": "事项编码"}),
    "lists.publish": ("发布清单事项（准入、交办通过后生效）", {
        "kind": "清单类别 power/cooperation/assigned", "title": "事项名称", "category": "分类", "lead": "主办单位代码",
        "cooperating": "配合单位代码列表", "legal_basis": "依据", "lead_duties": "主办职责",
        "cooperating_duties": "配合职责", "response_hours": "响应时限（小时）", "handle_days": "办理时限（工作日）",
        "effective_from": "生效日期", "effective_to": "失效日期", "towns_lead": "按镇街分别立项（列表）"}),
    "lists.retire": ("废止清单事项", {"codes": "事项编码列表", "reason": "理由"}),
    "lists.propose_amendment": ("提出清单调整建议（协调结论）", {"item": "事项编码", "note": "建议内容"}),
    "calls.open": ("登记呼叫单（由清单事项确定主办、配合单位）", {
        "item": "事项编码", "location": "地点", "description": "问题描述", "urgency": "紧急程度",
        "extra": "增加的部门", "photos": "照片"}),
    "calls.start_clock": ("开始响应计时", {
        "number": "呼叫单号", "response_hours": "响应时限（小时）", "handle_days": "办理时限（工作日）"}),
    "calls.respond": ("记录签收/响应（接受或驳回）", {
        "number": "呼叫单号", "org": "单位代码", "decision": "accept 或 reject", "reason": "驳回理由",
        "handle_days": "办理时限（工作日）"}),
    "calls.forward": ("驳回转发至监督检查账号", {"number": "呼叫单号", "org": "驳回单位代码"}),
    "calls.rejection": ("记录驳回的处理结果并开始办理计时", {
        "number": "呼叫单号", "org": "驳回单位代码", "outcome": "accepted/agreement/coordination",
        "responsible": "责任单位代码", "handle_days": "办理时限（工作日）", "basis": "依据"}),
    "calls.request_extension": ("延期申请", {
        "number": "呼叫单号", "org": "单位代码", "days": "延期天数", "reason": "理由"}),
    "calls.decide_extension": ("审批延期申请（通过则顺延办理期限）", {"id": "申请编号", "approved": "是否同意"}),
    "calls.handled": ("记录办结", {"number": "呼叫单号", "org": "单位代码", "result": "办理结果"}),
    "calls.update": ("更新呼叫单状态", {"number": "呼叫单号", "status": "状态"}),
    "evaluations.record": ("记录评价（满意度互评）", {
        "kind": "评价类别", "number": "呼叫单号", "rater": "评价单位", "ratees": "被评价单位列表", "grade": "等次",
        "accuracy": "呼叫准确性 1-5", "cooperation": "配合程度 1-5", "comment": "意见"}),
    "evaluations.record_ratings": ("记录各单位对呼叫的评价（与评价单位一一对应）", {
        "number": "呼叫单号", "raters": "评价单位列表", "ratee": "被评价单位", "ratings": "评价表单数据列表"}),
    "supervision.open": ("开启督办", {
        "target": "被督办单位", "reason": "原因", "summary": "说明", "number": "呼叫单号", "late_hours": "超时小时"}),
    "supervision.update": ("更新督办（等级、状态）", {
        "number": "督办编号", "grade": "等级", "status": "状态", "note": "说明"}),
    "orgs.kind": ("查询单位类别", {"org": "单位代码"}),
}
