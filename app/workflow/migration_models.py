"""Version migrations of running instances: a batch, and per instance its result and the state it had before."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow
from app.definitions.models import Deployment
from app.workflow.models import ProcessInstance

MIGRATION_RESULTS = ("moved", "refused")


class MigrationBatch(Base):
    """One run of a migration: who moved which process's instances to which version, when and why."""

    __tablename__ = "migration_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(64), index=True)
    to_deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"))
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(1000))
    to_deployment: Mapped[Deployment] = relationship(lazy="joined")
    moves: Mapped[list["InstanceMigration"]] = relationship(order_by="InstanceMigration.id", back_populates="batch")


class InstanceMigration(Base):
    """One instance in a batch: moved (its state before kept, so the move can be reverted) or refused (why)."""

    __tablename__ = "instance_migration"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("migration_batch.id"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    result: Mapped[str] = mapped_column(String(16))  # MIGRATION_RESULTS
    detail: Mapped[str] = mapped_column(Text, default="")  # the Chinese sentence of the result
    from_deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"))
    to_deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"))
    state_before: Mapped[bytes | None] = mapped_column(LargeBinary)
    serializer_version: Mapped[str | None] = mapped_column(String(32))
    # The head of the instance's audit stream right after the move: a revert is refused once anything followed it.
    audit_seq_after: Mapped[int | None] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(1000))
    reverted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverted_by: Mapped[str | None] = mapped_column(String(64))
    revert_reason: Mapped[str | None] = mapped_column(String(1000))
    batch: Mapped[MigrationBatch] = relationship(back_populates="moves")
    instance: Mapped[ProcessInstance] = relationship()
    from_deployment: Mapped[Deployment] = relationship(foreign_keys=[from_deployment_id], lazy="joined")
    to_deployment: Mapped[Deployment] = relationship(foreign_keys=[to_deployment_id], lazy="joined")
