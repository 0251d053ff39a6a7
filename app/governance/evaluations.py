"""Evaluations (满意度互评): towns rate departments' handling, departments rate the calls they received."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.errors import ValidationFailed
from app.messages import msg

GRADES = {"满意": 100, "基本满意": 90, "不满意": 0}
KINDS = {"satisfaction": "满意度评价", "call_quality": "呼叫质量评价", "admission": "准入意见"}


class Evaluation(Base):
    __tablename__ = "evaluation"

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


def record_evaluation(session, kind, rater_org, ratee_org, **details):
    """Store one rating; a grade gives its score (满意 100, 基本满意 90, 不满意 0).

    `details`: rater_user, instance_id, call_id, grade, accuracy, cooperation, comment.
    """
    grade, accuracy, cooperation = details.get("grade"), details.get("accuracy"), details.get("cooperation")
    rater_user, instance_id, call_id = details.get("rater_user"), details.get("instance_id"), details.get("call_id")
    comment = details.get("comment") or ""
    if kind not in KINDS or (grade is not None and grade not in GRADES):
        raise ValidationFailed(msg("validation.request"), {"grade": [msg("form.enum")]})
    for name, value in (("accuracy", accuracy), ("cooperation", cooperation)):
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5):
            raise ValidationFailed(msg("validation.request"), {name: [msg("form.maximum", n=5)]})
    evaluation = Evaluation(kind=kind, rater_org=rater_org, rater_user=rater_user, ratee_org=ratee_org,
                            instance_id=instance_id, call_id=call_id, grade=grade,
                            score=GRADES.get(grade) if grade else None, accuracy=accuracy, cooperation=cooperation,
                            comment=str(comment or "")[:2000])
    session.add(evaluation)
    session.flush()
    label = grade or f"准确性 {accuracy}，配合 {cooperation}"
    notify(session, ratee_org, f"收到评价（{KINDS[kind]}）：{label}", instance_id=instance_id)
    append_event(session, f"org:{ratee_org}", "evaluation", actor=rater_user, org=rater_org, instance_id=instance_id,
                 payload={"kind": kind, "grade": grade, "accuracy": accuracy, "cooperation": cooperation})
    return evaluation


def evaluations_for(session, call_id=None, ratee_org=None):
    query = select(Evaluation).order_by(Evaluation.id)
    if call_id:
        query = query.where(Evaluation.call_id == call_id)
    if ratee_org:
        query = query.where(Evaluation.ratee_org == ratee_org)
    return list(session.scalars(query))
