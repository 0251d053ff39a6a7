"""Pages: the assessment formula (考核公式): its versions, and the editor with a ranking preview.

The editor's form names its fields as the spec does (`weights.department.response_rate`, `deductions.case_red`,
`caps.deductions`, `list_size`), so a refusal of the formula's rules lands next to the field it concerns. The
preview posts the same form (with the month chosen) and answers JSON; the page's script draws it.
"""

import copy

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from app.domain import access
from app.domain.actors import Actor
from app.domain.people import display_names
from app.errors import ValidationFailed
from app.extensions import db
from app.governance import assessment_formulas as formulas
from app.governance import assessment_runs as runs
from app.governance.assessment_metrics import GROUPS, METRICS
from app.governance.assessment_periods import Period, last_complete_month
from app.governance.overview_figures import county_today
from app.messages import label, msg
from app.web.presenters import local_zone
from app.web.views import bp

CAPS = ("deductions", "bonuses")
PREVIEW_MONTHS = 12  # the months the preview offers: this one and the eleven before it
USED_MONTHS = 6  # the recent months whose runs the versions page names
# Every figure a spec may hold, in the order the pages list them.
PATHS = ([("weights", g, k) for g in GROUPS for k in METRICS] + [(p, k) for p in ("deductions", "bonuses") for k in METRICS]
         + [("caps", c) for c in CAPS] + [("list_size",)])


@bp.route("/assessment/formulas")
def assessment_formulas():
    """Every version, newest first, with what it changed; which version the recent months were computed with."""
    access.require(access.may_read_assessment(current_user), "assessment_formulas.forbidden_read")
    today = county_today(local_zone())
    rows = formulas.formula_versions(db.session)
    return render_template("assessment/formulas.html", versions=version_entries(rows, in_force(today), today),
                           months=months_used(today))


@bp.route("/assessment/formulas/new", methods=["GET", "POST"])
def assessment_formula_new():
    """The editor, filled from the version in force; saving makes the next version (errors next to the fields)."""
    access.require(access.may_manage_assessment(current_user), "assessment_formulas.forbidden_edit")
    today = county_today(local_zone())
    base = in_force(today)
    values, errors = spec_values(base.spec), {}
    if request.method == "POST":
        values = request.form
        try:
            formula = formulas.save_formula(db.session, Actor.of(current_user), spec_from_form(request.form, base.spec),
                                            request.form.get("effective_from"), request.form.get("reason"))
            flash(msg("assessment_formulas.saved", version=formula.version,
                      date=formula.effective_from.isoformat()), "ok")
            return redirect(url_for("web.assessment_formulas"))
        except ValidationFailed as refused:
            db.session.rollback()
            errors = refused.errors
            flash(msg("assessment_formulas.invalid"), "error")
    pending = [f for f in formulas.formula_versions(db.session) if f.effective_from > today]
    return render_template("assessment/formula_edit.html", base=base, pending=pending[0] if pending else None,
                           editor=editor_rows(base.spec), values=values, errors=errors, definitions=definitions(),
                           months=preview_months(today), chosen=last_complete_month(today).code), \
        422 if errors else 200


@bp.route("/assessment/formulas/preview", methods=["POST"])
def assessment_formula_preview():
    """How the chosen month's rankings would move under the formula being edited (nothing is saved)."""
    access.require(access.may_manage_assessment(current_user), "assessment_formulas.forbidden_edit")
    period = Period.parse(request.form.get("period"))
    base = formulas.formula_for(db.session, period)
    moved = formulas.preview(db.session, spec_from_form(request.form, base.spec), period, local_zone(), base)
    return jsonify({"period": period.label, "version": base.version,
                    "groups": {group: [preview_row(row) for row in moved.get(group, [])] for group in GROUPS}})


def in_force(today):
    """The version in force today (a version may start on any day, not only a month's first)."""
    return formulas.formula_for(db.session, Period(today, today, "range"))


def definitions():
    return {key: msg(f"assessment.define.{key}") for key in METRICS}


# The form ----------------------------------------------------------------------------------------------------------

def editor_rows(spec):
    """The metrics the editor offers: weighted ones per group, counts to deduct for, counts to reward."""
    counts = [m.key for m in METRICS.values() if m.kind == "count"]
    deducted = [k for k in counts if METRICS[k].better == "low" or k in spec.get("deductions", {})]
    rewarded = [k for k in counts if METRICS[k].better == "high" or k in spec.get("bonuses", {})]
    return {"weighted": [m.key for m in METRICS.values() if m.weighted], "deductions": deducted,
            "bonuses": rewarded}


def field_names(spec):
    """Every number field of the form, as (name, path in the spec)."""
    rows = editor_rows(spec)
    names = [(f"weights.{g}.{k}", ("weights", g, k)) for g in GROUPS for k in rows["weighted"]]
    names += [(f"{part}.{k}", (part, k)) for part in ("deductions", "bonuses") for k in rows[part]]
    names += [(f"caps.{cap}", ("caps", cap)) for cap in CAPS]
    return names + [("list_size", ("list_size",))]


def spec_values(spec):
    """The form's values for a spec: every number as it is typed (10, not 10.0); absent ones are 0."""
    values = {}
    for name, path in field_names(spec):
        values[name] = number_text(at_path(spec, path) or 0)
    return values


def spec_from_form(form, base):
    """The spec the form describes, as typed (the formula's rules check and refuse it field by field); a field
    the form does not carry keeps the base's value."""
    spec = copy.deepcopy(base)
    for name, path in field_names(base):
        if name in form:
            target = spec
            for step in path[:-1]:
                target = target.setdefault(step, {})
            target[path[-1]] = form[name].strip()
    return spec


def at_path(spec, path):
    """The figure at `path` in a spec, or None."""
    value = spec
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return value


def number_text(value):
    """A number as a person types it: 10, 0.5 (never 10.0 or 0.30000000000000004)."""
    value = round(float(value), 4)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def preview_months(today):
    """(code, label) of this month and the eleven before it, newest first."""
    months = [Period.of_month(today)]
    while len(months) < PREVIEW_MONTHS:
        months.append(months[-1].previous())
    return [(m.code, m.label) for m in months]


def preview_row(row):
    return {"name": row["name"], "old_rank": row["old_rank"], "new_rank": row["new_rank"],
            "old_score": score_text(row["old_score"]), "new_score": score_text(row["new_score"])}


def score_text(score):
    return None if score is None else f"{score:.2f}"


# The versions ------------------------------------------------------------------------------------------------------

def version_entries(rows, in_force, today):
    """Each version as the page shows it: who by name, whether in force, and its changes against the one before."""
    names = display_names(db.session, {f.created_by for f in rows})
    entries = []
    for index, formula in enumerate(rows):
        before = rows[index + 1] if index + 1 < len(rows) else None
        entries.append({"version": formula.version, "effective_from": formula.effective_from,
                        "who": names.get(formula.created_by) or label("actor", formula.created_by), "at": formula.created_at,
                        "reason": formula.reason, "in_force": in_force is not None and formula.id == in_force.id,
                        "pending": formula.effective_from > today, "spec": shown_spec(formula.spec),
                        "changes": None if before is None else spec_changes(before.spec, formula.spec)})
    return entries


def flat(spec):
    """{path: number} of a spec's figures, a path being ("weights", group, metric) … ("list_size",)."""
    figures = {path: at_path(spec, path) for path in PATHS}
    return {path: value for path, value in figures.items() if value is not None}


def spec_changes(old, new):
    """What moved from one version to the next, in the spec's order: {"path", "old", "new"}; a weight, deduction or
    bonus is None when it does not count (absent or 0)."""
    before, after = flat(old), flat(new)
    changed = []
    for path in sorted(before.keys() | after.keys(), key=PATHS.index):
        was, now = before.get(path), after.get(path)
        if path[0] in ("weights", "deductions", "bonuses"):
            was, now = was or None, now or None
        if was != now:
            changed.append({"path": path, "old": None if was is None else number_text(was),
                            "new": None if now is None else number_text(now)})
    return changed


def shown_spec(spec):
    """A version's figures grouped for its details table: weights per group, deductions, bonuses (zeros left out)."""
    figures = flat(spec)
    return {"weights": {g: [(p[2], number_text(v)) for p, v in figures.items() if p[:2] == ("weights", g) and v]
                        for g in GROUPS},
            "deductions": [(p[1], number_text(v)) for p, v in figures.items() if p[0] == "deductions" and v],
            "bonuses": [(p[1], number_text(v)) for p, v in figures.items() if p[0] == "bonuses" and v],
            "caps": {k: number_text(v) for k, v in spec.get("caps", {}).items()},
            "list_size": spec.get("list_size")}


def months_used(today):
    """The recent months that were computed: each with the version and state of its latest revision."""
    months, period = [], Period.of_month(today)
    for _ in range(USED_MONTHS):
        revisions = runs.runs_of(db.session, period.code)
        if revisions:
            latest = revisions[0]
            months.append({"label": period.label, "version": latest["formula_version"],
                           "revision": latest["revision"], "status": latest["status_label"],
                           "href": url_for("web.assessment_formulas", _anchor=f"v{latest['formula_version']}")})
        period = period.previous()
    return months
