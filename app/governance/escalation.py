"""督办升级: the facts the escalation ladder decides on, each step it takes, and the 约谈 the leader's office records.

Which step follows which, after how many working days and to whom is not written here: it is the DMN table
processes/escalation_ladder.dmn, run every working morning by processes/supervision_escalation.bpmn (docs/supervision.md).
This module counts (working days, red cards, overturned rejections) and records (steps, notices, grades, 约谈).
"""

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.db import utcnow
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.organisations import get_org
from app.errors import ValidationFailed
from app.governance.assessment_periods import Period
from app.governance.calls import CallParty
from app.governance.supervision import SupervisionCase, get_case, update_case
from app.governance.supervision_ladder import EscalationStep, SupervisionInterview
from app.messages import LABELS, msg

STEPS = LABELS["escalation_step"]  # urge | notice | yellow | red | interview
RECIPIENTS = LABELS["escalation_recipient"]  # unit | leader | bianban | gov
CARDS = ("blue", "yellow", "red")  # a case's grade, lowest first: a step raises it, never lowers it
LEADER_ROLES = {"department": "dept_leader", "town": "town_leader"}
LONGEST_COUNT_DAYS = 3660  # whole working days are counted day by day, for at most ten years


def whole_working_days(calendar, since, now):
    """The working days whose working hours lie wholly between `since` and `now` (a day begun is not counted)."""
    zone = calendar.tz
    day, last, count = since.astimezone(zone).date(), now.astimezone(zone).date(), 0
    opens, closes = calendar.hours[0][0], calendar.hours[-1][1]
    for _ in range(LONGEST_COUNT_DAYS):
        if day > last:
            break
        if calendar.is_working_day(day) and datetime.combine(day, opens, zone) >= since \
                and datetime.combine(day, closes, zone) <= now:
            count += 1
        day += timedelta(days=1)
    return count


def next_opening(calendar, now):
    """The first opening of a working day (09:00 in the county) after `now`."""
    zone = calendar.tz
    day = now.astimezone(zone).date()
    for _ in range(LONGEST_COUNT_DAYS):
        opening = datetime.combine(day, calendar.hours[0][0], zone)
        if calendar.is_working_day(day) and opening > now:
            return opening
        day += timedelta(days=1)
    raise ValueError("no working day within ten years")


def last_step(session, case_id):
    return session.scalar(select(EscalationStep).where(EscalationStep.case_id == case_id)
                          .order_by(EscalationStep.at.desc(), EscalationStep.id.desc()).limit(1))


def red_cards(session, org_code, start, end):
    """Red cards (cases graded red, by the day they opened) of `org_code` in [start, end), since its last 约谈 then:
    the cards a 约谈 already answered do not call for another."""
    interviewed = session.scalar(select(func.max(EscalationStep.at)).where(
        EscalationStep.target_org == org_code, EscalationStep.step == "interview", EscalationStep.at >= start,
        EscalationStep.at < end))
    since = max(start, interviewed) if interviewed else start
    return session.scalar(select(func.count()).select_from(SupervisionCase).where(
        SupervisionCase.target_org == org_code, SupervisionCase.grade == "red", SupervisionCase.opened_at >= since,
        SupervisionCase.opened_at < end))


def overturned_rejections(session, org_code, start, end):
    """The organisation's rejections found wrong (驳回不当) among the responses it gave in [start, end)."""
    return session.scalar(select(func.count()).select_from(CallParty).where(
        CallParty.org_code == org_code, CallParty.rejection_overturned.is_(True), CallParty.responded_at >= start,
        CallParty.responded_at < end))


def ladder_facts(session, number, calendar, now):
    """What the ladder decides on for case `number` at `now` (the DMN table's inputs, and when to look again)."""
    case = get_case(session, number)
    step = last_step(session, case.id)
    since = max(case.opened_at, step.at) if step else case.opened_at
    start, end = Period.of_month(now.astimezone(calendar.tz).date()).bounds(calendar.tz)
    return {"open": case.status == "open", "step": step.step if step else "",
            "overdue_days": whole_working_days(calendar, since, now),
            "red_cards": red_cards(session, case.target_org, start, end),
            "overturned": overturned_rejections(session, case.target_org, start, end),
            "check_at": next_opening(calendar, now).isoformat(), "target": case.target_org, "case_no": case.number}


def _recipients(recipients):
    """"unit,leader" (as the DMN table writes them) or a list → the list, each checked."""
    given = recipients.split(",") if isinstance(recipients, str) else list(recipients or [])
    wanted = list(dict.fromkeys(str(r).strip() for r in given if str(r).strip()))
    for recipient in wanted:
        if recipient not in RECIPIENTS:
            raise ValidationFailed(msg("validation.request"),
                                   {"recipients": [msg("escalation.bad_recipient", recipient=recipient)]})
    if not wanted:
        raise ValidationFailed(msg("validation.request"), {"recipients": [msg("escalation.no_recipient")]})
    return wanted


def addressee(target, recipient):
    """(organisation code, role or None) a recipient of a step names for the supervised organisation `target`."""
    if recipient == "unit":
        return target.code, None
    if recipient == "leader":
        return target.code, LEADER_ROLES.get(target.kind)
    if recipient == "bianban":
        return "bianban", None
    return "gov", "leader"


def escalate(session, actor, number, step, recipients, instance_id=None):
    """Take one step of the ladder for case `number`: record it, notify each recipient, raise the grade for a card."""
    if step not in STEPS:
        raise ValidationFailed(msg("validation.request"), {"step": [msg("escalation.bad_step", step=step)]})
    wanted = _recipients(recipients)
    case = get_case(session, number)
    target = get_org(session, case.target_org)
    row = EscalationStep(case_id=case.id, step=step, target_org=case.target_org, recipients=wanted,
                         instance_id=instance_id, at=utcnow())
    session.add(row)
    session.flush()
    text = msg(f"notice.escalation.{step}", number=case.number, org=target.name, summary=case.summary)
    for recipient in wanted:
        org_code, role = addressee(target, recipient)
        notify(session, org_code, text, role=role, subject=f"supervision:{case.number}", instance_id=instance_id)
    append_event(session, f"supervision:{case.number}", "supervision.escalate", actor=actor, org=case.target_org,
                 instance_id=case.source_instance_id, payload={"step": step, "recipients": wanted, "step_id": row.id})
    if _raises(case.grade, step):
        update_case(session, actor, case.number, grade=step)
    return row


def _raises(grade, step):
    """Whether a step is a card (黄牌, 红牌) above the case's grade."""
    return step in ("yellow", "red") and (grade not in CARDS or CARDS.index(step) > CARDS.index(grade))


def _held_on(value, case, calendar):
    """The 约谈's date: a real day, not before the case opened, not after today (county dates)."""
    try:
        held = value if isinstance(value, date) else date.fromisoformat(str(value or "")[:10])
    except ValueError:
        raise ValidationFailed(msg("validation.request"), {"held_on": [msg("escalation.bad_date")]}) from None
    if held > utcnow().astimezone(calendar.tz).date():
        raise ValidationFailed(msg("validation.request"), {"held_on": [msg("escalation.future_date")]})
    if held < case.opened_at.astimezone(calendar.tz).date():
        raise ValidationFailed(msg("validation.request"), {"held_on": [msg("escalation.before_case")]})
    return held


def _interview_step(session, case, step_id):
    if step_id is None:
        return session.scalar(select(EscalationStep).where(EscalationStep.case_id == case.id,
                                                           EscalationStep.step == "interview")
                              .order_by(EscalationStep.id.desc()).limit(1))
    step = session.get(EscalationStep, int(step_id))
    if step is None or step.case_id != case.id:
        raise ValidationFailed(msg("validation.request"),
                               {"step_id": [msg("escalation.bad_step_id", id=step_id, number=case.number)]})
    return step


def record_interview(session, actor, number, meeting, calendar, step_id=None, instance_id=None):
    """Keep the 约谈 the leader's office held about case `number` (`meeting`: held_on, attendees, outcome)."""
    case = get_case(session, number)
    texts = {key: str(meeting.get(key) or "").strip() for key in ("attendees", "outcome")}
    missing = {key: [msg("form.required")] for key, text in texts.items() if not text}
    if missing:
        raise ValidationFailed(msg("validation.request"), missing)
    held = _held_on(meeting.get("held_on"), case, calendar)
    step = _interview_step(session, case, step_id)
    interview = SupervisionInterview(case_id=case.id, step_id=step.id if step else None, held_on=held,
                                     attendees=texts["attendees"][:1000], outcome=texts["outcome"][:2000],
                                     recorded_by=actor.name, instance_id=instance_id, at=utcnow())
    session.add(interview)
    session.flush()
    target = get_org(session, case.target_org)
    notify(session, case.target_org, msg("notice.escalation.interviewed", org=target.name, number=case.number,
                                         held_on=held.isoformat(), outcome=interview.outcome),
           subject=f"supervision:{case.number}", instance_id=instance_id)
    append_event(session, f"supervision:{case.number}", "supervision.interview", actor=actor, org=case.target_org,
                 instance_id=case.source_instance_id,
                 payload={"held_on": held.isoformat(), "attendees": interview.attendees, "outcome": interview.outcome,
                          "interview_id": interview.id})
    return interview
