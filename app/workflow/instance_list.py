"""The console's instance list (流程实例): filters, a page newest first, and the counts per status, as plain data.

Every filter reads an index at 1 M instances (the migration 20261206 lists them; bench/instance_list.py measures):
a page reads the primary key backwards and stops after a page (a status tab: its (status, has_open_task, id)
index); the counts are index-only scans where an index leads with the filter; the text search is resolved first
against the small tables (process names, people's names) and becomes an IN list on indexed columns.

"Waiting" (等待中) is not a stored status: it is a running instance with no open human task (it waits on a timer, a
message or a child instance), told by the instance's `has_open_task`, which every save sets (app/workflow/task_sync.py).
Running and waiting split the stored `running`, so the counts per status add up to the total; they are one GROUP BY
(status, has_open_task), an index-only scan (deriving it from the task rows instead cost a probe of the open tasks
per running instance: ≈880 ms instead of ≈100 ms for the unfiltered counts at 1 M).
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, case, distinct, false, func, literal, or_, select, true

from app.db import utcnow
from app.definitions.models import DeployedProcess, Deployment
from app.domain import access
from app.domain.people import User, display_names
from app.workflow.instances import _involved_instances
from app.workflow.models import HumanTask, ProcessInstance, TaskCandidate
from app.workflow.operating import allowed_actions
from app.workflow.queries import instance_summary

# The statuses a list filters by and counts, in the order the console's tabs show them.
LIST_STATUSES = ("running", "waiting", "suspended", "error", "completed", "terminated")
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2099, 12, 31)  # the start dates a filter takes (beyond: an overflow)
WAITING = and_(ProcessInstance.status == "running", ProcessInstance.has_open_task == false())
shown_status = case((WAITING, literal("waiting")), else_=ProcessInstance.status)


@dataclass(frozen=True)
class InstanceFilter:
    """What the console's filter form asks for; None (or False) leaves a filter out."""

    process_id: str | None = None
    version: int | None = None  # the deployment's number
    status: str | None = None  # one of LIST_STATUSES
    org: str | None = None  # an organisation involved: the starting one, or a candidate of any task
    overdue: bool = False  # has an open task past its due time
    started_from: date | None = None  # local dates (the county's zone), both included
    started_to: date | None = None
    key: str | None = None  # business key (a call's number): exact or its beginning
    q: str | None = None  # text: the beginning of a business key, part of a process name or of a starter's name


def _like_prefix(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _day_start(day, zone):
    return datetime.combine(day, time.min, zone).astimezone(timezone.utc)


def _status_clause(status):
    if status == "waiting":
        return WAITING
    if status == "running":
        return and_(ProcessInstance.status == "running", ProcessInstance.has_open_task == true())
    return ProcessInstance.status == status


def _org_clause(org, counting):
    """Started by the organisation, or one of its tasks named it.

    A page walks the newest instances and probes each one's tasks (EXISTS: it stops after a page); a count reads the
    organisation's tasks once, as a set of instance ids that every row is looked up in.
    """
    named = (select(HumanTask.instance_id).join(TaskCandidate, TaskCandidate.task_id == HumanTask.id)
             .where(TaskCandidate.org_code == org))
    if counting:
        return or_(ProcessInstance.org_code == org, ProcessInstance.id.in_(named))
    return or_(ProcessInstance.org_code == org, named.where(HumanTask.instance_id == ProcessInstance.id).exists())


def _text_matches(session, text):
    """The deployed processes and the people whose names contain the text (small tables, read first)."""
    pattern = "%" + _like_prefix(text)
    processes = set(session.scalars(select(DeployedProcess.process_id).where(
        or_(DeployedProcess.name.ilike(pattern, escape="\\"), DeployedProcess.process_id == text))))
    people = set(session.scalars(select(User.username).where(
        or_(User.display_name.ilike(pattern, escape="\\"), User.username == text))))
    return processes, people


def _text_clause(processes, people, text):
    """A business key that begins with the text, or a process or a starter whose name contains it."""
    clauses = [ProcessInstance.business_key.like(_like_prefix(text), escape="\\")]
    if processes:
        clauses.append(ProcessInstance.process_id.in_(sorted(processes)))
    if people:
        clauses.append(ProcessInstance.started_by.in_(sorted(people)))
    return or_(*clauses)


def filter_clauses(session, user, filters, zone, now=None, counting=False):
    """The WHERE clauses of `filters` (without the status) for what `user` may see (`counting`: for a count)."""
    now = now or utcnow()
    clauses = [] if access.reads_everything(user) else [or_(
        ProcessInstance.org_code == user.org.code, ProcessInstance.started_by == user.username,
        ProcessInstance.id.in_(_involved_instances(user)))]
    if filters.process_id:
        clauses.append(ProcessInstance.process_id == filters.process_id)
    if filters.version is not None:
        clauses.append(ProcessInstance.deployment_id == select(Deployment.id).where(
            Deployment.number == filters.version).scalar_subquery())
    if filters.org:
        clauses.append(_org_clause(filters.org, counting))
    if filters.overdue:
        clauses.append(ProcessInstance.id.in_(select(HumanTask.instance_id).where(
            HumanTask.status == "open", HumanTask.due_at < now)))
    if filters.started_from:
        clauses.append(ProcessInstance.started_at >= _day_start(filters.started_from, zone))
    if filters.started_to:
        clauses.append(ProcessInstance.started_at < _day_start(filters.started_to + timedelta(days=1), zone))
    if filters.key:
        clauses.append(ProcessInstance.business_key.like(_like_prefix(filters.key), escape="\\"))
    if filters.q:
        clauses.append(_text_clause(*_text_matches(session, filters.q), filters.q))
    return clauses


def status_counts(session, clauses):
    """{status: count} under the filters' clauses (every status of LIST_STATUSES, zeros included): one GROUP BY."""
    query = (select(ProcessInstance.status, ProcessInstance.has_open_task, func.count()).where(*clauses)
             .group_by(ProcessInstance.status, ProcessInstance.has_open_task))
    counts = dict.fromkeys(LIST_STATUSES, 0)
    for status, has_open, n in session.execute(query):
        shown = "waiting" if status == "running" and not has_open else status
        counts[shown] = counts.get(shown, 0) + n
    return counts


def instance_list(session, user, filters, zone, page=1, per_page=20, now=None):
    """A page of the instances under `filters`, newest first: (rows, total, counts per status).

    The total is the count of the chosen status (or of all), so one GROUP BY gives both the tabs and the pager.
    """
    now = now or utcnow()
    counts = status_counts(session, filter_clauses(session, user, filters, zone, now, counting=True))
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    clauses = filter_clauses(session, user, filters, zone, now)
    if filters.status:
        clauses.append(_status_clause(filters.status))
    query = (select(ProcessInstance, shown_status).where(*clauses).order_by(_newest_first(session, filters))
             .limit(per_page).offset((page - 1) * per_page))
    found = session.execute(query).all()
    return list_rows(session, found, now), total, counts


def _newest_first(session, filters):
    """By id, descending. A search by business key sorts what the key's index finds instead: keys (call numbers)
    grow with the id, so an older key's matches lie far down the primary key, which the planner cannot know."""
    by_key = filters.key or (filters.q and not any(_text_matches(session, filters.q)))
    return (ProcessInstance.id + 0).desc() if by_key else ProcessInstance.id.desc()


def list_rows(session, found, now):
    """The rows a list shows: each instance's summary, its shown status, open steps, whether one is overdue, and the
    actions its state allows."""
    ids = [instance.id for instance, _ in found]
    steps = open_tasks(session, ids)
    names = display_names(session, {instance.started_by for instance, _ in found})
    rows = []
    for instance, shown in found:
        tasks = steps.get(instance.id, [])
        rows.append({**instance_summary(instance), "shown_status": shown, "steps": tasks,
                     "actions": allowed_actions(instance),
                     "started_by_name": names.get(instance.started_by),  # None: started by the platform
                     "overdue": any(t["due_at"] is not None and t["due_at"] < now for t in tasks)})
    return rows


def open_tasks(session, instance_ids):
    """{instance id: its open tasks (name, due time, the organisations they wait on)}, in one query."""
    steps = {}
    if not instance_ids:
        return steps
    query = select(HumanTask).where(HumanTask.instance_id.in_(instance_ids), HumanTask.status == "open")
    for task in session.scalars(query.order_by(HumanTask.id)):
        steps.setdefault(task.instance_id, []).append(
            {"id": task.id, "name": task.name, "due_at": task.due_at, "orgs": task.orgs})
    return steps


def filter_counts(session, user, filters, zone, now=None):
    """Counts per status under the filters other than the status (the tabs), and their sum."""
    counts = status_counts(session, filter_clauses(session, user, replace(filters, status=None), zone, now,
                                                   counting=True))
    return counts, sum(counts.values())


def overdue_by_org(session, now=None, limit=50):
    """[(org code, open tasks past due)] by organisation named on the tasks' candidates, most first."""
    now = now or utcnow()
    n = func.count(distinct(HumanTask.id))
    query = (select(TaskCandidate.org_code, n).join(HumanTask, TaskCandidate.task_id == HumanTask.id)
             .where(HumanTask.status == "open", HumanTask.due_at < now, TaskCandidate.org_code != access.ANY)
             .group_by(TaskCandidate.org_code).order_by(n.desc(), TaskCandidate.org_code).limit(limit))
    return [(org, count) for org, count in session.execute(query)]
