"""Catalogue part: overview (概览, the month at a glance for those who oversee the county; see app/messages/__init__.py)."""

MESSAGES = {
    "overview.month_label": "{year}年{month}月",
    "overview.bad_month": "月份应写作 年-月，例如 2026-11",
    "overview.future_month": "不能查看尚未到来的月份",
    "overview.early_month": "最早可查看 {first}",
    "overview.forbidden": "概览只对领导、人大、编办、督查和管理员开放",
    # The figures of the month's calls (counted by their date of registration, as 呼叫记录 filters them).
    "overview.figure.opened": "登记呼叫",
    "overview.figure.closed": "已办结",
    "overview.figure.overdue": "现已超期",
    "overview.figure.late": "响应超期",
    "overview.figure.rejected": "被驳回",
    "overview.hint.opened": "本月登记的呼叫",
    "overview.hint.closed": "本月登记、现已办结",
    "overview.hint.overdue": "有单位现已超过响应或办理期限",
    "overview.hint.late": "有单位超期响应，或超期仍未响应",
    "overview.hint.rejected": "有单位驳回",
    # The API's description of its one endpoint.
    "overview.api.blueprint": "概览：一个月的呼叫与督办数字，每个数字连着它背后的呼叫记录",
    "overview.api.month": "月份，年-月（县内时间），默认本月",
    "overview.api.figures": "本月登记的呼叫：登记、已办结、未办结、当前超期、响应超时、被驳回，每项带呼叫记录的筛选条件与链接",
    "overview.api.statuses": "本月登记的呼叫按当前状态",
    "overview.api.rejections": "本月被驳回的呼叫按驳回的结局",
    "overview.api.days": "按登记日：当日登记的呼叫数与其中已办结的数",
    "overview.api.cases": "当前未结的督办，按状态与等级（不随月份变化）",
    "overview.api.oldest": "当前最久未办结的十件呼叫（不随月份变化）",
    "overview.api.months": "可选的月份（最早一件呼叫的月份至本月）",
}

LABELS = {}
