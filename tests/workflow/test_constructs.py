"""Every engine construct the procedures use, through the service layer, committed and reloaded each step."""

from datetime import date, datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.cli.sweep import tick
from app.domain.audit import AuditEvent, verify_chains
from app.domain.calendars import set_holiday
from app.workflow import instances, tasks
from app.workflow.models import HumanTask

MONDAY_9AM_SHANGHAI = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def open_tasks(session, instance_id):
    session.expire_all()
    return list(session.scalars(select(HumanTask).where(
        HumanTask.instance_id == instance_id, HumanTask.status == "open").order_by(HumanTask.id)))


def complete(session, runtime, user, task, data):
    tasks.complete_task(session, runtime, user(task_user(task)), task.id, data)
    session.commit()


def task_user(task):
    """A demo user who is a candidate for the task (by its first candidate row)."""
    by_org_role = {("tongcheng", "town_staff"): "zhenjie", ("nongye", "dept_staff"): "nongye",
                   ("gongan", "dept_staff"): "gongan"}
    for c in task.candidates:
        if (c.org_code, c.role) in by_org_role:
            return by_org_role[(c.org_code, c.role)]
    raise AssertionError(f"no demo user for {task.candidates}")


@pytest.fixture
def started(session, runtime, deploy, user):
    deploy("constructs")
    with freeze_time(MONDAY_9AM_SHANGHAI):
        instance = instances.start_instance(session, runtime, user("zhenjie"), "main_flow",
                                            {"subject": "电鱼", "dept_org": "nongye"})
        session.commit()
    return instance.id


def test_start_creates_the_first_task_with_title_instructions_prescript_and_working_deadline(session, started):
    (task,) = open_tasks(session, started)
    assert (task.bpmn_id, task.title, task.kpi) == ("fill", "填写：电鱼", "sign")
    assert "**电鱼**" in task.instructions
    assert [(c.role, c.org_code) for c in task.candidates] == [("town_staff", "tongcheng")]
    # P2D on the working calendar from Monday 09:00 (Shanghai) is Wednesday 09:00.
    assert task.due_at == datetime(2026, 3, 4, 1, 0, tzinfo=timezone.utc)


def test_full_run_through_gateways_mi_call_activity_dmn_service_and_timers(session, runtime, started, user):
    with freeze_time(MONDAY_9AM_SHANGHAI) as clock:
        (fill,) = open_tasks(session, started)
        complete(session, runtime, user, fill, {"amount": 5000, "reviewers": ["nongye", "gongan"]})

        parallel = open_tasks(session, started)
        assert sorted(t.bpmn_id for t in parallel) == ["branch_a", "branch_b"]
        assert all(t.orgs == ["nongye"] for t in parallel)
        complete(session, runtime, user, parallel[0], {"note_a": "甲"} if parallel[0].bpmn_id == "branch_a" else {"note_b": "乙"})
        (last_branch,) = open_tasks(session, started)
        complete(session, runtime, user, last_branch, {"note_a": "甲"} if last_branch.bpmn_id == "branch_a" else {"note_b": "乙"})

        reviews = open_tasks(session, started)
        assert sorted((t.bpmn_id, t.orgs[0], t.title) for t in reviews) == [
            ("review", "gongan", "会审：gongan"), ("review", "nongye", "会审：nongye")]
        for t in reviews:
            complete(session, runtime, user, t, {"opinion": "agree", "comment": t.orgs[0]})

        (sub,) = open_tasks(session, started)
        assert (sub.bpmn_id, sub.process_id) == ("sub_confirm", "sub_flow")
        complete(session, runtime, user, sub, {"confirmed": True})

        (final,) = open_tasks(session, started)
        assert final.bpmn_id == "final"
        data = instances.instance_data(session, runtime, instances.get_instance(session, started))
        assert data["amount_doubled"] == 10000 and data["note_a"] == "甲" and data["note_b"] == "乙"
        assert data["reviews"] == [{"opinion": "agree", "comment": "nongye"}, {"opinion": "agree", "comment": "gongan"}]
        assert data["total"] == 5002 and data["grade"] == "高"
        assert "nongye" in data["departments"] and "tongcheng" not in data["departments"]

        instance = instances.get_instance(session, started)
        assert instance.next_timer_due == MONDAY_9AM_SHANGHAI + timedelta(hours=1)
        clock.tick(timedelta(minutes=61))
        assert tick(runtime_session(session), runtime).fired == 1
        assert tick(runtime_session(session), runtime).fired == 0, "a timer never fires twice"
        (still_final,) = open_tasks(session, started)
        assert still_final.id == final.id, "the non-interrupting timer leaves the task open"
        complete(session, runtime, user, still_final, {"confirmed": True})
    instance = instances.get_instance(session, started)
    assert instance.status == "completed" and instance.next_timer_due is None
    assert verify_chains(session).ok


def runtime_session(session):
    from sqlalchemy.orm import Session

    return lambda: Session(session.get_bind())


def test_interrupting_timer_on_working_days_skips_weekend_and_holidays(session, runtime, deploy, user):
    deploy("constructs")
    set_holiday(session, date(2026, 3, 5), "测试假日")
    session.commit()
    friday = datetime(2026, 3, 6, 1, 0, tzinfo=timezone.utc)
    with freeze_time(MONDAY_9AM_SHANGHAI) as clock:
        instance = instances.start_instance(session, runtime, user("zhenjie"), "main_flow", {"subject": "x"})
        session.commit()
        complete(session, runtime, user, open_tasks(session, instance.id)[0], {"amount": 1, "reviewers": []})
        complete(session, runtime, user, open_tasks(session, instance.id)[0], {"confirmed": True})
        (final,) = open_tasks(session, instance.id)
        assert final.bpmn_id == "final"
        session.expire_all()
        # 3 working days from Monday 09:00 with Thursday a holiday: Friday 09:00.
        waits = sorted(runtime_waits(session, runtime, instance.id))
        assert waits[-1] == friday
        clock.move_to(friday - timedelta(minutes=1))
        tick(runtime_session(session), runtime)
        assert [t.bpmn_id for t in open_tasks(session, instance.id)] == ["final"]
        clock.move_to(friday + timedelta(minutes=1))
        tick(runtime_session(session), runtime)
    session.expire_all()
    instance = instances.get_instance(session, instance.id)
    assert instance.status == "completed"
    assert open_tasks(session, instance.id) == []
    cancelled = session.scalar(select(HumanTask).where(HumanTask.id == final.id))
    assert cancelled.status == "cancelled"
    assert instances.instance_data(session, runtime, instance)["outcome"] == "expired"


def runtime_waits(session, runtime, instance_id):
    from app.workflow.execution import begin_run

    step = begin_run(session, runtime, instances.get_instance(session, instance_id), None)
    return [_due(e) for e in step.run.workflow.waiting_events() if "Time" in e.event_type]


def _due(event):
    return datetime.fromisoformat(event.value)


def test_timers_survive_a_restart(app, session, runtime, started, user, database_url):
    from app import create_app
    from tests.conftest import make_config

    with freeze_time(MONDAY_9AM_SHANGHAI) as clock:
        (fill,) = open_tasks(session, started)
        complete(session, runtime, user, fill, {"amount": 1, "reviewers": []})
        complete(session, runtime, user, open_tasks(session, started)[0], {"confirmed": True})
        clock.tick(timedelta(hours=2))
        restarted = create_app(make_config(database_url))  # a new process: empty spec cache, new engine
        with restarted.app_context():
            from app.extensions import db

            result = tick(lambda: __import__("sqlalchemy.orm", fromlist=["Session"]).Session(db.engine),
                          restarted.extensions["tianchang.runtime"])
            assert result.fired == 1
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == started)).all()
    assert events.count("timer.fire") == 1


def test_messages_start_and_resume_separately_stored_instances(session, runtime, deploy, user):
    deploy("messages")
    first = instances.start_instance(session, runtime, user("zhenjie"), "requester", {"case_no": "A-1", "subject": "电鱼"})
    session.commit()
    second = instances.start_instance(session, runtime, user("zhenjie"), "requester", {"case_no": "A-2", "subject": "垃圾"})
    session.commit()
    session.expire_all()
    handlers = session.scalars(select(HumanTask).where(HumanTask.bpmn_id == "handle").order_by(HumanTask.id)).all()
    assert [t.title for t in handlers] == ["办理案件 A-1：电鱼", "办理案件 A-2：垃圾"]
    assert all(t.orgs == ["gongan"] for t in handlers)
    tasks.complete_task(session, runtime, user("gongan"), handlers[1].id, {"result": "已处理"})
    session.commit()
    session.expire_all()
    assert instances.get_instance(session, second.id).status == "completed"
    assert instances.get_instance(session, first.id).status == "running", "the message correlates by case_no"
    data = instances.instance_data(session, runtime, instances.get_instance(session, second.id))
    assert data["closure"] == {"case_no": "A-2", "result": "已处理"}
