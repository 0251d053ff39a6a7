"""Attachments (photos, documents): content-addressed files, size- and type-checked, never executable."""

import hashlib
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain.access import may_attach
from app.domain.actors import as_actor
from app.domain.audit import append_event
from app.errors import NotFound, ValidationFailed
from app.messages import msg

SIGNATURES = [  # (magic bytes at offset 0, mime type, extension)
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
]


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    uploaded_by: Mapped[str] = mapped_column(String(64))
    org_code: Mapped[str] = mapped_column(String(64), index=True)
    # The instance whose data names this file; until then only the uploader may read it.
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def sniff(content):
    """The mime type and extension from the file's own bytes (the name and the browser's claim are not trusted)."""
    for magic, mime, extension in SIGNATURES:
        if content.startswith(magic):
            return mime, extension
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None, None


def store_attachment(session, actor, filename, content, upload_dir, max_size):
    """Keep an uploaded file (once per content) as the actor's, readable only by them until an instance names it."""
    actor = as_actor(actor)
    if not content:
        raise ValidationFailed(msg("attachment.empty"), {"file": [msg("attachment.empty")]})
    if len(content) > max_size:
        error = msg("attachment.too_large", mb=max_size // (1024 * 1024))
        raise ValidationFailed(error, {"file": [error]})
    mime, extension = sniff(content)
    if mime is None:
        raise ValidationFailed(msg("attachment.bad_type"), {"file": [msg("attachment.bad_type")]})
    digest = hashlib.sha256(content).hexdigest()
    path = Path(upload_dir) / digest[:2] / (digest + extension)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(content)
        os.chmod(temporary, 0o640)
        temporary.replace(path)
    attachment = Attachment(sha256=digest, size=len(content), mime=mime, filename=Path(filename or "file").name[:200],
                            uploaded_by=actor.name, org_code=actor.org)
    session.add(attachment)
    session.flush()
    append_event(session, f"user:{actor.name}", "attachment.upload", actor=actor,
                 payload={"id": attachment.id, "sha256": digest, "size": len(content), "mime": mime})
    return attachment


def attachment_path(upload_dir, attachment):
    extension = {mime: ext for _, mime, ext in SIGNATURES} | {"image/webp": ".webp"}
    return Path(upload_dir) / attachment.sha256[:2] / (attachment.sha256 + extension[attachment.mime])


def bind_attachments(session, actor, instance_id, ids_by_field):
    """The files named in submitted data now belong to the instance (and are readable as it is).

    Only files the actor uploaded, not yet given to another instance, may be named: an id typed by
    hand cannot pull someone else's file into a readable place.
    """
    actor = as_actor(actor)
    for field, ids in ids_by_field.items():
        rows = {a.id: a for a in session.scalars(select(Attachment).where(Attachment.id.in_(ids)))}
        refused = [i for i in ids if i not in rows or not (actor.is_person and may_attach(actor.user, rows[i], instance_id))]
        if refused:
            error = msg("attachment.not_yours", ids="、".join(map(str, refused)))
            raise ValidationFailed(error, {field: [error]})
        for attachment in rows.values():
            attachment.instance_id = instance_id
    session.flush()


def get_attachment(session, attachment_id):
    attachment = session.scalar(select(Attachment).where(Attachment.id == attachment_id))
    if attachment is None:
        raise NotFound(msg("attachment.not_found"))
    return attachment
