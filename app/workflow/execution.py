"""The one path every change to an instance takes: lock → load → run → save → sync tasks → audit.

The edge owns the transaction; anything raised here rolls the whole step back. A failure inside the
workflow (a script error, a failing service) is not raised: the instance is saved in `error` with
the task, line and message, and waits for a retry.
"""

from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from app.db import utcnow
from app.definitions.loading import ensure_spec, spec_key
from app.engine.runner import EngineFailure, find_cause
from app.errors import NotFound, ValidationFailed
from app.messages import msg
from app.workflow.models import HumanTask, MessageWait, ProcessInstance
from app.workflow.recording import audit, record_failure
from app.workflow.services import CallContext, registry
from app.workflow.task_sync import sync_human_tasks


@dataclass
class Step:
    """A loaded instance and its run, with who acts and the sandbox's calendar.

    `tasks` ({task uuid: HumanTask}) holds the instance's task rows when the caller already loaded them all, so
    the task sync reads none again; `opened` collects the rows the sync opened.
    """

    session: object
    runtime: object
    instance: ProcessInstance
    run: object
    actor: object
    calendar: object
    tasks: dict | None = None
    opened: list = field(default_factory=list)


def lock_instance(session, instance_id):
    """Lock the row and read it fresh: FOR UPDATE on PostgreSQL; on SQLite a no-op write takes the write lock."""
    return _lock(session, ProcessInstance.id == instance_id, msg("instance.not_found"))


def lock_task_instance(session, task_id):
    """Lock and read the instance that owns a task, in one statement (404 when the task does not exist)."""
    owner = select(HumanTask.instance_id).where(HumanTask.id == task_id).scalar_subquery()
    return _lock(session, ProcessInstance.id == owner, msg("task.not_found"))


def _lock(session, where, missing):
    if session.get_bind().dialect.name == "sqlite":  # UPDATE … RETURNING: the write lock and the row at once
        query = (update(ProcessInstance).where(where).values(version=ProcessInstance.version)
                 .returning(ProcessInstance).execution_options(synchronize_session=False))
    else:
        query = select(ProcessInstance).where(where).with_for_update()
    instance = session.scalars(query.execution_options(populate_existing=True)).first()
    if instance is None:
        raise NotFound(missing)
    return instance


def instance_tasks(session, instance_id):
    """Every task row of an instance with its candidates, read fresh in one statement (after the lock)."""
    query = (select(HumanTask).where(HumanTask.instance_id == instance_id).options(joinedload(HumanTask.candidates))
             .execution_options(populate_existing=True))
    return {row.task_uuid: row for row in session.scalars(query).unique()}


def _service_caller(session, runtime, instance, actor):
    context = CallContext(session, instance, actor, runtime)
    return lambda name, params: registry.call(context, name, params)


def begin_run(session, runtime, instance, actor, data=None):
    """Load an instance's workflow (or start it when `data` is given for a new row)."""
    ensure_spec(session, runtime.engine, instance.deployment_id, instance.process_id, runtime.settings.max_flow_nodes)
    calendar = runtime.lazy_calendar(session)
    sandbox = runtime.sandbox_for(calendar)
    caller = _service_caller(session, runtime, instance, actor)
    if data is not None:
        run = runtime.engine.start(spec_key(instance.deployment_id, instance.process_id), data, sandbox, caller)
    else:
        run = runtime.engine.load(instance.state, sandbox, caller)
    return Step(session, runtime, instance, run, actor, calendar)


def advance(step, refuse_bad_input=False):
    """Run engine steps; a failure puts the instance in error instead of raising.

    With `refuse_bad_input` (a start), a host operation that refused the user's own input (a wrong list item, an
    unknown organisation) is raised instead, so the edge answers 422 and nothing is written.
    """
    try:
        step.run.advance()
    except EngineFailure as failure:
        refused = find_cause(failure, ValidationFailed) if refuse_bad_input else None
        if refused is not None:
            raise refused from failure
        record_failure(step, failure.failure)
        return False
    return True


def save(step, hops=0):
    """Persist the run, rebuild human tasks and message waits, route thrown messages.

    The caller records its action with `audit` before running, so the chain reads in order.
    """
    from app.workflow.messages import route_messages  # messages start and resume instances through this module

    instance, run = step.instance, step.run
    if instance.status == "running" and run.is_completed():
        instance.status, instance.ended_at = "completed", utcnow()
    thrown = run.take_messages()  # drained before the dump, or the stored state would throw them again
    instance.state = run.dump()
    instance.serializer_version = step.runtime.engine.serializer_version
    instance.next_timer_due = run.next_timer_due() if instance.status in ("running", "suspended") else None
    instance.updated_at = utcnow()
    sync_human_tasks(step)
    _sync_waits(step)
    if instance.status == "completed":
        audit(step, "instance.complete", {})
    route_messages(step, thrown, hops)
    step.session.flush()  # one flush for the whole step: each table's rows go in one statement


def _sync_waits(step):
    """Rebuild the instance's message waits; skipped entirely for instances that never wait for messages."""
    session, instance = step.session, step.instance
    alive = instance.status in ("running", "suspended", "error")
    waiting = step.run.waiting_messages() if alive else []
    if instance.waits_for_messages:
        session.execute(delete(MessageWait).where(MessageWait.instance_id == instance.id))
    for wait in waiting:
        session.add(MessageWait(instance_id=instance.id, name=wait.name, correlations=wait.correlations))
    instance.waits_for_messages = bool(waiting)


def close_open_tasks(session, instance, status="cancelled"):
    for task in session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")):
        task.status, task.completed_at = status, utcnow()
    session.execute(delete(MessageWait).where(MessageWait.instance_id == instance.id))

