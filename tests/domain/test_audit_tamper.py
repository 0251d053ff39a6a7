"""Tampering with the record through raw SQL, as someone with database access but without the audit key would.

Every case is caught by `verify_chains` or, for a cut at the very end, by an anchor kept outside the
database. The record: checkpoint 1, more events, checkpoint 2, then a tail that no checkpoint covers.
"""

import hashlib
import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text, update

from app.domain.audit import (
    FIELDS,
    GENESIS,
    AuditCheckpoint,
    AuditEvent,
    append_event,
    canonical,
    checkpoint_body,
    event_body,
    keyed_hash,
    make_anchor,
    verify_chains,
    write_checkpoint,
)

EVENTS, CHECKPOINTS = AuditEvent.__table__, AuditCheckpoint.__table__


def plain_sha256(body):
    return hashlib.sha256(body).hexdigest()


def wrong_key(body):
    return keyed_hash(b"guessed-key", body)


def stolen_key(body):
    return keyed_hash(b"test-audit-key", body)


@pytest.fixture
def record(session):
    for step in range(3):
        append_event(session, "call:T-1", "call.status", actor="zhenjie", payload={"step": step})
    append_event(session, "user:tester", "login", actor="tester")
    session.commit()
    first = write_checkpoint(session).id
    session.commit()
    append_event(session, "call:T-1", "call.urge", actor="zhenjie", payload={"times": 1})
    append_event(session, "call:T-2", "call.open", actor="lisi", org="town_a")
    session.commit()
    second = write_checkpoint(session).id
    session.commit()
    append_event(session, "call:T-1", "call.status", actor="zhenjie", payload={"step": "closed"})
    append_event(session, "call:T-3", "call.open", actor="lisi")
    session.commit()
    assert verify_chains(session).ok
    return SimpleNamespace(session=session, first=first, second=second)


@pytest.fixture
def anchor(record):
    """An anchor taken now and kept outside; the record then grows by one event."""
    taken = json.loads(json.dumps(make_anchor(record.session)))  # as read back from its file
    append_event(record.session, "call:T-1", "call.urge", actor="zhenjie", payload={"times": 2})
    record.session.commit()
    assert verify_chains(record.session, taken).ok
    return taken


def sql(session, statement, **params):
    session.execute(text(statement) if isinstance(statement, str) else statement, params)
    session.commit()


def event(session, stream, seq):
    return session.scalar(select(AuditEvent).where(AuditEvent.stream == stream, AuditEvent.seq == seq))


def caught(session, anchor=None, **expected):
    result = verify_chains(session, anchor)
    assert not result.ok, result.message
    for name, value in expected.items():
        assert getattr(result, name) == value, result.message
    return result


def recompute_stream(session, stream, digest):
    """Rechain one stream with `digest`, as a forger who edited it would."""
    prev = GENESIS
    for row in session.scalars(select(AuditEvent).where(AuditEvent.stream == stream).order_by(AuditEvent.seq)).all():
        copy = SimpleNamespace(**{name: getattr(row, name) for name in FIELDS})
        copy.prev_hash = prev
        prev = digest(event_body(copy))
        session.execute(update(EVENTS).where(EVENTS.c.id == row.id).values(prev_hash=copy.prev_hash, hash=prev))
    session.commit()


def recompute_checkpoints(session, digest):
    """Rewrite every checkpoint to match the events as they are now (heads shortened or dropped), chained by `digest`."""
    hashes = {(e.stream, e.seq): e.hash for e in session.scalars(select(AuditEvent))}
    prev = GENESIS
    for cp in session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all():
        heads = {}
        for stream, (seq, _) in cp.heads.items():
            seq = max((s for (name, s) in hashes if name == stream and s <= seq), default=None)
            if seq is not None:
                heads[stream] = [seq, hashes[(stream, seq)]]
        new_hash = digest(checkpoint_body(cp.at, heads, prev))
        session.execute(update(CHECKPOINTS).where(CHECKPOINTS.c.id == cp.id)
                        .values(heads=heads, prev_hash=prev, hash=new_hash))
        prev = new_hash
    session.commit()


# Events -------------------------------------------------------------------------------------------------

def test_an_edited_payload(record):
    sql(record.session, update(EVENTS).where(EVENTS.c.stream == "call:T-1", EVENTS.c.seq == 2)
        .values(payload={"step": "forged"}))
    result = caught(record.session, stream="call:T-1", seq=2)
    assert "内容被修改" in result.message


def test_an_edited_actor(record):
    sql(record.session, "UPDATE audit_event SET actor = 'someone_else' WHERE stream = 'call:T-2' AND seq = 1")
    caught(record.session, stream="call:T-2", seq=1)


def test_an_edited_time(record):
    sql(record.session, update(EVENTS).where(EVENTS.c.stream == "call:T-1", EVENTS.c.seq == 1)
        .values(at=datetime(2020, 1, 1, tzinfo=timezone.utc)))
    caught(record.session, stream="call:T-1", seq=1)


def test_a_deleted_middle_event(record):
    sql(record.session, "DELETE FROM audit_event WHERE stream = 'call:T-1' AND seq = 2")
    result = caught(record.session, stream="call:T-1", seq=2)
    assert "缺失事件" in result.message


def test_a_deleted_event_with_the_rest_renumbered(record):
    sql(record.session, "DELETE FROM audit_event WHERE stream = 'call:T-1' AND seq = 2")
    sql(record.session, "UPDATE audit_event SET seq = seq + 100 WHERE stream = 'call:T-1' AND seq > 2")
    sql(record.session, "UPDATE audit_event SET seq = seq - 101 WHERE stream = 'call:T-1' AND seq > 100")
    caught(record.session, stream="call:T-1", seq=2)


def test_a_forged_event_inserted_in_the_middle(record):
    session = record.session
    sql(session, "UPDATE audit_event SET seq = seq + 100 WHERE stream = 'call:T-1' AND seq >= 2")
    sql(session, "UPDATE audit_event SET seq = seq - 99 WHERE stream = 'call:T-1' AND seq > 100")
    first = event(session, "call:T-1", 1)
    forged = SimpleNamespace(**{name: getattr(first, name) for name in FIELDS})
    forged.seq, forged.action, forged.prev_hash = 2, "call.withdrawn", first.hash
    session.add(AuditEvent(**vars(forged), hash=plain_sha256(event_body(forged))))
    session.commit()
    caught(session, stream="call:T-1", seq=2)


def test_a_forged_event_appended_to_a_head(record):
    session = record.session
    head = event(session, "call:T-3", 1)
    forged = SimpleNamespace(**{name: getattr(head, name) for name in FIELDS})
    forged.seq, forged.action, forged.prev_hash = 2, "call.status", head.hash
    session.add(AuditEvent(**vars(forged), hash=wrong_key(event_body(forged))))
    session.commit()
    caught(session, stream="call:T-3", seq=2)


def test_two_events_swapped(record):
    sql(record.session, "UPDATE audit_event SET seq = -1 WHERE stream = 'call:T-1' AND seq = 2")
    sql(record.session, "UPDATE audit_event SET seq = 2 WHERE stream = 'call:T-1' AND seq = 3")
    sql(record.session, "UPDATE audit_event SET seq = 3 WHERE stream = 'call:T-1' AND seq = -1")
    result = caught(record.session, stream="call:T-1", seq=2)
    assert "前一事件" in result.message


def test_an_edit_rechained_with_plain_sha256_including_checkpoints(record):
    session = record.session
    sql(session, update(EVENTS).where(EVENTS.c.stream == "call:T-1", EVENTS.c.seq == 2).values(actor="forger"))
    recompute_stream(session, "call:T-1", plain_sha256)
    recompute_checkpoints(session, plain_sha256)
    caught(session, stream="call:T-1", seq=1)


def test_an_edit_rechained_with_a_wrong_key_including_checkpoints(record):
    session = record.session
    sql(session, update(EVENTS).where(EVENTS.c.stream == "user:tester").values(payload={"ip": "10.0.0.1"}))
    recompute_stream(session, "user:tester", wrong_key)
    recompute_checkpoints(session, wrong_key)
    caught(session, stream="user:tester", seq=1)


# Tails, streams and checkpoints -------------------------------------------------------------------------

def test_a_tail_cut_below_a_checkpoint(record):
    sql(record.session, "DELETE FROM audit_event WHERE stream = 'call:T-1' AND seq >= 4")
    result = caught(record.session, stream="call:T-1", seq=4, checkpoint=None)
    assert f"第 {record.second} 号检查点" in result.message and "链尾" in result.message


def test_a_whole_stream_deleted(record):
    sql(record.session, "DELETE FROM audit_event WHERE stream = 'call:T-2'")
    caught(record.session, stream="call:T-2", seq=1)


def test_a_deleted_stream_hidden_by_checkpoints_rewritten_with_plain_sha256(record):
    session = record.session
    sql(session, "DELETE FROM audit_event WHERE stream = 'user:tester'")
    recompute_checkpoints(session, plain_sha256)
    result = caught(session, checkpoint=record.first)
    assert "检查点内容被修改" in result.message


def test_a_tail_cut_hidden_by_checkpoints_rewritten_with_a_wrong_key(record):
    session = record.session
    sql(session, "DELETE FROM audit_event WHERE stream = 'call:T-1' AND seq >= 3")
    recompute_checkpoints(session, wrong_key)
    caught(session, checkpoint=record.first)


def test_a_deleted_checkpoint(record):
    sql(record.session, text("DELETE FROM audit_checkpoint WHERE id = :id"), id=record.first)
    result = caught(record.session, checkpoint=record.second)
    assert "检查点链不连续" in result.message


def test_edited_checkpoint_heads(record):
    session = record.session
    heads = session.get(AuditCheckpoint, record.second).heads
    heads.pop("call:T-2")
    sql(session, update(CHECKPOINTS).where(CHECKPOINTS.c.id == record.second).values(heads=heads))
    caught(session, checkpoint=record.second)


def test_checkpoints_swapped(record):
    sql(record.session, text("UPDATE audit_checkpoint SET id = -1 WHERE id = :id"), id=record.first)
    sql(record.session, text("UPDATE audit_checkpoint SET id = :a WHERE id = :b"), a=record.first, b=record.second)
    sql(record.session, text("UPDATE audit_checkpoint SET id = :b WHERE id = -1"), b=record.second)
    caught(record.session, checkpoint=record.first)


# What only an anchor proves -------------------------------------------------------------------------------

def test_a_cut_at_the_very_end_passes_without_an_anchor_and_is_counted(record):
    """Documented limit: the newest tail and the newest checkpoint can be cut; verify counts what is unproven."""
    session = record.session
    assert verify_chains(session).unproven == 2
    sql(session, "DELETE FROM audit_event WHERE stream = 'call:T-1' AND seq = 5")
    sql(session, text("DELETE FROM audit_checkpoint WHERE id = :id"), id=record.second)
    sql(session, "DELETE FROM audit_event WHERE (stream = 'call:T-1' AND seq = 4) OR stream IN ('call:T-2', 'call:T-3')")
    result = verify_chains(session)
    assert result.ok and result.unproven == 0


def test_a_tail_cut_after_the_last_checkpoint_is_found_by_the_anchor(anchor, record):
    sql(record.session, "DELETE FROM audit_event WHERE stream = 'call:T-1' AND seq >= 5")
    assert verify_chains(record.session).ok
    result = caught(record.session, anchor, stream="call:T-1", seq=5)
    assert "链尾被截断" in result.message


def test_a_stream_born_after_the_last_checkpoint_deleted_is_found_by_the_anchor(anchor, record):
    sql(record.session, "DELETE FROM audit_event WHERE stream = 'call:T-3'")
    assert verify_chains(record.session).ok
    result = caught(record.session, anchor, stream="call:T-3", seq=1)
    assert "整条链被删除" in result.message


def test_the_last_checkpoint_deleted_with_its_tails_is_found_by_the_anchor(anchor, record):
    session = record.session
    sql(session, text("DELETE FROM audit_checkpoint WHERE id = :id"), id=record.second)
    assert verify_chains(session).ok
    caught(session, anchor, checkpoint=record.second)


def test_a_rewrite_by_a_key_holder_is_found_by_the_anchor(anchor, record):
    """Even with the key (stolen, or an insider), history before an anchor kept outside cannot be rewritten."""
    session = record.session
    sql(session, update(EVENTS).where(EVENTS.c.stream == "call:T-1", EVENTS.c.seq == 2).values(actor="forger"))
    recompute_stream(session, "call:T-1", stolen_key)
    recompute_checkpoints(session, stolen_key)
    assert verify_chains(session).ok
    result = caught(session, anchor, stream="call:T-1", seq=5)
    assert "锚点生成后被改写" in result.message


def test_a_truncation_by_a_key_holder_is_found_by_the_anchor(anchor, record):
    session = record.session
    sql(session, "DELETE FROM audit_event WHERE stream = 'call:T-1' AND seq >= 3")
    recompute_checkpoints(session, stolen_key)
    assert verify_chains(session).ok
    caught(session, anchor, stream="call:T-1", seq=5)


def test_a_checkpoint_rewritten_by_a_key_holder_is_found_by_the_anchor(anchor, record):
    session = record.session
    heads = session.get(AuditCheckpoint, record.second).heads
    heads.pop("call:T-2")
    sql(session, update(CHECKPOINTS).where(CHECKPOINTS.c.id == record.second).values(heads=heads))
    recompute_checkpoints(session, stolen_key)
    assert verify_chains(session).ok
    result = caught(session, anchor, checkpoint=record.second)
    assert "检查点被改写" in result.message


def test_an_edited_anchor_is_refused(anchor, record):
    anchor["streams"]["call:T-1"][0] -= 1
    result = caught(record.session, anchor, stream=None, checkpoint=None)
    assert "签名不符" in result.message


def test_an_anchor_of_another_key_or_shape_is_refused(anchor, record):
    body = {name: value for name, value in anchor.items() if name != "mac"}
    forged = {**body, "mac": wrong_key(canonical("anchor", body))}
    assert "签名不符" in caught(record.session, forged).message
    assert "格式不正确" in caught(record.session, {"streams": {}}).message
