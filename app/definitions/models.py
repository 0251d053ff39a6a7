"""Deployed versions: an immutable, numbered bundle of BPMN, DMN and form files."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, JSONValue, UTCDateTime

ID_LENGTH = 64  # process and form ids (any XML NCName up to this length)
NAME_LENGTH = 128  # stored file names (the last component of the uploaded name)


class Deployment(Base):
    __tablename__ = "deployment"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    deployed_by: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(256), default="")
    # Who approved the publication (a deploy request's reviewer); None for a direct deploy (CLI, admin).
    approved_by: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[int | None] = mapped_column(Integer)
    files: Mapped[list["DeployedFile"]] = relationship(order_by="DeployedFile.name")
    processes: Mapped[list["DeployedProcess"]] = relationship(order_by="DeployedProcess.process_id",
                                                               back_populates="deployment")
    forms: Mapped[list["DeployedForm"]] = relationship(order_by="DeployedForm.form_id")


class DeployedFile(Base):
    __tablename__ = "deployed_file"
    __table_args__ = (UniqueConstraint("deployment_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    kind: Mapped[str] = mapped_column(String(8))  # bpmn | dmn | form
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))


class DeployedProcess(Base):
    __tablename__ = "deployed_process"
    __table_args__ = (UniqueConstraint("deployment_id", "process_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    name: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    start_form: Mapped[str | None] = mapped_column(String(64))
    start_roles: Mapped[list] = mapped_column(JSONValue, default=list)
    start_messages: Mapped[list] = mapped_column(JSONValue, default=list)
    deployment: Mapped[Deployment] = relationship(back_populates="processes", lazy="joined")


class DeployedForm(Base):
    __tablename__ = "deployed_form"
    __table_args__ = (UniqueConstraint("deployment_id", "form_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployment.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    file_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    schema: Mapped[dict] = mapped_column(JSONValue)


# The designer studio (DESIGN.md §12): drafts of bundle files and the requests that publish them ------------------

DRAFT_STATUSES = ("editing", "submitted", "returned")
REQUEST_STATUSES = ("pending", "published", "returned", "failed")
REQUEST_KINDS = ("deploy", "rollback")


class Draft(Base):
    """A designer's unpublished copy of one bundle file: never deployed, never seen by staff."""

    __tablename__ = "design_draft"
    __table_args__ = (UniqueConstraint("file_name", "owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(NAME_LENGTH), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    owner: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The deployment the draft started from (None: a file no deployment has); saving over a newer one is refused.
    base_number: Mapped[int | None] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # +1 per save: a save names the one it replaces
    status: Mapped[str] = mapped_column(String(16), default="editing")
    comment: Mapped[str] = mapped_column(Text, default="")  # why the reviewer returned it
    request_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revisions: Mapped[list["DraftRevision"]] = relationship(order_by="DraftRevision.revision.desc()",
                                                            cascade="all, delete-orphan")


class DraftRevision(Base):
    """Who saved a draft when: the draft's own history (its content is only kept for the newest)."""

    __tablename__ = "design_draft_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("design_draft.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    saved_by: Mapped[str] = mapped_column(String(64))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)


class DeployRequest(Base):
    """A designer's request to publish drafts (or republish an old version): reviewed by a second person."""

    __tablename__ = "deploy_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="deploy")
    title: Mapped[str] = mapped_column(String(256))
    requested_by: Mapped[str] = mapped_column(String(64), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(1000))
    base_number: Mapped[int | None] = mapped_column(Integer)  # the latest deployment when it was asked
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    diff: Mapped[dict] = mapped_column(JSONValue, default=dict)
    scenarios: Mapped[list] = mapped_column(JSONValue, default=list)
    warnings: Mapped[list] = mapped_column(JSONValue, default=list)
    open_instances: Mapped[list] = mapped_column(JSONValue, default=list)  # [{process_id, version, count}]
    instance_id: Mapped[int | None] = mapped_column(Integer)  # the approval procedure's instance
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(Text, default="")
    deployment_number: Mapped[int | None] = mapped_column(Integer)  # what it published
    rollback_to: Mapped[int | None] = mapped_column(Integer)
    files: Mapped[list["DeployRequestFile"]] = relationship(order_by="DeployRequestFile.name",
                                                            cascade="all, delete-orphan")


class DeployRequestFile(Base):
    """The content a request publishes, frozen when asked (later edits of the draft do not change it)."""

    __tablename__ = "deploy_request_file"
    __table_args__ = (UniqueConstraint("request_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("deploy_request.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    base_sha256: Mapped[str | None] = mapped_column(String(64))  # the file as in the base deployment (None: new)
