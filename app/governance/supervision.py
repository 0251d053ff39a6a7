"""督办 cases: opened by deadline timers or by forwarding, graded, rectified by the target, verified."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.numbers import add_numbered
from app.errors import NotFound
from app.messages import msg

REASONS = {"no_response": "不响应", "late_response": "迟响应", "inaction": "响应不作为", "forwarded": "驳回转发"}
GRADES = {"blue": "蓝色", "yellow": "黄色", "red": "红色"}
STATUSES = {"open": "待整改", "verifying": "待核实", "closed": "已办结"}


class SupervisionCase(Base):
    __tablename__ = "supervision_case"

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


def open_case(session, target_org, reason, summary, call_id=None, source_instance_id=None, lateness_hours=0):
    if reason not in REASONS:
        raise NotFound(msg("supervision.bad_reason", reason=reason))
    now = utcnow()
    case = add_numbered(session, SupervisionCase.number, f"DB{now:%Y%m%d}-", lambda number: SupervisionCase(
        number=number, target_org=target_org, reason=reason, summary=summary[:2000], call_id=call_id,
        source_instance_id=source_instance_id, lateness_hours=max(0, int(lateness_hours)), opened_at=now))
    notify(session, target_org, f"督办 {case.number}（{REASONS[reason]}）：{summary}", instance_id=source_instance_id)
    append_event(session, f"supervision:{case.number}", "supervision.open", org=target_org,
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


def update_case(session, number, actor_name=None, **changes):
    case = get_case(session, number)
    for key, value in changes.items():
        setattr(case, key, value)
    if changes.get("status") == "closed":
        case.closed_at = utcnow()
    session.flush()
    append_event(session, f"supervision:{case.number}", "supervision.update", actor=actor_name, org=case.target_org,
                 payload={k: v for k, v in changes.items() if isinstance(v, (str, int, type(None)))})
    return case


def list_cases(session, status=None, grade=None, target_org=None):
    query = select(SupervisionCase).order_by(SupervisionCase.opened_at)
    for column, value in ((SupervisionCase.status, status), (SupervisionCase.grade, grade),
                          (SupervisionCase.target_org, target_org)):
        if value:
            query = query.where(column == value)
    return list(session.scalars(query))
