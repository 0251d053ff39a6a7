"""The month at a glance for those who oversee the county (概览): counts made in SQL, each the size of the list it opens.

Every figure about calls is the total that 呼叫记录 (call_search.search_calls) gives for the filters the
figure names, counted by that very function, so a 7 leads to a list of 7. The month's calls per day and
per status come from one GROUP BY over the same creation bounds (`from`/`to`, county dates). Supervision
figures are the open cases now, by status and grade, as 督办台 filters them; the oldest open calls are the
present backlog. Neither changes with the month chosen.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select

from app.db import utcnow
from app.domain import access
from app.domain.organisations import Organisation
from app.errors import ValidationFailed
from app.governance.call_search import CallFilters, search_calls
from app.governance.calls import CALL_STATUSES, PARTY_STATUSES, Call
from app.governance.supervision import GRADES, SupervisionCase
from app.governance.supervision import STATUSES as CASE_STATUSES
from app.messages import LABELS, msg

REJECTION_OUTCOMES = ("open", "accepted", "agreement", "coordination")  # call_search.REJECTIONS without "any"
REJECTION_LABELS = LABELS["staff_rejection_filter"]  # as 呼叫记录's filter names them
OPEN_CASE_STATUSES = ("open", "verifying")
OLDEST = 10
MONTHS_OFFERED = 24
MONTH_TEXT = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day):
        return cls(day.year, day.month)

    @property
    def code(self):
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self):
        return msg("overview.month_label", year=self.year, month=self.month)

    def first(self):
        return date(self.year, self.month, 1)

    def following(self):
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self):
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def last(self):
        return self.following().first() - timedelta(days=1)

    def days(self):
        return [self.first() + timedelta(days=n) for n in range(self.last().day)]


FIRST_MONTH = Month(2000, 1)


def county_today(zone, now=None):
    return (now or utcnow()).astimezone(zone).date()


def parse_month(text, today):
    """The month `text` names (年-月, e.g. 2026-11), this month when there is none; refused in Chinese otherwise."""
    current = Month.of(today)
    if not text:
        return current
    found = MONTH_TEXT.fullmatch(text.strip())
    if not found:
        raise _refused(msg("overview.bad_month"))
    month = Month(int(found[1]), int(found[2]))
    if month > current:
        raise _refused(msg("overview.future_month"))
    if month < FIRST_MONTH:
        raise _refused(msg("overview.early_month", first=FIRST_MONTH.label))
    return month


def _refused(text):
    return ValidationFailed(text, {"month": [text]})


def month_overview(session, user, month, zone, now=None):
    """Everything the overview shows for `month` (county time), as plain data; only for `may_read_overview`.

    Each figure is {"key", "label", "hint", "count", "list" ("calls" or "supervision"), "filters"}: the
    filters are that list's query-string parameters, so an edge makes the link without knowing the rule.
    """
    access.require(access.may_read_overview(user), "overview.forbidden")
    now = now or utcnow()
    whole = CallFilters(created_from=month.first(), created_to=month.last())
    days, statuses = _registered(session, month, zone)
    opened = sum(statuses.values())

    def calls(key, label, filters, count=None, hint=None):
        if count is None:
            _, count = search_calls(session, user, filters, zone, page=1, per_page=0, now=now)  # the total alone
        return _figure(key, label, count, "calls", filters.as_args(), hint)

    def headline(key, filters, count=None):
        return calls(key, msg(f"overview.figure.{key}"), filters, count, msg(f"overview.hint.{key}"))

    figures = [headline("opened", whole, opened), headline("closed", replace(whole, status="closed"), statuses["closed"]),
               headline("overdue", replace(whole, overdue=True)), headline("late", replace(whole, late=True)),
               headline("rejected", replace(whole, rejection="any"))]
    rejections = [calls(outcome, REJECTION_LABELS[outcome], replace(whole, rejection=outcome))
                  for outcome in REJECTION_OUTCOMES]
    by_status = [calls(code, label, replace(whole, status=code), statuses[code]) for code, label in CALL_STATUSES.items()]
    return {"month": month.code, "label": month.label, "from": month.first(), "to": month.last(), "as_of": now,
            "figures": figures, "statuses": by_status, "rejections": rejections,
            "days": [_day(day, days.get(index, {})) for index, day in enumerate(month.days())],
            "cases": _open_cases(session, user), "oldest": _oldest_open_calls(session, now),
            "months": _months_offered(session, zone, county_today(zone, now))}


def _figure(key, label, count, listing, filters, hint=None):
    return {"key": key, "label": label, "hint": hint, "count": int(count), "list": listing, "filters": filters}


def _registered(session, month, zone):
    """({day index: {status: count}}, {status: count}) of the calls created in the month, in one GROUP BY.

    The day of a call is found in SQL by a CASE over the days' ends in county time (no time-zone arithmetic in
    the database, so SQLite and PostgreSQL agree); grouped in an outer query, where PostgreSQL accepts it.
    """
    start = datetime.combine(month.first(), time(), zone)
    ends = [datetime.combine(day + timedelta(days=1), time(), zone) for day in month.days()]
    day = case(*((Call.created_at < end, index) for index, end in enumerate(ends)), else_=len(ends))
    inner = (select(day.label("day"), Call.status.label("status"))
             .where(Call.created_at >= start, Call.created_at < ends[-1]).subquery())
    rows = session.execute(select(inner.c.day, inner.c.status, func.count()).group_by(inner.c.day, inner.c.status))
    days, statuses = {}, dict.fromkeys(CALL_STATUSES, 0)
    for index, status, count in rows:
        days.setdefault(index, {})[status] = count
        statuses[status] = statuses.get(status, 0) + count
    return days, statuses


def _day(day, counts):
    """One day's bars: the calls registered that day and, of those, the closed ones (figures of their lists)."""
    filters = CallFilters(created_from=day, created_to=day)
    return {"date": day, "opened": _figure("opened", day.isoformat(), sum(counts.values()), "calls", filters.as_args()),
            "closed": _figure("closed", day.isoformat(), counts.get("closed", 0), "calls",
                              replace(filters, status="closed").as_args())}


def _open_cases(session, user):
    """The cases not yet closed, by status and grade: [{status figure, "grades": [grade figures], "ungraded"}].

    Each count is what 督办台 lists for its `status` (and `grade`); ungraded cases count in their status alone.
    """
    query = (select(SupervisionCase.status, SupervisionCase.grade, func.count())
             .where(SupervisionCase.status.in_(OPEN_CASE_STATUSES)).group_by(SupervisionCase.status, SupervisionCase.grade))
    if not access.reads_everything(user):
        query = query.where(SupervisionCase.target_org == user.org.code)
    counts = {(status, grade): count for status, grade, count in session.execute(query)}
    out = []
    for status in OPEN_CASE_STATUSES:
        grades = [_figure(grade, label, counts.get((status, grade), 0), "supervision", {"status": status, "grade": grade})
                  for grade, label in GRADES.items()]
        total = sum(count for (s, _), count in counts.items() if s == status)
        out.append({**_figure(status, CASE_STATUSES[status], total, "supervision", {"status": status}),
                    "grades": grades, "ungraded": counts.get((status, None), 0)})
    return out


def _oldest_open_calls(session, now, limit=OLDEST):
    """The calls open longest (not closed), oldest first, with their caller's and parties' names."""
    rows = list(session.scalars(select(Call).where(Call.status != "closed").order_by(Call.created_at, Call.id)
                                .limit(limit)))
    codes = {row.caller_org for row in rows} | {party.org_code for row in rows for party in row.parties}
    names = dict(session.execute(select(Organisation.code, Organisation.name).where(Organisation.code.in_(codes))).all())
    return [{"number": row.number, "title": row.title, "caller_org": row.caller_org,
             "caller": names.get(row.caller_org, row.caller_org), "status": row.status,
             "status_label": CALL_STATUSES.get(row.status, row.status), "created_at": row.created_at,
             "age_hours": int((now - row.created_at).total_seconds() // 3600),
             "parties": [{"org_code": p.org_code, "name": names.get(p.org_code, p.org_code), "status": p.status,
                          "status_label": PARTY_STATUSES.get(p.status, p.status)} for p in row.parties]}
            for row in rows]


def _months_offered(session, zone, today):
    """The months one may choose, newest first: from the first call's month (at most two years back) to this one."""
    current = Month.of(today)
    first_call = session.scalar(select(func.min(Call.created_at)))
    earliest = Month.of(first_call.astimezone(zone)) if first_call else current
    months, month = [], current
    while month >= max(earliest, FIRST_MONTH) and len(months) < MONTHS_OFFERED:
        months.append({"code": month.code, "label": month.label})
        month = month.previous()
    return months


def with_links(value, href):
    """`value` with an "href" beside every figure's filters: `href(list, filters)` is the edge's way to link."""
    if isinstance(value, list):
        return [with_links(item, href) for item in value]
    if not isinstance(value, dict):
        return value
    linked = {key: with_links(item, href) for key, item in value.items()}
    if "list" in value and "filters" in value:
        linked["href"] = href(value["list"], value["filters"])
    return linked
