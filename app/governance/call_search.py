"""呼叫记录 searched: the calls a user may see, narrowed by words, status, item, party, dates and lateness.

One paged query (and its count) over `call`, with EXISTS over `call_party` (indexed by call and by organisation);
the filters every edge reads are parsed here once, so the page, the API and the overview's links agree.
"""

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, or_, select

from app.db import utcnow
from app.domain import access
from app.governance.calls import CALL_STATUSES, Call, CallParty
from app.governance.lists import ItemVersion, ResponsibilityItem
from app.messages import msg

REJECTIONS = ("any", "open", "accepted", "agreement", "coordination")  # any rejection, unsettled, or its outcome
DONE = ("handled", "released")
HANDLING = ("handling", "redo")
Q_MAX = 100


@dataclass(frozen=True)
class CallFilters:
    """What the query string asks: `from`/`to` are county dates of creation, both included."""

    q: str | None = None
    status: str | None = None
    item: str | None = None
    party: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    overdue: bool = False
    late: bool = False
    rejection: str | None = None

    def chosen(self):
        """{field: value} of the filters set, in their order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def without(self, name):
        return replace(self, **{name: None if name not in ("overdue", "late") else False})

    def as_args(self):
        """The query string's parameters ({name: text}) that ask for these filters."""
        names = {"created_from": "from", "created_to": "to"}
        out = {}
        for name, value in self.chosen().items():
            out[names.get(name, name)] = "1" if value is True else value.isoformat() if isinstance(value, date) else value
        return out


def read_filters(args):
    """(CallFilters, {parameter: [Chinese message]}) from a query string; a malformed value is dropped and told."""
    errors, values = {}, {}
    q = (args.get("q") or "").strip()
    values["q"] = q[:Q_MAX] or None
    for name, allowed in (("status", CALL_STATUSES), ("rejection", REJECTIONS)):
        value = args.get(name) or None
        if value and value not in allowed:
            errors[name] = [msg("staff.filter.bad_choice")]
            value = None
        values[name] = value
    for name in ("item", "party"):
        values[name] = (args.get(name) or "").strip()[:64] or None
    for name, field in (("from", "created_from"), ("to", "created_to")):
        try:
            values[field] = date.fromisoformat(args[name]) if args.get(name) else None
        except ValueError:
            errors[name] = [msg("staff.filter.bad_date")]
            values[field] = None
    for name in ("overdue", "late"):
        values[name] = args.get(name) in ("1", "true", "on")
    return CallFilters(**values), errors


def search_calls(session, user, filters, zone, page=1, per_page=20, now=None):
    """(calls, total): the user's calls (every call for read-all roles) matching `filters`, newest first.

    `zone` is the county's time zone, in which `from`/`to` are dates; `now` decides what is overdue and late.
    """
    now = now or utcnow()
    query = select(Call)
    if not access.reads_everything(user):
        mine = exists().where(CallParty.call_id == Call.id, CallParty.org_code == user.org.code)
        query = query.where(or_(Call.caller_org == user.org.code, mine))
    query = query.where(*_call_clauses(filters, zone))
    party = _party_clauses(filters, now)
    if party:
        query = query.where(exists().where(CallParty.call_id == Call.id, *party))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    if not per_page:  # the total alone (the overview's figures)
        return [], total
    rows = session.scalars(query.order_by(Call.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def item_choices(session):
    """[(code, title)] of every item, by code: the item picker names each by its title."""
    return [tuple(row) for row in session.execute(select(ResponsibilityItem.code, ItemVersion.title)
                                                  .join(ResponsibilityItem.current).order_by(ResponsibilityItem.code))]


def _call_clauses(filters, zone):
    clauses = []
    if filters.q:
        like = f"%{_escaped(filters.q)}%"
        clauses.append(or_(*(column.ilike(like, escape="\\") for column in (Call.number, Call.title, Call.location))))
    if filters.status:
        clauses.append(Call.status == filters.status)
    if filters.item:
        clauses.append(Call.item_code == filters.item)
    if filters.created_from:
        clauses.append(Call.created_at >= datetime.combine(filters.created_from, time(), zone))
    if filters.created_to:
        clauses.append(Call.created_at < datetime.combine(filters.created_to + timedelta(days=1), time(), zone))
    return clauses


def _party_clauses(filters, now):
    """What one party of the call must be (all of it the same party): the named one, overdue, late, rejecting."""
    clauses = []
    if filters.party:
        clauses.append(CallParty.org_code == filters.party)
    if filters.overdue:
        clauses.append(or_(and_(CallParty.status == "pending", CallParty.response_due < now),
                           and_(CallParty.status.in_(HANDLING), CallParty.handle_due < now)))
    if filters.late:
        clauses.append(or_(CallParty.responded_at > CallParty.response_due,
                           and_(CallParty.responded_at.is_(None), CallParty.response_due < now)))
    if filters.rejection:
        clauses.append(CallParty.rejection_reason.is_not(None))
        if filters.rejection == "open":
            clauses.append(CallParty.rejection_outcome.is_(None))
        elif filters.rejection != "any":
            clauses.append(CallParty.rejection_outcome == filters.rejection)
    return clauses


def _escaped(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
