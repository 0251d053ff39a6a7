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


def start_response_clock(session, actor_name, number, response_hours, calendar):
    """Every party must respond within `response_hours` working hours from now; returns that deadline."""
    call = call_ops.get_call(session, number)
    due = calendar.add_working_hours(utcnow(), float(response_hours))
    for party in call.parties:
        call_ops.update_party(session, call, party.org_code, actor_name, response_due=due)
    return due


def record_response(session, actor_name, number, org, decision, handle_days, calendar, reason=None):
    """Accept starts the handle clock now; reject stops it until the dispute is decided."""
    call = call_ops.get_call(session, number)
    party = call_ops.party_of(call, org)
    now = utcnow()
    late = party.response_due is not None and now > party.response_due
    late_hours = max(0, int((now - party.response_due).total_seconds() // 3600)) if party.response_due else 0
    already = any(c.reason == "no_response" and c.call_id == call.id for c in cases.list_cases(session, target_org=org))
    if decision == "accept":
        due = calendar.add_working_days(now, int(handle_days))
        call_ops.update_party(session, call, org, actor_name, status="handling", responded_at=now, handle_due=due)
        call_ops.set_status(session, call, "handling", actor_name)
    else:
        due = None
        call_ops.update_party(session, call, org, actor_name, status="rejected", responded_at=now,
                              rejection_reason=reason or "")
        call_ops.set_status(session, call, "disputed", actor_name)
    return Response(late_hours, late, late and not already, due)


def forward_rejection(session, actor_name, number, org, instance_id):
    """The caller forwards a rejection to supervision, which organises the negotiation."""
    call = call_ops.get_call(session, number)
    call_ops.update_party(session, call, org, actor_name, status="negotiating")
    notify(session, "ducha", msg("call.forwarded_notice", number=number, title=call.title, org=org), role="supervisor",
           instance_id=instance_id)


@dataclass(frozen=True)
class RejectionOutcome:
    """How a rejection ended: accepted by the caller, agreed in negotiation, or decided by 编办's coordination."""

    outcome: str  # accepted | agreement | coordination
    responsible: str | None = None  # the organisation that must handle the call now
    basis: str | None = None  # the list item or regulation the decision cites


def record_rejection_outcome(session, actor_name, number, org, decided, handle_days, calendar):
    """(handle due, overturned?): the responsible party's handle clock starts only now the outcome is decided.

    A rejection is overturned when the organisation that rejected is decided responsible after all; that
    counts against it in the assessment.
    """
    call = call_ops.get_call(session, number)
    outcome, responsible = decided.outcome, decided.responsible
    overturned = responsible == org
    call_ops.update_party(session, call, org, actor_name, rejection_outcome=outcome, rejection_overturned=overturned,
                          status="handling" if overturned else "released")
    due = None
    if responsible:
        get_org(session, responsible)
        due = calendar.add_working_days(utcnow(), int(handle_days))
        call_ops.update_party(session, call, responsible, actor_name, status="handling", handle_due=due)
        call_ops.set_status(session, call, "handling", actor_name)
    append_event(session, f"call:{number}", "call.rejection.outcome", actor=actor_name, org=org,
                 instance_id=call.instance_id, payload={"outcome": outcome, "responsible": responsible,
                                                        "overturned": overturned, "basis": decided.basis})
    return due, overturned


def decide_extension(session, actor_name, extension_id, approved, calendar):
    """An approved extension moves the party's handle deadline by its working days; returns the deadline."""
    extension = session.get(call_ops.CallExtension, int(extension_id))
    call = session.get(call_ops.Call, extension.call_id)
    party = call_ops.party_of(call, extension.org_code)
    new_due = calendar.add_working_days(party.handle_due or utcnow(), extension.days) if approved else None
    call_ops.decide_extension(session, extension.id, bool(approved), new_due, actor_name)
    return party.handle_due


def record_handled(session, actor_name, number, org, result):
    call = call_ops.get_call(session, number)
    call_ops.update_party(session, call, org, actor_name, status="handled", handled_at=utcnow(), result=str(result or ""))


def move_call(session, actor_name, number, status):
    """Set the call's status; `redo` (重办) counts one more redo and goes back to handling."""
    call = call_ops.get_call(session, number)
    if status == "redo":
        call.redo_count += 1
        status = "handling"
    call_ops.set_status(session, call, status, actor_name)
    return call
