"""Timers of diagrams from other modellers fire through the sweep: an event-based gateway, a timer event
sub-process and a timer start, each saved and reloaded between steps as the host does."""

from datetime import datetime, timedelta, timezone
from pathlib import Path

from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli.sweep import tick
from app.workflow import instances
from app.workflow.deployments import deploy_files, read_bundle_dir
from app.workflow.models import HumanTask, ProcessInstance

PORTABLE = Path(__file__).resolve().parents[1] / "bundles" / "portable"
START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def sweep(session, runtime):
    return tick(lambda: Session(session.get_bind()), runtime).fired


def started(session, runtime, user, process_id):
    deploy_files(session, runtime, user("sheji"), read_bundle_dir(PORTABLE))
    session.commit()
    instance = instances.start_instance(session, runtime, user("zhenjie"), process_id, {})
    session.commit()
    return instance.id


def reread(session, instance_id):
    session.expire_all()
    return session.get(ProcessInstance, instance_id)


def test_a_timer_behind_an_event_based_gateway_fires(session, runtime, user):
    with freeze_time(START) as clock:
        iid = started(session, runtime, user, "Process_wait_reply")
        assert reread(session, iid).next_timer_due == START + timedelta(hours=2)
        clock.move_to(START + timedelta(hours=1))
        assert sweep(session, runtime) == 0
        clock.move_to(START + timedelta(hours=2, seconds=1))
        assert sweep(session, runtime) == 1
        instance = reread(session, iid)
        assert instance.status == "completed" and instance.next_timer_due is None
        assert instances.instance_data(session, runtime, instance)["outcome"] == "timed_out"


def test_an_event_sub_process_timer_fires_and_leaves_the_task_open(session, runtime, user):
    with freeze_time(START) as clock:
        iid = started(session, runtime, user, "Process_reminded")
        assert reread(session, iid).next_timer_due == START + timedelta(hours=1)
        clock.move_to(START + timedelta(hours=1, seconds=1))
        assert sweep(session, runtime) == 1
        instance = reread(session, iid)
        assert instance.status == "running" and instance.next_timer_due is None
        open_tasks = session.scalars(select(HumanTask.bpmn_id).where(
            HumanTask.instance_id == iid, HumanTask.status == "open")).all()
        assert open_tasks == ["Task_handle"]


def test_a_timer_start_event_waits_then_runs(session, runtime, user):
    with freeze_time(START) as clock:
        iid = started(session, runtime, user, "Process_delayed")
        assert reread(session, iid).next_timer_due == START + timedelta(minutes=30)
        clock.move_to(START + timedelta(minutes=31))
        assert sweep(session, runtime) == 1
        instance = reread(session, iid)
        assert instance.status == "completed"
        assert instances.instance_data(session, runtime, instance)["began"] is True
