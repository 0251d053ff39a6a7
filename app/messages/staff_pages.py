"""Catalogue part: staff_pages (see app/messages/__init__.py): 呼叫记录's filters, 督办台 and its case pages."""

MESSAGES = {
    "staff.filter.bad_choice": "不是可选的项，已忽略",
    "staff.filter.bad_date": "日期格式应为 年-月-日，已忽略",
    "staff.chip": "{name}：{value}",
    "staff.took.days": "历时 {days} 天 {hours} 小时",
    "staff.took.hours": "历时 {hours} 小时 {minutes} 分钟",
    "staff.took.minutes": "历时 {minutes} 分钟",
    "staff.took.instant": "历时不到 1 分钟",
    "staff.open_for.days": "已 {days} 天 {hours} 小时",
    "staff.open_for.hours": "已 {hours} 小时 {minutes} 分钟",
    "staff.open_for.minutes": "已 {minutes} 分钟",
    "staff.open_for.instant": "刚刚开启",
    "staff.api.calls.q": "呼叫编号、标题或地点中的文字",
    "staff.api.calls.item": "清单事项编码",
    "staff.api.calls.party": "办理单位（组织代码）",
    "staff.api.calls.from": "登记日期起（县内时间，含当日）",
    "staff.api.calls.to": "登记日期止（县内时间，含当日）",
    "staff.api.calls.overdue": "有单位现已超过响应或办理期限且未办结",
    "staff.api.calls.late": "有单位超期响应，或未响应且已超期",
    "staff.api.calls.rejection": "有单位驳回：any 任一驳回，open 尚未处理，其余为处理结果",
}

LABELS = {
    "staff_verify_decision": {"close": "整改到位，办结", "back": "退回整改"},
    "staff_rejection_filter": {"any": "有驳回", "open": "驳回未处理", "accepted": "驳回被接受",
                               "agreement": "协商一致", "coordination": "编办协调"},
    "staff_call_filter": {"q": "关键词", "status": "状态", "item": "事项", "party": "办理单位", "created_from": "登记起",
                          "created_to": "登记止", "overdue": "现已超期", "late": "响应超期", "rejection": "驳回"},
}
