"""Several timer workers share the due timers: each due instance is claimed by one worker and fired once."""

import threading
from collections import Counter
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli.sweep import tick
from app.db import utcnow
from app.domain.audit import AuditEvent
from app.extensions import db
from app.workflow import instances
from app.workflow.models import ProcessInstance
from tests.helpers import bundle, definitions, process

WAIT = ('<bpmn:intermediateCatchEvent id="wait" name="等一小时"><bpmn:incoming>f1</bpmn:incoming>'
        '<bpmn:outgoing>f2</bpmn:outgoing><bpmn:timerEventDefinition id="wait_def">'
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"PT1H"</bpmn:timeDuration>'
        '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>\n')
DUE = 40


def test_two_workers_split_the_due_timers_and_fire_each_once(app, session, runtime, deploy, user):
    deploy(files=bundle(definitions(process(pid="waiter", middle=WAIT)), name="waiter.bpmn"))
    start = utcnow()
    with freeze_time(start) as clock:
        ids = [instances.start_instance(session, runtime, user("zhenjie"), "waiter").id for _ in range(DUE)]
        session.commit()
        clock.tick(timedelta(hours=2))
        barrier, fired, lost = threading.Barrier(2), Counter(), Counter()

        def worker(name):
            with app.app_context():
                barrier.wait()
                result = tick(lambda: Session(db.engine), runtime)
                fired[name], lost[name] = result.fired, result.lost

        threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    assert sum(fired.values()) == DUE, fired
    session.expire_all()
    fires = Counter(session.scalars(select(AuditEvent.instance_id).where(AuditEvent.action == "timer.fire")))
    assert fires == Counter({i: 1 for i in ids}), "every timer fired exactly once"
    done = session.scalar(select(func.count()).select_from(ProcessInstance).where(
        ProcessInstance.id.in_(ids), ProcessInstance.status == "completed"))
    assert done == DUE
    if session.get_bind().dialect.name == "postgresql":  # SQLite has one writer: there the work cannot be shared
        assert fired["one"] > 0 and fired["two"] > 0, f"both workers claimed due instances: {dict(fired)}"
        assert sum(lost.values()) == 0, "no worker ever waited for an instance another was firing"
