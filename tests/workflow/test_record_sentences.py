"""Every audit action is told as a Chinese sentence with names: no login, organisation code, task id, status code or
English word reaches a reader (DESIGN §14)."""

import re
from datetime import datetime, timezone

import pytest

from app.governance.record_tellers import register_tellers
from app.messages import LABELS, MESSAGES
from app.workflow.record_text import Names, tell

register_tellers()

AT = "2026-11-23T03:00:00+00:00"
# One realistic payload per action, as the code writes it (codes everywhere a code is stored).
SAMPLES = {
    "instance.start": ("zhangsan", "tongcheng", {"process": "call_response", "version": 1,
                                                 "data": {"decision": "reject", "photos": [1]}}),
    "instance.complete": (None, None, {}),
    "instance.error": (None, None, {"task_id": "9f0c…", "bpmn_id": "calc", "task": "calc", "line": 1,
                                    "message": "除数为零"}),
    "instance.retry": ("admin", None, {"reason": "已修正数据", "previous_error": {"bpmn_id": "calc"}}),
    "instance.suspend": ("admin", None, {"reason": "核对数据", "before": "running"}),
    "instance.resume": ("admin", None, {"reason": "核对完毕"}),
    "instance.terminate": ("admin", None, {"reason": "重复登记", "before": "running"}),
    "instance.rewind": ("admin", None, {"task": "respond", "reason": "填错了", "data_before": {"decision": "reject"}}),
    "instance.migrate": ("admin", None, {"from_version": 1, "to_version": 2, "reason": "新版时限"}),
    "instance.migrate_revert": ("admin", None, {"from_version": 2, "to_version": 1, "reason": "撤回"}),
    "instance.data_edit": ("admin", None, {"reason": "更正", "before": {"decision": "reject"},
                                           "after": {"decision": "accept"}}),
    "task.complete": ("zhangsan", "gongan", {"task": "respond", "data": {"decision": "reject", "reason": "不属于本部门职责",
                                                                         "photos": [1], "hidden_code": "abc"}}),
    "task.claim": ("zhangsan", None, {"task": "respond"}),
    "task.unclaim": ("zhangsan", None, {"task": "respond"}),
    "task.delegate": ("zhangsan", None, {"task": "respond", "to": "lisi"}),
    "task.reassign": ("admin", None, {"task": "respond", "name": "签收响应", "reason": "休假",
                                      "before": {"users": ["zhangsan"]}, "after": {"users": ["lisi"]}}),
    "task.skip": ("admin", None, {"task": "签收响应", "reason": "线下已办", "data": {"decision": "accept"}}),
    "timer.fire": (None, None, {"due": AT}),
    "timer.fire_now": ("admin", None, {"task": "等待时限", "reason": "提前", "due": AT}),
    "message.receive": (None, None, {"message": "supervision_opened", "from": 3}),
    "message.deliver": ("admin", None, {"message": "supervision_opened", "reason": "补发", "payload": {}}),
    "attachment.upload": ("zhangsan", "gongan", {"id": 1, "sha256": "ab" * 32, "size": 10, "mime": "image/jpeg"}),
    "deploy": ("admin", None, {"number": 3, "checksum": "ab" * 32, "files": ["call_response.bpmn"], "warnings": 0}),
    "request": ("sheji", None, {"request": 4, "kind": "deploy", "files": ["call_response.bpmn"], "reason": "调整时限",
                                "rollback_to": None, "scenarios": 2}),
    "return": ("bianban", None, {"request": 4, "comment": "请补充说明"}),
    "fail": ("bianban", None, {"request": 4, "reason": "场景测试未通过"}),
    "audit.verify": ("admin", None, {"ok": True, "message": "记录完整", "events": 120, "streams": 9, "anchor_at": None}),
    "audit.verify_call": ("lisi", None, {"call": "HJ20261123-0001", "ok": False, "events": 30, "streams": 4,
                                         "stream": "instance:3", "seq": 5}),
    "audit.anchor": ("admin", None, {"at": AT, "checkpoint": 3, "streams": 9}),
    "login": ("zhangsan", None, {"address": "127.0.0.1"}),
    "login.failed": (None, None, {"username": "zhangsan", "address": "127.0.0.1", "locked_until": None}),
    "login.throttled": (None, None, {"username": "zhangsan", "address": "127.0.0.1"}),
    "user.create": ("admin", None, {"username": "lisi", "roles": ["dept_staff"], "after": {"org": "gongan"}}),
    "user.update": ("admin", None, {"username": "lisi", "before": {"roles": ["dept_staff"]}, "after": {"roles": []}}),
    "user.deactivate": ("admin", None, {"username": "lisi", "before": {"active": True}, "after": {"active": False}}),
    "user.reactivate": ("admin", None, {"username": "lisi", "before": {"active": False}, "after": {"active": True}}),
    "user.password_reset": ("admin", None, {"username": "lisi", "generated": True, "before": {}, "after": {}}),
    "user.sessions_ended": ("lisi", None, {"reason": "password_reset"}),
    "token.issue": ("lisi", None, {"id": 1, "name": "对接平台", "expires_at": None}),
    "token.revoke": ("admin", None, {"id": 1, "name": "对接平台"}),
    "org.create": ("admin", None, {"code": "gongan", "before": None, "after": {"code": "gongan", "kind": "department"}}),
    "org.rename": ("admin", None, {"code": "gongan", "before": {"name": "公安局"}, "after": {"name": "市公安局"}}),
    "org.kind": ("admin", None, {"code": "gongan", "before": {"kind": "office"}, "after": {"kind": "department"}}),
    "org.move": ("admin", None, {"code": "gongan", "before": {"parent": None}, "after": {"parent": "tongcheng"}}),
    "org.deactivate": ("admin", None, {"code": "gongan", "before": {"active": True}, "after": {"active": False}}),
    "org.activate": ("admin", None, {"code": "gongan", "before": {"active": False}, "after": {"active": True}}),
    "call.open": ("zhangsan", "tongcheng", {"item": "P-0001", "parties": ["gongan", "nongye"]}),
    "call.party": ("zhangsan", "gongan", {"status": "rejected", "responded_at": AT, "rejection_reason": "不属于本部门职责"}),
    "call.status": ("zhangsan", "tongcheng", {"status": "disputed"}),
    "call.urge": ("zhangsan", None, {"org": "gongan", "count": 2, "note": "请尽快响应"}),
    "call.extension.request": ("zhangsan", "gongan", {"days": 3, "reason": "需要现场勘查"}),
    "call.extension.decide": ("lisi", "gongan", {"approved": True, "new_due": AT}),
    "call.rejection.outcome": ("lisi", "gongan", {"outcome": "coordination", "responsible": "gongan",
                                                  "overturned": True, "basis": "《配合事项清单》第 1 项"}),
    "supervision.open": ("system", "gongan", {"reason": "no_response", "lateness_hours": 5}),
    "supervision.update": ("system", "gongan", {"grade": "yellow", "status": "verifying"}),
    "evaluation": ("zhangsan", "tongcheng", {"kind": "satisfaction", "grade": "满意", "accuracy": None,
                                             "cooperation": None}),
    "list.version": ("lisi", None, {"code": "P-0001", "version": 2, "reason": "协调结论", "instance_id": None,
                                    "fields": {"title": "非法捕捞水产品", "lead_org": "nongye"}}),
    "list.amendment.proposed": ("lisi", None, {"note": "写明配合职责"}),
    "assessment.appeal.open": ("zhangsan", "gongan", {"number": "SS20261202-0001", "period": "2026-11", "run": 3,
                                                      "revision": 1, "metric": "response_rate",
                                                      "calls": ["HJ20261103-0001"], "reason": "系统停电，无法签收"}),
    "assessment.appeal.decide": ("bianban", "gongan", {"number": "SS20261202-0001", "accepted": True,
                                                       "excluded": ["HJ20261103-0001"], "reason": "停电属实",
                                                       "result_run": 4}),
    "supervision.escalate": ("system", "gongan", {"step": "yellow", "recipients": ["unit", "leader", "bianban"],
                                                  "step_id": 3}),
    "supervision.interview": ("lisi", "gongan", {"held_on": "2026-03-20", "attendees": "市委副书记、市公安局局长",
                                                 "outcome": "限期三日内整改到位", "interview_id": 1}),
    "assessment.compute": ("bianban", None, {"period": "2026-11", "revision": 1, "formula": 2}),
    "assessment.publish": ("bianban", None, {"period": "2026-11", "revision": 2, "reason": "采纳申诉", "replaced": [1]}),
    "assessment.formula": ("bianban", None, {"version": 2, "effective_from": "2026-12-01", "reason": "提高满意率权重"}),
    "assessment.exclude": ("bianban", "gongan", {"calls": [3], "numbers": ["HJ20261103-0001"], "reason": "停电属实",
                                                 "appeal": 1}),
}
STREAMS = {"call": "call:HJ20261123-0001", "supervision": "supervision:DB20261123-0001", "evaluation": "org:gongan"}
# The record's own numbers are what people quote (HJ…, DB…, SS…); anything else Latin is a code or an English word.
CODE = re.compile(r"(?<![A-Z])(?!HJ\d|DB\d|SS\d)[A-Za-z][A-Za-z_]+")


def names():
    return Names(people={"zhangsan": ("张三", "gongan"), "lisi": ("李四", "bianban"), "admin": ("系统管理员", "bianban"),
                         "sheji": ("设计员", "bianban"), "renda": ("人大代表", "renda"), "bianban": ("吴编", "bianban")},
                 orgs={"gongan": "市公安局", "nongye": "市农业农村局", "tongcheng": "铜城镇", "bianban": "市委编办",
                       "renda": "市人大"},
                 steps={"respond": "签收响应", "calc": "计算"}, processes={"call_response": "呼叫—响应"},
                 forms={(1, "respond"): {"decision": {"label": "签收结果", "options": {"reject": "驳回", "accept": "接受"},
                                                      "kind": "radio"},
                                         "reason": {"label": "驳回理由", "options": {}, "kind": "textarea"},
                                         "photos": {"label": "照片", "options": {}, "kind": "photos"}}})


def event(action):
    actor, org, payload = SAMPLES[action]
    stream = STREAMS.get(action.split(".")[0], "instance:1")
    return {"action": action, "actor": actor, "org": org, "stream": stream, "instance_id": 1, "payload": payload}


def test_every_action_has_a_sample_and_a_sentence_of_its_own():
    assert set(LABELS["audit_action"]) == set(SAMPLES), "a new audit action needs a sample here and a sentence"
    for action in SAMPLES:
        text = tell(event(action), names()).text
        briefly = MESSAGES["said.briefly"].format(actor=names().person(event(action)["actor"]),
                                                  action=LABELS["audit_action"][action])
        assert not text.startswith(briefly), f"{action} has no sentence of its own: {text}"


@pytest.mark.parametrize("action", sorted(SAMPLES))
@pytest.mark.parametrize("whole", [True, False])
def test_no_code_reaches_the_reader(action, whole):
    text = tell(event(action), names(), whole).text
    assert text and not CODE.findall(text), f"{action}: {text}"
    for code in ("zhangsan", "gongan", "respond", "rejected", "disputed", "no_response", "yellow"):
        assert code not in text


def test_a_sentence_names_the_person_their_organisation_the_step_the_decision_and_the_reason():
    said = tell(event("task.complete"), names()).text
    assert said == "市公安局 张三办理“签收响应”：签收结果：驳回；驳回理由：不属于本部门职责"
    rejection = tell(event("call.party"), names())
    assert rejection.text == "市公安局 张三驳回：不属于本部门职责" and rejection.leads and rejection.follows
    outcome = tell(event("call.rejection.outcome"), names()).text
    assert outcome == "市委编办 李四协调决定：由市公安局办理（驳回不成立），依据：《配合事项清单》第 1 项"
    assert tell(event("supervision.update"), names()).text == "督办等级定为黄牌，督办整改完毕，待核实"
    assert tell(event("timer.fire"), names()).text == "时限已到（2026-11-23 11:00），流程按时限继续"


def test_a_reader_without_the_data_learns_who_did_what_at_which_step_and_no_reason():
    said = tell(event("task.complete"), names(), whole=False).text
    assert said == "市公安局 张三：完成任务（签收响应）"
    assert "不属于" not in tell(event("call.party"), names(), whole=False).text


def test_an_unknown_person_or_organisation_is_said_as_such_never_by_code():
    text = tell({**event("task.delegate"), "actor": "ghost", "payload": {"task": "x9", "to": "nobody"}}, names()).text
    assert "ghost" not in text and "nobody" not in text and "x9" not in text
    assert datetime.now(timezone.utc)  # the sentence needs no clock
