"""In-app notifications to an organisation (optionally one role), read per user."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain.access import may_read_notification, require
from app.domain.organisations import get_org
from app.errors import NotFound
from app.messages import msg


class Notification(Base):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_code: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    # What the notice is about, named as its audit stream is ("call:HJ…", "supervision:DB…", "list:P-0001"), or
    # "task:<uuid>" for a new task; the web edge turns it into a link. Never a URL: the domain makes none.
    subject: Mapped[str | None] = mapped_column(String(96))
    link: Mapped[str | None] = mapped_column(String(256))  # a designer's own site path (the `notify` operation)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationRead(Base):
    __tablename__ = "notification_read"

    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def site_path(link):
    """A link kept on a notice must be a path on this site (`/calls/…`), never a scheme or another host."""
    text = (link or "").strip()
    return text if text.startswith("/") and not text.startswith(("//", "/\\")) else None


def notify(session, org_code, text, role=None, subject=None, instance_id=None, link=None, check_org=True):
    """A notice to an organisation (one role of it), about `subject`; `link` is only ever a designer's site path."""
    if check_org:
        get_org(session, org_code)
    path = site_path(link)
    note = Notification(org_code=org_code, role=role, text=text[:500], subject=subject, link=path[:256] if path else None,
                        instance_id=instance_id)
    session.add(note)  # flushed with the rest of the transaction: one INSERT for every notice of a step
    return note


def notifications_for(session, user, unread_only=False, limit=200):
    """(notification, read?) for the user's organisation and roles, newest first, selected in SQL."""
    read = (select(NotificationRead.notification_id)
            .where(NotificationRead.user_id == user.id, NotificationRead.notification_id == Notification.id).exists())
    query = (select(Notification, read).where(
        Notification.org_code == user.org.code,
        or_(Notification.role.is_(None), Notification.role.in_(sorted(user.roles))))
        .order_by(Notification.id.desc()).limit(limit))
    if unread_only:
        query = query.where(~read)
    return [(note, bool(is_read)) for note, is_read in session.execute(query)]


def unread_count(session, user):
    read = (select(NotificationRead.notification_id)
            .where(NotificationRead.user_id == user.id, NotificationRead.notification_id == Notification.id).exists())
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.org_code == user.org.code,
        or_(Notification.role.is_(None), Notification.role.in_(sorted(user.roles))), ~read))


def mark_read(session, user, notification_id):
    """Mark a notice read for this user; only notices addressed to the user's organisation and role."""
    note = session.get(Notification, notification_id)
    if note is None:
        raise NotFound(msg("notification.not_found"))
    require(may_read_notification(user, note))
    if session.get(NotificationRead, (notification_id, user.id)) is None:
        session.add(NotificationRead(notification_id=notification_id, user_id=user.id))
        session.flush()
