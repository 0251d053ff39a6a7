"""The operator's overview (the admin's home): what needs a look now, as plain data read with indexed queries.

Instances by status, the newest errors, timers due and late (a running instance whose timer is more than
LATE_TIMER past due: the timer worker is stopped or failing), overdue tasks by organisation, the last deploys,
and the audit record's last checkpoint. A full verification of the record walks every event (minutes at 1 M
instances): it is never run on a page load; the overview shows the last checkpoint and how many events were
written after it, and an auditor verifies on demand (GET /api/audit/verify, `flask audit verify --anchor FILE`;
anchors are kept outside the database, so no page can show one).
"""

from datetime import timedelta

from sqlalchemy import func, select

from app.db import utcnow
from app.definitions.models import Deployment
from app.domain.audit import AuditCheckpoint, AuditEvent, last_check
from app.domain.people import display_names
from app.workflow.instance_list import overdue_by_org, status_counts
from app.workflow.models import ProcessInstance

LATE_TIMER = timedelta(seconds=60)


def errors(session, limit=10):
    """The newest instances in error with their message (task, line)."""
    rows = session.execute(select(ProcessInstance.id, ProcessInstance.process_name, ProcessInstance.business_key,
                                  ProcessInstance.error, ProcessInstance.updated_at)
                           .where(ProcessInstance.status == "error").order_by(ProcessInstance.id.desc()).limit(limit))
    return [{"id": r.id, "process_name": r.process_name, "business_key": r.business_key, "error": r.error or {},
             "at": r.updated_at} for r in rows]


def timers(session, now=None, limit=10):
    """Running instances' timers: how many are due now, how many are late (a fault), and the late ones."""
    now = now or utcnow()
    due = ProcessInstance.next_timer_due
    running = (ProcessInstance.status == "running", due.is_not(None))
    count = lambda *where: session.scalar(select(func.count()).select_from(ProcessInstance).where(*running, *where))  # noqa: E731
    late = session.execute(select(ProcessInstance.id, ProcessInstance.process_name, ProcessInstance.business_key, due)
                           .where(*running, due < now - LATE_TIMER).order_by(due).limit(limit))
    return {"due": count(due <= now), "late": count(due < now - LATE_TIMER),
            "next_hour": count(due > now, due <= now + timedelta(hours=1)),
            "late_rows": [{"id": r.id, "process_name": r.process_name, "business_key": r.business_key,
                           "due": r.next_timer_due} for r in late]}


def last_deploys(session, limit=5):
    """The newest deployments: version, who deployed and approved, when, the processes it carried."""
    rows = list(session.scalars(select(Deployment).order_by(Deployment.number.desc()).limit(limit)))
    names = display_names(session, {d.deployed_by for d in rows} | {d.approved_by for d in rows if d.approved_by})
    return [{"number": d.number, "deployed_at": d.deployed_at, "note": d.note,
             "deployed_by": names.get(d.deployed_by, d.deployed_by),
             "approved_by": names.get(d.approved_by, d.approved_by) if d.approved_by else None,
             "processes": [p.name for p in d.processes]} for d in rows]


def audit_state(session):
    """The last checkpoint (when, how many streams), the events written after it (not yet checkpointed), and the last
    full verification and anchor, as `flask audit verify` and `flask audit anchor` recorded them."""
    last = session.execute(select(AuditCheckpoint.id, AuditCheckpoint.at, AuditCheckpoint.heads)
                           .order_by(AuditCheckpoint.id.desc()).limit(1)).first()
    since = select(func.count()).select_from(AuditEvent)
    if last is not None:
        since = since.where(AuditEvent.at > last.at)
    verified, anchored = last_check(session, "audit.verify"), last_check(session, "audit.anchor")
    return {"checkpoint": {"id": last.id, "at": last.at, "streams": len(last.heads or {})} if last else None,
            "unchecked_events": session.scalar(since),
            "verified": {"at": verified.at, **verified.payload} if verified else None,
            "anchored": {"taken_at": anchored.at, **anchored.payload} if anchored else None}


def overview(session, now=None):
    """Everything the operator's overview shows."""
    now = now or utcnow()
    counts = status_counts(session, [])
    return {"counts": counts, "total": sum(counts.values()), "errors": errors(session),
            "timers": timers(session, now), "overdue": overdue_by_org(session, now, limit=20),
            "deploys": last_deploys(session), "audit": audit_state(session), "now": now}
