"""Plain data the edges read about instances and tasks: dicts of column values, which the API's schemas dump.

The operations (instances.py, tasks.py) work on rows and return them; these functions turn what an edge
asks for into data, so no edge adds attributes to a row to dump it. What a caller may not see never enters
the data: a draft is not part of a task's summary, another party's instance data and event details are left out.
"""

from sqlalchemy import select

from app.definitions.forms import walk
from app.definitions.models import DeployedProcess
from app.definitions.operations import get_form
from app.domain import access
from app.domain.audit import AuditEvent, event_values
from app.domain.people import display_names, list_users
from app.workflow.instances import get_instance, instance_data, list_instances, require_instance_view
from app.workflow.models import HumanTask
from app.workflow.tasks import inbox, show_task

# Columns an edge never shows: an instance's stored state and its audit head, the lock's version; a task's draft
# (candidates only: app/domain/access.may_read_draft decides where a draft is shown).
INTERNAL = frozenset({"state", "serializer_version", "audit_seq", "audit_hash", "version", "draft"})


def column_values(row, without=INTERNAL):
    """A row's column values by attribute name: the plain data of one row."""
    return {column.key: getattr(row, column.key) for column in row.__mapper__.column_attrs if column.key not in without}


def instance_summary(instance):
    """One instance as a list shows it; `process_version` is the deployment's number (not the row's lock version)."""
    return {**column_values(instance), "process_version": instance.deployment.number}


def task_summary(task):
    """One human task with what it shows of its instance and its candidates (roles, organisations)."""
    instance = task.instance
    return {**column_values(task), "roles": task.roles, "orgs": task.orgs, "process_name": instance.process_name,
            "business_key": instance.business_key, "caller": instance.started_by}


def instance_page(session, user, page, per_page, **filters):
    """A page of the instances the user may see (see instances.list_instances); (summaries, total)."""
    rows, total = list_instances(session, user, page=page, per_page=per_page, **filters)
    return [instance_summary(row) for row in rows], total


def inbox_page(session, user, page, per_page, **filters):
    """A page of the user's open tasks (see tasks.inbox); (summaries, total)."""
    rows, total = inbox(session, user, page=page, per_page=per_page, **filters)
    return [task_summary(row) for row in rows], total


def instance_detail(session, runtime, user, instance_id):
    """An instance with its tasks, data and history, as much as the user may read of each.

    Read-all roles and the starting organisation read everything; another party reads its own tasks, no
    data, and of each event who did what when, not its payload (only the task it concerns).
    """
    instance = get_instance(session, instance_id)
    require_instance_view(session, user, instance)
    whole = access.may_read_instance_data(user, instance)
    tasks = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id).order_by(HumanTask.id))
    return {**instance_summary(instance),
            "tasks": [task_summary(task) for task in tasks if whole or access.may_read_task(user, task)],
            "data": instance_data(session, runtime, instance) if whole else {},
            "history": instance_history(session, instance.id, whole)}


def instance_history(session, instance_id, whole=True):
    """The instance's own record (its stream), oldest first, as `event_view` lets the reader see it."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.stream == f"instance:{instance_id}")
                             .order_by(AuditEvent.seq))
    return [event_view(event, whole) for event in events]


def event_view(event, whole=True):
    """An audit event; without `whole`, its payload keeps only the task it concerns."""
    values = event_values(event)
    if not whole:
        values["payload"] = {"task": (event.payload or {}).get("task")}
    return values


def task_detail(session, runtime, user, task_id):
    """A task with its form (form-js schema) and current data (its draft over the task data, for candidates)."""
    task, form, data = show_task(session, runtime, user, task_id)
    return {**task_summary(task), "form": form.schema if form else None, "data": data}


def completion(task, next_task):
    """A completed task and the caller's next open task of the same instance (or None)."""
    following = {"id": next_task.id, "title": next_task.title} if next_task is not None else None
    return {**task_summary(task), "next_task": following}



def task_page(session, runtime, user, task_id):
    """What the task page shows: the task (as `task_detail`, with its form's keys), whether the user may work on
    it, the colleagues it can be handed to (display names), its start form, and who completed it (by name); the
    record is told on the page by app.workflow.record_story."""
    task, form, data = show_task(session, runtime, user, task_id)
    may_work = task.status == "open" and access.work_refusal(user, task) is None
    colleagues = [{"username": u.username, "display_name": u.display_name}
                  for u in (list_users(session, user.org.code) if may_work else ())
                  if u.id != user.id and access.is_candidate(u, task)]
    return {**task_summary(task), "form": form.schema if form else None, "keys": sorted(form.keys()) if form else [],
            "data": data, "may_work": may_work, "colleagues": colleagues, "start": start_view(session, task.instance_id),
            "people": display_names(session, {task.completed_by})}


def start_view(session, instance_id):
    """The start form of an instance's version, with what its initiator submitted (None without a start form): the
    task and call pages show it read-only, so a field a designer adds to a start form reaches them by itself.
    The caller has checked that the user may read the task or call."""
    instance = get_instance(session, instance_id)
    process = session.scalar(select(DeployedProcess).where(DeployedProcess.deployment_id == instance.deployment_id,
                                                           DeployedProcess.process_id == instance.process_id))
    if process is None or not process.start_form:
        return None
    started = session.scalar(select(AuditEvent.payload).where(
        AuditEvent.instance_id == instance_id, AuditEvent.action == "instance.start").order_by(AuditEvent.id).limit(1))
    schema = get_form(session, instance.deployment_id, process.start_form).schema
    shown = {str(c.get("key") or c.get("path")).split(".")[0] for c in walk(schema.get("components", []))
             if c.get("key") or c.get("path")}
    data = {k: v for k, v in ((started or {}).get("data") or {}).items() if k in shown}  # what the form shows, no more
    return {"schema": schema, "data": data, "title": process.name}


def open_steps(session, instance_ids):
    """{instance id: its open tasks (id, name, the organisations they wait on)}, in one query for all of them."""
    steps = {instance_id: [] for instance_id in instance_ids}
    query = select(HumanTask).where(HumanTask.instance_id.in_(instance_ids), HumanTask.status == "open")
    for task in session.scalars(query.order_by(HumanTask.id)):
        steps[task.instance_id].append({"id": task.id, "name": task.name, "orgs": task.orgs})
    return steps


def task_ids(session, instance_ids, task_uuids):
    """{engine task id: task row id} of the named tasks of these instances (the page a task's notice leads to)."""
    return dict(session.execute(select(HumanTask.task_uuid, HumanTask.id).where(
        HumanTask.instance_id.in_(instance_ids), HumanTask.task_uuid.in_(task_uuids))).all())
