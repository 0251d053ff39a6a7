"""The record (记录仪): append-only audit events, HMAC-chained per stream, with checkpoints over all heads.

Each instance has its own stream (`instance:<id>`), as do deploys, users and logins, so concurrent
writers never queue on one global head. Every event and checkpoint hash is an HMAC-SHA-256 keyed with
`Config.AUDIT_KEY`, which lives outside the database (bound to the engine by `bind_audit_key`): whoever
can write the tables but lacks the key cannot forge an event, nor recompute a chain after an edit.
A checkpoint chains the heads of all streams; one writer at a time writes it (PostgreSQL advisory
lock, SQLite write lock), so concurrent workers never fork the checkpoint chain.

What `verify_chains` detects without an anchor: any edited, inserted, reordered or deleted event up to
each stream's head; any edited, inserted or deleted checkpoint before the last one; a stream, or a
stream's tail, deleted below the heads a checkpoint recorded.

What it cannot detect without an anchor, and why: a cut at the very end. Removing the newest events of
a stream written after the last checkpoint, or removing the newest checkpoints together with the
events they alone covered, leaves a shorter record that is still a valid prefix: every remaining link
is genuine, and nothing inside the database can prove that more existed. Only a statement kept outside
it can: an anchor (`make_anchor`, `flask audit anchor`) records every head and the last checkpoint
under the key; `verify_chains(session, anchor)` then reports any stream shorter than, missing from, or
different from the anchor, and an anchored checkpoint that is gone or changed. Events written after
the newest anchor remain provable only by the next one; the report counts them (`unproven`).

The key proves authorship, not place: two installs sharing one key could exchange rows, so every
install has its own key. Checkpoints assume READ COMMITTED on PostgreSQL (its default).
"""

import hashlib
import hmac
import json
import weakref
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, false, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, JSONValue, UTCDateTime, utcnow
from app.domain.actors import as_actor
from app.messages import msg

GENESIS = "0" * 64
ANCHOR_KIND = "tianchang-audit-anchor"
# PostgreSQL advisory lock held by the one checkpoint writer: "tcaudit" in ASCII, as a 56-bit integer.
CHECKPOINT_LOCK = int.from_bytes(b"tcaudit", "big")

_KEYS = weakref.WeakKeyDictionary()


class AuditKeyError(RuntimeError):
    """No audit key is bound to the session's engine: a wiring error, never a reason to hash unkeyed."""


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


def bind_audit_key(engine, key):
    """Key every audit hash written or checked through `engine` (called once by `create_app`)."""
    if not key:
        raise AuditKeyError("the audit key is empty")
    _KEYS[engine] = key.encode() if isinstance(key, str) else bytes(key)


def audit_key(session):
    """The key bound to the session's engine; raises AuditKeyError when there is none."""
    bind = session.get_bind()
    key = _KEYS.get(getattr(bind, "engine", bind))
    if key is None:
        raise AuditKeyError(f"no audit key bound to {bind!r}: call app.domain.audit.bind_audit_key(engine, key)")
    return key


def canonical(kind, value):
    """The bytes a hash covers: the kind of record, then `value` as sorted, compact JSON."""
    return kind.encode() + b"\n" + json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def keyed_hash(key, body):
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def event_body(event):
    values = [getattr(event, name) for name in FIELDS]
    values[2] = values[2].isoformat(timespec="microseconds")
    return canonical("event", values)


def checkpoint_body(at, heads, prev_hash):
    return canonical("checkpoint", [at.isoformat(timespec="microseconds"), heads, prev_hash])


def new_event(stream, action, actor=None, org=None, instance_id=None, task_id=None, payload=None):
    """An event not yet chained (no seq, no hashes): hand it to `append_at_head`. It names the actor, if any."""
    actor = as_actor(actor)
    return AuditEvent(
        stream=stream, at=utcnow(), actor=actor.name if actor else None, org=org or (actor.org if actor else None),
        instance_id=instance_id, task_id=task_id, action=action, payload=payload or {},
    )


def append_event(session, stream, action, actor=None, org=None, instance_id=None, task_id=None, payload=None):
    """Append one event to a stream, chained to its newest event; runs in the caller's transaction."""
    event = new_event(stream, action, actor, org, instance_id, task_id, payload)
    newest = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.stream == stream)
        .order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return _chain(session, event, *(newest or (0, GENESIS)))


def append_at_head(session, head, event):
    """Append `event` to a stream whose head another row keeps in `audit_seq` / `audit_hash` (updated here).

    An instance row keeps its stream's head: every change already locks and writes that row, so the event
    needs no SELECT of the newest one. Every writer of such a stream must come here, holding the row's lock.
    """
    _chain(session, event, head.audit_seq, head.audit_hash)
    head.audit_seq, head.audit_hash = event.seq, event.hash
    return event


def _chain(session, event, seq, prev_hash):
    """Link `event` after (seq, prev_hash) and key its hash: the same chain whichever way the head was read."""
    event.seq, event.prev_hash = seq + 1, prev_hash
    event.hash = keyed_hash(audit_key(session), event_body(event))
    session.add(event)
    return event


def current_heads(session):
    """{stream: [seq, hash]} of the newest event of every stream."""
    latest = select(AuditEvent.stream, func.max(AuditEvent.seq).label("seq")).group_by(AuditEvent.stream).subquery()
    rows = session.execute(
        select(AuditEvent.stream, AuditEvent.seq, AuditEvent.hash)
        .join(latest, (AuditEvent.stream == latest.c.stream) & (AuditEvent.seq == latest.c.seq))
    ).all()
    return {r.stream: [r.seq, r.hash] for r in rows}


def lock_checkpoints(session):
    """Become the one checkpoint writer until the transaction ends, across processes and hosts."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CHECKPOINT_LOCK)))
        return
    # SQLite: a no-op write takes the database's write lock (and a fresh snapshot) before anything is read.
    table = AuditCheckpoint.__table__
    session.execute(update(table).where(false()).values(prev_hash=table.c.prev_hash))


def write_checkpoint(session, interval=None):
    """Chain every stream's head into a new checkpoint; with `interval`, only if the last is that many seconds old.

    The lock is taken before the last checkpoint is read, so each new checkpoint follows the latest one
    and two workers never write two checkpoints for one interval. Returns the checkpoint, or None.
    """
    key = audit_key(session)
    lock_checkpoints(session)
    last = session.execute(
        select(AuditCheckpoint.at, AuditCheckpoint.hash).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()
    at = utcnow()
    if interval is not None and last is not None and (at - last.at).total_seconds() < interval:
        return None
    heads, prev_hash = current_heads(session), last.hash if last else GENESIS
    checkpoint = AuditCheckpoint(at=at, heads=heads, prev_hash=prev_hash,
                                 hash=keyed_hash(key, checkpoint_body(at, heads, prev_hash)))
    session.add(checkpoint)
    session.flush()
    return checkpoint


def last_checkpoint_at(session):
    return session.scalar(select(func.max(AuditCheckpoint.at)))


def make_anchor(session):
    """Every stream's head and the last checkpoint, keyed: a statement to keep outside the database."""
    key = audit_key(session)
    last = session.execute(
        select(AuditCheckpoint.id, AuditCheckpoint.at, AuditCheckpoint.hash).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()
    body = {
        "kind": ANCHOR_KIND, "version": 1, "at": utcnow().isoformat(timespec="seconds"),
        "streams": current_heads(session),
        "checkpoint": {"id": last.id, "at": last.at.isoformat(timespec="seconds"), "hash": last.hash} if last else None,
    }
    return {**body, "mac": keyed_hash(key, canonical("anchor", body))}


@dataclass
class VerifyResult:
    ok: bool
    streams: int
    events: int
    checkpoints: int
    stream: str | None = None
    seq: int | None = None
    reason: str | None = None
    checkpoint: int | None = None
    unproven: int = 0
    anchor_at: str | None = None

    @property
    def message(self):
        if self.ok:
            text = msg("audit.ok", streams=self.streams, events=self.events, checkpoints=self.checkpoints)
            if self.anchor_at:
                text += msg("audit.ok_anchor", at=self.anchor_at)
            return text + (msg("audit.unproven", count=self.unproven) if self.unproven else "")
        if self.stream is not None:
            return msg("audit.broken", stream=self.stream, seq=self.seq, reason=self.reason)
        if self.checkpoint is not None:
            return msg("audit.broken_checkpoint", id=self.checkpoint, reason=self.reason)
        return self.reason


# The record's own stream: each full verification and each anchor taken is written there, so the operator's overview
# shows when the record was last proven whole (and against which anchor) without walking it again.
CHECKS_STREAM = "audit"


def record_verification(session, result, actor=None):
    """Note a finished verification (ok or the first broken link, with the anchor it compared) on the record."""
    payload = {"ok": result.ok, "message": result.message, "events": result.events, "streams": result.streams,
               "anchor_at": result.anchor_at}
    return append_event(session, CHECKS_STREAM, "audit.verify", actor=actor, payload=payload)


def record_anchor(session, anchor, actor=None):
    """Note an anchor taken (when, which checkpoint, how many streams): the overview names the last one."""
    checkpoint = anchor.get("checkpoint") or {}
    return append_event(session, CHECKS_STREAM, "audit.anchor", actor=actor, payload={
        "at": anchor.get("at"), "checkpoint": checkpoint.get("id"), "streams": len(anchor.get("streams") or {})})


def last_check(session, action):
    """The newest `audit.verify` or `audit.anchor` event (its time and payload), or None."""
    return session.scalar(select(AuditEvent).where(AuditEvent.stream == CHECKS_STREAM, AuditEvent.action == action)
                          .order_by(AuditEvent.seq.desc()).limit(1))


def verify_chains(session, anchor=None):
    """Walk every stream and checkpoint, then compare with `anchor` if given; report the first broken link."""
    key = audit_key(session)
    checkpoints = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
    counts = {"streams": 0, "events": 0, "checkpoints": len(checkpoints)}
    if anchor is not None and (problem := _anchor_problem(anchor, key)):
        return VerifyResult(False, **counts, reason=problem)
    wanted = {(stream, head[0]) for cp in checkpoints for stream, head in cp.heads.items()}
    wanted |= {(stream, head[0]) for stream, head in (anchor or {}).get("streams", {}).items()}
    broken, seen, lengths = _walk_events(session, key, wanted, counts)
    failure = broken or _check_checkpoints(checkpoints, seen, key) or _check_anchor(anchor, seen, lengths, checkpoints)
    if failure:
        return VerifyResult(False, **counts, **failure)
    return VerifyResult(True, **counts, unproven=_unproven(lengths, checkpoints, anchor),
                        anchor_at=anchor["at"] if anchor else None)


def _walk_events(session, key, wanted, counts):
    """Check each stream link by link; returns (first failure or None, {wanted pair: hash}, {stream: length})."""
    seen, lengths, current, expected_seq, prev = {}, {}, None, 1, GENESIS
    query = select(AuditEvent).order_by(AuditEvent.stream, AuditEvent.seq).execution_options(yield_per=1000)
    for event in session.scalars(query):
        counts["events"] += 1
        if event.stream != current:
            current, expected_seq, prev = event.stream, 1, GENESIS
            counts["streams"] += 1
        problem = link_problem(event, expected_seq, prev, key)
        if problem:
            return {"stream": event.stream, "seq": expected_seq, "reason": msg(problem)}, seen, lengths
        if (event.stream, event.seq) in wanted:
            seen[(event.stream, event.seq)] = event.hash
        lengths[event.stream] = event.seq
        expected_seq, prev = event.seq + 1, event.hash
    return None, seen, lengths


def link_problem(event, expected_seq, prev, key):
    """Why an event does not continue its chain (a catalogue key: gap, duplicate, wrong link, wrong keyed hash), or None."""
    if event.seq != expected_seq:
        return "audit.reason.gap" if event.seq > expected_seq else "audit.reason.duplicate"
    if event.prev_hash != prev:
        return "audit.reason.prev"
    if not hmac.compare_digest(keyed_hash(key, event_body(event)), event.hash):
        return "audit.reason.digest"
    return None


def _check_checkpoints(checkpoints, seen, key):
    prev = GENESIS
    for cp in checkpoints:
        if cp.prev_hash != prev:
            return {"checkpoint": cp.id, "reason": msg("audit.reason.checkpoint_chain")}
        if not hmac.compare_digest(keyed_hash(key, checkpoint_body(cp.at, cp.heads, cp.prev_hash)), cp.hash):
            return {"checkpoint": cp.id, "reason": msg("audit.reason.checkpoint_digest")}
        for stream, (seq, head_hash) in sorted(cp.heads.items()):
            if (stream, seq) not in seen:
                return {"stream": stream, "seq": seq, "reason": msg("audit.reason.checkpoint_missing", id=cp.id)}
            if seen[(stream, seq)] != head_hash:
                return {"stream": stream, "seq": seq, "reason": msg("audit.reason.checkpoint_head", id=cp.id)}
        prev = cp.hash
    return None


def _anchor_problem(anchor, key):
    """A message if the anchor is not one this install's key signed, else None."""
    if not isinstance(anchor, dict) or anchor.get("kind") != ANCHOR_KIND or not isinstance(anchor.get("mac"), str):
        return msg("audit.anchor_malformed")
    body = {name: value for name, value in anchor.items() if name != "mac"}
    if not hmac.compare_digest(keyed_hash(key, canonical("anchor", body)), anchor["mac"]):
        return msg("audit.anchor_forged")
    return None


def _check_anchor(anchor, seen, lengths, checkpoints):
    if anchor is None:
        return None
    for stream, (seq, head_hash) in sorted(anchor["streams"].items()):
        if stream not in lengths:
            return {"stream": stream, "seq": seq, "reason": msg("audit.reason.anchor_stream_gone")}
        if (stream, seq) not in seen:
            return {"stream": stream, "seq": seq, "reason": msg("audit.reason.anchor_truncated", length=lengths[stream])}
        if seen[(stream, seq)] != head_hash:
            return {"stream": stream, "seq": seq, "reason": msg("audit.reason.anchor_head")}
    anchored = anchor["checkpoint"]
    if anchored is not None:
        found = next((cp for cp in checkpoints if cp.id == anchored["id"]), None)
        if found is None:
            return {"checkpoint": anchored["id"], "reason": msg("audit.reason.anchor_checkpoint_gone")}
        if found.hash != anchored["hash"]:
            return {"checkpoint": anchored["id"], "reason": msg("audit.reason.anchor_checkpoint_changed")}
    return None


def _unproven(lengths, checkpoints, anchor):
    """How many events only a later anchor can vouch for: those past the last checkpoint and the anchor."""
    covered = {stream: head[0] for stream, head in (checkpoints[-1].heads.items() if checkpoints else ())}
    for stream, (seq, _) in ((anchor or {}).get("streams") or {}).items():
        covered[stream] = max(covered.get(stream, 0), seq)
    return sum(max(length - covered.get(stream, 0), 0) for stream, length in lengths.items())


# Reads ------------------------------------------------------------------------------------------------------------

def event_values(event):
    """An event as plain data: its column values by attribute name."""
    return {column.key: getattr(event, column.key) for column in event.__mapper__.column_attrs}


def event_page(session, page, per_page, stream=None, instance_id=None, actor=None, action=None):
    """A page of the record, newest first, filtered by stream, instance, actor or action; (events, total)."""
    query = select(AuditEvent)
    filters = [(AuditEvent.stream, stream), (AuditEvent.instance_id, instance_id), (AuditEvent.actor, actor),
               (AuditEvent.action, action)]
    for column, value in filters:
        if value is not None:
            query = query.where(column == value)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(AuditEvent.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return [event_values(row) for row in rows], total
