"""Human tasks: the inbox, claim, unclaim, delegate, draft and complete."""

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import contains_eager

from app.db import utcnow
from app.definitions.defaults import generic_form
from app.definitions.forms import validate_submission
from app.domain import access
from app.domain.access import is_candidate
from app.domain.attachments import bind_attachments
from app.domain.audit import append_at_head, new_event
from app.domain.people import display_names, get_user
from app.engine.runner import EngineFailure, TaskNotReady
from app.errors import Conflict, InvalidState, NotFound, ValidationFailed
from app.messages import label, msg
from app.workflow.assignment import require_task_view, require_task_work
from app.workflow.execution import advance, begin_run, instance_tasks, lock_task_instance, save
from app.workflow.models import HumanTask, ProcessInstance, TaskCandidate
from app.workflow.recording import audit, record_failure
from app.workflow.runtime import HELPER_NAMES


def get_task(session, task_id):
    task = session.get(HumanTask, task_id)
    if task is None:
        raise NotFound(msg("task.not_found"))
    return task


def task_form(session, runtime, task):
    """The form a task shows and validates: its deployed form, or the generic form of a task that names none."""
    if task.form_id is None:
        return generic_form()
    return runtime.form(session, task.instance.deployment_id, task.form_id)


def fills_from_task_data(task):
    """Whether a task's form starts from the instance's data: not the generic form, whose comment and
    acknowledgement are each task's own answers (the previous plain task's would show as this one's); it shows
    only the task's draft."""
    return task.form_id is not None


def show_task(session, runtime, user, task_id):
    """The task with its form and current data (draft over task data), for a user who may view it."""
    task = get_task(session, task_id)
    require_task_view(user, task)
    form = task_form(session, runtime, task)
    data = {}
    if task.status == "open" and fills_from_task_data(task):
        step = begin_run(session, runtime, task.instance, user)
        try:
            data = step.run.find_ready(task.task_uuid).data
        except TaskNotReady:
            data = {}
    if form is not None:
        keys = form.keys()
        data = {k: v for k, v in data.items() if k in keys}
    if access.may_read_draft(user, task):
        data.update(task.draft or {})
    return task, form, data


def inbox(session, user, scope="all", search=None, process_id=None, page=1, per_page=20):
    """Open tasks the user may work on: `mine` (claimed by me), `group` (unclaimed), or `all`; (rows, total).

    Driven by the open-task index (`ix_human_task_open`) with a primary-key probe of the candidates per open
    task, so closed tasks and their candidate rows, however many, are never read.
    """
    candidate = select(TaskCandidate.task_id).where(
        TaskCandidate.task_id == HumanTask.id, access.candidate_clause(TaskCandidate, user)).exists()
    query = select(HumanTask).join(ProcessInstance).where(
        HumanTask.status == "open", candidate, ProcessInstance.status.in_(("running", "error")))
    if scope == "mine":
        query = query.where(HumanTask.claimed_by == user.username)
    elif scope == "group":
        query = query.where(HumanTask.claimed_by.is_(None))
    else:
        query = query.where(or_(HumanTask.claimed_by.is_(None), HumanTask.claimed_by == user.username))
    if search:
        like = f"%{search}%"
        query = query.where(or_(HumanTask.title.ilike(like), HumanTask.name.ilike(like),
                                ProcessInstance.process_name.ilike(like), ProcessInstance.business_key.ilike(like)))
    if process_id:
        query = query.where(HumanTask.process_id == process_id)
    order = (HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
    shown = contains_eager(HumanTask.instance).load_only(  # what a task row shows of its instance, not its state
        ProcessInstance.process_name, ProcessInstance.business_key, ProcessInstance.started_by, ProcessInstance.status)
    rows = list(session.scalars(query.options(shown).order_by(*order).limit(per_page).offset((page - 1) * per_page)))
    if page == 1 and len(rows) < per_page:
        return rows, len(rows)  # the first page holds them all: no count needed
    return rows, session.scalar(select(func.count()).select_from(query.subquery()))


def _open_task_for_work(session, user, task_id, rule=access.work_refusal):
    """The open task the user may act on (the policy's `rule`), its instance locked (the instance row keeps the
    audit head). Someone who may not even read the task learns nothing of its state (403).
    """
    instance = lock_task_instance(session, task_id)
    task = session.scalar(select(HumanTask).where(HumanTask.id == task_id).execution_options(populate_existing=True))
    require_task_view(user, task)
    if task.status != "open":
        raise Conflict(_closed_message(session, task))
    require_task_work(user, task, rule)
    return task, instance


def _closed_message(session, task):
    if task.status == "completed":
        who = display_names(session, [task.completed_by]).get(task.completed_by, task.completed_by)
        return msg("task.already_done", who=who or msg("task.someone_else"))
    return msg("task.not_open")


def _audit(session, user, task, instance, action, payload=None):
    event = new_event(f"instance:{task.instance_id}", action, actor=user, instance_id=task.instance_id,
                      task_id=task.task_uuid, payload={"task": task.bpmn_id, **(payload or {})})
    append_at_head(session, instance, event)


def _take(session, user, task, instance, holder, action, payload=None):
    """Set who holds an open task with one conditional UPDATE: of two concurrent writers exactly one wins.

    The row changes only while it is still open and held by nobody, by the user, or (admin unclaim)
    by whoever held it when read; the loser matches no row and gets 409, and nothing is audited twice.
    """
    held = (HumanTask.claimed_by.is_(None) | (HumanTask.claimed_by == user.username)
            | (HumanTask.claimed_by == task.claimed_by) if task.claimed_by else HumanTask.claimed_by.is_(None))
    changed = session.execute(
        update(HumanTask).where(HumanTask.id == task.id, HumanTask.status == "open", held)
        .values(claimed_by=holder, claimed_at=utcnow() if holder else None)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise Conflict(msg("task.claim_lost"))
    session.refresh(task)
    _audit(session, user, task, instance, action, payload)
    return task


def claim_task(session, user, task_id):
    task, instance = _open_task_for_work(session, user, task_id)
    if task.claimed_by == user.username:
        return task
    return _take(session, user, task, instance, user.username, "task.claim")


def unclaim_task(session, user, task_id):
    """Hand the task back to its candidates: its holder, or an admin for anyone (access.release_refusal)."""
    task, instance = _open_task_for_work(session, user, task_id, access.release_refusal)
    if task.claimed_by is None:
        return task  # an admin releasing a task nobody holds: nothing changes, nothing is recorded
    return _take(session, user, task, instance, None, "task.unclaim")


def delegate_task(session, user, task_id, username):
    """Hand a task to a colleague who is also a candidate for it; it is claimed in their name."""
    task, instance = _open_task_for_work(session, user, task_id)
    colleague = get_user(session, username)
    if not colleague.active or colleague.read_only or not is_candidate(colleague, task):
        raise ValidationFailed(msg("task.delegate_bad_user", user=colleague.display_name),
                               {"username": [msg("task.delegate_bad_user", user=colleague.display_name)]})
    return _take(session, user, task, instance, colleague.username, "task.delegate", {"to": colleague.username})


def save_draft(session, runtime, user, task_id, data):
    """Keep unfinished form data on the task; only known form fields are kept."""
    task, instance = _open_task_for_work(session, user, task_id)
    form = task_form(session, runtime, task)
    if not isinstance(data, dict):
        raise ValidationFailed(msg("form.not_object"), {"_": [msg("form.not_object")]})
    keys = form.keys() if form else set()
    unknown = [k for k in data if k not in keys]
    if unknown:
        raise ValidationFailed(msg("validation.request"), {k: [msg("form.unknown_key")] for k in unknown})
    if task.claimed_by is None:
        _take(session, user, task, instance, user.username, "task.claim")
    task.draft = data
    session.flush()
    return task


def complete_task(session, runtime, user, task_id, data):
    """Validate against the task's form, then run it; 422 leaves everything as it was, 409 if someone was first.

    Returns (task, next task): the next is the instance's next open task this user may work on, or None.
    Two statements read (the locked instance, then its task rows with candidates); the rest is one flush.
    """
    instance = lock_task_instance(session, task_id)
    rows = instance_tasks(session, instance.id)
    task = next(row for row in rows.values() if row.id == task_id)
    require_task_view(user, task)
    if task.status != "open":
        raise Conflict(_closed_message(session, task))
    require_task_work(user, task)
    if instance.status != "running":
        raise InvalidState(msg("instance.not_running", status=label("instance_status", instance.status)))
    form = task_form(session, runtime, task)
    errors = validate_submission(form, data, reserved=HELPER_NAMES)
    if errors:
        raise ValidationFailed(msg("validation.request"), errors)
    if form is not None:
        bind_attachments(session, user, instance.id, form.attachment_ids(data))
    data = form.complete(data) if form else data
    step = begin_run(session, runtime, instance, user)
    step.tasks = rows
    audit(step, "task.complete", {"task": task.bpmn_id, "data": data}, task_id=task.task_uuid)
    try:
        step.run.complete_task(task.task_uuid, data)
    except TaskNotReady:
        raise Conflict(msg("task.not_open"))
    except EngineFailure as failure:
        record_failure(step, failure.failure)
    else:
        task.status, task.completed_at, task.completed_by, task.draft = "completed", utcnow(), user.username, None
        if instance.status == "running":
            advance(step)
    save(step)
    return task, _next_task(user, instance, step.opened + sorted(rows.values(), key=lambda r: r.id))


def _next_task(user, instance, rows):
    """The first open row (newly opened first) that the user may work on now, or None."""
    if instance.status != "running":
        return None
    return next((row for row in rows if row.status == "open" and access.work_refusal(user, row) is None), None)
