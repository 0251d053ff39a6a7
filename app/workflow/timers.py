"""Fire due timers: claim a due instance, step it, save it; the worker edge (app/cli/sweep.py) commits each."""

from sqlalchemy import select

from app.domain.audit import last_checkpoint_at, write_checkpoint
from app.workflow.execution import advance, begin_run, lock_instance, save
from app.workflow.models import ProcessInstance
from app.workflow.recording import audit


def claim_due_instance(session, now, skip=()):
    """Lock one running instance whose next timer is due, in the caller's transaction; its id, or None.

    PostgreSQL: `FOR UPDATE SKIP LOCKED`, so each worker claims a different instance inside the very
    transaction that fires it, and N workers share the due timers without queueing on one row.
    SQLite has one writer at a time: the instance lock takes the database write lock.
    """
    query = (select(ProcessInstance.id)
             .where(ProcessInstance.status == "running", ProcessInstance.next_timer_due <= now)
             .order_by(ProcessInstance.next_timer_due).limit(1))
    if skip:
        query = query.where(ProcessInstance.id.not_in(skip))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query)


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


def write_due_checkpoint(session, now, interval):
    """Write an audit checkpoint if one is due; the cheap look needs no lock, write_checkpoint asks again under it."""
    last = last_checkpoint_at(session)
    if last is not None and (now - last).total_seconds() < interval:
        return False
    return write_checkpoint(session, interval) is not None
