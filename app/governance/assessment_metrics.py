"""The assessment's figures (计算器), each defined once, computed per organisation with SQL aggregates.

Every figure is a numerator over a denominator counted from facts — a party's deadlines and answers, the
tasks addressed to an organisation, ratings, urges, extensions, 督办 cases and escalation steps — never from
diagram internals, so procedures can change. A fact belongs to a period by the time it names (a deadline, a
rating's time, an urge's time); a deadline counts once it has passed or was met, so one still ahead and open
is not counted yet. A call excluded for an organisation (剔除, after an appeal) counts for it no more. The
definitions people read are the catalogue's `assessment.define.<key>`; docs/assessment.md gives the table.
"""

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select, text, tuple_, union_all
from sqlalchemy.orm import aliased

from app.db import utcnow
from app.domain.organisations import Organisation
from app.governance.assessment_models import AssessmentExclusion
from app.governance.calls import Call, CallExtension, CallParty, CallUrge
from app.governance.evaluations import SCORES, Evaluation
from app.governance.supervision import SupervisionCase
from app.governance.supervision_ladder import EscalationStep
from app.workflow.models import HumanTask

GROUPS = {"department": ("department",), "town": ("town",)}  # organisation group -> organisation kinds
FAIR_WEIGHT = 0.9  # 满意率 counts a 基本满意 as 0.9 of a 满意
QUALITY_POINTS = 10  # a call-quality rating's accuracy + cooperation (1–5 each) times this: 20–100 points
BEHIND_LIMIT = 500


@dataclass(frozen=True)
class Metric:
    key: str
    kind: str  # rate (0..1) | average (0..100) | count
    source: str
    num: str  # the source's column summed as the numerator
    den: str | None  # the source's column summed as the denominator (None: a count)
    weighted: bool = False  # may carry a weight in the formula
    better: str = "high"  # high | low


@dataclass(frozen=True)
class Figure:
    num: float
    den: float | None

    @property
    def value(self):
        if self.den is None:
            return self.num
        return self.num / self.den if self.den else None

    def as_dict(self, kind):
        value = self.value
        if value is not None and kind != "count":
            value = round(value, 6)
        return {"num": _plain(self.num), "den": _plain(self.den), "value": value}


METRICS = {metric.key: metric for metric in (
    Metric("sign_rate", "rate", "responses", "answered_in_time", "due", weighted=True),
    Metric("response_rate", "rate", "tasks", "done_in_time", "due", weighted=True),
    Metric("ontime_rate", "rate", "handling", "handled_in_time", "due", weighted=True),
    Metric("resolve_rate", "rate", "handling", "resolved", "due", weighted=True),
    Metric("satisfaction_rate", "rate", "ratings", "satisfied", "graded", weighted=True),
    Metric("mutual_score", "average", "ratings", "points", "rated", weighted=True),
    Metric("overturned", "count", "rejections", "overturned", None, better="low"),
    Metric("case_blue", "count", "cases", "blue", None, better="low"),
    Metric("case_yellow", "count", "cases", "yellow", None, better="low"),
    Metric("case_red", "count", "cases", "red", None, better="low"),
    Metric("urges", "count", "urges", "one", None, better="low"),
    Metric("extensions", "count", "extensions", "one", None, better="low"),
    Metric("notices", "count", "escalations", "notice", None, better="low"),
    Metric("interviews", "count", "escalations", "interview", None, better="low"),
    Metric("ratings_given", "count", "given", "one", None),
)}
DENOMINATORS = {"overturned": "rejected"}  # counts shown with what they are out of


def _flag(condition):
    return case((condition, 1), else_=0)


def _settled(due, done, now):
    """A deadline counts once it has passed, or once it was met early: one still ahead and open is not counted yet."""
    return or_(due <= now, done.is_not(None))


def _kept(call_id, org):
    """Not excluded (剔除) for this organisation. Written as NOT IN over the few exclusion rows, which PostgreSQL
    probes as a hashed subplan, leaving each source's own scan and aggregate as they are."""
    excluded = select(AssessmentExclusion.call_id, AssessmentExclusion.org_code)
    return or_(call_id.is_(None), tuple_(call_id, org).not_in(excluded))


def _responses(start, end, now):
    party = CallParty
    return (select(party.org_code.label("org"), party.call_id.label("call_id"), party.response_due.label("due_at"),
                   party.responded_at.label("done_at"), literal(1).label("due"),
                   _flag(party.responded_at <= party.response_due).label("answered_in_time"))
            .where(party.response_due >= start, party.response_due < end, _settled(party.response_due, party.responded_at, now),
                   _kept(party.call_id, party.org_code)))


def _tasks(start, end, now):
    """Every task with a deadline and a kpi tag addressed to one organisation: done by its deadline? A task belongs
    to the call whose instance it is in, or whose 督办 case's instance it is in (整改)."""
    task = HumanTask
    of_call = select(Call.id).where(Call.instance_id == task.instance_id).limit(1).correlate(task).scalar_subquery()
    of_case = (select(SupervisionCase.call_id).where(SupervisionCase.instance_id == task.instance_id).limit(1)
               .correlate(task).scalar_subquery())
    call_id = func.coalesce(of_call, of_case)
    excluded = _excluded_instances()
    return (select(task.org_code.label("org"), call_id.label("call_id"), task.due_at.label("due_at"),
                   task.completed_at.label("done_at"), literal(1).label("due"),
                   _flag(task.completed_at <= task.due_at).label("done_in_time"))
            .where(task.due_at >= start, task.due_at < end, _settled(task.due_at, task.completed_at, now),
                   task.org_code.is_not(None), task.kpi.is_not(None),
                   task.status != "cancelled",
                   tuple_(task.instance_id, task.org_code).not_in(select(excluded.c.instance_id, excluded.c.org))))


def _excluded_instances():
    """(instance_id, org) of the excluded calls' instances and their 督办 cases' instances: few rows, anti-joined."""
    exclusion = AssessmentExclusion
    of_calls = (select(Call.instance_id.label("instance_id"), exclusion.org_code.label("org"))
                .join(Call, Call.id == exclusion.call_id).where(Call.instance_id.is_not(None)))
    of_cases = (select(SupervisionCase.instance_id.label("instance_id"), exclusion.org_code.label("org"))
                .join(SupervisionCase, SupervisionCase.call_id == exclusion.call_id)
                .where(SupervisionCase.instance_id.is_not(None)))  # a NULL would make NOT IN exclude every task
    return union_all(of_calls, of_cases).subquery()


def _handling(start, end, now):
    party = CallParty
    return (select(party.org_code.label("org"), party.call_id.label("call_id"), party.handle_due.label("due_at"),
                   party.handled_at.label("done_at"), literal(1).label("due"),
                   _flag(party.handled_at <= party.handle_due).label("handled_in_time"),
                   _flag(party.confirmed_at.is_not(None)).label("resolved"))
            .where(party.handle_due >= start, party.handle_due < end, _settled(party.handle_due, party.handled_at, now),
                   _kept(party.call_id, party.org_code)))


def _ratings(start, end, now):
    """Ratings received, by their time: towns' satisfaction grades of departments (满意率), and 互评 either way —
    those grades' scores and departments' marks of the calls."""
    rating = Evaluation
    graded = and_(rating.kind == "satisfaction", rating.score.is_not(None))
    marked = and_(rating.kind == "call_quality", rating.accuracy.is_not(None), rating.cooperation.is_not(None))
    satisfied = case((rating.score == SCORES["satisfied"], 1.0), (rating.score == SCORES["fair"], FAIR_WEIGHT),
                     else_=0.0)
    points = case((rating.kind == "satisfaction", rating.score),
                  else_=(rating.accuracy + rating.cooperation) * QUALITY_POINTS)
    return (select(rating.ratee_org.label("org"), rating.call_id.label("call_id"), rating.created_at.label("due_at"),
                   rating.created_at.label("done_at"), case((graded, satisfied), else_=0.0).label("satisfied"),
                   _flag(graded).label("graded"), points.label("points"), literal(1).label("rated"))
            .where(or_(graded, marked), rating.created_at >= start, rating.created_at < end,
                   _kept(rating.call_id, rating.ratee_org)))


def _given(start, end, now):
    rating = Evaluation
    return (select(rating.rater_org.label("org"), rating.call_id.label("call_id"), rating.created_at.label("due_at"),
                   rating.created_at.label("done_at"), literal(1).label("one"))
            .where(rating.kind.in_(("satisfaction", "call_quality")), rating.created_at >= start,
                   rating.created_at < end))


def _rejections(start, end, now):
    """Rejections by when they were made; overturned ones (the rejecter was decided responsible after all)."""
    party = CallParty
    return (select(party.org_code.label("org"), party.call_id.label("call_id"), party.responded_at.label("due_at"),
                   party.responded_at.label("done_at"), literal(1).label("rejected"),
                   _flag(party.rejection_overturned.is_(True)).label("overturned"))
            .where(party.rejection_reason.is_not(None), party.responded_at >= start, party.responded_at < end,
                   _kept(party.call_id, party.org_code)))


def _cases(start, end, now):
    case_ = SupervisionCase
    return (select(case_.target_org.label("org"), case_.call_id.label("call_id"), case_.opened_at.label("due_at"),
                   case_.closed_at.label("done_at"), _flag(case_.grade == "blue").label("blue"),
                   _flag(case_.grade == "yellow").label("yellow"), _flag(case_.grade == "red").label("red"))
            .where(case_.opened_at >= start, case_.opened_at < end, _kept(case_.call_id, case_.target_org)))


def _urges(start, end, now):
    urge = CallUrge
    return (select(urge.org_code.label("org"), urge.call_id.label("call_id"), urge.at.label("due_at"),
                   urge.at.label("done_at"), literal(1).label("one"))
            .where(urge.at >= start, urge.at < end, _kept(urge.call_id, urge.org_code)))


def _extensions(start, end, now):
    extension = CallExtension
    return (select(extension.org_code.label("org"), extension.call_id.label("call_id"),
                   extension.decided_at.label("due_at"), extension.new_due.label("done_at"), literal(1).label("one"))
            .where(extension.status == "approved", extension.decided_at >= start, extension.decided_at < end,
                   _kept(extension.call_id, extension.org_code)))


def _escalations(start, end, now):
    step = EscalationStep
    return (select(step.target_org.label("org"), SupervisionCase.call_id.label("call_id"), step.at.label("due_at"),
                   step.at.label("done_at"), _flag(step.step == "notice").label("notice"),
                   _flag(step.step == "interview").label("interview"))
            .join(SupervisionCase, SupervisionCase.id == step.case_id)
            .where(step.at >= start, step.at < end, _kept(SupervisionCase.call_id, step.target_org)))


SOURCES = {"responses": _responses, "tasks": _tasks, "handling": _handling, "ratings": _ratings, "given": _given,
           "rejections": _rejections, "cases": _cases, "urges": _urges, "extensions": _extensions,
           "escalations": _escalations}


def assessed_orgs(session):
    """{org_code: (name, group)} of every organisation the assessment ranks: departments, towns and streets."""
    kinds = {kind: group for group, group_kinds in GROUPS.items() for kind in group_kinds}
    rows = session.execute(select(Organisation.code, Organisation.name, Organisation.kind)
                           .where(Organisation.kind.in_(kinds)).order_by(Organisation.code))
    return {code: (name, kinds[kind]) for code, name, kind in rows}


def members(session, orgs):
    """{member code: assessed org}: each assessed organisation itself, and the villages and communities under a
    town, whose grid workers' calls, tasks and ratings count for their town."""
    parent = aliased(Organisation)
    rows = session.execute(select(Organisation.code, parent.code).join(parent, Organisation.parent_id == parent.id)
                           .where(parent.code.in_(list(orgs)), Organisation.kind == "village"))
    return {**{org: org for org in orgs}, **dict(rows.all())}


def measure(session, start, end, orgs=None, now=None):
    """{org_code: {metric: Figure}} for facts in [start, end): one GROUP BY per source, for the organisations asked
    (all assessed ones by default), a town's villages folded into it; an organisation without facts gets zero
    counts and rates without data."""
    orgs = list(assessed_orgs(session) if orgs is None else orgs)
    owner = members(session, orgs)
    if session.get_bind().dialect.name == "postgresql":
        # These few aggregates are cheap to run: compiling them to machine code (JIT) cost more than running them, and
        # a generic plan (psycopg prepares a statement after its fifth run) made without the period's dates scanned
        # whole tables — 3 s a month instead of 0.7 s over a year of 1 M calls (bench/assessment.py).
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    figures = {org: {} for org in orgs}
    for source, metrics in _by_source().items():
        base = SOURCES[source](start, end, now or utcnow()).subquery()
        columns = sorted({m.num for m in metrics} | {m.den for m in metrics if m.den} | _shown_dens(metrics))
        query = (select(base.c.org, *(func.coalesce(func.sum(base.c[c]), 0) for c in columns))
                 .where(base.c.org.in_(list(owner))).group_by(base.c.org))
        sums = {org: dict.fromkeys(columns, 0) for org in orgs}
        for row in session.execute(query):
            total = sums[owner[row[0]]]
            for column, value in zip(columns, row[1:], strict=True):
                total[column] += float(value)
        for org in orgs:
            for metric in metrics:
                den = DENOMINATORS.get(metric.key, metric.den)
                figures[org][metric.key] = Figure(sums[org][metric.num], sums[org][den] if den else None)
    return figures


def _by_source():
    grouped = {}
    for metric in METRICS.values():
        grouped.setdefault(metric.source, []).append(metric)
    return grouped


def _shown_dens(metrics):
    return {DENOMINATORS[m.key] for m in metrics if m.key in DENOMINATORS}


def value_of(metric, figure):
    """A figure's value as the formula weighs it, 0..1 (an average's points over 100); None without data."""
    value = figure.value
    if value is None:
        return None
    return value / 100 if METRICS[metric].kind == "average" else value


def behind(session, org_code, start, end, key, part="den", limit=BEHIND_LIMIT, now=None):
    """(rows, total): the facts a figure counts for one organisation — `den` all of them, `num` those in the
    numerator, `miss` those in the denominator but not the numerator (the late responses of 响应及时率) — each
    {"call_id", "number", "title", "due_at", "done_at"}, newest first, at most `limit`."""
    metric = METRICS[key]
    base = SOURCES[metric.source](start, end, now or utcnow()).subquery()
    den = DENOMINATORS.get(key, metric.den)
    if part == "num" or den is None:
        chosen = base.c[metric.num] > 0
    elif part == "miss":
        chosen = and_(base.c[den] > 0, base.c[metric.num] < base.c[den])
    else:
        chosen = base.c[den] > 0
    where = and_(base.c.org.in_(list(members(session, [org_code]))), chosen)
    total = session.scalar(select(func.count()).select_from(base).where(where))
    query = (select(base.c.call_id, Call.number, Call.title, base.c.due_at, base.c.done_at)
             .select_from(base).outerjoin(Call, Call.id == base.c.call_id).where(where)
             .order_by(base.c.due_at.desc()).limit(limit))
    rows = [{"call_id": call_id, "number": number, "title": title, "due_at": due_at, "done_at": done_at}
            for call_id, number, title, due_at, done_at in session.execute(query)]
    return rows, int(total or 0)


def _plain(number):
    if number is None:
        return None
    number = float(number)
    return int(number) if number.is_integer() else round(number, 6)
