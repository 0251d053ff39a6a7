"""What people need in front of them where they decide about a call: its summary, each party's facts, its story.

The call page and every task page of a call read `call_context`: the call (item, location, photos, urgency, the
caller by name), per party its response, how a rejection ended (forwarding note, negotiation minutes, the decision
and who made it), its handling result and files, extensions, urges, ratings and deadlines, and the call's record
told as sentences (app.workflow.record_story). Everyone who reads the call (read-all roles, the caller, every
party) reads it whole: why another party rejected, how the dispute went, what each handled (access.may_read_call).
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from app.db import utcnow
from app.domain import access
from app.domain.attachments import Attachment
from app.domain.audit import AuditEvent
from app.domain.organisations import list_orgs
from app.domain.people import display_names
from app.engine.runner import TaskNotReady
from app.errors import InvalidState, NotFound
from app.governance.calls import Call, CallExtension, CallUrge, get_call, lateness, require_call_view
from app.governance.calls import urge as urge_party
from app.governance.evaluations import evaluations_for
from app.governance.lists import get_item
from app.governance.supervision import SupervisionCase
from app.messages import msg
from app.workflow.execution import begin_run
from app.workflow.models import ProcessInstance
from app.workflow.record_story import grouped, story

# The steps of a rejection's dispute (reject_forward_coordinate) and the data each one leaves.
DISPUTE_STEPS = {"decide": "dispute_note", "negotiate": "summary", "filing": "filing_comment",
                 "coordinate": "basis_note"}
HANDLING_STEPS = ("handle", "redo")


def call_context(session, user, number, calendar=None, now=None):
    """The call as its page and its task pages show it (see the module docstring); the user must read the call."""
    call = get_call(session, number)
    require_call_view(user, call)
    now = now or utcnow()
    instance = session.get(ProcessInstance, call.instance_id) if call.instance_id else None
    whole = access.may_read_call(user, call)  # every party reads the call's story whole (access.may_read_call)
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.instance_id == call.instance_id)
                                  .order_by(AuditEvent.at, AuditEvent.id))) if instance is not None else []
    told = story(session, events, whole=lambda event: whole and access.may_read_event_of_rating(user, event))
    orgs = {o.code: o.name for o in list_orgs(session)}
    names = display_names(session, {call.caller_user} | {e.actor for e in events if e.actor}
                          | _people_of(session, call))
    facts = _party_facts(session, user, call, events, told)
    parties = [_party(call, party, orgs, names, facts.get(party.org_code, {}), user, calendar, now)
               for party in call.parties]
    return {"call": _summary(session, call, orgs, names, now), "parties": parties, "story": told,
            "steps": grouped(told), "whole": whole, "cases": _cases(session, user, call),
            "may_export": instance is not None and access.may_read_instance_data(user, instance),
            "may_urge": access.may_urge(user, call), "orgs": orgs}


def _cases(session, user, call):
    """The supervision cases (督办) opened about the call that the user may read, oldest first."""
    cases = session.scalars(select(SupervisionCase).where(SupervisionCase.call_id == call.id)
                            .order_by(SupervisionCase.id))
    return [{"number": c.number, "target_org": c.target_org, "grade": c.grade, "reason": c.reason, "status": c.status}
            for c in cases if access.may_read_case(user, c)]


def _summary(session, call, orgs, names, now):
    try:
        item_title = get_item(session, call.item_code).current.title
    except NotFound:  # an item since removed: the call keeps its own title
        item_title = call.title
    return {"number": call.number, "title": call.title, "item_code": call.item_code, "item_title": item_title,
            "location": call.location, "description": call.description, "urgency": call.urgency,
            "status": call.status, "caller_org": call.caller_org, "caller_org_name": orgs.get(call.caller_org, ""),
            "caller_name": names.get(call.caller_user, ""), "created_at": call.created_at,
            "closed_at": call.closed_at, "redo_count": call.redo_count,
            "photos": attachment_files(session, call.photos or []), "instance_id": call.instance_id}


def attachment_files(session, ids):
    """[{"id", "filename", "size", "image"}] of these attachments, in the order given (unknown ids left out)."""
    ids = [i for i in ids if isinstance(i, int) or str(i).isdigit()]
    rows = {a.id: a for a in session.scalars(select(Attachment).where(Attachment.id.in_([int(i) for i in ids])))}
    return [{"id": a.id, "filename": a.filename, "size": a.size, "image": (a.mime or "").startswith("image/")}
            for a in (rows.get(int(i)) for i in ids) if a is not None]


def _people_of(session, call):
    extensions = session.scalars(select(CallExtension.decided_by).where(CallExtension.call_id == call.id))
    urges = session.scalars(select(CallUrge.urged_by).where(CallUrge.call_id == call.id))
    return {u for u in [*extensions, *urges] if u}


def _party_facts(session, user, call, events, told):
    """{org: facts}: from the record (`_record_facts`), and its extensions, urges and ratings from their tables."""
    facts = {party.org_code: {"dispute": {}, "files": [], "extensions": [], "urges": [], "given": [], "received": []}
             for party in call.parties}
    _record_facts(facts, events, {entry["id"]: entry["files"] for entry in told})
    for extension in session.scalars(select(CallExtension).where(CallExtension.call_id == call.id)
                                     .order_by(CallExtension.id)):
        facts.setdefault(extension.org_code, {}).setdefault("extensions", []).append(extension)
    for urge in session.scalars(select(CallUrge).where(CallUrge.call_id == call.id).order_by(CallUrge.id)):
        facts.setdefault(urge.org_code, {}).setdefault("urges", []).append(urge)
    for rating in evaluations_for(session, call_id=call.id):
        if access.may_read_evaluation(user, rating):
            facts.setdefault(rating.rater_org, {}).setdefault("given", []).append(rating)
            facts.setdefault(rating.ratee_org, {}).setdefault("received", []).append(rating)
    return facts


def _record_facts(facts, events, files):
    """The dispute's notes and decision, and the handling files, per party, read from the call's events.

    A dispute step (处理驳回, 协商, 备案审查, 协调) belongs to the party whose dispute next moves on the record (it is
    forwarded, or its outcome is recorded), which is how reject_forward_coordinate runs.
    """
    pending = []
    for event in events:
        payload = event.payload or {}
        step = payload.get("task") if event.action == "task.complete" else None
        if step in DISPUTE_STEPS:
            pending.append(event)
        elif step in HANDLING_STEPS and event.org in facts:
            facts[event.org]["files"] += files.get(event.id, [])
        elif event.action == "call.party" and event.org in facts and (
                payload.get("status") == "negotiating" or "rejection_outcome" in payload):
            for done in pending:
                facts[event.org]["dispute"][done.payload["task"]] = {"text": (done.payload.get("data") or {}).get(
                    DISPUTE_STEPS[done.payload["task"]]) or "", "by": done.actor, "at": done.at}
            pending = []
        elif event.action == "call.rejection.outcome" and event.org in facts:
            facts[event.org]["dispute"]["outcome"] = {"basis": payload.get("basis") or "", "by": event.actor,
                                                      "responsible": payload.get("responsible"), "at": event.at}


def _party(call, party, orgs, names, fact, user, calendar, now):
    dispute = fact.get("dispute") or {}
    outcome = dispute.get("outcome")
    caller_ratings = [r for r in fact.get("received", []) if r.rater_org == call.caller_org]
    return {
        "org": party.org_code, "name": orgs.get(party.org_code, ""), "role": party.role, "status": party.status,
        "response_due": party.response_due, "responded_at": party.responded_at,
        "response_hours": _working_hours(calendar, call.created_at, party.response_due),
        "handle_due": party.handle_due, "handled_at": party.handled_at,
        "handle_days": _working_days(calendar, (outcome or {}).get("at") or party.responded_at, party.handle_due),
        "responded": party.responded_at is not None,
        "rejected": bool(party.rejection_reason), "rejection_reason": party.rejection_reason or "",
        "outcome": party.rejection_outcome, "overturned": party.rejection_overturned,
        "forward_note": (dispute.get("decide") or {}).get("text", ""),
        "minutes": (dispute.get("negotiate") or {}).get("text", ""),
        "filing_note": (dispute.get("filing") or {}).get("text", ""),
        "basis": (outcome or {}).get("basis") or (dispute.get("coordinate") or {}).get("text", ""),
        "decided_by": names.get((outcome or {}).get("by") or "", ""),
        "decided_at": (outcome or {}).get("at"),
        "responsible": orgs.get((outcome or {}).get("responsible") or "", ""),
        "result": party.result or "", "files": fact.get("files", []),
        "extensions": [{"days": e.days, "reason": e.reason, "status": e.status, "asked_at": e.created_at,
                        "decided_at": e.decided_at, "decided_by": names.get(e.decided_by or "", ""),
                        "new_due": e.new_due} for e in fact.get("extensions", [])],
        "urge_count": party.urge_count,
        "urges": [{"by": names.get(u.urged_by, ""), "at": u.at, "note": u.note} for u in fact.get("urges", [])],
        "ratings_given": [_rating(r, orgs) for r in fact.get("given", [])],
        "ratings_received": [_rating(r, orgs) for r in fact.get("received", [])],
        "satisfaction": caller_ratings[-1].grade if caller_ratings else None,
        "urge_refusal": urge_refusal(user, call, party, now),
        "late": lateness(party, now) is not None,
    }


def _rating(rating, orgs):
    return {"kind": rating.kind, "rater": orgs.get(rating.rater_org, ""), "ratee": orgs.get(rating.ratee_org, ""),
            "grade": rating.grade, "accuracy": rating.accuracy, "cooperation": rating.cooperation,
            "comment": rating.comment or "", "at": rating.created_at}


def urge_refusal(user, call, party, now=None):
    """Why this user may not urge (催办) this party now, in words; None when they may."""
    if not access.may_urge(user, call):
        return msg("callp.urge.not_caller")
    if call.status == "closed":
        return msg("callp.urge.closed")
    if lateness(party, now or utcnow()) is not None:
        return None
    if party.status == "handled":
        return msg("callp.urge.handled")
    if party.status != "pending" and party.status != "handling":
        return msg("callp.urge.responded")
    return msg("callp.urge.not_late")


def urge_late_party(session, actor, number, org_code):
    """The caller urges a party that is late (calls.urge holds the rule); the urged party."""
    call = get_call(session, number)
    if not any(p.org_code == org_code for p in call.parties):
        raise InvalidState(msg("call.not_party"))
    return urge_party(session, actor, number, org_code)


def _working_hours(calendar, start, end):
    """The working hours between two moments, by the calendar (None without one): how the response limit was set."""
    if calendar is None or start is None or end is None or end <= start:
        return None
    total, day = timedelta(0), start.astimezone(calendar.tz).date()
    last = end.astimezone(calendar.tz).date()
    while day <= last:
        if calendar.is_working_day(day):
            for opens, closes in calendar.hours:
                a = max(datetime.combine(day, opens, calendar.tz), start)
                b = min(datetime.combine(day, closes, calendar.tz), end)
                total += max(b - a, timedelta(0))
        day += timedelta(days=1)
    hours = round(total.total_seconds() / 1800) / 2
    return int(hours) if hours == int(hours) else hours


def _working_days(calendar, start, end):
    """Working days from `start` to `end` by the calendar: how the handling limit (with extensions) was set."""
    if calendar is None or start is None or end is None or end <= start:
        return None
    day, last, count = start.astimezone(calendar.tz).date(), end.astimezone(calendar.tz).date(), 0
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count or None


def call_of_instance(session, instance):
    """The call a task's instance is about: the call it runs, or the call a supervision case was opened for."""
    call = session.scalar(select(Call).where(Call.instance_id == instance.id))
    if call is not None:
        return call
    case = session.scalar(select(SupervisionCase).where(SupervisionCase.instance_id == instance.id))
    return session.get(Call, case.call_id) if case is not None and case.call_id else None


def case_of_instance(session, instance):
    return session.scalar(select(SupervisionCase).where(SupervisionCase.instance_id == instance.id))


def ready_task_data(session, runtime, task):
    """An open task's whole data as the engine holds it (the form shows only its own fields); {} once done."""
    if task.status != "open":
        return {}
    try:
        return dict(begin_run(session, runtime, task.instance, None).run.find_ready(task.task_uuid).data)
    except TaskNotReady:
        return {}


def instance_story(session, user, instance):
    """An instance's own record told as steps (its stream), as much as the user may read of it."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.stream == f"instance:{instance.id}")
                             .order_by(AuditEvent.seq))
    return grouped(story(session, events, whole=access.may_read_instance_data(user, instance)))
