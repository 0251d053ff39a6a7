"""Plain data the edges read about supervision cases (督办): the cases a user may see, one case with its record."""

from sqlalchemy import or_, select

from app.domain import access
from app.domain.audit import AuditEvent
from app.domain.people import display_names
from app.governance import supervision as cases
from app.governance.call_queries import numbers_by_id
from app.governance.supervision_ladder import ladder_of
from app.workflow.queries import column_values
from app.workflow.record_story import grouped, story


def case_list(session, user, status=None, grade=None):
    """Every case the user may read (all for read-all roles, else those about the user's organisation), oldest
    first, each with the number of the call it supervises (None when it supervises none)."""
    target = None if access.reads_everything(user) else user.org.code
    rows = cases.list_cases(session, status=status, grade=grade, target_org=target)
    numbers = numbers_by_id(session, [case.call_id for case in rows if case.call_id])
    return [{**column_values(case), "call_number": numbers.get(case.call_id)} for case in rows]


def case_record(session, user, number):
    """One case as its page shows it: the case, its call's number, its story (the case's own stream and the
    instance that works on it, oldest first), and each round of rectification (整改) and verification (核实).

    Only those who may read the case (access.may_read_case) see it.
    """
    case = cases.get_case(session, number)
    access.require(access.may_read_case(user, case))
    sources = [AuditEvent.stream == f"supervision:{case.number}"]
    if case.instance_id:
        sources.append(AuditEvent.instance_id == case.instance_id)
    events = list(session.scalars(select(AuditEvent).where(or_(*sources)).order_by(AuditEvent.at, AuditEvent.id)))
    told = story(session, events)
    numbers = numbers_by_id(session, [case.call_id]) if case.call_id else {}
    return {**column_values(case), "call_number": numbers.get(case.call_id), "history": grouped(told),
            "rectifications": _rounds(events, told, case.instance_id, "rectify", ("measures", "result")),
            "verifications": _rounds(events, told, case.instance_id, "verify", ("verify_decision", "verify_comment")),
            **_ladder(session, case)}


def _ladder(session, case):
    """The escalation steps the case reached ({"step", "at", "recipients"}) and the 约谈 recorded for it."""
    steps, interviews = ladder_of(session, case.id)
    names = display_names(session, [i.recorded_by for i in interviews])
    return {"ladder": [{"step": s.step, "at": s.at, "recipients": list(s.recipients or [])} for s in steps],
            "interviews": [{"held_on": i.held_on, "attendees": i.attendees, "outcome": i.outcome, "at": i.at,
                            "recorded_by": names.get(i.recorded_by) or ""} for i in interviews]}


def _rounds(events, told, instance_id, step, keys):
    """What each completion of `step` in the case's instance submitted ({"at", "who", "files", key: value})."""
    rounds = []
    for event, entry in zip(events, told, strict=True):
        payload = event.payload or {}
        if event.instance_id == instance_id and event.action == "task.complete" and payload.get("task") == step:
            data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
            rounds.append({"at": event.at, "who": entry["who"], "files": entry["files"],
                           **{key: data.get(key) or "" for key in keys}})
    return rounds
