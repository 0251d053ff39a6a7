"""The record (记录仪): append-only audit events, SHA-256 chained per stream, with checkpoints over all heads.

Each instance has its own stream (`instance:<id>`), as do deploys, users and logins, so concurrent
writers never queue on one global head. A checkpoint chains the heads of all streams; deleting a
whole stream, or the tail of one, therefore breaks a checkpoint and is reported.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, JSONValue, UTCDateTime, utcnow
from app.messages import msg

GENESIS = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("stream", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stream: Mapped[str] = mapped_column(String(96), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str | None] = mapped_column(String(64), index=True)
    org: Mapped[str | None] = mapped_column(String(64), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(48), index=True)
    payload: Mapped[dict] = mapped_column(JSONValue, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    heads: Mapped[dict] = mapped_column(JSONValue)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


FIELDS = ("stream", "seq", "at", "actor", "org", "instance_id", "task_id", "action", "payload", "prev_hash")


def event_digest(event):
    """SHA-256 over the canonical JSON of every field but the hash itself."""
    values = [getattr(event, name) for name in FIELDS]
    values[2] = values[2].isoformat(timespec="microseconds")
    body = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def append_event(session, stream, action, actor=None, org=None, instance_id=None, task_id=None, payload=None):
    """Append one event to a stream, chained to its head; runs in the caller's transaction."""
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.stream == stream)
        .order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
    actor_name = getattr(actor, "username", actor)
    org_code = org or getattr(getattr(actor, "org", None), "code", None)
    at = utcnow()
    payload = payload or {}
    event = AuditEvent(
        stream=stream, seq=seq, at=at, actor=actor_name, org=org_code, instance_id=instance_id, task_id=task_id,
        action=action, payload=payload, prev_hash=prev_hash,
    )
    event.hash = event_digest(event)
    session.add(event)
    return event


def write_checkpoint(session):
    """Chain the current head of every stream into a new checkpoint."""
    latest = select(AuditEvent.stream, func.max(AuditEvent.seq).label("seq")).group_by(AuditEvent.stream).subquery()
    rows = session.execute(
        select(AuditEvent.stream, AuditEvent.seq, AuditEvent.hash)
        .join(latest, (AuditEvent.stream == latest.c.stream) & (AuditEvent.seq == latest.c.seq))
    ).all()
    heads = {r.stream: [r.seq, r.hash] for r in rows}
    last = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    prev_hash = last.hash if last else GENESIS
    at = utcnow()
    checkpoint = AuditCheckpoint(at=at, heads=heads, prev_hash=prev_hash, hash=_checkpoint_digest(at, heads, prev_hash))
    session.add(checkpoint)
    session.flush()
    return checkpoint


def _checkpoint_digest(at, heads, prev_hash):
    body = json.dumps([at.isoformat(timespec="microseconds"), heads, prev_hash], sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def last_checkpoint_at(session):
    return session.scalar(select(func.max(AuditCheckpoint.at)))


@dataclass
class VerifyResult:
    ok: bool
    streams: int
    events: int
    checkpoints: int
    stream: str | None = None
    seq: int | None = None
    reason: str | None = None

    @property
    def message(self):
        if self.ok:
            return msg("audit.ok", streams=self.streams, events=self.events, checkpoints=self.checkpoints)
        return msg("audit.broken", stream=self.stream, seq=self.seq, reason=self.reason)


def verify_chains(session):
    """Walk every stream and every checkpoint; report the first broken link."""
    checkpoints = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
    wanted = {(stream, head[0]) for cp in checkpoints for stream, head in cp.heads.items()}
    seen, heads, events, current, expected_seq, prev = {}, {}, 0, None, 1, GENESIS
    query = select(AuditEvent).order_by(AuditEvent.stream, AuditEvent.seq).execution_options(yield_per=1000)
    for event in session.scalars(query):
        events += 1
        if event.stream != current:
            current, expected_seq, prev = event.stream, 1, GENESIS
        problem = _check_event(event, expected_seq, prev)
        if problem:
            return VerifyResult(False, len(heads) + 1, events, len(checkpoints), event.stream, expected_seq, problem)
        if (event.stream, event.seq) in wanted:
            seen[(event.stream, event.seq)] = event.hash
        heads[event.stream] = event.seq
        expected_seq, prev = event.seq + 1, event.hash
    return _verify_checkpoints(checkpoints, seen, len(heads), events)


def _check_event(event, expected_seq, prev):
    if event.seq != expected_seq:
        return "缺失事件（序号不连续）" if event.seq > expected_seq else "序号重复"
    if event.prev_hash != prev:
        return "前一事件的哈希不匹配（事件被删除或插入）"
    if event_digest(event) != event.hash:
        return "事件内容被修改（哈希不匹配）"
    return None


def _verify_checkpoints(checkpoints, seen, streams, events):
    prev = GENESIS
    for cp in checkpoints:
        if cp.prev_hash != prev or _checkpoint_digest(cp.at, cp.heads, cp.prev_hash) != cp.hash:
            return VerifyResult(False, streams, events, len(checkpoints), f"checkpoint:{cp.id}", cp.id, "检查点被修改或删除")
        for stream, (seq, head_hash) in sorted(cp.heads.items()):
            if (stream, seq) not in seen:
                return VerifyResult(False, streams, events, len(checkpoints), stream, seq,
                                    "检查点记录的事件已不存在（整条链或链尾被删除）")
            if seen[(stream, seq)] != head_hash:
                return VerifyResult(False, streams, events, len(checkpoints), stream, seq, "检查点记录的哈希不匹配")
        prev = cp.hash
    return VerifyResult(True, streams, events, len(checkpoints))
