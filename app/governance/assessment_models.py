"""考核 (计算器) records: formula versions, computed and published runs with their frozen results, exclusions, appeals."""

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, JSONValue, UTCDateTime, utcnow


class AssessmentFormula(Base):
    """One version of the formula 编办 edits: weights per organisation group, deductions, bonuses, list size."""

    __tablename__ = "assessment_formula"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    effective_from: Mapped[date] = mapped_column(Date, index=True)
    spec: Mapped[dict] = mapped_column(JSONValue)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssessmentRun(Base):
    """One computation of a period; once published it is frozen, and a republish is a new revision."""

    __tablename__ = "assessment_run"
    __table_args__ = (UniqueConstraint("period", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(32), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    formula_id: Mapped[int] = mapped_column(ForeignKey("assessment_formula.id"))
    formula_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="computed", index=True)  # computed | published | superseded
    reason: Mapped[str] = mapped_column(Text, default="")
    computed_by: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appeal_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AssessmentResult(Base):
    """One organisation's figures and score in a run: written once, never recomputed in place."""

    __tablename__ = "assessment_result"
    __table_args__ = (UniqueConstraint("run_id", "org_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_run.id", ondelete="CASCADE"), index=True)
    org_code: Mapped[str] = mapped_column(String(64), index=True)
    group: Mapped[str] = mapped_column(String(16))  # department | town
    figures: Mapped[dict] = mapped_column(JSONValue)  # metric -> {"num", "den", "value"}
    score: Mapped[float | None] = mapped_column(Float)  # None: no figure of the formula had data
    deductions: Mapped[float] = mapped_column(Float, default=0)
    bonuses: Mapped[float] = mapped_column(Float, default=0)
    rank: Mapped[int | None] = mapped_column(Integer)


class AssessmentExclusion(Base):
    """剔除: every fact of a call for one organisation is left out of every later computation."""

    __tablename__ = "assessment_exclusion"
    __table_args__ = (UniqueConstraint("call_id", "org_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), index=True)
    org_code: Mapped[str] = mapped_column(String(64))
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_appeal.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssessmentAppeal(Base):
    """申诉: an organisation disputes a published figure; 编办 accepts (calls excluded, recomputed) or refuses."""

    __tablename__ = "assessment_appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_run.id"), index=True)
    org_code: Mapped[str] = mapped_column(String(64), index=True)
    metric: Mapped[str | None] = mapped_column(String(32))
    calls: Mapped[list] = mapped_column(JSONValue, default=list)  # call numbers
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list] = mapped_column(JSONValue, default=list)  # attachment ids
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending | accepted | refused
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    result_run_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_run.id"))


Index("ix_assessment_run_period_status", AssessmentRun.period, AssessmentRun.status)
