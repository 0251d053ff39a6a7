"""Computing, reviewing and publishing a period's assessment; a published run is frozen.

`compute` writes a run's results once (an unpublished run of the period is replaced; after a publish, a new
revision is started); `publish` freezes it and opens the appeal window. Later facts, exclusions or formula
versions never touch a published run: only a new revision, published with a reason, replaces it on the pages.
"""

from sqlalchemy import delete, func, select

from app.db import utcnow
from app.domain import access
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.errors import InvalidState, NotFound, ValidationFailed
from app.governance.assessment_formulas import formula_for, ranked
from app.governance.assessment_metrics import METRICS, assessed_orgs, measure, members
from app.governance.assessment_models import AssessmentExclusion, AssessmentFormula, AssessmentResult, AssessmentRun
from app.governance.assessment_periods import Period, trail
from app.governance.calls import Call
from app.messages import label, msg


def compute(session, actor, period, zone, reason="", now=None):
    """Compute `period` with the formula in force for it, up to now; the run, with status "computed"."""
    now = now or utcnow()
    start, end = period.bounds(zone)
    if start > now:
        raise ValidationFailed(msg("assessment.period_ahead"), {"period": [msg("assessment.period_ahead")]})
    formula = formula_for(session, period)
    orgs = assessed_orgs(session)
    figures = measure(session, start, end, orgs, now)
    scores = ranked(formula.spec, figures, orgs)
    run = _newest(session, period.code)
    if run is not None and run.status == "computed":
        session.execute(delete(AssessmentResult).where(AssessmentResult.run_id == run.id))
    else:
        run = AssessmentRun(period=period.code, revision=(run.revision + 1) if run else 1)
        session.add(run)
    run.formula_id, run.formula_version, run.status = formula.id, formula.version, "computed"
    run.reason, run.computed_by, run.computed_at = str(reason or "")[:2000], actor.name, now
    session.flush()
    session.add_all(AssessmentResult(run_id=run.id, org_code=org, group=group,
                                     figures={k: figures[org][k].as_dict(METRICS[k].kind) for k in METRICS},
                                     score=value, deductions=deductions, bonuses=bonuses, rank=rank)
                    for org, (group, value, deductions, bonuses, rank) in scores.items())
    session.flush()
    append_event(session, f"assessment:{period.code}", "assessment.compute", actor=actor,
                 payload={"period": period.code, "revision": run.revision, "formula": formula.version})
    return run


def publish(session, actor, run_id, calendar, appeal_days, reason=""):
    """Freeze a computed run; it replaces the period's published one (which needs a reason) and may be appealed
    for `appeal_days` working days. Every assessed organisation is told."""
    run = get_run(session, run_id)
    if run.status != "computed":
        raise InvalidState(msg("assessment.publish.not_computed"))
    if run.id != _newest(session, run.period).id:
        raise InvalidState(msg("assessment.publish.not_newest"))
    earlier = session.scalars(select(AssessmentRun).where(AssessmentRun.period == run.period,
                                                          AssessmentRun.status == "published")).all()
    reason = str(reason or "").strip()
    if earlier and not reason:
        raise ValidationFailed(msg("validation.request"), {"reason": [msg("assessment.publish.reason_required")]})
    now = utcnow()
    for old in earlier:
        old.status = "superseded"
    run.status, run.published_by, run.published_at = "published", actor.name, now
    run.reason = reason or run.reason
    run.appeal_until = calendar.add_working_days(now, int(appeal_days))
    session.flush()
    period = Period.parse(run.period)
    for org in assessed_orgs(session):
        notify(session, org, msg("notice.assessment_published", period=period.label), subject=f"assessment:{run.period}",
               check_org=False)
    append_event(session, f"assessment:{run.period}", "assessment.publish", actor=actor,
                 payload={"period": run.period, "revision": run.revision, "reason": reason,
                          "replaced": [old.revision for old in earlier]})
    return run


def exclude_calls(session, actor, org_code, call_ids, reason, appeal_id=None):
    """剔除: leave these calls' facts out of the organisation's figures from now on; the rows written."""
    added = []
    for call_id in sorted(set(call_ids)):
        for code in members(session, [org_code]):  # a town's villages' facts of the call go with it
            found = session.scalar(select(AssessmentExclusion).where(AssessmentExclusion.call_id == call_id,
                                                                     AssessmentExclusion.org_code == code))
            if found is None:
                found = AssessmentExclusion(call_id=call_id, org_code=code, appeal_id=appeal_id,
                                            reason=str(reason or "")[:2000], created_by=actor.name)
                session.add(found)
                added.append(found)
    session.flush()
    if added:
        ids = sorted({row.call_id for row in added})
        numbers = dict(session.execute(select(Call.id, Call.number).where(Call.id.in_(ids))).all())
        append_event(session, f"org:{org_code}", "assessment.exclude", actor=actor, org=org_code,
                     payload={"calls": ids, "numbers": [numbers.get(i) for i in ids], "reason": reason,
                              "appeal": appeal_id})
    return added


def get_run(session, run_id):
    run = session.get(AssessmentRun, int(run_id))
    if run is None:
        raise NotFound(msg("assessment.run_not_found"))
    return run


def _newest(session, period_code):
    return session.scalar(select(AssessmentRun).where(AssessmentRun.period == period_code)
                          .order_by(AssessmentRun.revision.desc()).limit(1))


def shown_run(session, period_code, user):
    """The run the pages show: the published one, or for 编办 the newest revision (to review before publishing)."""
    if access.may_manage_assessment(user):
        run = _newest(session, period_code)
        if run is not None and run.status != "superseded":
            return run
    return published_run(session, period_code)


def newest_month_shown(session, user):
    """The newest month with a run the user may see (published; for 编办 also one to review), or None."""
    statuses = ("published", "computed") if access.may_manage_assessment(user) else ("published",)
    codes = session.scalars(select(AssessmentRun.period).where(AssessmentRun.status.in_(statuses))
                            .group_by(AssessmentRun.period))
    months = [period for period in map(Period.parse, codes) if period.kind == "month"]
    return max(months) if months else None


def published_run(session, period_code):
    """The period's published run: publishing a revision supersedes the one before, so there is at most one."""
    return session.scalar(select(AssessmentRun).where(AssessmentRun.period == period_code,
                                                      AssessmentRun.status == "published").limit(1))


def runs_of(session, period_code):
    runs = session.scalars(select(AssessmentRun).where(AssessmentRun.period == period_code)
                           .order_by(AssessmentRun.revision.desc()))
    return [run_summary(run) for run in runs]


def run_summary(run):
    period = Period.parse(run.period)
    return {"id": run.id, "period": run.period, "label": period.label, "revision": run.revision,
            "status": run.status, "status_label": label("assessment_run_status", run.status),
            "formula_version": run.formula_version, "computed_by": run.computed_by, "computed_at": run.computed_at,
            "published_by": run.published_by, "published_at": run.published_at, "appeal_until": run.appeal_until,
            "reason": run.reason}


def _rows(session, run):
    return session.scalars(select(AssessmentResult).where(AssessmentResult.run_id == run.id)).all()


def results(session, run, user=None):
    """Each group's rows, ranked best first (those without data last), with the previous period's rank and the
    红榜 (top list size) and 黑榜 (bottom list size) marks."""
    orgs = assessed_orgs(session)
    size = _formula_spec(session, run).get("list_size", 3)
    before = shown_run(session, Period.parse(run.period).previous().code, user) if user is not None else \
        published_run(session, Period.parse(run.period).previous().code)
    previous = {r.org_code: r.rank for r in _rows(session, before)} if before else {}
    groups = {}
    for row in _rows(session, run):
        name, _group = orgs.get(row.org_code, (row.org_code, row.group))
        groups.setdefault(row.group, []).append({
            "org_code": row.org_code, "name": name, "group": row.group, "rank": row.rank, "score": row.score,
            "deductions": row.deductions, "bonuses": row.bonuses, "figures": row.figures,
            "previous_rank": previous.get(row.org_code)})
    for rows in groups.values():
        rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"]))
        ranked_rows = [r for r in rows if r["rank"] is not None]
        top = {r["org_code"] for r in ranked_rows[:size]}
        bottom = {r["org_code"] for r in ranked_rows[max(size, len(ranked_rows) - size):]}
        for r in rows:
            r["red"], r["black"] = r["org_code"] in top, r["org_code"] in bottom
    return groups


def _formula_spec(session, run):
    return session.get(AssessmentFormula, run.formula_id).spec


def card(session, run, org_code):
    """One organisation's card: every figure with its definition, weight, deduction and bonus."""
    row = session.scalar(select(AssessmentResult).where(AssessmentResult.run_id == run.id,
                                                        AssessmentResult.org_code == org_code))
    if row is None:
        raise NotFound(msg("assessment.org_not_assessed"))
    spec = _formula_spec(session, run)
    name, _group = assessed_orgs(session).get(org_code, (org_code, row.group))
    ranked_count = session.scalar(select(func.count()).select_from(AssessmentResult).where(
        AssessmentResult.run_id == run.id, AssessmentResult.group == row.group, AssessmentResult.rank.is_not(None)))
    figures = [{"key": key, "label": label("assessment_metric", key), "definition": msg(f"assessment.define.{key}"),
                "kind": metric.kind, **row.figures.get(key, {"num": 0, "den": None, "value": None}),
                "weight": spec["weights"].get(row.group, {}).get(key), "deduction": spec["deductions"].get(key),
                "bonus": spec["bonuses"].get(key)} for key, metric in METRICS.items()]
    return {"org_code": org_code, "name": name, "group": row.group, "rank": row.rank, "ranked": ranked_count,
            "score": row.score, "deductions": row.deductions, "bonuses": row.bonuses, "figures": figures}


def trend(session, org_code, period, user):
    """The 12 months ending with the period's last month: each month's score, rank and values from its shown run."""
    entries = []
    for month in trail(period):
        run = shown_run(session, month.code, user)
        row = session.scalar(select(AssessmentResult).where(AssessmentResult.run_id == run.id,
                                                            AssessmentResult.org_code == org_code)) if run else None
        entries.append({"period": month.code, "label": month.label, "score": row.score if row else None,
                        "rank": row.rank if row else None,
                        "values": {k: v.get("value") for k, v in row.figures.items()} if row else {}})
    return entries
