"""考核申诉 through the real diagram: an organisation appeals a published month within the window, 编办 decides.

The facts are made by the real call procedure on a frozen clock: in November 2026 铜城镇 calls twice about 电鱼
(P-0001: 市农业农村局 leads, 市公安局 cooperates); 市农业农村局 answers the first call an hour late and the second in
time, so its 签收及时率 is 1/2 until the late call is excluded.
"""

from datetime import datetime, timezone

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.domain.actors import Actor
from app.domain.audit import AuditEvent
from app.domain.notifications import Notification
from app.governance import assessment_runs as runs
from app.governance.assessment_models import AssessmentAppeal, AssessmentExclusion, AssessmentResult, AssessmentRun
from app.governance.assessment_periods import Period
from app.governance.lists import list_items
from app.workflow.models import ProcessInstance
from tests.procedures.helpers import Driver

CALLED = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)  # Monday 09:00 in Tianchang; a response is due by 11:00
LATE = datetime(2026, 11, 2, 4, 0, tzinfo=timezone.utc)  # 12:00: an hour late
IN_TIME = datetime(2026, 11, 2, 1, 30, tzinfo=timezone.utc)
PUBLISHED = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)  # Tuesday: the window closes five working days on
APPEALED = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)
TOO_LATE = datetime(2026, 12, 9, 2, 0, tzinfo=timezone.utc)
FISHING = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
           "extra_departments": [], "photos": []}


@pytest.fixture(params=["service", "rest"])
def drive(request, session, runtime, user, procedures, api_as):
    return Driver(session, runtime, user, api_as if request.param == "rest" else None)


def answer(drive, at):
    """One call answered by both departments; 市农业农村局 at `at`, 市公安局 at once. Its number."""
    with freeze_time(CALLED):
        instance = drive.start("zhenjie", "call_response", FISHING)
        drive.complete("respond", {"decision": "accept"}, org="gongan")
    with freeze_time(at):
        drive.complete("respond", {"decision": "accept"}, org="nongye")
    return instance.business_key


@pytest.fixture
def month(drive, session, runtime, user):
    """November's facts, computed and published on 1 December: (late call, in-time call, the published run)."""
    late, in_time = answer(drive, LATE), answer(drive, IN_TIME)
    with freeze_time(PUBLISHED):
        actor = Actor.of(user("bianban"))
        run = runs.compute(session, actor, Period.parse("2026-11"), runtime.calendar(session).tz)
        runs.publish(session, actor, run.id, runtime.calendar(session), 5)
        session.commit()
    return late, in_time, run.id


def figure(session, run_id, org="nongye", key="sign_rate"):
    session.expire_all()
    result = session.scalar(select(AssessmentResult).where(AssessmentResult.run_id == run_id,
                                                           AssessmentResult.org_code == org))
    return result.figures[key], result.score


def appeal(drive, calls, period="2026-11"):
    return {"period": period, "metric": "sign_rate", "calls": calls, "reason": "当日系统停电，无法及时签收",
            "evidence": []}


def counts(session):
    session.expire_all()
    return (session.scalar(select(func.count()).select_from(AssessmentAppeal)),
            session.scalar(select(func.count()).select_from(ProcessInstance)
                           .where(ProcessInstance.process_id == "assessment_appeal")),
            session.scalar(select(func.count()).select_from(AssessmentExclusion)))


def test_an_accepted_appeal_excludes_the_calls_and_publishes_a_new_revision(drive, session, month):
    late, in_time, first = month
    before = figure(session, first)
    assert (before[0]["num"], before[0]["den"]) == (1, 2)
    with freeze_time(APPEALED):
        instance = drive.start("nongye", "assessment_appeal", appeal(drive, f"{late}，{in_time}"))
        task = drive.one("decide_appeal")
        assert task.orgs == ["bianban"] and task.title == "考核申诉：市农业农村局（2026年11月）"
        assert late.replace("-", "\\-") in task.instructions and "当日系统停电" in task.instructions
        drive.complete("decide_appeal", {"outcome": "accept", "exclude_calls": late, "decision": "停电属实，有供电公司证明"})
    session.expire_all()
    number = instance.business_key
    row = session.scalar(select(AssessmentAppeal).where(AssessmentAppeal.number == number))
    assert number.startswith("SS20261202-") and row.status == "accepted" and row.calls == [late, in_time]
    assert session.get(ProcessInstance, instance.id).status == "completed"
    excluded = session.scalars(select(AssessmentExclusion)).all()
    assert [(e.org_code, e.appeal_id) for e in excluded] == [("nongye", row.id)]
    new = session.get(AssessmentRun, row.result_run_id)
    assert (new.period, new.revision, new.status, new.reason) == ("2026-11", 2, "published", f"采纳申诉 {number}")
    assert new.appeal_until == session.get(AssessmentRun, first).appeal_until  # the window is not extended
    after = figure(session, new.id)
    assert (after[0]["num"], after[0]["den"], after[0]["value"]) == (1, 1, 1.0)
    assert session.get(AssessmentRun, first).status == "superseded" and figure(session, first) == before
    assert figure(session, new.id, "gongan") == figure(session, first, "gongan")  # only the appellant's calls
    notice = session.scalar(select(Notification).where(Notification.subject == f"appeal:{number}"))
    assert notice.org_code == "nongye" and "已被采纳" in notice.text and late in notice.text
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.stream == f"appeal:{number}")
                              .order_by(AuditEvent.seq)).all()
    assert actions == ["assessment.appeal.open", "assessment.appeal.decide"]


def test_a_refused_appeal_changes_nothing(drive, session, month):
    late, _, first = month
    before = figure(session, first)
    with freeze_time(APPEALED):
        instance = drive.start("nongye", "assessment_appeal", appeal(drive, late))
        drive.complete("decide_appeal", {"outcome": "refuse", "exclude_calls": late, "decision": "未提供停电证明"})
    session.expire_all()
    row = session.scalar(select(AssessmentAppeal).where(AssessmentAppeal.number == instance.business_key))
    assert (row.status, row.decision, row.decided_by, row.result_run_id) == ("refused", "未提供停电证明", "bianban", None)
    assert session.scalars(select(AssessmentRun.revision)).all() == [1]
    assert session.get(AssessmentRun, first).status == "published" and figure(session, first) == before
    assert counts(session)[2] == 0
    notice = session.scalar(select(Notification).where(Notification.subject == f"appeal:{row.number}"))
    assert "未被采纳" in notice.text and "未提供停电证明" in notice.text


def test_excluding_a_call_the_appeal_did_not_name_returns_the_task_to_bianban(drive, session, month):
    late, in_time, _ = month
    with freeze_time(APPEALED):
        drive.start("nongye", "assessment_appeal", appeal(drive, late))
        drive.complete("decide_appeal", {"outcome": "accept", "exclude_calls": in_time, "decision": "采纳"})
        again = drive.one("decide_appeal")
    assert f"呼叫单 {in_time} 不在申诉所列的单号中".replace("-", "\\-") in again.instructions
    assert counts(session)[2] == 0 and session.scalars(select(AssessmentRun.revision)).all() == [1]
    assert session.scalar(select(AssessmentAppeal.status)) == "pending"


def test_an_appeal_after_the_window_is_refused_and_nothing_is_written(drive, session, month):
    late, _, _ = month
    with freeze_time(TOO_LATE):
        errors = drive.refuse_start("nongye", "assessment_appeal", appeal(drive, late))
    assert errors["period"] == ["2026年11月的申诉期已于 2026-12-08 09:00 截止，不能再申诉"]
    assert counts(session) == (0, 0, 0)


def test_an_appeal_naming_another_organisations_call_is_refused(drive, session, month):
    late, _, _ = month
    with freeze_time(CALLED):  # a call 市农业农村局 has no part in
        other = drive.start("zhenjie", "call_response", dict(FISHING, item_code=item_without(session, "nongye")))
    with freeze_time(APPEALED):
        errors = drive.refuse_start("nongye", "assessment_appeal", appeal(drive, f"{late} {other.business_key}"))
        unknown = drive.refuse_start("nongye", "assessment_appeal", appeal(drive, "HJ20261102-9999"))
        unpublished = drive.refuse_start("nongye", "assessment_appeal", appeal(drive, late, period="2026-10"))
    assert errors == {"calls": [f"呼叫单 {other.business_key} 与本单位无关，不能申诉"]}
    assert unknown == {"calls": ["呼叫单 HJ20261102-9999 不存在"]}
    assert unpublished == {"period": ["2026年10月的考核结果尚未发布，不能申诉"]}
    assert counts(session) == (0, 0, 0)


def item_without(session, org):
    """An active list item in which `org` has no part."""
    items, _ = list_items(session, per_page=200)
    return next(i.code for i in items if org != i.current.lead_org and org not in (i.current.cooperating_orgs or []))


def test_a_town_appeals_the_calls_its_villages_grid_workers_made(drive, session, month):
    with freeze_time(CALLED):
        grid_call = drive.start("wangge", "call_response", FISHING).business_key  # 高邮湖村, under 铜城镇
    with freeze_time(APPEALED):
        instance = drive.start("zhenjie", "assessment_appeal", dict(appeal(drive, grid_call), metric=None))
    session.expire_all()
    row = session.scalar(select(AssessmentAppeal).where(AssessmentAppeal.number == instance.business_key))
    assert (row.org_code, row.calls, row.metric) == ("tongcheng", [grid_call], None)
    assert drive.one("decide_appeal").instructions.count("综合得分") == 1
