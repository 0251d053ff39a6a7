"""Sign-in throttling: failed attempts counted per username and per address, in the database (any host sees them)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class LoginThrottle(Base):
    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)  # "user:<name>" or "addr:<ip>"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    lockout_seconds: int = 900


def throttle_keys(username, address):
    return [f"user:{(username or '').strip().lower()[:64]}", f"addr:{address or '-'}"]


def locked_until(session, keys, now=None):
    """The latest moment until which any of the keys is locked, or None."""
    now = now or utcnow()
    moments = [row.locked_until for row in session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
               if row.locked_until and row.locked_until > now]
    return max(moments) if moments else None


def record_failure(session, keys, policy, now=None):
    """Count one failure on each key; a key reaching the limit is locked. Returns the lock end, or None."""
    now = now or utcnow()
    window = timedelta(seconds=policy.lockout_seconds)
    until = None
    for key in keys:
        row = session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, first_failed_at=now)
            session.add(row)
        if now - row.first_failed_at > window or (row.locked_until and row.locked_until <= now):
            row.failures, row.first_failed_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= policy.max_failures:
            row.locked_until = now + window
            until = max(until or row.locked_until, row.locked_until)
    session.flush()
    return until


def clear_failures(session, keys):
    """A successful sign-in forgets the username's failures (the address keeps its count)."""
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is not None:
            session.delete(row)
    session.flush()
