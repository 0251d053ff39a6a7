"""呼叫—响应 through the real diagrams: accept, reject paths, deadlines, extension, urge, redo."""

from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.governance.calls import get_call
from app.governance.evaluations import Evaluation
from app.workflow.instances import get_instance
from tests.procedures.helpers import Driver

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Tianchang
FISHING = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
           "extra_departments": [], "photos": []}


@pytest.fixture(params=["service", "rest"])
def drive(request, session, runtime, user, procedures, api_as):
    """Every path runs twice: through the service layer, and through the REST API."""
    return Driver(session, runtime, user, api_as if request.param == "rest" else None)


def test_accept_handle_confirm_and_rate(drive, session):
    with freeze_time(MONDAY):
        instance = drive.start("zhenjie", "call_response", FISHING)
        call = get_call(session, instance.business_key)
        assert sorted(p.org_code for p in call.parties) == ["gongan", "nongye"]
        responses = drive.open("respond")
        assert sorted(t.orgs[0] for t in responses) == ["gongan", "nongye"]
        assert all(t.kpi == "respond" and t.due_at == MONDAY + timedelta(hours=2) for t in responses)
        for org in ("nongye", "gongan"):
            drive.complete("respond", {"decision": "accept"}, org=org)
        for org in ("nongye", "gongan"):
            drive.complete("handle", {"action": "done", "result": f"{org} 已处置"}, org=org)
        drive.complete("confirm", {"grade": "满意", "comment": "处置及时"})
        for org in ("nongye", "gongan"):
            drive.complete("rate_call", {"accuracy": 5, "cooperation": 4}, org=org)
    session.expire_all()
    assert get_instance(session, instance.id).status == "completed"
    call = get_call(session, instance.business_key)
    assert call.status == "closed" and {p.status for p in call.parties} == {"handled"}
    grades = session.scalars(select(Evaluation).where(Evaluation.call_id == call.id)).all()
    assert sorted((e.kind, e.ratee_org, e.grade) for e in grades if e.kind == "satisfaction") == [
        ("satisfaction", "gongan", "满意"), ("satisfaction", "nongye", "满意")]
    assert sorted((e.rater_org, e.ratee_org, e.accuracy) for e in grades if e.kind == "call_quality") == [
        ("gongan", "tongcheng", 5), ("nongye", "tongcheng", 5)]


def handle_and_close(drive, orgs, grade="满意"):
    for org in orgs:
        drive.complete("handle", {"action": "done", "result": f"{org} 已处置"}, org=org)
    drive.complete("confirm", {"grade": grade, "comment": ""})
    for org in orgs:
        drive.complete("rate_call", {"accuracy": 4, "cooperation": 4}, org=org)


def test_two_departments_one_rejects_and_the_caller_accepts_the_rejection(drive, session):
    with freeze_time(MONDAY):
        instance = drive.start("zhenjie", "call_response", FISHING)
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        drive.complete("respond", {"decision": "reject", "reason": "不属于本单位职责"}, org="gongan")
        decide = drive.one("decide")
        assert decide.orgs == ["tongcheng"] and "不属于本单位职责" in decide.instructions
        drive.complete("decide", {"choice": "accept"})
        handle_and_close(drive, ["nongye"])
    session.expire_all()
    call = get_call(session, instance.business_key)
    parties = {p.org_code: p for p in call.parties}
    assert call.status == "closed"
    assert (parties["gongan"].status, parties["gongan"].rejection_outcome, parties["gongan"].rejection_overturned) == (
        "released", "accepted", False)


def forward_and_negotiate(drive, agreed, responsible="department"):
    drive.complete("respond", {"decision": "accept"}, org="nongye")
    drive.complete("respond", {"decision": "reject", "reason": "应由农业部门办理"}, org="gongan")
    drive.complete("decide", {"choice": "forward"})
    drive.complete("negotiate", {"agreed": agreed, "responsible": responsible, "summary": "双方协商意见"})


def test_forward_agreement_is_filed_and_the_department_handles(drive, session):
    with freeze_time(MONDAY) as clock:
        instance = drive.start("zhenjie", "call_response", FISHING)
        forward_and_negotiate(drive, "yes")
        assert get_call(session, instance.business_key).status == "disputed"
        drive.complete("filing", {"filing_decision": "returned", "filing_comment": "依据不足"})
        drive.complete("negotiate", {"agreed": "yes", "responsible": "department", "summary": "补充依据后一致"})
        clock.tick(timedelta(hours=30))
        drive.complete("filing", {"filing_decision": "filed"})
        handle = drive.one("handle", org="gongan")
        # the handle clock starts when the outcome is decided, not when the call came in
        assert handle.due_at > MONDAY + timedelta(days=3)
        handle_and_close(drive, ["nongye", "gongan"])
    session.expire_all()
    party = {p.org_code: p for p in get_call(session, instance.business_key).parties}["gongan"]
    assert (party.rejection_outcome, party.rejection_overturned, party.status) == ("agreement", True, "handled")


def test_no_agreement_is_coordinated_then_supervised_until_handled(drive, session):
    from app.governance.supervision import SupervisionCase

    with freeze_time(MONDAY):
        instance = drive.start("zhenjie", "call_response", FISHING)
        forward_and_negotiate(drive, "no")
        drive.complete("coordinate", {"responsible": "department", "basis_kind": "list",
                                      "basis_note": "清单事项 P-0001 明确公安配合", "amend_list": True,
                                      "amendment_note": "明确公安机关的配合职责"})
        case = session.scalar(select(SupervisionCase).where(SupervisionCase.reason == "forwarded"))
        assert case.target_org == "gongan" and case.grade == "blue"
        drive.complete("rectify", {"measures": "立即出警", "result": "已查处"}, org="gongan")
        drive.complete("verify", {"verify_decision": "close"})
        handle_and_close(drive, ["nongye", "gongan"])
    session.expire_all()
    assert session.get(SupervisionCase, case.id).status == "closed"
    call = get_call(session, instance.business_key)
    gongan = {p.org_code: p for p in call.parties}["gongan"]
    assert gongan.rejection_outcome == "coordination" and gongan.rejection_overturned
    assert call.status == "closed"


def sweep(session, runtime):
    from sqlalchemy.orm import Session

    from app.cli.sweep import tick

    return tick(lambda: Session(session.get_bind()), runtime)


def test_no_response_and_late_response_open_graded_supervision_cases(drive, session, runtime):
    from app.governance.supervision import SupervisionCase

    with freeze_time(MONDAY) as clock:
        instance = drive.start("zhenjie", "call_response", FISHING)
        clock.tick(timedelta(hours=3))  # past the 2 working-hour response limit
        assert sweep(session, runtime).fired == 1
        session.expire_all()
        cases = session.scalars(select(SupervisionCase).order_by(SupervisionCase.target_org)).all()
        assert [(c.target_org, c.reason, c.grade) for c in cases] == [
            ("gongan", "no_response", "yellow"), ("nongye", "no_response", "yellow")]
        assert len(drive.open("rectify")) == 2
        clock.tick(timedelta(days=3))
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        drive.complete("respond", {"decision": "accept"}, org="gongan")
    session.expire_all()
    late = session.scalars(select(SupervisionCase).where(SupervisionCase.reason == "late_response")).all()
    assert late == [], "a party already supervised for not responding is not opened again"
    assert get_instance(session, instance.id).status == "running"


def test_a_late_response_without_a_sweep_opens_a_late_response_case(drive, session):
    from app.governance.supervision import SupervisionCase

    with freeze_time(MONDAY) as clock:
        drive.start("zhenjie", "call_response", FISHING)
        clock.tick(timedelta(days=4))  # nobody swept timers: the response itself is late
        drive.complete("respond", {"decision": "accept"}, org="nongye")
    session.expire_all()
    (case,) = session.scalars(select(SupervisionCase).where(SupervisionCase.reason == "late_response")).all()
    assert case.target_org == "nongye" and case.lateness_hours > 72 and case.grade == "red"


@pytest.mark.parametrize("approve", ["yes", "no"])
def test_extension_request_moves_the_deadline_only_when_approved(drive, session, approve):
    from app.governance.calls import CallExtension

    with freeze_time(MONDAY):
        instance = drive.start("zhenjie", "call_response", FISHING)
        for org in ("nongye", "gongan"):
            drive.complete("respond", {"decision": "accept"}, org=org)
        before = drive.one("handle", org="nongye").due_at
        drive.complete("handle", {"action": "extension", "extension_days": 3, "extension_reason": "需联合执法"},
                       org="nongye")
        approval = drive.one("approve_extension")
        assert approval.orgs == ["ducha"] and "需联合执法" in approval.instructions
        drive.complete("approve_extension", {"approve": approve})
        after = drive.one("handle", org="nongye").due_at
    session.expire_all()
    (extension,) = session.scalars(select(CallExtension)).all()
    party = {p.org_code: p for p in get_call(session, instance.business_key).parties}["nongye"]
    if approve == "yes":
        assert extension.status == "approved" and after > before and party.handle_due == after
        assert (after - before).days >= 3
    else:
        assert extension.status == "refused" and after == before and party.handle_due == before


def test_urging_a_late_department_is_counted(drive, session):
    from app.governance.calls import CallUrge

    with freeze_time(MONDAY) as clock:
        instance = drive.start("zhenjie", "call_response", FISHING)
        number = instance.business_key
        assert drive.urge("zhenjie", number, "nongye") == "invalid_state", "not yet past the response deadline"
        clock.tick(timedelta(hours=5))
        assert drive.urge("nongye", number, "gongan") == "forbidden", "only the caller urges"
        assert drive.urge("zhenjie", number, "nongye", "请尽快响应") == "ok"
        assert drive.urge("zhenjie", number, "nongye") == "ok"
    session.expire_all()
    party = {p.org_code: p for p in get_call(session, number).parties}["nongye"]
    assert party.urge_count == 2 and len(session.scalars(select(CallUrge)).all()) == 2


def test_not_satisfied_sends_it_back_for_redo_at_most_twice(drive, session):
    with freeze_time(MONDAY):
        instance = drive.start("zhenjie", "call_response", FISHING)
        for org in ("nongye", "gongan"):
            drive.complete("respond", {"decision": "accept"}, org=org)
            drive.complete("handle", {"action": "done", "result": "已处置"}, org=org)
        for round_number in (1, 2):
            drive.complete("confirm", {"grade": "不满意", "comment": f"第 {round_number} 次不满意"})
            assert get_call(session, instance.business_key).redo_count == round_number
            for org in ("nongye", "gongan"):
                drive.complete("redo", {"redo_result": "重新处置"}, org=org)
        drive.complete("confirm", {"grade": "不满意", "comment": "仍不满意"})
        assert drive.open("redo") == [], "after two redos the call goes on to be closed"
        for org in ("nongye", "gongan"):
            drive.complete("rate_call", {"accuracy": 3, "cooperation": 3}, org=org)
    session.expire_all()
    call = get_call(session, instance.business_key)
    assert call.status == "closed" and call.redo_count == 2
    grades = [e.grade for e in session.scalars(select(Evaluation).where(
        Evaluation.call_id == call.id, Evaluation.kind == "satisfaction"))]
    assert grades.count("不满意") == 6


def test_redo_then_satisfied(drive, session):
    with freeze_time(MONDAY):
        instance = drive.start("zhenjie", "call_response", FISHING)
        for org in ("nongye", "gongan"):
            drive.complete("respond", {"decision": "accept"}, org=org)
            drive.complete("handle", {"action": "done", "result": "已处置"}, org=org)
        drive.complete("confirm", {"grade": "不满意", "comment": "没有处理到位"})
        for org in ("nongye", "gongan"):
            drive.complete("redo", {"redo_result": "重新处置"}, org=org)
        drive.complete("confirm", {"grade": "基本满意"})
        for org in ("nongye", "gongan"):
            drive.complete("rate_call", {"accuracy": 4, "cooperation": 5}, org=org)
    session.expire_all()
    assert get_call(session, instance.business_key).status == "closed"


def test_inaction_past_the_handle_limit_opens_a_supervision_case(drive, session, runtime):
    from app.governance.supervision import SupervisionCase

    with freeze_time(MONDAY) as clock:
        drive.start("zhenjie", "call_response", FISHING)
        for org in ("nongye", "gongan"):
            drive.complete("respond", {"decision": "accept"}, org=org)
        drive.complete("handle", {"action": "done", "result": "已处置"}, org="gongan")
        clock.tick(timedelta(days=7))  # past 3 working days for 市农业农村局
        assert sweep(session, runtime).fired == 1
    session.expire_all()
    (case,) = session.scalars(select(SupervisionCase).where(SupervisionCase.reason == "inaction")).all()
    assert case.target_org == "nongye" and case.grade == "yellow"
    assert drive.one("handle", org="nongye"), "the task stays open: the timer only supervises"


def test_a_wrong_item_or_organisation_is_refused_before_anything_is_written(drive, session):
    from app.governance.calls import Call
    from app.workflow.models import ProcessInstance

    wrong = drive.refuse_start("zhenjie", "call_response", dict(FISHING, item_code="P-9999"))
    assert wrong == {"item_code": ["清单事项 P-9999 不存在"]}
    extra = drive.refuse_start("zhenjie", "call_response", dict(FISHING, extra_departments=["nowhere"]))
    assert extra == {"extra_departments": ["不是允许的选项"]}
    session.expire_all()
    assert session.scalars(select(Call)).all() == [] and session.scalars(select(ProcessInstance)).all() == []


def test_a_call_waiting_on_its_departments_finishes_after_a_restart(session, runtime, user, procedures,
                                                                     database_url):
    """The departments' parallel step is a multi-instance loop: a loop whose children were made before the restart
    hears them complete in the new process too (app/engine/loops.py)."""
    from app import create_app
    from app.extensions import db
    from tests.conftest import make_config

    with freeze_time(MONDAY):
        before = Driver(session, runtime, user)
        instance = before.start("zhenjie", "call_response", FISHING)
        before.complete("respond", {"decision": "accept"}, org="nongye")
        restarted = create_app(make_config(database_url))  # a new process: empty spec cache, new engine
        with restarted.app_context():
            from app.domain.people import get_user

            after = Driver(db.session, restarted.extensions["tianchang.runtime"], lambda name: get_user(db.session, name))
            after.complete("respond", {"decision": "accept"}, org="gongan")
            for org in ("nongye", "gongan"):
                after.complete("handle", {"action": "done", "result": f"{org} 已处置"}, org=org)
            assert after.one("confirm").instance_id == instance.id
            db.session.remove()
