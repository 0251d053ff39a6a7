"""The console's instance list, batch actions and the operator's overview."""

MESSAGES = {
    "console_list.batch.done": "已{action}，当前状态：{status}",
    "console_list.bad_date": "日期格式应为 年-月-日",
    "console_list.started_by_platform": "系统发起",
    "api.console.blueprint": "运维控制台：运维概览",
    "api.console.status": "状态：running 运行中（有待办任务）、waiting 等待中（运行中但在等定时器、消息或子流程）、"
                          "suspended、error、completed、terminated",
    "api.console.version": "流程版本（部署序号）",
    "api.console.org": "涉及的组织：发起组织或任一任务的候选组织（组织代码）",
    "api.console.overdue": "只看有超期待办任务的实例",
    "api.console.started_from": "发起日期不早于（本地日期，含当天）",
    "api.console.started_to": "发起日期不晚于（本地日期，含当天）",
    "api.console.business_key": "业务编号（如呼叫单号）：完全相同或以它开头",
    "api.console.q": "搜索：业务编号开头、流程名称或发起人姓名的一部分",
    "api.console.shown_status": "列表显示的状态：运行中但没有待办任务的实例为 waiting（等待中）",
    "api.console.counts": "各状态的实例数（不计状态筛选）",
    "api.console.batch_size": "一次最多操作 {n} 个实例",
    "api.console.errors": "最近出错的实例及错误信息",
    "api.console.timers": "定时器：已到期、超时未触发（超过一分钟，属故障）、一小时内到期",
    "api.console.overdue_by_org": "各组织的超期待办任务数（组织代码，数量）",
    "api.console.deploys": "最近的部署",
    "api.console.audit": "审计记录：最近的检查点及其后写入的事件数",
}

LABELS = {
    "instance_status": {"waiting": "等待中"},
    "batch_action": {"suspend": "挂起", "resume": "恢复", "retry": "重试", "terminate": "终止"},
}
