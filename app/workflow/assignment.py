"""Who may see and work on what: task candidates from role/org properties, and the access rules."""


from app.definitions.templates import render_template
from app.definitions.validation import role_of, split_roles
from app.domain import access
from app.domain.people import ROLES
from app.engine.durations import add_duration, is_duration, parse_duration
from app.engine.runner import parse_iso
from app.errors import Conflict, Forbidden
from app.messages import msg


def task_roles(ready):
    roles = split_roles(ready.properties.get("role"))
    if not roles and ready.lane:
        roles = [ready.lane]
    return sorted({role_of(ROLES, r) for r in roles} - {None})


def task_orgs(run, ready, initiator_org):
    """Organisation codes from the `org` expression, or the initiator's organisation."""
    expression = ready.properties.get("org")
    if not expression:
        return [initiator_org] if initiator_org else []
    value = run.evaluate(ready.id, expression)
    values = value if isinstance(value, list) else [value]
    return sorted({str(v) for v in values if v})


def task_due(run, ready, calendar, created):
    """The deadline from `due` (an ISO duration, read as timers read it, or an expression giving a datetime)."""
    due = ready.properties.get("due")
    if not due:
        return None
    if not is_duration(due):
        value = run.evaluate(ready.id, due)
        return parse_iso(value) if isinstance(value, str) else None
    duration = parse_duration(due)
    if ready.properties.get("calendar") != "working":
        return add_duration(created, duration)
    moment = created + duration.calendar_part(created)
    if duration.days:
        moment = calendar.add_working_days(moment, duration.days)
    if duration.seconds:
        moment = calendar.add_working_hours(moment, duration.seconds / 3600)
    return moment


def task_texts(ready):
    """(title, instructions) rendered in the Jinja sandbox over the task's data."""
    title = render_template(ready.properties.get("title") or ready.name, ready.data)[:256]
    instructions = render_template(ready.instructions, ready.data, markdown=True) if ready.instructions else None
    return title, instructions


def require_task_view(user, task):
    if not access.may_read_task(user, task):
        raise Forbidden(msg("task.forbidden"))


def require_task_work(user, task):
    """The user may act on the task (the policy's rule); the refusal says why, in Chinese."""
    refusal = access.work_refusal(user, task)
    if refusal == "task.claimed_by_other":  # the task changed hands under the caller: a conflict, not a permission
        raise Conflict(msg(refusal, who=task.claimed_by))
    if refusal:
        raise Forbidden(msg(refusal))
