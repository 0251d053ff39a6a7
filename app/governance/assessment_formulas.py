"""The assessment formula as versioned data: weights per organisation group, deductions, bonuses, caps, list size.

综合得分 = Σ weight × figure (a rate 0..1, an average's points / 100), scaled up to the whole weight when some
figures have no data, − deductions + bonuses (each per unit of a count, each total capped). A period is computed
with the version in force on its first day. Versions are never changed: 编办 saves a new one, with why and from
when, after previewing how the rankings would move.
"""

from datetime import date

from sqlalchemy import func, select

from app.domain.audit import append_event
from app.errors import ValidationFailed
from app.governance.assessment_metrics import GROUPS, METRICS, assessed_orgs, measure, value_of
from app.governance.assessment_models import AssessmentFormula
from app.messages import label, msg

DEFAULT_SPEC = {
    "weights": {group: {"response_rate": 10, "resolve_rate": 50, "satisfaction_rate": 40} for group in GROUPS},
    "deductions": {"case_red": 2, "case_yellow": 1, "interviews": 3, "overturned": 1},
    "bonuses": {},
    "caps": {"deductions": 20, "bonuses": 5},
    "list_size": 3,
}
DEFAULT_FROM = date(2000, 1, 1)
MAX_WEIGHT = 100
MAX_POINTS = 100
MAX_LIST = 20


def ensure_formula(session):
    """The first version (the county's starting formula), created the first time anything asks for one."""
    first = session.scalar(select(AssessmentFormula).order_by(AssessmentFormula.version).limit(1))
    if first is None:
        first = AssessmentFormula(version=1, effective_from=DEFAULT_FROM, spec=DEFAULT_SPEC,
                                  reason=msg("assessment.formula.default_reason"), created_by="system")
        session.add(first)
        session.flush()
    return first


def formula_for(session, period):
    """The version in force on the period's first day: the newest version effective by then."""
    ensure_formula(session)
    return session.scalar(select(AssessmentFormula).where(AssessmentFormula.effective_from <= period.first)
                          .order_by(AssessmentFormula.effective_from.desc(), AssessmentFormula.version.desc())
                          .limit(1)) or ensure_formula(session)


def formula_versions(session):
    ensure_formula(session)
    return list(session.scalars(select(AssessmentFormula).order_by(AssessmentFormula.version.desc())))


def save_formula(session, actor, spec, effective_from, reason):
    """A new version, from `effective_from` (a date or its ISO text); refused in Chinese, field by field."""
    clean, errors = checked_spec(spec)
    when = _date(effective_from, errors)
    if not str(reason or "").strip():
        errors["reason"] = [msg("assessment.formula.reason_required")]
    if errors:
        raise ValidationFailed(msg("validation.request"), errors)
    ensure_formula(session)
    version = (session.scalar(select(func.max(AssessmentFormula.version))) or 0) + 1
    formula = AssessmentFormula(version=version, effective_from=when, spec=clean, reason=str(reason).strip()[:2000],
                                created_by=actor.name)
    session.add(formula)
    session.flush()
    append_event(session, "assessment:formula", "assessment.formula", actor=actor,
                 payload={"version": version, "effective_from": when.isoformat(), "reason": formula.reason})
    return formula


def checked_spec(spec):
    """(the spec as stored, {field: [Chinese message]}): weights, deductions and bonuses are numbers in range."""
    spec = spec if isinstance(spec, dict) else {}
    errors = {}
    clean = {"weights": _weights(_part(spec, "weights"), errors),
             "deductions": _per_unit(_part(spec, "deductions"), "deductions", errors),
             "bonuses": _per_unit(_part(spec, "bonuses"), "bonuses", errors), "caps": {}}
    caps = _part(spec, "caps")
    for part in ("deductions", "bonuses"):
        clean["caps"][part] = _number(caps.get(part, DEFAULT_SPEC["caps"][part]), MAX_POINTS, f"caps.{part}", errors)
    size = spec.get("list_size", DEFAULT_SPEC["list_size"])
    if isinstance(size, bool) or not str(size).strip().isdigit() or not 1 <= int(size) <= MAX_LIST:
        errors["list_size"] = [msg("assessment.formula.bad_list_size", most=MAX_LIST)]
    else:
        clean["list_size"] = int(size)
    return clean, errors


def _part(spec, key):
    return spec.get(key) if isinstance(spec.get(key), dict) else {}


def _weights(weights, errors):
    clean = {}
    for group in GROUPS:
        given = _part(weights, group)
        clean[group] = {}
        for key, value in given.items():
            field = f"weights.{group}.{key}"
            if key not in METRICS or not METRICS[key].weighted:
                errors[field] = [msg("assessment.formula.not_weighted", metric=label("assessment_metric", key))]
            elif number := _number(value, MAX_WEIGHT, field, errors):
                clean[group][key] = number
        if not clean[group] and not any(k.startswith(f"weights.{group}.") for k in errors):
            errors[f"weights.{group}"] = [msg("assessment.formula.no_weight", group=label("assessment_group", group))]
    return clean


def _per_unit(given, part, errors):
    clean = {}
    for key, value in given.items():
        if key not in METRICS or METRICS[key].kind != "count":
            errors[f"{part}.{key}"] = [msg("assessment.formula.not_count")]
        elif number := _number(value, MAX_POINTS, f"{part}.{key}", errors):
            clean[key] = number
    return clean


def _number(value, most, field, errors):
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[field] = [msg("assessment.formula.not_number")]
        return 0
    if isinstance(value, bool) or not 0 <= number <= most:
        errors[field] = [msg("assessment.formula.out_of_range", most=most)]
        return 0
    return int(number) if number.is_integer() else round(number, 4)


def _date(value, errors):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors["effective_from"] = [msg("assessment.formula.bad_date")]
        return None


def score(spec, group, figures):
    """(score or None without data, deductions, bonuses) of one organisation's figures under `spec`."""
    weights = spec["weights"].get(group, {})
    total = sum(weights.values())
    with_data = {key: value_of(key, figures[key]) for key in weights if value_of(key, figures[key]) is not None}
    weight_with_data = sum(weights[key] for key in with_data)
    deductions = min(spec["caps"]["deductions"],
                     sum(per * figures[key].num for key, per in spec["deductions"].items()))
    bonuses = min(spec["caps"]["bonuses"], sum(per * figures[key].num for key, per in spec["bonuses"].items()))
    if not weight_with_data:
        return None, round(deductions, 4), round(bonuses, 4)
    base = sum(weights[key] * value for key, value in with_data.items()) * total / weight_with_data
    return round(base - deductions + bonuses, 4), round(deductions, 4), round(bonuses, 4)


def ranked(spec, figures, orgs):
    """{org: (group, score, deductions, bonuses, rank)}: ranked within the group, best first; equal scores share a
    rank (1, 2, 2, 4); organisations without data are not ranked."""
    scored = {org: (group, *score(spec, group, figures[org])) for org, (_name, group) in orgs.items()}
    ranks = {}
    for group in GROUPS:
        ordered = sorted((s[1], org) for org, s in scored.items() if s[0] == group and s[1] is not None)
        ordered.reverse()
        for position, (value, org) in enumerate(ordered, 1):
            previous = ordered[position - 2] if position > 1 else None
            ranks[org] = ranks[previous[1]] if previous and previous[0] == value else position
    return {org: (*values, ranks.get(org)) for org, values in scored.items()}


def preview(session, spec, period, zone, current=None):
    """How `spec` would rank the period against the version in force (or `current`): per group, each organisation
    with its old and new rank and score, those that move first. Refused in Chinese when the spec is not valid."""
    clean, errors = checked_spec(spec)
    if errors:
        raise ValidationFailed(msg("validation.request"), errors)
    old_spec = (current or formula_for(session, period)).spec
    orgs = assessed_orgs(session)
    figures = measure(session, *period.bounds(zone), orgs)
    old, new = ranked(old_spec, figures, orgs), ranked(clean, figures, orgs)
    groups = {group: [] for group in GROUPS}
    for org, (name, group) in orgs.items():
        groups[group].append({"org_code": org, "name": name, "old_rank": old[org][4], "new_rank": new[org][4],
                              "old_score": old[org][1], "new_score": new[org][1]})
    for rows in groups.values():
        rows.sort(key=lambda r: (r["new_rank"] is None, r["new_rank"] or 0, r["name"]))
    return groups
