"""Rebuild human_task rows from the workflow's ready manual tasks after every save."""

from sqlalchemy import select, update

from app.db import utcnow
from app.domain.access import ANY
from app.domain.notifications import notify
from app.engine.runner import FailedTask
from app.engine.scripting import ScriptError
from app.messages import msg
from app.workflow.assignment import task_candidates, task_due, task_form_id, task_texts, text_helpers
from app.workflow.models import HumanTask, TaskCandidate
from app.workflow.recording import record_failure


def sync_human_tasks(step):
    """Open rows for newly ready tasks; cancel open rows whose task is no longer ready; reopen on retry."""
    instance = step.instance
    alive = instance.status in ("running", "suspended", "error")
    ready = {r.id: r for r in step.run.ready_tasks()} if alive else {}
    known = _update_rows(step, ready) if step.tasks is None else _update_loaded_rows(step, ready)
    has_open = any(uuid in known for uuid in ready)
    for uuid, view in ready.items():
        if uuid not in known:
            row = _new_row(step, view)
            if row is not None:
                step.session.add(row)
                step.opened.append(row)
                _announce(step.session, row, instance)
                has_open = True
    instance.has_open_task = has_open  # the console's "waiting": running without an open task (instance_list.py)


def _update_rows(step, ready):
    """Cancel and reopen with two UPDATEs, reading only (id, uuid, status) of the instance's rows."""
    session, now = step.session, utcnow()
    known = {row.task_uuid: row for row in session.execute(
        select(HumanTask.id, HumanTask.task_uuid, HumanTask.status).where(HumanTask.instance_id == step.instance.id))}
    gone = [row.id for uuid, row in known.items() if row.status == "open" and uuid not in ready]
    back = [known[uuid].id for uuid in ready if uuid in known and known[uuid].status != "open"]
    if gone:
        session.execute(update(HumanTask).where(HumanTask.id.in_(gone)).values(status="cancelled", completed_at=now))
    if back:
        session.execute(update(HumanTask).where(HumanTask.id.in_(back)).values(
            status="open", completed_at=None, completed_by=None))
    return known


def _update_loaded_rows(step, ready):
    """The same on rows the caller loaded (`step.tasks`): changed in place, written by the step's one flush."""
    now = utcnow()
    for uuid, row in step.tasks.items():
        if row.status == "open" and uuid not in ready:
            row.status, row.completed_at = "cancelled", now
        elif row.status != "open" and uuid in ready:
            row.status, row.completed_at, row.completed_by = "open", None, None
    return step.tasks


def _announce(session, row, instance):
    """An in-app notice per candidate organisation and role: a new task is waiting.

    Notices address an organisation: a candidate in any organisation (designers, admins, one named user) finds the
    task in the inbox without one.
    """
    for org, role in sorted({(c.org_code, c.role) for c in row.candidates if c.org_code != ANY}):
        notify(session, org, msg("notice.new_task", title=row.title), role=None if role == ANY else role,
               subject=f"task:{row.task_uuid}", instance_id=instance.id, check_org=False)


def _new_row(step, view):
    """A task row with candidates and deadline; None (instance in error) if its org or due fails."""
    now = utcnow()
    try:
        candidates = task_candidates(step.session, step.run, view, step.instance)
        due = task_due(step.run, view, step.calendar, now)
    except (ScriptError, ValueError, TypeError) as err:
        record_failure(step, FailedTask(view.id, view.bpmn_id, view.name, getattr(err, "line", None),
                                        getattr(err, "message", str(err))))
        return None
    title, instructions = task_texts(view, text_helpers(step.session))
    form_id = task_form_id(step.session, step.instance.deployment_id, view)
    row = HumanTask(
        instance_id=step.instance.id, task_uuid=view.id, process_id=view.process_id, bpmn_id=view.bpmn_id,
        name=view.name[:128], lane=view.lane[:64] if view.lane else None, form_id=form_id, title=title,
        instructions=instructions,
        kpi=view.properties.get("kpi"), status="open", multi_instance_index=view.multi_instance_index,
        created_at=now, due_at=due,
    )
    row.candidates = [TaskCandidate(role=role, org_code=org, username=user) for role, org, user in candidates]
    orgs = {org for _role, org, _user in candidates} - {ANY}
    row.org_code = orgs.pop() if len(orgs) == 1 else None
    return row
