"""记录仪 searched: the record's events a user may read, by call, list item, organisation, person, procedure, action
and time, and a call's or an instance's whole timeline.

One paged query (and its count) over `audit_event`, on its indexes (stream, actor, org, action, at, instance_id);
what a reader may read is `access.record_clause`, given the calls their organisation is party to as subqueries.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy import func, literal, or_, select

from app.definitions.models import DeployedProcess
from app.domain import access
from app.domain.audit import AuditEvent
from app.domain.people import User
from app.governance.calls import Call, CallParty, get_call, require_call_view
from app.governance.supervision import SupervisionCase
from app.messages import LABELS, MESSAGES, msg
from app.workflow.instances import get_instance, require_instance_view
from app.workflow.models import ProcessInstance
from app.workflow.record_story import story

ACTIONS = LABELS["audit_action"]
TEXT_MAX = 64


@dataclass(frozen=True)
class RecordFilters:
    """What the query string asks: `since`/`until` are county dates, both included; `person` a username."""

    call: str | None = None
    item: str | None = None
    org: str | None = None
    person: str | None = None
    process: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None

    def chosen(self):
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def as_args(self):
        return {name: value.isoformat() if isinstance(value, date) else value for name, value in self.chosen().items()}


def read_filters(args):
    """(RecordFilters, {parameter: [Chinese message]}) from a query string; a malformed value is dropped and told."""
    values, errors = {}, {}
    for name in ("call", "item", "org", "person", "process"):
        values[name] = (args.get(name) or "").strip()[:TEXT_MAX] or None
    action = args.get("action") or None
    if action and action not in ACTIONS:
        errors["action"] = [msg("record.bad_action")]
        action = None
    values["action"] = action
    for name in ("since", "until"):
        raw = args.get(name) or ""
        try:
            values[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            errors[name] = [msg("record.bad_date", value=raw[:20])]
            values[name] = None
    return RecordFilters(**values), errors


# What a reader may read ----------------------------------------------------------------------------------------

def party_calls(user):
    """Ids of the calls the user's organisation made or is a party to (a subquery)."""
    code = user.org.code
    return select(Call.id).where(or_(Call.caller_org == code, Call.id.in_(
        select(CallParty.call_id).where(CallParty.org_code == code))))


def call_streams(calls):
    """Stream names of these calls (a subquery of call ids): `call:<number>` and their cases' `supervision:<number>`."""
    own = select(literal("call:").concat(Call.number)).where(Call.id.in_(calls))
    cases = select(literal("supervision:").concat(SupervisionCase.number)).where(SupervisionCase.call_id.in_(calls))
    return own.union_all(cases)


def call_instances(calls):
    """Ids of the instances that ran these calls or their supervision cases (a subquery of call ids)."""
    own = select(Call.instance_id).where(Call.id.in_(calls), Call.instance_id.is_not(None))
    cases = select(SupervisionCase.instance_id).where(SupervisionCase.call_id.in_(calls),
                                                      SupervisionCase.instance_id.is_not(None))
    return own.union_all(cases)


def readable(user):
    """The SQL condition of the events the user may read (access.record_clause over the party's calls)."""
    calls = party_calls(user)
    return access.record_clause(AuditEvent, user, call_streams(calls), call_instances(calls))


# The search ----------------------------------------------------------------------------------------------------

def _about_calls(calls):
    return or_(AuditEvent.stream.in_(call_streams(calls)), AuditEvent.instance_id.in_(call_instances(calls)))


def _conditions(session, filters, zone):
    conditions = []
    if filters.call:
        conditions.append(_about_calls(select(Call.id).where(Call.number == filters.call)))
    if filters.item:
        calls = select(Call.id).where(Call.item_code == filters.item)
        conditions.append(or_(AuditEvent.stream == f"list:{filters.item}", _about_calls(calls)))
    if filters.org:
        conditions.append(or_(AuditEvent.org == filters.org, AuditEvent.stream == f"org:{filters.org}"))
    if filters.person:
        conditions.append(AuditEvent.actor == filters.person)
    if filters.process:
        conditions.append(AuditEvent.instance_id.in_(
            select(ProcessInstance.id).where(ProcessInstance.process_id == filters.process)))
    if filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if filters.since:
        conditions.append(AuditEvent.at >= datetime.combine(filters.since, time(0), zone))
    if filters.until:
        conditions.append(AuditEvent.at < datetime.combine(filters.until + timedelta(days=1), time(0), zone))
    return conditions


def search_record(session, user, filters, zone, page=1, per_page=30):
    """A page of the events the user may read that the filters ask for, newest first; (events, total)."""
    query = select(AuditEvent).where(readable(user), *_conditions(session, filters, zone))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                           .limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def search_choices(session, user):
    """What the search form offers: procedures {id: name}, organisations are the page's; people {username: name}."""
    processes = dict(session.execute(select(DeployedProcess.process_id, DeployedProcess.name)
                                     .order_by(DeployedProcess.deployment_id)).all())
    people = select(User.username, User.display_name).order_by(User.display_name)
    if not access.reads_everything(user):
        people = people.where(User.org_id == user.org_id)
    return {"processes": processes, "people": dict(session.execute(people).all())}


def person_named(session, text):
    """The username a person field names: a username, else a display name (the first of that name)."""
    if not text:
        return None
    found = session.scalar(select(User.username).where(or_(User.username == text, User.display_name == text))
                           .order_by(User.username != text, User.id).limit(1))
    return found or ""


# Timelines -----------------------------------------------------------------------------------------------------

@dataclass
class Timeline:
    """A call's or an instance's record: its events oldest first, and the streams they come from."""

    call: Call | None
    instance_id: int | None
    events: list
    streams: list


def call_timeline(session, user, number):
    """Every event about a call: its own stream, its instance's, its supervision cases' and their instances', the
    ratings and list amendments its instance made; oldest first. Whoever may read the call reads its timeline."""
    call = get_call(session, number)
    require_call_view(user, call)
    return _timeline(session, call, call.instance_id, _about_calls(select(Call.id).where(Call.id == call.id)))


def instance_timeline(session, user, instance_id):
    """An instance's record (a call's instance reads as its call: the caller redirects); oldest first."""
    instance = get_instance(session, instance_id)
    require_instance_view(session, user, instance)
    cases = select(literal("supervision:").concat(SupervisionCase.number)).where(
        SupervisionCase.instance_id == instance_id)
    about = or_(AuditEvent.instance_id == instance_id, AuditEvent.stream == f"instance:{instance_id}",
                AuditEvent.stream.in_(cases))
    return _timeline(session, None, instance_id, about)


def _timeline(session, call, instance_id, about):
    events = list(session.scalars(select(AuditEvent).where(about).order_by(AuditEvent.at, AuditEvent.id)))
    return Timeline(call, instance_id, events, sorted({e.stream for e in events}))


def call_of_instance(session, instance_id):
    """The number of the call an instance runs, or None."""
    return session.scalar(select(Call.number).where(Call.instance_id == instance_id))



# How the page names a stream and what an event is about -----------------------------------------------------------

def stream_label(stream, orgs, people):
    """A stream as people name it (呼叫单 HJ…, 流程实例 12, 市公安局的评价记录…), never its code."""
    kind, _, key = stream.partition(":")
    if kind == "org":
        return msg("record.stream.org", org=orgs.get(key, key))
    if kind == "user":
        return msg("record.stream.user", person=people.get(key, key))
    if key and f"record.stream.{kind}" in MESSAGES:
        return msg(f"record.stream.{kind}", key=key)
    return msg(f"record.stream.{stream}") if f"record.stream.{stream}" in MESSAGES else msg("record.stream.other")


def subjects(session, events):
    """{event id: (kind, key)} of what each event is about: ("call", number), ("instance", id) or ("list", code)."""
    instance_ids = {e.instance_id for e in events if e.instance_id}
    calls = dict(session.execute(select(Call.instance_id, Call.number).where(Call.instance_id.in_(instance_ids))).all())
    case_numbers = {e.stream.partition(":")[2] for e in events if e.stream.startswith("supervision:")}
    cases = dict(session.execute(select(SupervisionCase.number, Call.number).join(Call, SupervisionCase.call_id == Call.id)
                                 .where(SupervisionCase.number.in_(case_numbers))).all()) if case_numbers else {}
    found = {}
    for event in events:
        kind, _, key = event.stream.partition(":")
        if kind == "call":
            found[event.id] = ("call", key)
        elif kind == "supervision" and key in cases:
            found[event.id] = ("call", cases[key])
        elif event.instance_id in calls:
            found[event.id] = ("call", calls[event.instance_id])
        elif event.instance_id:
            found[event.id] = ("instance", event.instance_id)
        elif kind == "list":
            found[event.id] = ("list", key)
    return found


def tell(session, user, events):
    """The events as sentences (record_story.story): told whole where the reader reads the call they are about
    (the caller and every party, access.may_read_call) or the instance's data (or the event is their organisation's
    own), else who did what at which step."""
    instance_ids = {e.instance_id for e in events if e.instance_id}
    owners = dict(session.execute(select(ProcessInstance.id, ProcessInstance.org_code)
                                  .where(ProcessInstance.id.in_(instance_ids))).all()) if instance_ids else {}
    calls = {c.instance_id: c for c in session.scalars(select(Call).where(Call.instance_id.in_(instance_ids)))} \
        if instance_ids else {}

    def whole(event):
        if not access.may_read_event_of_rating(user, event):
            return False
        if event.instance_id in calls:
            return access.may_read_call(user, calls[event.instance_id])
        if event.instance_id:
            return access.may_read_instance_data(user, SimpleNamespace(org_code=owners.get(event.instance_id)))
        return access.may_read_record(user, event)

    return story(session, events, whole=whole)
