"""督办升级 through the real diagrams: a case nobody rectifies climbs the ladder (processes/escalation_ladder.dmn)
one working morning at a time to 约谈, which the leader's office records; rectifying stops it; cards jump it."""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.domain.actors import Actor
from app.domain.calendars import WorkingCalendar
from app.domain.notifications import Notification
from app.engine.decisions import evaluate_decision
from app.errors import ValidationFailed
from app.governance.escalation import escalate, next_opening, record_interview, whole_working_days
from app.governance.supervision import SupervisionCase, get_case
from app.governance.supervision_ladder import EscalationStep, SupervisionInterview
from app.governance.supervision_queries import case_record
from app.workflow import tasks
from app.workflow.instances import get_instance
from app.workflow.models import ProcessInstance
from tests.conftest import login
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING, MONDAY, sweep

LADDER = (Path(__file__).resolve().parents[2] / "processes" / "escalation_ladder.dmn").read_bytes()
UTC = timezone.utc
PREFIXES = {"urge": "督办 ", "notice": "书面通报", "yellow": "黄牌警告", "red": "红牌警告", "interview": "约谈："}


@pytest.fixture
def drive(session, runtime, user, procedures):
    return Driver(session, runtime, user)


def morning(day, minute=1):
    """09:01 in Tianchang on 2026-03-<day> (March 2026 has no holiday)."""
    return datetime(2026, 3, day, 1, minute, tzinfo=UTC)


def open_no_response_cases(drive, session, runtime, clock):
    """A call nobody answers: at 12:00 both departments' no-response cases open (yellow), and their ladders start."""
    drive.start("zhenjie", "call_response", FISHING)
    clock.tick(timedelta(hours=3))
    assert sweep(session, runtime).fired == 1
    session.expire_all()
    return {c.target_org: c for c in session.scalars(select(SupervisionCase))}


def steps_of(session, case):
    session.expire_all()
    rows = session.scalars(select(EscalationStep).where(EscalationStep.case_id == case.id).order_by(EscalationStep.id))
    return [(row.step, row.at.astimezone(timezone(timedelta(hours=8))).day, row.recipients) for row in rows]


def addressed(session, case, step):
    """(organisation, role) of each notice a step of the case sent."""
    notes = session.scalars(select(Notification).where(Notification.subject == f"supervision:{case.number}"))
    return sorted((n.org_code, n.role or "") for n in notes if n.text.startswith(PREFIXES[step])
                  and (step != "urge" or "催办" in n.text))


def complete(drive, task, data):
    tasks.complete_task(drive.session, drive.runtime, drive.user("lingdao"), task.id, data)
    drive.session.commit()


def escalations(session):
    session.expire_all()
    return list(session.scalars(select(ProcessInstance).where(ProcessInstance.process_id == "supervision_escalation")))


def test_an_unrectified_case_climbs_the_ladder_to_an_interview_the_leaders_office_records(drive, session, runtime,
                                                                                          user, client):
    with freeze_time(MONDAY) as clock:
        cases = open_no_response_cases(drive, session, runtime, clock)
        case = cases["gongan"]
        assert case.grade == "yellow" and len(escalations(session)) == 2
        assert steps_of(session, case) == [], "nothing the day the case opens"
        for day in (3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 23, 24):
            clock.move_to(morning(day))
            assert sweep(session, runtime).fired == 2, day  # each case's ladder looks once every working morning
        steps = steps_of(session, case)
        assert steps == [("urge", 4, ["unit"]), ("notice", 9, ["unit", "leader"]),
                         ("yellow", 12, ["unit", "leader", "bianban"]), ("red", 18, ["unit", "leader", "bianban", "gov"]),
                         ("interview", 24, ["leader", "bianban", "gov"])]
        assert addressed(session, case, "urge") == [("gongan", "")]
        assert addressed(session, case, "notice") == [("gongan", ""), ("gongan", "dept_leader")]
        assert addressed(session, case, "yellow") == [("bianban", ""), ("gongan", ""), ("gongan", "dept_leader")]
        assert addressed(session, case, "red") == [("bianban", ""), ("gongan", ""), ("gongan", "dept_leader"),
                                                    ("gov", "leader")]
        assert addressed(session, case, "interview") == [("bianban", ""), ("gongan", "dept_leader"), ("gov", "leader")]
        assert get_case(session, case.number).grade == "red", "the red card raised the grade"

        (task,) = [t for t in drive.open("record_interview", org="gov") if case.number in t.title]
        assert [(c.org_code, c.role) for c in task.candidates] == [("gov", "leader")]
        assert task.title == f"约谈记录：{case.number}（市公安局）" and len(drive.open("record_interview")) == 2
        complete(drive, task, {"held_on": "2026-03-30", "attendees": "李书记", "outcome": "限期整改"})
        (task,) = [t for t in drive.open("record_interview", org="gov") if case.number in t.title]
        assert session.scalars(select(SupervisionInterview)).all() == [], "a date after today goes back to be corrected"
        tasks.complete_task(session, runtime, user("lingdao"), task.id, {
            "held_on": "2026-03-24", "attendees": "李书记、市公安局局长", "outcome": "三日内整改到位并书面报告"})
        session.commit()
        clock.move_to(morning(25))
        assert sweep(session, runtime).fired == 0, "both ladders ended at 约谈"
    session.expire_all()
    (interview,) = session.scalars(select(SupervisionInterview).where(SupervisionInterview.case_id == case.id))
    assert (interview.held_on.isoformat(), interview.recorded_by, interview.outcome) == (
        "2026-03-24", "lingdao", "三日内整改到位并书面报告")
    assert session.get(EscalationStep, interview.step_id).step == "interview"
    assert get_instance(session, task.instance_id).status == "completed"
    record = case_record(session, user("ducha"), case.number)
    said = [entry["text"] for group in record["history"] for entry in group["events"]]
    assert "市公安局逾期未整改，督办升级为“红牌”，通知市公安局、市公安局领导、市委编办、市委市政府" in said
    assert any(text.startswith("天长市委市政府 李书记记录约谈（2026-03-24）") for text in said), said
    login(client, "ducha")
    page = client.get(f"/supervision/{case.number}").get_data(as_text=True)
    assert "督办升级" in page and "书面通报" in page and "市公安局领导" in page and "三日内整改到位并书面报告" in page


def test_a_case_rectified_early_stops_escalating(drive, session, runtime):
    with freeze_time(MONDAY) as clock:
        cases = open_no_response_cases(drive, session, runtime, clock)
        clock.move_to(morning(4))
        assert sweep(session, runtime).fired == 2
        assert [s[0] for s in steps_of(session, cases["gongan"])] == ["urge"]
        clock.move_to(morning(4, 30))
        drive.complete("rectify", {"measures": "立即出警", "result": "已查处"}, org="gongan")
        for day in (5, 6, 9, 10, 11, 12):
            clock.move_to(morning(day))
            sweep(session, runtime)
    assert [s[0] for s in steps_of(session, cases["gongan"])] == ["urge"], "being verified: no further step"
    assert [s[0] for s in steps_of(session, cases["nongye"])] == ["urge", "notice", "yellow"]
    states = {get_case(session, c.number).target_org: c for c in cases.values()}
    ended = [i for i in escalations(session) if i.status == "completed"]
    assert len(ended) == 1 and states["gongan"].status == "verifying"


def test_two_red_cards_in_a_month_jump_to_an_interview(drive, session, runtime):
    with freeze_time(MONDAY) as clock:
        drive.start("zhenjie", "call_response", FISHING)
        clock.tick(timedelta(days=4))  # nobody swept: 市农业农村局 responds over 72 hours late, a red card
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        first = session.scalar(select(SupervisionCase).where(SupervisionCase.grade == "red"))
        assert steps_of(session, first) == [], "one red card: the ladder waits"
        drive.start("zhenjie", "call_response", FISHING)
        clock.tick(timedelta(days=4))
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        session.expire_all()
        second = session.scalar(select(SupervisionCase).where(SupervisionCase.grade == "red",
                                                              SupervisionCase.id != first.id))
        assert second.target_org == "nongye"
        assert steps_of(session, second)[0][0] == "interview", "the second red card of the month calls for 约谈"
        assert drive.one("record_interview").title == f"约谈记录：{second.number}（市农业农村局）"
        clock.move_to(morning(11))
        sweep(session, runtime)
    assert "interview" not in [s[0] for s in steps_of(session, first)], "the 约谈 answered both cards"


# The table through the engine, one case per rule (top to bottom, FIRST hit policy).
RULES = [
    ({"step": "", "overdue_days": 0, "red_cards": 2, "overturned": 0}, 1, "interview", "leader,bianban,gov"),
    ({"step": "red", "overdue_days": 3, "red_cards": 1, "overturned": 0}, 2, "interview", "leader,bianban,gov"),
    ({"step": "yellow", "overdue_days": 3, "red_cards": 0, "overturned": 0}, 3, "red", "unit,leader,bianban,gov"),
    ({"step": "notice", "overdue_days": 2, "red_cards": 0, "overturned": 5}, 4, "yellow", "unit,leader,bianban"),
    ({"step": "urge", "overdue_days": 0, "red_cards": 0, "overturned": 3}, 5, "notice", "unit,leader"),
    ({"step": "urge", "overdue_days": 2, "red_cards": 0, "overturned": 0}, 6, "notice", "unit,leader"),
    ({"step": "", "overdue_days": 1, "red_cards": 1, "overturned": 2}, 7, "urge", "unit"),
    ({"step": "", "overdue_days": 0, "red_cards": 1, "overturned": 2}, 8, "", ""),
    ({"step": "red", "overdue_days": 2, "red_cards": 1, "overturned": 0}, 8, "", ""),
    ({"step": "notice", "overdue_days": 5, "red_cards": 0, "overturned": 0}, 4, "yellow", "unit,leader,bianban"),
]


@pytest.mark.parametrize(("facts", "rule", "step", "recipients"), RULES)
def test_each_rule_of_the_ladder(runtime, session, facts, rule, step, recipients):
    sandbox = runtime.sandbox_for(runtime.calendar(session))
    tried = evaluate_decision(LADDER, "escalation_ladder", facts, sandbox=sandbox)
    assert tried["error"] is None and tried["applied"] == [rule]
    assert tried["result"] == {"next_step": step, "recipients": recipients}


def test_whole_working_days_count_only_days_wholly_past_and_the_next_look_is_the_next_opening():
    calendar = WorkingCalendar(overrides={datetime(2026, 4, 6).date(): False})  # 清明 on a Monday
    opened = datetime(2026, 4, 2, 4, 0, tzinfo=UTC)  # Thursday 12:00
    assert whole_working_days(calendar, opened, datetime(2026, 4, 3, 9, 29, tzinfo=UTC)) == 0  # Friday 17:29
    assert whole_working_days(calendar, opened, datetime(2026, 4, 3, 9, 30, tzinfo=UTC)) == 1  # Friday 17:30
    assert whole_working_days(calendar, opened, datetime(2026, 4, 7, 1, 0, tzinfo=UTC)) == 1  # Tuesday: 清明 passed
    assert whole_working_days(calendar, opened, datetime(2026, 4, 8, 1, 0, tzinfo=UTC)) == 2
    assert next_opening(calendar, datetime(2026, 4, 3, 2, 0, tzinfo=UTC)) == datetime(2026, 4, 7, 1, 0, tzinfo=UTC)
    assert next_opening(calendar, datetime(2026, 4, 7, 0, 59, tzinfo=UTC)) == datetime(2026, 4, 7, 1, 0, tzinfo=UTC)


def test_wrong_steps_recipients_and_meetings_are_refused_in_chinese(drive, session, runtime):
    with freeze_time(MONDAY) as clock:
        case = open_no_response_cases(drive, session, runtime, clock)["gongan"]
        calendar, actor = runtime.calendar(session), Actor.process()
        with pytest.raises(ValidationFailed) as bad_step:
            escalate(session, actor, case.number, "fire", "unit")
        assert bad_step.value.errors == {"step": ["督办升级步骤“fire”不存在，应为催办、书面通报、黄牌、红牌或约谈"]}
        with pytest.raises(ValidationFailed) as bad_recipient:
            escalate(session, actor, case.number, "urge", "unit,mayor")
        assert "通知对象“mayor”不存在" in bad_recipient.value.errors["recipients"][0]
        meetings = [({"held_on": "2026-02-31", "attendees": "甲", "outcome": "乙"}, "held_on", "约谈日期不是有效的日期"),
                    ({"held_on": "2026-03-01", "attendees": "甲", "outcome": "乙"}, "held_on", "约谈日期不能早于督办开启的日期"),
                    ({"held_on": "2026-03-03", "attendees": "甲", "outcome": "乙"}, "held_on", "约谈日期不能晚于今天"),
                    ({"held_on": "2026-03-02", "attendees": " ", "outcome": "乙"}, "attendees", "此项为必填项")]
        for meeting, field, error in meetings:
            with pytest.raises(ValidationFailed) as refused:
                record_interview(session, Actor.system(), case.number, meeting, calendar)
            assert refused.value.errors[field][0].startswith(error), meeting
        assert session.scalars(select(SupervisionInterview)).all() == []
