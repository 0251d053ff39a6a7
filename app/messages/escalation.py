"""Catalogue part: the 督办 escalation ladder, its steps, notices, 约谈 and host operations."""

MESSAGES = {
    # notices, one per step of the ladder (every recipient reads the same sentence)
    "notice.escalation.urge": "督办 {number} 催办：{org}尚未整改（{summary}），请尽快整改并提交整改结果",
    "notice.escalation.notice": "书面通报：{org}对督办 {number}（{summary}）逾期未整改",
    "notice.escalation.yellow": "黄牌警告：{org}对督办 {number}（{summary}）逾期未整改",
    "notice.escalation.red": "红牌警告：{org}对督办 {number}（{summary}）逾期仍未整改，已报市委市政府",
    "notice.escalation.interview": "约谈：{org}对督办 {number}（{summary}）逾期仍未整改，请领导办公室安排约谈",
    "notice.escalation.interviewed": "约谈记录：{org}就督办 {number} 于 {held_on} 被约谈。约谈结果：{outcome}",
    # refusals
    "escalation.bad_step": "督办升级步骤“{step}”不存在，应为催办、书面通报、黄牌、红牌或约谈",
    "escalation.bad_recipient": "通知对象“{recipient}”不存在，应为本单位、单位领导、市委编办或市委市政府",
    "escalation.no_recipient": "至少要有一个通知对象",
    "escalation.bad_date": "约谈日期不是有效的日期（例如 2026-03-20）",
    "escalation.future_date": "约谈日期不能晚于今天",
    "escalation.before_case": "约谈日期不能早于督办开启的日期",
    "escalation.bad_step_id": "督办升级记录 {id} 不属于督办 {number}",
    # the record's sentences (app/governance/record_tellers.py)
    "said.supervision.escalate": "{org}逾期未整改，督办升级为“{step}”，通知{recipients}",
    "said.supervision.leader_of": "{org}领导",
    "said.supervision.interview": "{actor}记录约谈（{held_on}）：参加人员 {attendees}；约谈结果：{outcome}",
}

LABELS = {
    "escalation_step": {"urge": "催办", "notice": "书面通报", "yellow": "黄牌", "red": "红牌", "interview": "约谈"},
    "escalation_recipient": {"unit": "本单位", "leader": "单位领导", "bianban": "市委编办", "gov": "市委市政府"},
    "audit_action": {"supervision.escalate": "督办升级", "supervision.interview": "记录约谈"},
}

OPERATIONS = {
    "supervision.ladder_facts": ("查询督办升级依据（是否仍在整改、上一步、逾期工作日、本月红牌和驳回不当、下次查看时间）", {
        "number": "督办编号"}),
    "supervision.escalate": ("督办升级：记录这一步、通知相应单位，黄牌、红牌时提高督办等级", {
        "number": "督办编号", "step": "步骤 urge/notice/yellow/red/interview",
        "recipients": "通知对象，逗号分隔：unit 本单位、leader 单位领导、bianban 市委编办、gov 市委市政府"}),
    "supervision.record_interview": ("保存约谈记录并通知被约谈单位", {
        "number": "督办编号", "step_id": "约谈这一步的升级记录编号", "held_on": "约谈日期",
        "attendees": "参加人员", "outcome": "约谈结果"}),
}
