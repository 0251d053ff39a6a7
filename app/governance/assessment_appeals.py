"""申诉: an organisation disputes a published assessment figure within the appeal window; 编办 decides.

An accepted appeal excludes (剔除) the calls 编办 names, recomputes the period and publishes the new revision; the
revision the appeal was against stays as it was (superseded). Every check is made before the first write, so a
refused appeal or decision leaves nothing behind.
"""

import re
from dataclasses import dataclass

from sqlalchemy import case, select

from app.db import utcnow
from app.domain import access
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.numbers import add_numbered
from app.domain.organisations import list_orgs
from app.domain.people import display_names
from app.errors import InvalidState, NotFound, ValidationFailed
from app.governance import assessment_runs as runs
from app.governance.assessment_metrics import METRICS, members
from app.governance.assessment_models import AssessmentAppeal, AssessmentExclusion, AssessmentRun
from app.governance.assessment_periods import Period
from app.governance.call_context import attachment_files
from app.governance.calls import Call
from app.messages import label, msg
from app.workflow.models import HumanTask

NUMBER = re.compile(r"HJ\d{8}-\d{1,6}")
SEPARATORS = re.compile(r"[\s,，、;；]+")
MOST_CALLS = 50
REASON_LENGTH = 2000
DECIDE_STEP = "decide_appeal"  # the diagram's user task whose page 编办 decides on


def call_numbers(text):
    """The call numbers a person wrote (a list, or text separated by spaces, commas or 、), in order, once each."""
    parts = text if isinstance(text, (list, tuple)) else SEPARATORS.split(str(text or ""))
    seen = []
    for part in (str(p).strip().upper() for p in parts):
        if part and part not in seen:
            seen.append(part)
    return seen


def _local(moment, zone):
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if zone else moment.strftime("%Y-%m-%d %H:%M")


def _window_problem(session, period, zone, now):
    run = runs.published_run(session, period.code)
    if run is None:
        return None, msg("appeal.not_published", period=period.label)
    if run.appeal_until is None:
        return run, msg("appeal.no_window", period=period.label)
    if now > run.appeal_until:
        return run, msg("appeal.window_closed", period=period.label, until=_local(run.appeal_until, zone))
    return run, None


def _call_problems(session, org_code, numbers):
    """(calls found, problems): each must be a call's number, the organisation (or a village of the town) its caller
    or a party, not yet excluded."""
    if not numbers:
        return [], [msg("appeal.no_calls")]
    if len(numbers) > MOST_CALLS:
        return [], [msg("appeal.too_many_calls", most=MOST_CALLS)]
    bad = [n for n in numbers if not NUMBER.fullmatch(n)]
    if bad:
        return [], [msg("appeal.bad_number", number=n) for n in bad]
    found = {c.number: c for c in session.scalars(select(Call).where(Call.number.in_(numbers)))}
    excluded = set(session.scalars(select(AssessmentExclusion.call_id).where(
        AssessmentExclusion.org_code == org_code, AssessmentExclusion.call_id.in_([c.id for c in found.values()]))))
    ours, problems = set(members(session, [org_code])), []  # a town answers for its villages' calls
    for number in numbers:
        call = found.get(number)
        if call is None:
            problems.append(msg("appeal.unknown_call", number=number))
        elif not ({call.caller_org} | {p.org_code for p in call.parties}) & ours:
            problems.append(msg("appeal.call_not_ours", number=number))
        elif call.id in excluded:
            problems.append(msg("appeal.call_excluded", number=number))
    return [found[n] for n in numbers if n in found], problems


def _refuse(errors):
    problems = "；".join(text for texts in errors.values() for text in texts)
    raise ValidationFailed(msg("appeal.refused", problems=problems), errors)


@dataclass(frozen=True)
class Claim:
    """What an organisation appeals: the period's code, the metric (None: the whole score), the calls it names
    (text or a list of numbers), its reason and the attachment ids of its evidence."""

    period: str
    metric: str | None
    calls: object
    reason: str
    evidence: tuple = ()


def open_appeal(session, actor, org_code, claim, instance_id=None, zone=None):
    """Record an appeal of `org_code` against the period's published result; numbered SS<date>-n."""
    if actor.user is not None and not access.may_appeal_assessment(actor.user, org_code):
        _refuse({"period": [msg("appeal.not_yours")]})
    errors, now = {}, utcnow()
    try:
        period = Period.parse(claim.period)
    except ValidationFailed as refused:
        period, errors["period"] = None, [refused.message]
    run = None
    if period is not None:
        run, problem = _window_problem(session, period, zone, now)
        if problem:
            errors["period"] = [problem]
    metric = claim.metric or None
    if metric is not None and metric not in METRICS:
        errors["metric"] = [msg("appeal.bad_metric")]
    numbers = call_numbers(claim.calls)
    calls, problems = _call_problems(session, org_code, numbers)
    if problems:
        errors["calls"] = problems
    reason = (claim.reason or "").strip()
    if not reason:
        errors["reason"] = [msg("appeal.reason_required")]
    elif len(reason) > REASON_LENGTH:
        errors["reason"] = [msg("appeal.too_long", most=REASON_LENGTH)]
    if errors:
        _refuse(errors)
    evidence = [int(i) for i in claim.evidence or [] if str(i).isdigit()]
    appeal = add_numbered(session, AssessmentAppeal.number, f"SS{now:%Y%m%d}-", lambda number: AssessmentAppeal(
        number=number, run_id=run.id, org_code=org_code, metric=metric, calls=[c.number for c in calls],
        reason=reason, evidence=evidence, status="pending", instance_id=instance_id, created_by=actor.name,
        created_at=now))
    append_event(session, f"appeal:{appeal.number}", "assessment.appeal.open", actor=actor, org=org_code,
                 instance_id=instance_id, payload={"number": appeal.number, "period": period.code, "run": run.id,
                                                   "revision": run.revision, "metric": metric,
                                                   "calls": appeal.calls, "reason": reason})
    return appeal


def get_appeal(session, number):
    appeal = session.scalar(select(AssessmentAppeal).where(AssessmentAppeal.number == number))
    if appeal is None:
        raise NotFound(msg("appeal.not_found"))
    return appeal


def decide_appeal(session, actor, number, accepted, exclude_numbers, decision, calendar):
    """编办's decision. Accepted: the named calls (some or all of the appeal's) are excluded for the organisation,
    the period is recomputed and the new revision published with the reason 采纳申诉 SS…, open to appeal until
    the period's window closes (an appeal does not extend it); refused: recorded. `calendar`: the county's."""
    if actor.user is not None:
        access.require(access.may_manage_assessment(actor.user))
    appeal = get_appeal(session, number)
    if appeal.status != "pending":
        raise InvalidState(msg("appeal.decided", number=number))
    decision = (decision or "").strip()
    errors = {}
    if not decision:
        errors["decision"] = [msg("appeal.decision_required")]
    elif len(decision) > REASON_LENGTH:
        errors["decision"] = [msg("appeal.too_long", most=REASON_LENGTH)]
    excluded = call_numbers(exclude_numbers) if accepted else []
    if accepted and not excluded:
        errors["exclude_calls"] = [msg("appeal.exclude_required")]
    stray = [n for n in excluded if n not in appeal.calls]
    if stray:
        errors["exclude_calls"] = [msg("appeal.exclude_not_named", number=n) for n in stray]
    if errors:
        raise ValidationFailed("；".join(t for texts in errors.values() for t in texts), errors)
    against = session.get(AssessmentRun, appeal.run_id)
    appeal.status, appeal.decision = ("accepted" if accepted else "refused"), decision
    appeal.decided_by, appeal.decided_at = actor.name, utcnow()
    if accepted:
        ids = list(session.scalars(select(Call.id).where(Call.number.in_(excluded))))
        runs.exclude_calls(session, actor, appeal.org_code, ids, msg("appeal.exclusion_reason", number=number,
                                                                     decision=decision), appeal_id=appeal.id)
        reason, window = msg("appeal.run_reason", number=number), runs.published_run(session, against.period)
        revision = runs.compute(session, actor, Period.parse(against.period), calendar.tz, reason=reason)
        runs.publish(session, actor, revision.id, calendar, 0, reason=reason)
        # the period's window as it stands: a revision an appeal produces does not extend it
        revision.appeal_until = window.appeal_until if window else against.appeal_until
        appeal.result_run_id = revision.id
    session.flush()
    period = Period.parse(against.period)
    text = msg("appeal.notice.accepted", number=number, period=period.label, calls="、".join(excluded),
               decision=decision) if accepted else msg("appeal.notice.refused", number=number, period=period.label,
                                                       decision=decision)
    notify(session, appeal.org_code, text, subject=f"appeal:{number}", instance_id=appeal.instance_id)
    append_event(session, f"appeal:{number}", "assessment.appeal.decide", actor=actor, org=appeal.org_code,
                 instance_id=appeal.instance_id,
                 payload={"number": number, "accepted": bool(accepted), "excluded": excluded, "reason": decision,
                          "result_run": appeal.result_run_id})
    return appeal


def appeals_for(session, user, status=None):
    """The appeals a user may read, pending first then newest: every one for those who read the whole
    assessment (编办, leaders, 人大, 督查), an organisation's own for its people; as the appeals page shows them."""
    query = select(AssessmentAppeal)
    if not access.may_read_assessment(user):
        query = query.where(AssessmentAppeal.org_code == (user.org.code if user.org else None))
    if status in ("pending", "accepted", "refused"):
        query = query.where(AssessmentAppeal.status == status)
    pending_first = case((AssessmentAppeal.status == "pending", 0), else_=1)
    rows = list(session.scalars(query.order_by(pending_first, AssessmentAppeal.id.desc()).limit(500)))
    facts = _facts(session, user, rows) if rows else {}
    return [_shown(session, facts, appeal) for appeal in rows]


def _shown(session, facts, appeal):
    revisions, excluded = facts["revisions"], facts["excluded"].get(appeal.id, set())
    run, result = revisions.get(appeal.run_id), revisions.get(appeal.result_run_id)
    metric = label("assessment_metric", appeal.metric) if appeal.metric else msg("appeal.whole_score")
    return {"number": appeal.number, "org_code": appeal.org_code, "org_name": facts["orgs"].get(appeal.org_code, ""),
            "period": run.period if run else "", "period_label": _label(run.period) if run else "",
            "revision": run.revision if run else None, "result_revision": result.revision if result else None,
            "metric": appeal.metric, "metric_label": metric,
            "calls": [{"number": n, "excluded": n in excluded} for n in appeal.calls or []],
            "reason": appeal.reason, "evidence": attachment_files(session, appeal.evidence or []),
            "status": appeal.status, "status_label": label("appeal_status", appeal.status),
            "decision": appeal.decision, "decided_by": facts["people"].get(appeal.decided_by, ""),
            "decided_at": appeal.decided_at, "created_by": facts["people"].get(appeal.created_by, ""),
            "created_at": appeal.created_at, "task_id": facts["tasks"].get(appeal.instance_id)}


def _facts(session, user, rows):
    """Names, revisions, open decide tasks and exclusions of the listed appeals, one query each."""
    run_ids = {a.run_id for a in rows} | {a.result_run_id for a in rows if a.result_run_id}
    revisions = {r.id: r for r in session.scalars(select(AssessmentRun).where(AssessmentRun.id.in_(run_ids)))}
    tasks = {}
    if access.may_manage_assessment(user):
        instance_ids = [a.instance_id for a in rows if a.instance_id and a.status == "pending"]
        tasks = dict(session.execute(select(HumanTask.instance_id, HumanTask.id).where(
            HumanTask.instance_id.in_(instance_ids), HumanTask.bpmn_id == DECIDE_STEP,
            HumanTask.status == "open")).all())
    excluded = {}
    found = session.execute(select(AssessmentExclusion.appeal_id, Call.number).join(
        Call, Call.id == AssessmentExclusion.call_id).where(AssessmentExclusion.appeal_id.in_([a.id for a in rows])))
    for appeal_id, number in found:
        excluded.setdefault(appeal_id, set()).add(number)
    people = display_names(session, {a.created_by for a in rows} | {a.decided_by for a in rows})
    return {"orgs": {o.code: o.name for o in list_orgs(session)}, "revisions": revisions, "tasks": tasks,
            "excluded": excluded, "people": people}


def _label(code):
    try:
        return Period.parse(code).label
    except ValidationFailed:
        return code
