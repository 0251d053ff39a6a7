"""督办 cases: opened by deadline timers or by forwarding, graded, rectified by the target, verified."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.numbers import add_numbered
from app.errors import NotFound, ValidationFailed
from app.messages import LABELS, msg

# code -> label, from the catalogue (the pages and the API read the same tables)
REASONS = LABELS["case_reason"]
GRADES = LABELS["case_grade"]
STATUSES = LABELS["case_status"]


class SupervisionCase(Base):
    __tablename__ = "supervision_case"
    __table_args__ = (Index("ix_supervision_case_opened", "opened_at", "target_org"),
                      Index("ix_supervision_case_instance", "instance_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    target_org: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(String(16), index=True)
    grade: Mapped[str | None] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    lateness_hours: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id"), index=True)
    source_instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def open_case(session, actor, target_org, reason, summary, call_id=None, source_instance_id=None, lateness_hours=0):
    """A case against `target_org`, notified to it; numbered DB<date>-n."""
    if reason not in REASONS:
        raise NotFound(msg("supervision.bad_reason", reason=reason))
    now = utcnow()
    case = add_numbered(session, SupervisionCase.number, f"DB{now:%Y%m%d}-", lambda number: SupervisionCase(
        number=number, target_org=target_org, reason=reason, summary=summary[:2000], call_id=call_id,
        source_instance_id=source_instance_id, lateness_hours=max(0, int(lateness_hours)), opened_at=now))
    notify(session, target_org, msg("notice.case_opened", number=case.number, reason=REASONS[reason], summary=summary),
           subject=f"supervision:{case.number}", instance_id=source_instance_id)
    append_event(session, f"supervision:{case.number}", "supervision.open", actor=actor, org=target_org,
                 instance_id=source_instance_id, payload={"reason": reason, "lateness_hours": case.lateness_hours})
    return case


def rectifying_role(org):
    """Who rectifies (整改) for a supervised organisation: a department's staff, or a town's."""
    return "dept_staff" if org.kind == "department" else "town_staff"


def get_case(session, number):
    case = session.scalar(select(SupervisionCase).where(SupervisionCase.number == number))
    if case is None:
        raise NotFound(msg("supervision.not_found"))
    return case


def update_case(session, actor, number, *, grade=None, status=None, handled_in=None):
    """Grade the case or move it on (None leaves either as it is); `handled_in` is the instance working on it now.

    A closed case keeps the instance that handled it.
    """
    case = get_case(session, number)
    if grade is not None and grade not in GRADES:
        raise ValidationFailed(msg("validation.request"), {"grade": [msg("supervision.bad_grade", grade=grade)]})
    if status is not None and status not in STATUSES:
        raise ValidationFailed(msg("validation.request"), {"status": [msg("supervision.bad_status", status=status)]})
    case.grade = case.grade if grade is None else grade
    case.status = case.status if status is None else status
    if status == "closed":
        case.closed_at = utcnow()
    if handled_in is not None and not (status == "closed" and case.instance_id):
        case.instance_id = handled_in
    session.flush()
    append_event(session, f"supervision:{case.number}", "supervision.update", actor=actor, org=case.target_org,
                 payload={k: v for k, v in (("grade", grade), ("status", status)) if v is not None})
    return case


def list_cases(session, status=None, grade=None, target_org=None):
    query = select(SupervisionCase).order_by(SupervisionCase.opened_at)
    for column, value in ((SupervisionCase.status, status), (SupervisionCase.grade, grade),
                          (SupervisionCase.target_org, target_org)):
        if value:
            query = query.where(column == value)
    return list(session.scalars(query))
