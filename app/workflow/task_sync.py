"""Rebuild human_task rows from the workflow's ready manual tasks after every save."""

from sqlalchemy import select

from app.db import utcnow
from app.engine.runner import FailedTask
from app.engine.scripting import ScriptError
from app.workflow.assignment import task_due, task_orgs, task_roles, task_texts
from app.workflow.models import HumanTask, TaskCandidate
from app.workflow.recording import record_failure


def sync_human_tasks(step):
    """Open rows for newly ready tasks; cancel open rows whose task is no longer ready."""
    session, instance = step.session, step.instance
    open_rows = {t.task_uuid: t for t in session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open"))}
    ready = {r.id: r for r in step.run.ready_tasks()} if instance.status in ("running", "suspended", "error") else {}
    for uuid, row in open_rows.items():
        if uuid not in ready:
            row.status, row.completed_at = "cancelled", utcnow()
    for uuid, view in ready.items():
        if uuid in open_rows:
            continue
        closed = session.scalar(select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.task_uuid == uuid))
        if closed is not None:  # ready again after a retry: reopen rather than duplicate
            closed.status, closed.completed_at, closed.completed_by = "open", None, None
            continue
        row = _new_row(step, view)
        if row is not None:
            session.add(row)
    session.flush()


def _new_row(step, view):
    """A task row with candidates and deadline; None (instance in error) if its org or due fails."""
    now = utcnow()
    try:
        orgs = task_orgs(step.run, view, step.instance.org_code)
        due = task_due(step.run, view, step.calendar, now)
    except (ScriptError, ValueError, TypeError) as err:
        record_failure(step, FailedTask(view.id, view.bpmn_id, view.name, getattr(err, "line", None),
                                        getattr(err, "message", str(err))))
        return None
    title, instructions = task_texts(view)
    row = HumanTask(
        instance_id=step.instance.id, task_uuid=view.id, process_id=view.process_id, bpmn_id=view.bpmn_id,
        name=view.name, lane=view.lane, form_id=view.properties.get("form"), title=title, instructions=instructions,
        kpi=view.properties.get("kpi"), status="open", multi_instance_index=view.multi_instance_index,
        created_at=now, due_at=due,
    )
    row.candidates = [TaskCandidate(role=role, org_code=org) for role in task_roles(view) for org in orgs]
    return row
