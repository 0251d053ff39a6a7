"""Fire due timers: each due instance is locked, stepped and saved in its own transaction."""

import logging
from dataclasses import dataclass

from sqlalchemy import select

from app.db import utcnow
from app.domain.audit import last_checkpoint_at, write_checkpoint
from app.workflow.execution import advance, begin_run, lock_instance, save
from app.workflow.models import ProcessInstance
from app.workflow.recording import audit

log = logging.getLogger(__name__)


@dataclass
class TickResult:
    fired: int = 0
    failed: int = 0
    checkpoint: bool = False


def due_instance_ids(session, now, limit=100):
    """Ids of running instances whose next timer is due; SKIP LOCKED lets several workers share the work."""
    query = (select(ProcessInstance.id)
             .where(ProcessInstance.status == "running", ProcessInstance.next_timer_due <= now)
             .order_by(ProcessInstance.next_timer_due).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def fire_instance_timers(session, runtime, instance_id, now):
    """Step one instance if its timer is still due (another worker may have fired it); True if fired."""
    instance = lock_instance(session, instance_id)
    if instance.status != "running" or instance.next_timer_due is None or instance.next_timer_due > now:
        return False
    step = begin_run(session, runtime, instance, None)
    audit(step, "timer.fire", {"due": instance.next_timer_due.isoformat()})
    advance(step)
    save(step)
    return True


def tick(session_factory, runtime, checkpoint_interval=3600.0):
    """One sweep: fire every due instance, committing each; then write an audit checkpoint when one is due."""
    result = TickResult()
    now = utcnow()
    with session_factory() as session:
        ids = due_instance_ids(session, now)
        session.rollback()
    for instance_id in ids:
        with session_factory() as session:
            try:
                if fire_instance_timers(session, runtime, instance_id, now):
                    result.fired += 1
                session.commit()
            except Exception:  # noqa: BLE001 - one bad instance must not stop the sweep
                session.rollback()
                result.failed += 1
                log.exception("timer sweep failed for instance %s", instance_id)
    result.checkpoint = write_due_checkpoint(session_factory, now, checkpoint_interval)
    return result


def write_due_checkpoint(session_factory, now, interval):
    """Write an audit checkpoint if one is due; the cheap look needs no lock, write_checkpoint asks again under it."""
    with session_factory() as session:
        last = last_checkpoint_at(session)
        if last is not None and (now - last).total_seconds() < interval:
            return False
        written = write_checkpoint(session, interval) is not None
        session.commit()
        return written
