"""How a call moves on: the response clock, a party's answer, a forwarded rejection and its outcome, extensions.

These are Tianchang's rules (lateness, the "already supervised" dedupe, overturned rejections, when the
handle clock starts, how an extension moves a deadline); the host operations only pass their parameters in.
"""

from dataclasses import dataclass
from datetime import datetime

from app.db import utcnow
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.organisations import get_org
from app.governance import calls as call_ops
from app.governance import supervision as cases
from app.messages import msg


@dataclass(frozen=True)
class Response:
    late_hours: int
    late: bool
    supervise_late: bool  # late, and no no-response case is open for this party of this call already
    handle_due: datetime | None


def start_response_clock(session, actor, number, response_hours, calendar):
    """Every party must respond within `response_hours` working hours from now; returns that deadline."""
    call = call_ops.get_call(session, number)
    due = calendar.add_working_hours(utcnow(), float(response_hours))
    for party in call.parties:
        call_ops.set_response_due(session, actor, call, party.org_code, due)
    return due


def record_response(session, actor, number, org, decision, handle_days, calendar, reason=None):
    """Accept starts the handle clock now; reject stops it until the dispute is decided."""
    call = call_ops.get_call(session, number)
    party = call_ops.party_of(call, org)
    now = utcnow()
    late = party.response_due is not None and now > party.response_due
    late_hours = max(0, int((now - party.response_due).total_seconds() // 3600)) if party.response_due else 0
    already = any(c.reason == "no_response" and c.call_id == call.id for c in cases.list_cases(session, target_org=org))
    if decision == "accept":
        due = calendar.add_working_days(now, int(handle_days))
        call_ops.accept_call(session, actor, call, org, now, due)
        call_ops.set_status(session, actor, call, "handling")
    else:
        due = None
        call_ops.reject_call(session, actor, call, org, now, reason or "")
        call_ops.set_status(session, actor, call, "disputed")
    return Response(late_hours, late, late and not already, due)


def forward_rejection(session, actor, number, org, instance_id):
    """The caller forwards a rejection to supervision, which organises the negotiation."""
    call = call_ops.get_call(session, number)
    call_ops.negotiate_rejection(session, actor, call, org)
    text = msg("notice.call_forwarded", number=number, title=call.title, org=get_org(session, org).name)
    notify(session, "ducha", text, role="supervisor", subject=f"call:{number}", instance_id=instance_id)


@dataclass(frozen=True)
class RejectionOutcome:
    """How a rejection ended: accepted by the caller, agreed in negotiation, or decided by 编办's coordination."""

    outcome: str  # accepted | agreement | coordination
    responsible: str | None = None  # the organisation that must handle the call now
    basis: str | None = None  # the list item or regulation the decision cites


def record_rejection_outcome(session, actor, number, org, decided, handle_days, calendar):
    """(handle due, overturned?): the responsible party's handle clock starts only now the outcome is decided.

    A rejection is overturned when the organisation that rejected is decided responsible after all; that
    counts against it in the assessment.
    """
    call = call_ops.get_call(session, number)
    outcome, responsible = decided.outcome, decided.responsible
    overturned = responsible == org
    call_ops.settle_rejection(session, actor, call, org, outcome, overturned)
    due = None
    if responsible:
        get_org(session, responsible)
        due = calendar.add_working_days(utcnow(), int(handle_days))
        call_ops.assign_handling(session, actor, call, responsible, due)
        call_ops.set_status(session, actor, call, "handling")
    append_event(session, f"call:{number}", "call.rejection.outcome", actor=actor, org=org,
                 instance_id=call.instance_id, payload={"outcome": outcome, "responsible": responsible,
                                                        "overturned": overturned, "basis": decided.basis})
    return due, overturned


def decide_extension(session, actor, extension_id, approved, calendar):
    """An approved extension moves the party's handle deadline by its working days; returns the deadline."""
    extension = session.get(call_ops.CallExtension, int(extension_id))
    call = session.get(call_ops.Call, extension.call_id)
    party = call_ops.party_of(call, extension.org_code)
    new_due = calendar.add_working_days(party.handle_due or utcnow(), extension.days) if approved else None
    call_ops.decide_extension(session, actor, extension.id, bool(approved), new_due)
    return party.handle_due


def record_handled(session, actor, number, org, result):
    call = call_ops.get_call(session, number)
    call_ops.mark_handled(session, actor, call, org, utcnow(), str(result or ""))


def move_call(session, actor, number, status):
    """Set the call's status; `redo` (重办) counts one more redo and goes back to handling."""
    call = call_ops.get_call(session, number)
    if status == "redo":
        call.redo_count += 1
        status = "handling"
    call_ops.set_status(session, actor, call, status)
    return call
