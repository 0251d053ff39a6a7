"""The development server's timer thread fires due timers without a request."""

import time
from datetime import datetime, timedelta, timezone

from freezegun import freeze_time
from sqlalchemy import select

from app.cli.serve import start_timer_thread
from app.domain.audit import AuditEvent
from app.workflow import instances, tasks
from app.workflow.models import HumanTask


def test_background_thread_fires_a_due_timer(app, session, runtime, deploy, user):
    deploy("constructs")
    past = datetime.now(timezone.utc) - timedelta(hours=3)
    with freeze_time(past):
        instance = instances.start_instance(session, runtime, user("zhenjie"), "main_flow", {"subject": "线程"})
        session.commit()
        for data in ({"amount": 1, "reviewers": []}, {"confirmed": True}):
            task = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                          HumanTask.status == "open"))
            tasks.complete_task(session, runtime, user("zhenjie"), task.id, data)
            session.commit()
    stop = start_timer_thread(app, 0.05)
    try:
        deadline = time.monotonic() + 10
        fired = []
        while time.monotonic() < deadline and not fired:
            time.sleep(0.1)
            session.expire_all()
            fired = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance.id,
                                                             AuditEvent.action == "timer.fire")).all()
    finally:
        stop.set()
    assert len(fired) == 1
