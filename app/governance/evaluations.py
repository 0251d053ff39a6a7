"""Evaluations (满意度互评): towns rate departments' handling, departments rate the calls they received."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.errors import ValidationFailed
from app.messages import LABELS, label, msg

SCORES = {"satisfied": 100, "fair": 90, "unsatisfied": 0}  # what each grade counts in the assessment
# A grade is stored as the word the forms offer (满意, 基本满意, 不满意), from the catalogue: word -> score.
GRADES = {label("evaluation_grade", grade): score for grade, score in SCORES.items()}
KINDS = LABELS["evaluation_kind"]


class Evaluation(Base):
    __tablename__ = "evaluation"
    # the assessment reads ratings by their time, index-only (assessment_metrics: received and given)
    __table_args__ = (Index("ix_evaluation_created_ratee", "created_at", "ratee_org", "kind", "score", "accuracy",
                            "cooperation", "call_id", "rater_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    rater_org: Mapped[str] = mapped_column(String(64), index=True)
    rater_user: Mapped[str | None] = mapped_column(String(64))
    ratee_org: Mapped[str] = mapped_column(String(64), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id"), index=True)
    grade: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[int | None] = mapped_column(Integer)
    accuracy: Mapped[int | None] = mapped_column(Integer)
    cooperation: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class Rating:
    """What a rater gave: a grade (满意, 基本满意, 不满意), or marks of 1–5 for accuracy and cooperation; a comment."""

    grade: str | None = None
    accuracy: int | None = None
    cooperation: int | None = None
    comment: str | None = ""


def record_evaluation(session, actor, kind, rater_org, ratee_org, rating, *, instance_id=None, call_id=None):
    """Store one rating, given by the actor for `rater_org`; a grade gives its score (满意 100, 基本满意 90, 不满意 0)."""
    grade, accuracy, cooperation, comment = rating.grade, rating.accuracy, rating.cooperation, rating.comment
    if kind not in KINDS or (grade is not None and grade not in GRADES):
        raise ValidationFailed(msg("validation.request"), {"grade": [msg("form.enum")]})
    for name, value in (("accuracy", accuracy), ("cooperation", cooperation)):
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5):
            raise ValidationFailed(msg("validation.request"), {name: [msg("form.maximum", n=5)]})
    evaluation = Evaluation(kind=kind, rater_org=rater_org, rater_user=actor.name, ratee_org=ratee_org,
                            instance_id=instance_id, call_id=call_id, grade=grade,
                            score=GRADES.get(grade) if grade else None, accuracy=accuracy, cooperation=cooperation,
                            comment=str(comment or "")[:2000])
    session.add(evaluation)
    session.flush()
    given = grade or msg("evaluation.ratings", accuracy=accuracy, cooperation=cooperation)
    notify(session, ratee_org, msg("notice.evaluated", kind=KINDS[kind], grade=given), instance_id=instance_id)
    append_event(session, f"org:{ratee_org}", "evaluation", actor=actor, org=rater_org, instance_id=instance_id,
                 payload={"kind": kind, "grade": grade, "accuracy": accuracy, "cooperation": cooperation})
    return evaluation


def evaluations_for(session, call_id=None, ratee_org=None):
    query = select(Evaluation).order_by(Evaluation.id)
    if call_id:
        query = query.where(Evaluation.call_id == call_id)
    if ratee_org:
        query = query.where(Evaluation.ratee_org == ratee_org)
    return list(session.scalars(query))
