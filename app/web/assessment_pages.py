"""Pages: the assessment (/assessment): rankings, cards, drill-down, comparisons, compute and publish.

Those who read the whole assessment (access.may_read_assessment) see every organisation; a department's or a
town's own people see their own row, rank and card only; the rest are refused. 编办 computes and publishes here.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.db import utcnow
from app.domain import access
from app.domain.actors import Actor
from app.domain.people import display_names
from app.errors import InvalidState, NotFound, ValidationFailed
from app.extensions import db
from app.governance import assessment_report as reads
from app.governance import assessment_runs as runs
from app.governance.assessment_metrics import GROUPS, METRICS, assessed_orgs, behind
from app.governance.assessment_models import AssessmentFormula
from app.governance.assessment_periods import Period, last_complete_month
from app.governance.overview_figures import county_today
from app.messages import MESSAGES, label, msg
from app.web.presenters import local_time, local_zone
from app.web.views import bp, runtime

PARTS = ("miss", "num", "den")
MONTHS_OFFERED, QUARTERS_OFFERED, YEARS_OFFERED = 24, 8, 3


def reads_assessment(user):
    """Whether the user reads the assessment at all: everyone's (the overseers) or an assessed organisation's own."""
    if access.may_read_assessment(user):
        return True
    org = user.org
    return org is not None and org.kind in GROUPS and access.may_read_assessment_card(user, org.code)


@bp.app_context_processor
def assessment_for_templates():
    """The navigation offers 考核 to those who read it (base.html)."""
    return {"reads_assessment": reads_assessment}


def own_scope():
    """None for those who read every organisation; else the code of the user's own assessed organisation."""
    access.require(reads_assessment(current_user), "assessp.forbidden")
    return None if access.may_read_assessment(current_user) else current_user.org.code


def default_period():
    """The last complete month (county time) when it has a run to read, else the newest month that has one."""
    last = last_complete_month(county_today(local_zone()))
    if runs.shown_run(db.session, last.code, current_user) is not None:
        return last
    return runs.newest_month_shown(db.session, current_user) or last


def read_period(name="period", default=None):
    """(period, status): the query's period, default_period() without one; a bad one is told, the default shown."""
    fallback = default or default_period()
    text = request.args.get(name)
    if not text:
        return fallback, 200
    try:
        return Period.parse(text), 200
    except ValidationFailed as refused:
        flash(refused.message, "error")
        return fallback, 400


def period_choices(period):
    """[(group label, [(code, label)])] for the picker: recent months, quarters and years, the period shown included."""
    this = Period.of_month(county_today(local_zone()))
    months, quarter, year = [this], Period.quarter(this.first.year, (this.first.month - 1) // 3 + 1), \
        Period.year(this.first.year)
    while len(months) < MONTHS_OFFERED:
        months.append(months[-1].previous())
    quarters, years = [quarter], [year]
    while len(quarters) < QUARTERS_OFFERED:
        quarters.append(quarters[-1].previous())
    while len(years) < YEARS_OFFERED:
        years.append(years[-1].previous())
    groups = [(msg("assessp.pick.months"), months), (msg("assessp.pick.quarters"), quarters),
              (msg("assessp.pick.years"), years)]
    if period not in months + quarters + years:
        groups.insert(0, (msg("assessp.pick.chosen"), [period]))
    return [(name, [(p.code, p.label) for p in items]) for name, items in groups]


def run_view(run):
    """The run's summary with its state told in a sentence and its times in county time."""
    summary = runs.run_summary(run)
    people = [summary["computed_by"], summary["published_by"]]
    found = display_names(db.session, people)
    names = {who: found.get(who) or label("actor", who) for who in people if who}  # the demo loader, the system
    summary["state"] = reads.state_text(summary, names, local_time)
    summary["appeal_open"] = bool(summary["appeal_until"] and summary["status"] == "published"
                                  and summary["appeal_until"] > utcnow())
    return summary


def drill_href(org_code, period, key):
    """The drill-down of a figure: a rate opens what it misses (the late responses of 响应及时率), a count its calls."""
    part = "miss" if METRICS[key].kind == "rate" else "num" if METRICS[key].kind == "count" else "den"
    return url_for("web.assessment_behind", code=org_code, period=period.code, metric=key, part=part)


def shown_rows(rows, spec, group, period):
    """Each row with what the table shows: its cells (value, fraction, link), change of rank and score in words."""
    keys = reads.formula_columns(spec, group)
    for row in rows:
        row["cells"] = [{"key": key, "value": reads.value_text(key, row["figures"].get(key, {})),
                         "fraction": reads.fraction_text(row["figures"].get(key, {})),
                         "href": drill_href(row["org_code"], period, key),
                         "empty": row["figures"].get(key, {}).get("value") is None} for key in keys]
        row["change"] = reads.change(row["rank"], row["previous_rank"])
        row["score_text"] = reads.score_text(row["score"])
        row["deductions_text"], row["bonuses_text"] = reads.points_text(row["deductions"]), \
            reads.points_text(row["bonuses"])
    return keys


def rankings(run, period, own):
    """Per group: its columns, its rows (only the user's own when `own`), how many are ranked, the two lists."""
    spec = db.session.get(AssessmentFormula, run.formula_id).spec
    found = runs.results(db.session, run, current_user)
    groups = []
    for group in GROUPS:
        rows = found.get(group, [])
        keys = shown_rows(rows, spec, group, period)
        ranked = sum(1 for row in rows if row["rank"] is not None)
        mine = [row for row in rows if row["org_code"] == own]
        if own is not None and not mine:
            continue
        shown = mine if own else [row for row in rows if row["rank"] is not None]
        groups.append({"key": group, "label": label("org_kind", group), "columns": [
            label("assessment_metric", key) for key in keys], "rows": shown, "ranked": ranked,
            "unranked": [] if own else [row for row in rows if row["rank"] is None],
            "rank_text": reads.rank_text(mine[0]["rank"], ranked, group) if mine else "",
            "red": [row for row in rows if row["red"]], "black": [row for row in rows if row["black"]]})
    return groups, spec


@bp.route("/assessment")
def assessment_page():
    """考核排名 of a period: each group's table with its 红榜 and 黑榜, the run's state; 编办 computes and publishes."""
    own = own_scope()
    period, status = read_period()
    run = runs.shown_run(db.session, period.code, current_user)
    groups, spec = rankings(run, period, own) if run else ([], None)
    manage = access.may_manage_assessment(current_user)
    history = runs.runs_of(db.session, period.code) if manage else []
    return render_template(
        "assessment/rankings.html", period=period, choices=period_choices(period), run=run_view(run) if run else None,
        groups=groups, list_size=spec.get("list_size") if spec else None, own=own, manage=manage, history=history,
        published_before=any(r["status"] in ("published", "superseded") for r in history),
        exports=access.may_read_assessment(current_user)), status


def back_to(period_code):
    return redirect(url_for("web.assessment_page", period=period_code))


@bp.route("/assessment/compute", methods=["POST"])
def assessment_compute():
    """计算本期: a new computed revision of the period (or the unpublished one replaced), for 编办 to review."""
    access.require(access.may_manage_assessment(current_user), "assessp.manage_forbidden")
    text = request.form.get("period", "")
    try:
        period = Period.parse(text)
        run = runs.compute(db.session, Actor.of(current_user), period, local_zone(), request.form.get("reason", ""))
    except (ValidationFailed, InvalidState) as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("web.assessment_page"))
    flash(msg("assessp.computed", period=period.label, revision=run.revision), "ok")
    return back_to(period.code)


@bp.route("/assessment/publish", methods=["POST"])
def assessment_publish():
    """发布: freeze the computed revision; a period published before is republished only with a reason."""
    access.require(access.may_manage_assessment(current_user), "assessp.manage_forbidden")
    run_id = request.form.get("run", type=int)
    if run_id is None:
        raise NotFound(msg("assessp.bad_run"))
    config = current_app.extensions["tianchang.config"]
    try:
        run = runs.publish(db.session, Actor.of(current_user), run_id, runtime().calendar(db.session),
                           config.ASSESSMENT_APPEAL_DAYS, request.form.get("reason", ""))
    except (ValidationFailed, InvalidState) as refused:
        db.session.rollback()
        run = runs.get_run(db.session, run_id)
        for problem in refused_messages(refused, run):
            flash(problem, "error")
        return back_to(run.period)
    flash(msg("assessp.published", period=Period.parse(run.period).label, revision=run.revision), "ok")
    return back_to(run.period)


def refused_messages(refused, run):
    """What a refused publish tells: the fields' own messages (the missing reason), else the refusal itself."""
    errors = getattr(refused, "errors", None) or {}
    if "reason" in errors:
        return [msg("assessp.republish_reason", period=Period.parse(run.period).label)]
    return [text for texts in errors.values() for text in texts] or [refused.message]


def card_run(code):
    """(period, status, run) for a card or its drill-down; refused unless the user may read this organisation."""
    access.require(access.may_read_assessment_card(current_user, code), "assessp.card_forbidden")
    if code not in assessed_orgs(db.session):
        raise NotFound(msg("assessp.no_org"))
    period, status = read_period()
    return period, status, runs.shown_run(db.session, period.code, current_user)


@bp.route("/assessment/org/<code>")
def assessment_card(code):
    """一个单位的考核卡片: every figure with its fraction, definition, weight and points; the 12 months' trend."""
    period, status, run = card_run(code)
    if run is None:
        return render_template("assessment/card.html", period=period, run=None, card=None, code=code,
                               choices=period_choices(period), trend=None), status
    card = runs.card(db.session, run, code)
    summary = run_view(run)
    appeal = summary["appeal_open"] and access.may_appeal_assessment(current_user, code)
    for figure in card["figures"]:
        figure["value_text"], figure["fraction"] = reads.value_text(figure["key"], figure), \
            reads.fraction_text(figure)
        figure["href"] = drill_href(code, period, figure["key"])
        figure["appeal"] = url_for("web.start_page", process_id="assessment_appeal", period=period.code,
                                   metric=figure["key"]) if appeal else None
    months = runs.trend(db.session, code, period, current_user)
    chart = {"labels": [m["label"] for m in months], "scores": [m["score"] for m in months],
             "ranks": [m["rank"] for m in months], "most": max([card["ranked"], *(m["rank"] or 0 for m in months)]),
             "names": {"score": msg("assessp.chart.score"),
                                                            "rank": msg("assessp.chart.rank")}}
    return render_template("assessment/card.html", period=period, run=summary, card=card, code=code,
                           rank_text=reads.rank_text(card["rank"], card["ranked"], card["group"]),
                           score_text=reads.score_text(card["score"]), points=reads.points_text,
                           choices=period_choices(period), trend=months, chart=chart,
                           back=None if access.may_read_assessment(current_user) else code), status


@bp.route("/assessment/org/<code>/calls")
def assessment_behind(code):
    """The calls behind one figure of a card: all it counts over, those it counts, or those it misses."""
    period, status, run = card_run(code)
    key = request.args.get("metric", "")
    if key not in METRICS:
        raise NotFound(msg("assessp.no_metric"))
    part = request.args.get("part") if request.args.get("part") in PARTS else "den"
    if METRICS[key].den is None:
        part = "num"
    rows, total = behind(db.session, code, *period.bounds(local_zone()), key, part)
    card = runs.card(db.session, run, code) if run else None
    figure = next((f for f in card["figures"] if f["key"] == key), None) if card else None
    expected = part_count(figure, part) if figure else None
    return render_template(
        "assessment/behind.html", period=period, code=code, key=key, part=part, rows=rows, total=total,
        metric=METRICS[key], name=card["name"] if card else code, figure=figure, expected=expected,
        figure_text=reads.figure_text(key, figure) if figure else "", run=run_view(run) if run else None,
        parts=part_links(code, period, key), part_label=part_label(key, part)), status


def part_count(figure, part):
    """How many facts the figure says the listed part holds (the drill-down's count must equal it)."""
    num, den = figure.get("num") or 0, figure.get("den")
    if part == "num" or den is None:
        return num
    return den if part == "den" else den - num


def part_label(key, part):
    specific = f"assessp.part.{key}.{part}"
    if specific in MESSAGES:
        return msg(specific)
    return msg("assessp.part.count") if METRICS[key].den is None else msg(f"assessp.part.{part}")


def part_links(code, period, key):
    if METRICS[key].den is None:
        return []
    return [(part, part_label(key, part), url_for("web.assessment_behind", code=code, period=period.code, metric=key,
                                                  part=part)) for part in PARTS]


@bp.route("/assessment/compare")
def assessment_compare():
    """Two periods side by side: each organisation's score and rank in both, and how they moved."""
    own = own_scope()
    b, status_b = read_period("b")
    a, status_a = read_period("a", default=b.previous())
    columns = {}
    for side, period in (("a", a), ("b", b)):
        run = runs.shown_run(db.session, period.code, current_user)
        columns[side] = runs.results(db.session, run, current_user) if run else {}
    groups = []
    for group in GROUPS:
        rows = compared(columns, group, own)
        scored = [row for row in rows if own or row["a_scored"] or row["b_scored"]]
        groups.append({"key": group, "label": label("org_kind", group), "rows": scored,
                       "unscored": [row for row in rows if row not in scored]})
    return render_template("assessment/compare.html", a=a, b=b, groups=groups, choices=period_choices(b),
                           has={side: bool(columns[side]) for side in columns}), max(status_a, status_b)


def compared(columns, group, own):
    """One group's rows: organisation, score and rank in each period, the score's difference and the rank's move."""
    found = {side: {row["org_code"]: row for row in columns[side].get(group, [])} for side in columns}
    codes = list(found["b"]) + [code for code in found["a"] if code not in found["b"]]
    rows = []
    for code in codes:
        if own is not None and code != own:
            continue
        a, b = found["a"].get(code), found["b"].get(code)
        first, second = (a or {}).get("score"), (b or {}).get("score")
        rows.append({"org_code": code, "name": (b or a)["name"], "a": a, "b": b, "a_scored": first is not None,
                     "b_scored": second is not None,
                     "a_score": reads.score_text(first), "b_score": reads.score_text(second),
                     "diff": msg("assessp.diff", value=second - first) if None not in (first, second) else "",
                     "move": reads.change((b or {}).get("rank"), (a or {}).get("rank"))})
    return rows
