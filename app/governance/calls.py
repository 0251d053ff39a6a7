"""Calls (呼叫单): who called whom about which list item, each party's deadlines, extensions and urges."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, JSONValue, UTCDateTime, utcnow
from app.domain import access
from app.domain.actors import as_actor
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.numbers import add_numbered
from app.domain.organisations import get_org
from app.errors import InvalidState, NotFound, ValidationFailed
from app.governance.lists import get_item
from app.messages import LABELS, msg

# code -> label, from the catalogue (the pages and the API read the same tables)
CALL_STATUSES = LABELS["call_status"]
PARTY_STATUSES = LABELS["party_status"]
URGENCIES = LABELS["urgency"]


class Call(Base):
    __tablename__ = "call"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    caller_org: Mapped[str] = mapped_column(String(64), index=True)
    caller_user: Mapped[str] = mapped_column(String(64))
    item_code: Mapped[str] = mapped_column(String(32), index=True)
    item_version_id: Mapped[int] = mapped_column(ForeignKey("item_version.id"))
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    photos: Mapped[list] = mapped_column(JSONValue, default=list)
    status: Mapped[str] = mapped_column(String(16), default="responding", index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    redo_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    parties: Mapped[list["CallParty"]] = relationship(order_by="CallParty.id", lazy="selectin")


class CallParty(Base):
    """One organisation's part in a call: lead, cooperating, or added by the caller."""

    __tablename__ = "call_party"
    # the assessment bins a party by its deadlines (assessment_metrics): range scans that read the outcome too
    __table_args__ = (UniqueConstraint("call_id", "org_code"),
                      Index("ix_call_party_response_due", "response_due", "org_code", "responded_at", "call_id"),
                      Index("ix_call_party_handle_due", "handle_due", "org_code", "handled_at", "confirmed_at", "call_id"),
                      Index("ix_call_party_responded", "responded_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), index=True)
    org_code: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))  # lead | cooperate | added | decided
    status: Mapped[str] = mapped_column(String(16), default="pending")
    response_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handle_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    rejection_outcome: Mapped[str | None] = mapped_column(String(16))  # accepted | agreement | coordination
    rejection_overturned: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[str | None] = mapped_column(Text)
    # When the caller confirmed the call closed after this party handled it (解决率 counts it without a join).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    urge_count: Mapped[int] = mapped_column(Integer, default=0)


class CallExtension(Base):
    """延期申请: a party asks for more time; the deadline moves only when supervision approves."""

    __tablename__ = "call_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), index=True)
    org_code: Mapped[str] = mapped_column(String(64))
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | approved | refused
    old_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CallUrge(Base):
    """催办: the caller urges a late party; each one is counted."""

    __tablename__ = "call_urge"
    __table_args__ = (Index("ix_call_urge_at", "at", "org_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), index=True)
    org_code: Mapped[str] = mapped_column(String(64), index=True)
    urged_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def open_call(session, actor, caller_org, item_code, fields, extra_orgs=(), instance_id=None):
    """Create the call record with its parties from the list item (lead, cooperating) and the caller's additions.

    The actor is the caller (呼叫人). A wrong item code, an item no longer in force or an unknown added
    organisation is the caller's input error.
    """
    errors = {}
    try:
        item = get_item(session, item_code)
        if item.current.status != "active":
            errors["item_code"] = [msg("call.item_retired", code=item_code)]
    except NotFound as err:
        errors["item_code"] = [err.message]
    for org in extra_orgs or []:
        try:
            get_org(session, org)
        except NotFound:
            errors.setdefault("extra_departments", []).append(msg("list.unknown_org", code=org))
    if errors:
        raise ValidationFailed(msg("validation.request"), errors)
    version = item.current
    now = utcnow()
    call = add_numbered(session, Call.number, f"HJ{now:%Y%m%d}-", lambda number: Call(
        number=number, caller_org=caller_org, caller_user=actor.name, item_code=item.code, item_version_id=version.id,
        title=version.title, location=fields.get("location", ""), description=fields.get("description", ""),
        urgency=fields.get("urgency") or "normal", photos=list(fields.get("photos") or []), instance_id=instance_id,
        created_at=now))
    orgs = [(version.lead_org, "lead")] + [(o, "cooperate") for o in version.cooperating_orgs or []]
    orgs += [(o, "added") for o in extra_orgs or []]
    seen = set()
    for org, role in orgs:
        if org in seen or org == caller_org:
            continue
        seen.add(org)
        session.add(CallParty(call_id=call.id, org_code=org, role=role))
    session.flush()
    session.refresh(call)
    append_event(session, f"call:{call.number}", "call.open", actor=actor, org=caller_org, instance_id=instance_id,
                 payload={"item": item.code, "parties": sorted(seen)})
    return call


def get_call(session, number_or_id):
    query = select(Call).where(Call.number == number_or_id if isinstance(number_or_id, str) else Call.id == number_or_id)
    call = session.scalar(query)
    if call is None:
        raise NotFound(msg("call.not_found"))
    return call


def party_of(call, org_code):
    for party in call.parties:
        if party.org_code == org_code:
            return party
    raise NotFound(msg("call.not_party"))


# A party's progress, one named change each (no caller sets a column it names itself); each is on record.

def set_response_due(session, actor, call, org_code, due):
    party = party_of(call, org_code)
    party.response_due = due
    return _party_changed(session, actor, call, party, response_due=due)


def accept_call(session, actor, call, org_code, at, handle_due):
    """The party accepts: it responded at `at`, and must have handled the call by `handle_due`."""
    party = party_of(call, org_code)
    party.status, party.responded_at, party.handle_due = "handling", at, handle_due
    return _party_changed(session, actor, call, party, status=party.status, responded_at=at, handle_due=handle_due)


def reject_call(session, actor, call, org_code, at, reason):
    """The party rejects (驳回) with its reason; its handle clock waits for the dispute's outcome."""
    party = party_of(call, org_code)
    party.status, party.responded_at, party.rejection_reason = "rejected", at, reason
    return _party_changed(session, actor, call, party, status=party.status, responded_at=at, rejection_reason=reason)


def negotiate_rejection(session, actor, call, org_code):
    party = party_of(call, org_code)
    party.status = "negotiating"
    return _party_changed(session, actor, call, party, status=party.status)


def settle_rejection(session, actor, call, org_code, outcome, overturned):
    """How the party's rejection ended; overturned, it handles the call after all, else it is released."""
    party = party_of(call, org_code)
    party.rejection_outcome, party.rejection_overturned = outcome, overturned
    party.status = "handling" if overturned else "released"
    return _party_changed(session, actor, call, party, rejection_outcome=outcome, rejection_overturned=overturned,
                          status=party.status)


def assign_handling(session, actor, call, org_code, handle_due):
    """The organisation decided responsible handles the call by `handle_due` (a party it becomes, if it was not)."""
    party = add_party(session, call, org_code)
    party.status, party.handle_due = "handling", handle_due
    return _party_changed(session, actor, call, party, status=party.status, handle_due=handle_due)


def mark_handled(session, actor, call, org_code, at, result):
    party = party_of(call, org_code)
    party.status, party.handled_at, party.result = "handled", at, result
    return _party_changed(session, actor, call, party, status=party.status, handled_at=at, result=result)


def _party_changed(session, actor, call, party, **recorded):
    session.flush()
    append_event(session, f"call:{call.number}", "call.party", actor=actor, org=party.org_code,
                 instance_id=call.instance_id, payload={k: _plain(v) for k, v in recorded.items()})
    return party


def add_party(session, call, org_code, role="decided"):
    party = next((p for p in call.parties if p.org_code == org_code), None)
    if party is None:
        party = CallParty(call_id=call.id, org_code=org_code, role=role)
        session.add(party)
        session.flush()
        session.refresh(call)
    return party


def set_status(session, actor, call, status):
    if status not in CALL_STATUSES:
        raise ValidationFailed(msg("validation.request"), {"status": [msg("call.bad_status", status=status)]})
    call.status = status
    if status == "closed":
        call.closed_at = utcnow()
        for party in call.parties:
            if party.handled_at is not None and party.confirmed_at is None:
                party.confirmed_at = call.closed_at
    session.flush()
    append_event(session, f"call:{call.number}", "call.status", actor=actor, org=call.caller_org,
                 instance_id=call.instance_id, payload={"status": status})


def lateness(party, now):
    """Which of its deadlines a party has let pass: 'response' (not responded), 'handle' (not handled), or None —
    the one rule of who may be urged (催办)."""
    if party.status == "pending" and party.response_due is not None and party.response_due < now:
        return "response"
    if party.status == "handling" and party.handle_due is not None and party.handle_due < now:
        return "handle"
    return None


def urge(session, actor, call_number, org_code, note=""):
    """The caller urges a late party: counted, notified, recorded. Only a person of the calling organisation may."""
    actor = as_actor(actor)
    call = get_call(session, call_number)
    access.require(actor.is_person and access.may_urge(actor.user, call), "call.not_caller")
    if call.status == "closed":
        raise InvalidState(msg("call.closed"))
    party = party_of(call, org_code)
    now = utcnow()
    if lateness(party, now) is None:
        raise InvalidState(msg("call.not_late", org=get_org(session, org_code).name))
    party.urge_count += 1
    session.add(CallUrge(call_id=call.id, org_code=org_code, urged_by=actor.name, note=note[:500], at=now))
    text = msg("notice.call_urged_note" if note else "notice.call_urged", number=call.number, title=call.title,
               caller=get_org(session, call.caller_org).name, note=note)
    notify(session, org_code, text, subject=f"call:{call.number}", instance_id=call.instance_id)
    session.flush()
    append_event(session, f"call:{call.number}", "call.urge", actor=actor, instance_id=call.instance_id,
                 payload={"org": org_code, "count": party.urge_count, "note": note})
    return party


def request_extension(session, actor, call, org_code, days, reason):
    party = party_of(call, org_code)
    extension = CallExtension(call_id=call.id, org_code=org_code, days=days, reason=reason, old_due=party.handle_due)
    session.add(extension)
    session.flush()
    append_event(session, f"call:{call.number}", "call.extension.request", actor=actor, org=org_code,
                 instance_id=call.instance_id, payload={"days": days, "reason": reason})
    return extension


def decide_extension(session, actor, extension_id, approved, new_due):
    """Approve (the deadline moves) or refuse (it does not); both are on record."""
    extension = session.get(CallExtension, extension_id)
    call = session.get(Call, extension.call_id)
    extension.status = "approved" if approved else "refused"
    extension.decided_by, extension.decided_at = actor.name, utcnow()
    if approved:
        extension.new_due = new_due
        party_of(call, extension.org_code).handle_due = new_due
    session.flush()
    append_event(session, f"call:{call.number}", "call.extension.decide", actor=actor, org=extension.org_code,
                 instance_id=call.instance_id, payload={"approved": approved, "new_due": _plain(new_due)})
    return extension


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def visible_calls(session, user, status=None, page=1, per_page=100):
    """Calls the user's organisation made or is a party to (every call for read-all roles); (rows, total)."""
    query = select(Call)
    if not access.reads_everything(user):
        parties = select(CallParty.call_id).where(CallParty.org_code == user.org.code)
        query = query.where(or_(Call.caller_org == user.org.code, Call.id.in_(parties)))
    if status:
        query = query.where(Call.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Call.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def require_call_view(user, call):
    access.require(access.may_read_call(user, call))
