"""Who may see and work on what: task candidates, form and texts from a task's properties, and the access rules."""

from sqlalchemy import select
from sqlalchemy.orm import object_session

from app.definitions.defaults import assignment_of, form_of
from app.definitions.loading import deployment_forms
from app.definitions.templates import render_template
from app.domain import access
from app.domain.access import ANY, DEFAULT_TASK_ROLES
from app.domain.actors import SYSTEM
from app.domain.organisations import Organisation, org_codes_named
from app.domain.people import ROLES, display_names
from app.engine.durations import add_duration, is_duration, parse_duration
from app.engine.runner import parse_iso
from app.errors import Conflict, Forbidden
from app.messages import LABELS, msg


def task_candidates(session, run, ready, instance):
    """(role, organisation, username) of everyone who may work on a ready task; docs/bpmn.md says why.

    Roles from `role`, Camunda's candidate groups or the lane; organisations from the `org` expression, else the
    lane when it names one (for a task without `role`), else the initiator's; a Camunda assignee by name; and when
    nothing names anyone, the initiator, designers and admins.
    """
    assignment = assignment_of(ready.properties, ready.lane, ROLES)
    named = _expression_orgs(run, ready) if assignment.org_expression else org_codes_named(session, assignment.lanes)
    if assignment.roles:
        orgs = named if named or assignment.org_expression else [instance.org_code] if instance.org_code else []
        found = {(role, org, None) for role in assignment.roles for org in orgs}
    else:
        found = {(ANY, org, None) for org in named}
    if assignment.assignee:
        found.add((ANY, ANY, assignment.assignee))
    if not (found or assignment.roles or assignment.org_expression):
        found = {(role, ANY, None) for role in DEFAULT_TASK_ROLES}
        if instance.started_by != SYSTEM:  # a timer's or another process's message started it: no initiator
            found.add((ANY, ANY, instance.started_by))
    return sorted(found, key=lambda c: (c[0], c[1], c[2] or ""))


def _expression_orgs(run, ready):
    """Organisation codes the `org` expression gives (never ANY: data cannot widen a task to every organisation)."""
    value = run.evaluate(ready.id, ready.properties["org"])
    values = value if isinstance(value, list) else [value]
    return sorted({str(v) for v in values if v} - {ANY})


def task_form_id(session, deployment_id, ready):
    """The deployed form a task shows (`form`, else the one Camunda's form key names); None: the generic form."""
    properties = ready.properties
    needs_lookup = properties.get("form_key") and not properties.get("form")
    form_id, _unread = form_of(properties, deployment_forms(session, deployment_id) if needs_lookup else {})
    return form_id


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


def text_helpers(session):
    """What titles and instructions may call to name a code in words: `org_name(code)`, `person_name(login)`,
    `label(table, code)` (a catalogue table, e.g. label('case_grade', grade) → 黄牌). Names are read on first use."""
    orgs = {}

    def org_name(code):
        if not orgs:
            orgs.update(session.execute(select(Organisation.code, Organisation.name)).all())
        return orgs.get(code, code) if isinstance(code, str) else code

    def person_name(login):
        return display_names(session, [login]).get(login, login) if isinstance(login, str) else login

    def named(table, code):
        """A code by its label; a table the catalogue does not have names nothing (a designer's typo never fails)."""
        return LABELS.get(table, {}).get(code, code)

    return {"org_name": org_name, "person_name": person_name, "label": named}  # the names of TEMPLATE_HELPERS


def task_texts(ready, helpers=None):
    """(title, instructions) rendered in the Jinja sandbox over the task's data (with `helpers`, see
    text_helpers); a task without instructions shows its documentation."""
    title = render_template(ready.properties.get("title") or ready.name, ready.data, helpers=helpers)[:256]
    if ready.instructions:
        return title, render_template(ready.instructions, ready.data, markdown=True, helpers=helpers)
    return title, ready.properties.get("documentation")  # the diagram's own text: Markdown, never a template


def require_task_view(user, task):
    if not access.may_read_task(user, task):
        raise Forbidden(msg("task.forbidden"))


def require_task_work(user, task, rule=access.work_refusal):
    """The user may act on the task (the policy's `rule`, work_refusal unless told); the refusal says why, in Chinese."""
    refusal = rule(user, task)
    if refusal == "task.claimed_by_other":  # the task changed hands under the caller: a conflict, not a permission
        holder = display_names(object_session(task), [task.claimed_by]).get(task.claimed_by, task.claimed_by)
        raise Conflict(msg(refusal, who=holder))
    if refusal:
        raise Forbidden(msg(refusal))
