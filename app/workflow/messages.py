"""Route messages between stored instances: message start events create instances, catch events resume them."""

from sqlalchemy import select

from app.db import utcnow
from app.definitions.operations import processes_started_by_message
from app.domain.actors import SYSTEM
from app.engine.runner import Message
from app.workflow.execution import advance, begin_run, lock_instance, save
from app.workflow.instances import create_instance_row
from app.workflow.models import MessageRecord, MessageWait
from app.workflow.recording import audit

MAX_HOPS = 20


def route_messages(step, messages, hops=0):
    """Deliver each thrown message, or keep it pending until an instance waits for it."""
    if hops > MAX_HOPS:
        return
    for message in messages:
        record = MessageRecord(name=message.name, payload=message.payload, correlations=message.correlations,
                               source_instance_id=step.instance.id, status="pending")
        step.session.add(record)
        step.session.flush()
        _deliver(step, record, hops)
    _take_pending(step, hops)


def _deliver(step, record, hops):
    session = step.session
    for wait in session.scalars(select(MessageWait).where(MessageWait.name == record.name).order_by(MessageWait.id)):
        if wait.instance_id == step.instance.id or not _correlates(record.correlations, wait.correlations):
            continue
        if _resume(step, wait.instance_id, record, hops):
            return True
    for process in processes_started_by_message(session, record.name):
        _start_by_message(step, process, record, hops)
        return True
    return False


def _correlates(sent, waiting):
    """Every correlation key the sender set must match the waiting instance's value for it."""
    for key, values in (sent or {}).items():
        theirs = (waiting or {}).get(key)
        if theirs is not None and theirs != values:
            return False
    return True


def _message(record):
    return Message(record.name, record.payload, record.correlations or {})


def _resume(step, instance_id, record, hops):
    instance = lock_instance(step.session, instance_id)
    target = begin_run(step.session, step.runtime, instance, step.actor)
    if not target.run.deliver(_message(record)):
        return False
    _mark(record, instance_id)
    audit(target, "message.receive", {"message": record.name, "from": step.instance.id})
    if instance.status == "running":
        advance(target)
    save(target, hops=hops + 1)
    return True


def _start_by_message(step, process, record, hops):
    session = step.session
    instance = create_instance_row(session, process, getattr(step.actor, "username", SYSTEM), step.instance.org_code)
    target = begin_run(session, step.runtime, instance, step.actor, {})
    audit(target, "instance.start", {"process": process.process_id, "message": record.name, "from": step.instance.id})
    advance(target)
    target.run.deliver(_message(record))
    _mark(record, instance.id)
    advance(target)
    save(target, hops=hops + 1)


def _take_pending(step, hops):
    """Deliver pending messages that this instance now waits for."""
    session = step.session
    if not step.instance.waits_for_messages:
        return
    waits = list(session.scalars(select(MessageWait).where(MessageWait.instance_id == step.instance.id)))
    for wait in waits:
        pending = session.scalars(select(MessageRecord).where(
            MessageRecord.status == "pending", MessageRecord.name == wait.name).order_by(MessageRecord.id))
        for record in pending:
            if record.source_instance_id != step.instance.id and _correlates(record.correlations, wait.correlations) \
                    and step.run.deliver(_message(record)):
                _mark(record, step.instance.id)
                audit(step, "message.receive", {"message": record.name, "from": record.source_instance_id})
                advance(step)
                save(step, hops=hops + 1)
                return


def _mark(record, instance_id):
    record.status, record.target_instance_id, record.delivered_at = "delivered", instance_id, utcnow()
