"""The real processes/ run on the engine alone (no Flask, no database), the state dumped and reloaded at every step.

Service tasks call host operations; here they are honest Python functions over a plain dict (`Town`), returning
what app/governance/host_operations.py returns, so the diagrams' expressions, scripts, DMN tables, call
activities and multi-instance tasks are exercised exactly as the host runs them.
"""

import json
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from freezegun import freeze_time

from app.config import Config
from app.engine.parser import DiagramLimits, parse_bundle
from app.engine.runner import Engine, RunLimits
from app.engine.scripting import Limits, Sandbox

ROOT = Path(__file__).resolve().parents[2]
LIMITS = Limits(Config.SCRIPT_TIME_LIMIT, Config.SCRIPT_SIZE_LIMIT)  # as the host passes them down from Config
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # a Monday, 09:00 in Tianchang
FISHING = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
           "extra_departments": [], "photos": []}
APPLICATION = {"duty_title": "农村宅基地违法占用的日常巡查", "legal_basis": "《中华人民共和国土地管理法》第六十二条",
               "reason": "镇街熟悉情况，便于早发现早制止", "funds": 20, "staff": 2, "training": "每年集中培训一次",
               "equipment": "无人机一台", "target_towns": ["tongcheng"], "list_kind": "cooperation",
               "response_hours": 24, "handle_days": 10, "effective_from": "2026-04-01"}
NONGYE = ("nongye", "nongye")
ORG_KINDS = {"tongcheng": "town", "nongye": "department", "gongan": "department", "bianban": "office",
             "ducha": "supervision"}


def working_days_from(start, n):
    """Monday to Friday only: holidays are the host's calendar, not the engine's concern."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


class Town:
    """The host's records as plain dicts, and the host operations of processes/ over them."""

    def __init__(self):
        self.items = {"P-0001": {"title": "查处高邮湖非法电鱼", "lead": "nongye", "cooperating": ["gongan"],
                                 "response_hours": 2, "handle_days": 3, "status": "active", "kind": "power"}}
        self.calls, self.cases, self.extensions, self.evaluations, self.notices = {}, {}, {}, [], []
        self.log, self.started = [], []

    def call_service(self, operation, params):
        self.log.append(operation)
        return getattr(self, operation.replace(".", "_"))(**params)

    def party(self, number, org):
        return self.calls[number]["parties"][org]

    def lists_lookup(self, item):
        found = self.items[item]
        return {"code": item, "title": found["title"], "lead": found["lead"], "cooperating": found["cooperating"],
                "response_hours": found["response_hours"], "handle_days": found["handle_days"],
                "status": found["status"]}

    def lists_publish(self, kind, title, category, lead, response_hours, handle_days, cooperating=None,
                      legal_basis="", lead_duties="", cooperating_duties="", effective_from=None, effective_to=None,
                      towns_lead=None):
        leads = [(town, [lead]) for town in towns_lead] if towns_lead else [(lead, list(cooperating or []))]
        codes = []
        for lead_org, cooperating_orgs in leads:
            code = f"{kind[0].upper()}-{len(self.items) + 1:04d}"
            self.items[code] = {"title": title, "lead": lead_org, "cooperating": cooperating_orgs, "kind": kind,
                                "response_hours": int(response_hours), "handle_days": int(handle_days),
                                "status": "active", "effective_from": effective_from, "effective_to": effective_to}
            codes.append(code)
        return {"codes": codes}

    def lists_retire(self, codes, reason):
        for code in codes:
            self.items[code]["status"] = "retired"
        return {"retired": list(codes)}

    def lists_propose_amendment(self, item, note):
        self.notices.append(("bianban", f"清单调整建议：{item}：{note}"))
        return {"proposed": True}

    def calls_open(self, item, location, description, urgency, extra=None, photos=None):
        found = self.items[item]
        number = f"HJ2026{len(self.calls) + 1:04d}"
        departments = [found["lead"], *found["cooperating"], *(extra or [])]
        self.calls[number] = {"title": found["title"], "status": "open", "redo_count": 0, "location": location,
                              "parties": {org: {"status": "waiting"} for org in departments}}
        return {"number": number, "title": found["title"], "caller_org": "tongcheng", "item_code": item,
                "departments": departments, "lead": found["lead"], "response_hours": found["response_hours"],
                "handle_days": found["handle_days"]}

    def calls_start_clock(self, number, response_hours, handle_days):
        due = NOW + timedelta(hours=float(response_hours))
        for party in self.calls[number]["parties"].values():
            party["response_due"] = due
        return {"response_due": due.isoformat(), "handle_days": int(handle_days)}

    def calls_respond(self, number, org, decision, handle_days, reason=None):
        party, due = self.party(number, org), None
        if decision == "accept":
            due = working_days_from(NOW, int(handle_days))
            party.update(status="handling", handle_due=due)
            self.calls[number]["status"] = "handling"
        else:
            party.update(status="rejected", rejection_reason=reason or "")
            self.calls[number]["status"] = "disputed"
        return {"late_hours": 0, "late": False, "supervise_late": False, "handle_due": due and due.isoformat()}

    def calls_forward(self, number, org):
        self.party(number, org)["status"] = "negotiating"
        self.notices.append(("ducha", f"呼叫 {number} 被 {org} 驳回，请组织协商"))
        return {"forwarded": True}

    def calls_rejection(self, number, org, outcome, handle_days, responsible=None, basis=None):
        overturned = responsible == org
        self.party(number, org).update(rejection_outcome=outcome, rejection_overturned=overturned,
                                       status="handling" if overturned else "released")
        due = None
        if responsible:
            due = working_days_from(NOW, int(handle_days))
            self.party(number, responsible).update(status="handling", handle_due=due)
            self.calls[number]["status"] = "handling"
        return {"handle_due": due and due.isoformat(), "overturned": overturned}

    def calls_request_extension(self, number, org, days, reason):
        ident = len(self.extensions) + 1
        self.extensions[ident] = {"number": number, "org": org, "days": int(days), "status": "pending"}
        return {"id": ident, "days": int(days)}

    def calls_decide_extension(self, id, approved):  # the parameter name designers use
        extension = self.extensions[int(id)]
        party = self.party(extension["number"], extension["org"])
        extension["status"] = "approved" if approved else "refused"
        if approved:
            party["handle_due"] = working_days_from(party["handle_due"], extension["days"])
        return {"handle_due": party["handle_due"].isoformat(), "approved": bool(approved)}

    def calls_handled(self, number, org, result):
        self.party(number, org).update(status="handled", result=str(result or ""))
        return {"handled": True}

    def calls_update(self, number, status):
        call = self.calls[number]
        if status == "redo":
            call["redo_count"] += 1
            status = "handling"
        call["status"] = status
        return {"status": call["status"], "redo_count": call["redo_count"]}

    def evaluations_record(self, kind, number, rater, ratees, grade=None, accuracy=None, cooperation=None,
                           comment=""):
        self.evaluations += [(kind, number, rater, ratee, grade) for ratee in ratees]
        return {"recorded": len(ratees)}

    def evaluations_record_ratings(self, number, raters, ratee, ratings):
        self.evaluations += [("call_quality", number, rater, ratee, rating.get("accuracy"))
                             for rater, rating in zip(raters, ratings, strict=True)]
        return {"recorded": len(raters)}

    def supervision_open(self, target, reason, summary, number=None, late_hours=0):
        case = f"DB2026{len(self.cases) + 1:04d}"
        self.cases[case] = {"target": target, "reason": reason, "call": number, "grade": "blue", "status": "open"}
        kind = ORG_KINDS[target]
        return {"number": case, "target_org": target, "reason": reason, "lateness_hours": late_hours or 0,
                "summary": summary, "target_role": "dept_staff" if kind == "department" else "town_staff"}

    def supervision_update(self, number, grade=None, status=None, note=None):
        case = self.cases[number]
        case.update({k: v for k, v in (("grade", grade), ("status", status)) if v})
        return {"number": number, "grade": case["grade"], "status": case["status"]}

    def notify(self, org, text, role=None, **_):
        self.notices.append((org, text))
        return {"notified": True}

    def orgs_kind(self, org):
        return ORG_KINDS[org]


def form_data(form_id, answers):
    """What the host submits: every field of the form, those the user left out as null (DESIGN: scripts see null)."""
    form = json.loads((ROOT / "forms" / f"{form_id}.json").read_text(encoding="utf-8"))
    return {**{c["key"]: None for c in form["components"] if "key" in c}, **answers}


def helpers():
    return {"now": lambda: NOW.isoformat(), "today": lambda: NOW.date().isoformat(),
            "working_days_from_now": lambda n: working_days_from(NOW, n).isoformat()}


@pytest.fixture(autouse=True)
def clock():
    """SpiffWorkflow's timers read the wall clock: hold it at NOW, where every deadline is still ahead."""
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture(scope="module")
def engine():
    files = {p.name: p.read_bytes() for p in sorted((ROOT / "processes").iterdir()) if p.suffix in {".bpmn", ".dmn"}}
    limits = DiagramLimits(Config.MAX_FLOW_NODES, Config.MAX_DIAGRAM_BYTES, Config.MAX_DIAGRAM_ELEMENTS)
    bundle = parse_bundle(files, limits)
    assert bundle.warnings == [], "the county's own diagrams need no reading by default"
    built = Engine(RunLimits.from_config(Config))
    for process_id in bundle.process_files:
        built.register(f"test:{process_id}", *bundle.spec(process_id))
    return built


MESSAGE_STARTS = {"supervision_opened": "supervision_case"}
# Thrown messages whose procedure these engine-only tests do not play: the escalation ladder that watches each
# case runs on timers and host facts, and is played through the host in tests/procedures/test_supervision_escalation.
NOT_PLAYED = {"supervision_watch"}


def state_of(blob):
    return json.loads(zlib.decompress(blob))


def engine_start_form(process_id):
    return {"call_response": "call_form", "admission_approval": "admission_form"}.get(process_id)


class Instance:
    """One instance kept only as its dumped state: every step loads it, acts, advances and dumps it again."""

    def __init__(self, engine, town, process_id, data, message=None, starter=None):
        self.engine, self.town, self.sandbox = engine, town, Sandbox(limits=LIMITS, helpers=helpers())
        self.process_id = process_id
        form = engine_start_form(process_id)
        data = form_data(form, data) if form else dict(data)
        if starter:  # who started it, as the host records it for `org` expressions that default to the initiator
            data.update(initiator=starter[0], initiator_org=starter[1])
        run = engine.start(f"test:{process_id}", data, self.sandbox, town.call_service)
        run.advance()
        if message is not None:  # a message start event: the host delivers what started it, as it does
            assert run.deliver(message)
            run.advance()
        self.save(run)

    def save(self, run):
        """Drain thrown messages (the host routes them: a message start begins its process), then dump and reload."""
        for message in run.take_messages():
            if message.name in NOT_PLAYED:
                continue
            self.town.started.append(Instance(self.engine, self.town, MESSAGE_STARTS[message.name], {}, message))
        self.state = run.dump()
        reloaded = self.load()
        assert state_of(reloaded.dump()) == state_of(self.state), "a reloaded instance dumps to the same state"
        assert [t.id for t in reloaded.ready_tasks()] == [t.id for t in run.ready_tasks()]

    def load(self):
        return self.engine.load(self.state, self.sandbox, self.town.call_service)

    def ready(self, bpmn_id=None):
        return [t for t in self.load().ready_tasks() if bpmn_id in (None, t.bpmn_id)]

    def org_of(self, task):
        return self.load().evaluate(task.id, task.properties["org"])

    def complete(self, bpmn_id, data, org=None):
        run = self.load()
        tasks = [t for t in run.ready_tasks() if t.bpmn_id == bpmn_id
                 and (org is None or org == run.evaluate(t.id, t.properties["org"]))]
        assert len(tasks) == 1, (bpmn_id, org, [t.bpmn_id for t in run.ready_tasks()])
        run.complete_task(tasks[0].id, form_data(tasks[0].properties["form"], data))
        run.advance()
        self.save(run)
        return tasks[0]

    def wake(self):
        """What the timer sweep does: load, fire due timers and step, save."""
        run = self.load()
        run.advance()
        self.save(run)

    def next_timer_due(self):
        return self.load().next_timer_due()

    def completed(self):
        return self.load().is_completed()


def test_every_process_of_the_bundle_parses_and_registers(engine):
    for process_id in ("call_response", "department_response", "reject_forward_coordinate", "admission_approval",
                       "town_opinion", "assigned_matter", "supervision_case"):
        assert engine.knows(f"test:{process_id}"), process_id


def test_call_response_accepted_handled_confirmed_and_rated(engine):
    town = Town()
    call = Instance(engine, town, "call_response", FISHING, starter=("zhenjie", "tongcheng"))
    responses = call.ready("respond")
    assert sorted(call.org_of(t) for t in responses) == ["gongan", "nongye"]
    for org in ("nongye", "gongan"):
        call.complete("respond", {"decision": "accept"}, org=org)
    (number,) = town.calls
    assert town.calls[number]["status"] == "handling"
    for org in ("nongye", "gongan"):
        call.complete("handle", {"action": "done", "result": f"{org} 已处置"}, org=org)
    call.complete("confirm", {"grade": "满意", "comment": "处置及时"})
    for org in ("nongye", "gongan"):
        call.complete("rate_call", {"accuracy": 5, "cooperation": 4}, org=org)
    assert call.completed()
    assert town.calls[number]["status"] == "closed"
    assert {p["status"] for p in town.calls[number]["parties"].values()} == {"handled"}
    assert sorted(e for e in town.evaluations if e[0] == "satisfaction") == [
        ("satisfaction", number, "tongcheng", "gongan", "满意"), ("satisfaction", number, "tongcheng", "nongye", "满意")]
    assert sorted(e[2] for e in town.evaluations if e[0] == "call_quality") == ["gongan", "nongye"]
    assert town.cases == {}


def handle_and_close(call, orgs):
    for org in orgs:
        call.complete("handle", {"action": "done", "result": f"{org} 已处置"}, org=org)
    call.complete("confirm", {"grade": "基本满意", "comment": ""})
    for org in orgs:
        call.complete("rate_call", {"accuracy": 4, "cooperation": 4}, org=org)


def test_call_response_rejected_forwarded_coordinated_and_supervised(engine):
    town = Town()
    call = Instance(engine, town, "call_response", FISHING, starter=("zhenjie", "tongcheng"))
    (number,) = town.calls
    call.complete("respond", {"decision": "accept"}, org="nongye")
    call.complete("respond", {"decision": "reject", "reason": "应由农业部门办理"}, org="gongan")
    assert town.calls[number]["status"] == "disputed"
    (decide,) = call.ready("decide")
    assert call.org_of(decide) == "tongcheng"
    call.complete("decide", {"choice": "forward"})
    assert town.party(number, "gongan")["status"] == "negotiating"
    call.complete("negotiate", {"agreed": "no", "responsible": "department", "summary": "双方各执己见"})
    call.complete("coordinate", {"responsible": "department", "basis_kind": "list",
                                 "basis_note": "清单事项 P-0001 明确公安配合", "amend_list": True,
                                 "amendment_note": "明确公安机关的配合职责"})
    gongan = town.party(number, "gongan")
    assert (gongan["rejection_outcome"], gongan["rejection_overturned"]) == ("coordination", True)
    assert ("bianban", "清单调整建议：P-0001：明确公安机关的配合职责") in town.notices
    (case_number, case), = town.cases.items()
    assert (case["target"], case["reason"]) == ("gongan", "forwarded")
    (supervision,) = town.started
    assert supervision.process_id == "supervision_case"
    (rectify,) = supervision.ready("rectify")
    assert supervision.org_of(rectify) == "gongan"
    supervision.complete("rectify", {"measures": "立即出警", "result": "已查处"})
    supervision.complete("verify", {"verify_decision": "close"})
    assert supervision.completed() and town.cases[case_number]["status"] == "closed"
    handle_and_close(call, ["nongye", "gongan"])
    assert call.completed() and town.calls[number]["status"] == "closed"
    assert town.log.count("calls.rejection") == 1 and town.log.count("supervision.open") == 1


def test_admission_approved_publishes_a_cooperation_item_and_tells_the_towns(engine):
    town = Town()
    application = Instance(engine, town, "admission_approval", APPLICATION, starter=NONGYE)
    application.complete("leader_review", {"decision": "approve"})
    application.complete("formal_review", {"decision": "accept"})
    (opinion,) = application.ready("give_opinion")
    assert application.org_of(opinion) == "tongcheng" and opinion.properties["kpi"] == "consult"
    application.complete("give_opinion", {"agree": "agree", "opinion_text": "同意承接"})
    application.complete("office_review", {"decision": "approve", "comment": "同意"})
    assert application.ready("leader_approval") == []
    assert application.completed()
    (code,) = set(town.items) - {"P-0001"}
    published = town.items[code]
    assert (published["title"], published["lead"], published["cooperating"], published["kind"]) == (
        APPLICATION["duty_title"], "nongye", ["tongcheng"], "cooperation")
    assert town.log.count("lists.publish") == 1


def test_admission_with_a_disagreeing_town_goes_to_the_leader_who_refuses(engine):
    town = Town()
    application = Instance(engine, town, "admission_approval",
                           dict(APPLICATION, target_towns=["tongcheng", "qinlan"]), starter=NONGYE)
    application.complete("leader_review", {"decision": "approve"})
    application.complete("formal_review", {"decision": "accept"})
    application.complete("give_opinion", {"agree": "disagree", "opinion_text": "人手不足"}, org="tongcheng")
    application.complete("give_opinion", {"agree": "agree", "opinion_text": "同意"}, org="qinlan")
    application.complete("office_review", {"decision": "approve"})
    (leader,) = application.ready("leader_approval")
    assert (leader.data["disagree_count"], leader.data["missing_count"]) == (1, 0), "what its instructions show"
    application.complete("leader_approval", {"decision": "reject"})
    assert application.completed() and set(town.items) == {"P-0001"} and "lists.publish" not in town.log


def test_a_town_missing_its_opinion_deadline_is_recorded_across_a_reload(engine, clock):
    town = Town()
    application = Instance(engine, town, "admission_approval", APPLICATION, starter=NONGYE)
    application.complete("leader_review", {"decision": "approve"})
    application.complete("formal_review", {"decision": "accept"})
    due = application.next_timer_due()
    assert due is not None and due > NOW
    clock.move_to(due + timedelta(minutes=1))
    application.wake()
    assert application.ready("give_opinion") == []
    (review,) = application.ready("office_review")
    assert (review.data["disagree_count"], review.data["missing_count"]) == (0, 1), "what its instructions show"
    assert any(org == "bianban" and "tongcheng 未在期限内反馈" in text for org, text in town.notices)
    application.complete("office_review", {"decision": "approve"})
    application.complete("leader_approval", {"decision": "approve"})
    assert application.completed()
