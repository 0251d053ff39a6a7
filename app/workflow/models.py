"""Stored instances, their human tasks (with candidate role/org rows for the inbox) and messages."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, JSONValue, UTCDateTime, utcnow
from app.definitions.models import Deployment
from app.domain.access import ANY
from app.domain.audit import GENESIS
from app.messages import LABELS

INSTANCE_STATUSES = LABELS["instance_status"]  # code -> label, from the catalogue
TASK_STATUSES = LABELS["task_status"]


class ProcessInstance(Base):
    __tablename__ = "process_instance"
    # The console's list (app/workflow/instance_list.py): its counts per status are index-only scans of an index led
    # by each filter and ending with (status, has_open_task); a status tab pages (status, has_open_task, id)
    # backwards; the business-key prefix search needs pattern ops on PostgreSQL.
    __table_args__ = (Index("ix_process_instance_due", "status", "next_timer_due"),
                      Index("ix_process_instance_status_open", "status", "has_open_task", "id"),
                      Index("ix_process_instance_process_status", "process_id", "status", "has_open_task"),
                      Index("ix_process_instance_deployment_status", "deployment_id", "process_id", "status",
                            "has_open_task"),
                      Index("ix_process_instance_org_status", "org_code", "status", "has_open_task"),
                      Index("ix_process_instance_started_at", "started_at"),
                      Index("ix_process_instance_business_key_prefix", "business_key",
                            postgresql_ops={"business_key": "varchar_pattern_ops"}))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(64), index=True)
    process_name: Mapped[str] = mapped_column(String(128))
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="running")
    business_key: Mapped[str | None] = mapped_column(String(64), index=True)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    serializer_version: Mapped[str] = mapped_column(String(32))
    next_timer_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_by: Mapped[str] = mapped_column(String(64), index=True)
    org_code: Mapped[str | None] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[dict | None] = mapped_column(JSONValue)
    waits_for_messages: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Whether a human task of the instance is open, set by every save (app/workflow/task_sync.py): a running instance
    # without one is "waiting" (on a timer, a message or a child), which the console counts with an index.
    has_open_task: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The head of the instance's audit stream (`instance:<id>`), kept on the row every change already locks and
    # writes, so appending an event needs no SELECT of the newest event (see app.domain.audit.append_event).
    audit_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audit_hash: Mapped[str] = mapped_column(String(64), default=GENESIS, server_default=GENESIS)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    deployment: Mapped[Deployment] = relationship()

    __mapper_args__ = {"version_id_col": version}


class HumanTask(Base):
    __tablename__ = "human_task"
    # An instance's open tasks (the steps a list shows, is one overdue?) are probed by instance, status and due time.
    __table_args__ = (UniqueConstraint("instance_id", "task_uuid"), Index("ix_human_task_open", "status", "due_at"),
                      Index("ix_human_task_instance_status", "instance_id", "status", "due_at"),
                      Index("ix_human_task_id_instance", "id", "instance_id"),  # candidate → instance, index-only
                      # the assessment's timeliness: tasks due in a period, per organisation, index-only
                      Index("ix_human_task_due_org", "due_at", "org_code", "completed_at", "kpi", "status", "instance_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_uuid: Mapped[str] = mapped_column(String(36))
    process_id: Mapped[str] = mapped_column(String(64))
    bpmn_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    lane: Mapped[str | None] = mapped_column(String(64))
    form_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(256))
    instructions: Mapped[str | None] = mapped_column(Text)
    kpi: Mapped[str | None] = mapped_column(String(32), index=True)
    # The one organisation the task is addressed to (None: several, or anyone's), as the assessment counts it.
    org_code: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")
    multi_instance_index: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    draft: Mapped[dict | None] = mapped_column(JSONValue)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by: Mapped[str | None] = mapped_column(String(64))
    instance: Mapped[ProcessInstance] = relationship()
    candidates: Mapped[list["TaskCandidate"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self):
        """The roles named by its candidates (a candidate for any role names none)."""
        return sorted({c.role for c in self.candidates} - {ANY})

    @property
    def orgs(self):
        """The organisations named by its candidates (a candidate in any organisation names none)."""
        return sorted({c.org_code for c in self.candidates} - {ANY})

    @property
    def users(self):
        """The users its candidates name one by one (an assignee, the initiator)."""
        return sorted({c.username for c in self.candidates if c.username})


class TaskCandidate(Base):
    """Who may work on a task: a role (or ANY) in an organisation (or ANY), optionally one user by name.

    The rule that matches a user is app/domain/access.matches_candidate; the inbox joins on these rows.
    """

    __tablename__ = "task_candidate"
    # Unique by all four, so a task may name several users (an assignee, the initiator); the unique index, led by
    # task_id, is also the inbox's probe of a task's candidates.
    __table_args__ = (UniqueConstraint("task_id", "role", "org_code", "username"),
                      Index("ix_task_candidate_lookup", "org_code", "role"),
                      Index("ix_task_candidate_org_task", "org_code", "task_id"))  # the console's "organisation involved"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    org_code: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(64))


class MessageWait(Base):
    """A message catch event an instance is waiting on, with its correlation values."""

    __tablename__ = "message_wait"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    correlations: Mapped[dict] = mapped_column(JSONValue, default=dict)


class MessageRecord(Base):
    """A thrown message: delivered to an instance, or pending until one waits for it."""

    __tablename__ = "message_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    payload: Mapped[dict | None] = mapped_column(JSONValue)
    correlations: Mapped[dict] = mapped_column(JSONValue, default=dict)
    status: Mapped[str] = mapped_column(String(16), index=True, default="pending")
    source_instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    target_instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
