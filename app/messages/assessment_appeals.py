"""Catalogue part: 申诉 (assessment appeals) and their procedure's host operations."""

MESSAGES = {
    "appeal.refused": "申诉未能提交：{problems}",
    "appeal.not_yours": "只能以本单位的名义申诉",
    "appeal.not_published": "{period}的考核结果尚未发布，不能申诉",
    "appeal.no_window": "{period}的考核结果未设申诉期，不能申诉",
    "appeal.window_closed": "{period}的申诉期已于 {until} 截止，不能再申诉",
    "appeal.bad_metric": "没有这项考核指标",
    "appeal.no_calls": "请填写涉及的呼叫单号（如 HJ20261103-0001），多个单号用空格或逗号分开",
    "appeal.too_many_calls": "一次申诉最多列 {most} 张呼叫单",
    "appeal.bad_number": "“{number}”不是呼叫单号（如 HJ20261103-0001）",
    "appeal.unknown_call": "呼叫单 {number} 不存在",
    "appeal.call_not_ours": "呼叫单 {number} 与本单位无关，不能申诉",
    "appeal.call_excluded": "呼叫单 {number} 已经剔除，无须申诉",
    "appeal.reason_required": "请写明申诉理由",
    "appeal.too_long": "不能超过 {most} 个字",
    "appeal.not_found": "没有这件申诉",
    "appeal.decided": "申诉 {number} 已经决定，不能再改",
    "appeal.decision_required": "请写明决定理由",
    "appeal.exclude_required": "采纳申诉须指明剔除哪些呼叫单",
    "appeal.exclude_not_named": "呼叫单 {number} 不在申诉所列的单号中，不能剔除",
    "appeal.run_reason": "采纳申诉 {number}",
    "appeal.exclusion_reason": "采纳申诉 {number}：{decision}",
    "appeal.notice.accepted": "你单位的申诉 {number}（{period}）已被采纳，剔除呼叫单 {calls}，"
                              "考核结果已重新计算并发布：{decision}",
    "appeal.notice.refused": "你单位的申诉 {number}（{period}）未被采纳：{decision}",
    "appeal.whole_score": "综合得分",
    "said.assessment.appeal.open": "{actor}提出申诉 {number}（{period}，{metric}），涉及呼叫单 {calls}：{reason}",
    "said.assessment.appeal.accepted": "{actor}采纳申诉 {number}，剔除呼叫单 {calls}，重新计算发布：{reason}",
    "said.assessment.appeal.refused": "{actor}不采纳申诉 {number}：{reason}",
}

LABELS = {
    "appeal_status": {"pending": "待决定", "accepted": "已采纳", "refused": "未采纳"},
    "audit_action": {"assessment.appeal.open": "提出申诉", "assessment.appeal.decide": "决定申诉"},
}

OPERATIONS = {
    "assessment.appeal_open": ("登记考核申诉（须在申诉期内，所列呼叫单须与本单位有关）", {
        "period": "考核期间（如 2026-11）", "metric": "申诉指标", "calls": "涉及的呼叫单号（空格或逗号分开）",
        "reason": "申诉理由", "evidence": "证明材料（附件编号列表）"}),
    "assessment.appeal_decide": ("决定考核申诉（采纳则剔除呼叫单、重新计算并发布）", {
        "number": "申诉编号", "accepted": "是否采纳", "exclude": "剔除的呼叫单号", "decision": "决定理由"}),
}
