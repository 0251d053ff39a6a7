"""Who may see and work on what: task candidates from role/org properties, and the access rules."""

from datetime import timedelta

from app.definitions.templates import render_template
from app.definitions.validation import DURATION
from app.domain import access
from app.domain.people import role_code
from app.engine.runner import parse_iso
from app.errors import Conflict, Forbidden
from app.messages import msg

DURATION_UNITS = {"Y": 365, "M": 30, "W": 7, "D": 1}


def task_roles(ready):
    roles = [r.strip() for r in ready.properties.get("role", "").split(",") if r.strip()]
    if not roles and ready.lane:
        roles = [ready.lane]
    return sorted({role_code(r) for r in roles if role_code(r)})


def task_orgs(run, ready, initiator_org):
    """Organisation codes from the `org` expression, or the initiator's organisation."""
    expression = ready.properties.get("org")
    if not expression:
        return [initiator_org] if initiator_org else []
    value = run.evaluate(ready.id, expression)
    values = value if isinstance(value, list) else [value]
    return sorted({str(v) for v in values if v})


def task_due(run, ready, calendar, created):
    """The deadline from `due` (ISO duration, or an expression giving an ISO datetime), or None."""
    due = ready.properties.get("due")
    if not due:
        return None
    if not DURATION.match(due):
        value = run.evaluate(ready.id, due)
        return parse_iso(value) if isinstance(value, str) else None
    days, hours = _duration_parts(due)
    working = ready.properties.get("calendar") == "working"
    moment = calendar.add_working_days(created, days) if working and days else created + timedelta(days=days)
    if hours:
        moment = calendar.add_working_hours(moment, hours) if working else moment + timedelta(hours=hours)
    return moment


def _duration_parts(text):
    match = DURATION.match(text)
    date_part, _, time_part = text[1:].partition("T")
    days = 0
    number = ""
    for ch in date_part:
        if ch.isdigit():
            number += ch
        else:
            days += int(number) * DURATION_UNITS[ch]
            number = ""
    hours = 0.0
    for ch in time_part:
        if ch.isdigit():
            number += ch
        else:
            hours += int(number) * {"H": 1, "M": 1 / 60, "S": 1 / 3600}[ch]
            number = ""
    return (days, hours) if match else (0, 0)


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
