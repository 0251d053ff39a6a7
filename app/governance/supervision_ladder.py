"""督办 escalation records: each step of the ladder a case reached, and the 约谈 meetings recorded."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, JSONValue, UTCDateTime, utcnow


class EscalationStep(Base):
    __tablename__ = "escalation_step"
    __table_args__ = (Index("ix_escalation_step_at", "at", "target_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("supervision_case.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))  # urge | notice | yellow | red | interview
    target_org: Mapped[str] = mapped_column(String(64))
    recipients: Mapped[list] = mapped_column(JSONValue, default=list)  # unit | leader | bianban | gov
    note: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SupervisionInterview(Base):
    """约谈: the meeting the leader's office records (when, who attended, what was agreed)."""

    __tablename__ = "supervision_interview"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("supervision_case.id"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("escalation_step.id"))
    held_on: Mapped[date] = mapped_column(Date)
    attendees: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def ladder_of(session, case_id):
    """The steps a case reached, oldest first, each with the 约谈 recorded for it (plain rows for the case page)."""
    steps = list(session.scalars(select(EscalationStep).where(EscalationStep.case_id == case_id)
                                 .order_by(EscalationStep.at, EscalationStep.id)))
    interviews = list(session.scalars(select(SupervisionInterview).where(SupervisionInterview.case_id == case_id)
                                      .order_by(SupervisionInterview.at, SupervisionInterview.id)))
    return steps, interviews
