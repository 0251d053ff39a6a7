"""Catalogue part: the call page and the context on a call's task pages (see app/messages/__init__.py)."""

MESSAGES = {
    # A deadline in words (app/web/presenters.deadline_words)
    "callp.left.minutes": "剩 {n} 分钟",
    "callp.left.hours": "剩 {n} 小时",
    "callp.left.days": "剩 {n} 天",
    "callp.late.minutes": "已超期 {n} 分钟",
    "callp.late.hours": "已超期 {n} 小时",
    "callp.late.days": "已超期 {n} 天",
    "callp.done_on_time": "按时完成",
    "callp.done_late": "超期 {late} 完成",
    "callp.span.minutes": "{n} 分钟",
    "callp.span.hours": "{n} 小时",
    "callp.span.days": "{d} 天 {h} 小时",
    "callp.working_hours": "按工作时间计算，{n} 小时",
    "callp.working_days": "按工作日计算，{n} 个工作日",
    "callp.working": "按工作时间计算",
    # 催办
    "callp.urged": "已催办{org}（第 {count} 次），对方已收到通知。",
    "callp.urge.not_late": "未超期",
    "callp.urge.responded": "已响应",
    "callp.urge.handled": "已办结",
    "callp.urge.not_caller": "您不是呼叫方",
    "callp.urge.closed": "呼叫已办结",
    "callp.choice.department": "{org}（驳回的部门）",
    "callp.choice.caller": "{org}（呼叫方）",
    "callp.choice.other": "其他单位",
}

LABELS = {
    "callp_role": {"lead": "主办", "cooperate": "配合", "added": "呼叫方增加", "decided": "协调确定"},
    "callp_outcome": {"accepted": "呼叫方接受驳回", "agreement": "协商一致", "coordination": "编办协调决定"},
    "callp_extension": {"pending": "待审批", "approved": "已批准", "refused": "未批准"},
}
