"""Deployed versions: an immutable, numbered bundle of BPMN, DMN and form files."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
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
