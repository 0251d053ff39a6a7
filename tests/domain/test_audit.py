"""The record: keyed chains per stream, one checkpoint writer, anchors; `flask audit verify` names the first broken link."""

import hashlib
import json
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from sqlalchemy import create_engine, delete, func, select, text, update
from sqlalchemy.orm import Session

from app.domain.audit import (
    AuditCheckpoint,
    AuditEvent,
    AuditKeyError,
    append_event,
    bind_audit_key,
    event_body,
    keyed_hash,
    verify_chains,
    write_checkpoint,
)
from app.extensions import db
from app.workflow.timers import write_due_checkpoint


@pytest.fixture
def history(session, deploy, api_as):
    deploy("constructs")
    api = api_as("zhenjie")
    for i in range(2):
        iid = api.post("/api/instances", {"process_id": "main_flow", "data": {"subject": f"s{i}"}}).json["id"]
        task = next(t for t in api.get("/api/tasks").json if t["instance_id"] == iid)
        api.post(f"/api/tasks/{task['id']}/claim")
    write_checkpoint(session)
    session.commit()
    return session


def test_untouched_data_passes(history, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "审计链完整" in result.output


def broken(runner, *args):
    result = runner.invoke(args=["audit", "verify", *args])
    assert result.exit_code == 1
    return result.output


def test_an_edited_event_is_found(history, runner):
    history.execute(update(AuditEvent).where(AuditEvent.stream == "instance:1", AuditEvent.seq == 2)
                    .values(actor="someone_else"))
    history.commit()
    assert "instance:1 第 2 号事件" in broken(runner) and "内容被修改" in broken(runner)


def test_an_edited_payload_is_found(history):
    event = history.scalar(select(AuditEvent).where(AuditEvent.action == "task.claim").limit(1))
    event.payload = {"task": "forged"}
    history.commit()
    result = verify_chains(history)
    assert not result.ok and result.stream == event.stream and result.seq == event.seq


def test_a_deleted_event_is_found(history, runner):
    history.execute(delete(AuditEvent).where(AuditEvent.stream == "instance:2", AuditEvent.seq == 1))
    history.commit()
    assert "instance:2" in broken(runner)


def test_an_inserted_event_is_found(history):
    first = history.scalar(select(AuditEvent).where(AuditEvent.stream == "instance:1", AuditEvent.seq == 1))
    history.execute(update(AuditEvent).where(AuditEvent.stream == "instance:1").values(seq=AuditEvent.seq + 10))
    forged = AuditEvent(stream="instance:1", seq=1, at=first.at, actor="x", org=None, instance_id=1, task_id=None,
                        action="forged", payload={}, prev_hash=first.prev_hash, hash=first.hash)
    history.add(forged)
    history.commit()
    assert not verify_chains(history).ok


def test_a_deleted_tail_and_a_deleted_stream_are_found_by_the_checkpoint(history):
    history.execute(delete(AuditEvent).where(AuditEvent.stream == "instance:2", AuditEvent.seq == 2))
    history.commit()
    result = verify_chains(history)
    assert not result.ok and result.stream == "instance:2" and "检查点" in result.reason
    history.execute(delete(AuditEvent).where(AuditEvent.stream == "instance:2"))
    history.commit()
    result = verify_chains(history)
    assert not result.ok and result.stream == "instance:2"


def test_login_failures_and_deploys_are_on_their_own_streams(history, client):
    from tests.conftest import login

    login(client, "zhenjie", "wrong-password")
    events = history.scalars(select(AuditEvent).where(AuditEvent.stream == "user:zhenjie")).all()
    assert [e.action for e in events][-1] == "login.failed"
    assert history.scalar(select(AuditEvent.action).where(AuditEvent.stream == "deployments")) == "deploy"
    assert verify_chains(history).ok


def test_appending_keeps_streams_independent(session):
    append_event(session, "a", "x")
    append_event(session, "b", "y")
    append_event(session, "a", "z")
    session.commit()
    rows = session.execute(select(AuditEvent.stream, AuditEvent.seq).where(AuditEvent.stream.in_(["a", "b"]))
                           .order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in rows] == [("a", 1), ("b", 1), ("a", 2)]
    assert session.execute(text("SELECT 1")).scalar() == 1


# Keys ----------------------------------------------------------------------------------------------------

def test_hashes_are_hmacs_under_the_configured_key(session):
    event = append_event(session, "a", "x", payload={"n": 1})
    session.commit()
    assert event.hash == keyed_hash(b"test-audit-key", event_body(event))
    assert event.hash != hashlib.sha256(event_body(event)).hexdigest()


def test_an_engine_without_a_key_refuses_instead_of_hashing_unkeyed(app, database_url):
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            with pytest.raises(AuditKeyError):
                append_event(session, "a", "x")
            with pytest.raises(AuditKeyError):
                verify_chains(session)
    finally:
        engine.dispose()
    with pytest.raises(AuditKeyError):
        bind_audit_key(engine, "")


def test_a_plain_session_on_the_app_engine_is_keyed(session):
    with Session(db.engine) as plain:
        append_event(plain, "sweep", "x")
        write_checkpoint(plain)
        plain.commit()
    assert verify_chains(session).ok


# One checkpoint writer -------------------------------------------------------------------------------------

def run_writers(engine, first_holds, write):
    """Two threads, each with its own session; the first keeps its transaction open until the second has tried."""
    holding, release, results = threading.Event(), threading.Event(), {}

    def writer(name):
        try:
            with Session(engine) as session:
                if name == "second":
                    holding.wait(10)
                checkpoint = write(session)
                if name == "first":
                    holding.set()
                    release.wait(10)
                session.commit()
                results[name] = checkpoint and checkpoint.id
        except Exception as error:  # reported by the test thread
            results[name] = error

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    holding.wait(10)
    time.sleep(0.3)
    first_holds.append("second" not in results)
    release.set()
    for thread in threads:
        thread.join(30)
    assert not any(isinstance(r, Exception) for r in results.values()), results
    return results


def test_two_concurrent_checkpoint_writers_queue_and_never_fork(session):
    append_event(session, "a", "x")
    session.commit()
    blocked = []
    results = run_writers(db.engine, blocked, write_checkpoint)
    assert blocked == [True], "the second writer waits for the first one's commit"
    first, second = session.get(AuditCheckpoint, results["first"]), session.get(AuditCheckpoint, results["second"])
    assert second.prev_hash == first.hash and second.id > first.id
    assert session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 2
    assert verify_chains(session).ok


def test_two_workers_write_one_checkpoint_per_interval(session):
    with freeze_time(datetime.now(timezone.utc) - timedelta(hours=2)):
        write_checkpoint(session)
        session.commit()
    results = run_writers(db.engine, [], lambda s: write_checkpoint(s, interval=3600))
    assert results["first"] is not None and results["second"] is None
    assert session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 2
    assert verify_chains(session).ok


def test_the_timer_sweep_writes_a_checkpoint_only_when_one_is_due(session):
    engine, now = db.engine, datetime.now(timezone.utc)

    def sweep_checkpoint(moment):
        with Session(engine) as worker:
            written = write_due_checkpoint(worker, moment, 3600)
            worker.commit()
            return written

    assert sweep_checkpoint(now) is True
    assert sweep_checkpoint(now) is False
    assert sweep_checkpoint(now + timedelta(hours=2)) is False, "asked again under the lock"


# Anchors on the command line --------------------------------------------------------------------------------

def test_an_anchor_is_printed_and_written(history, runner, tmp_path):
    printed = runner.invoke(args=["audit", "anchor"])
    assert printed.exit_code == 0, printed.output
    anchor = json.loads(printed.output)
    assert anchor["streams"]["instance:1"][0] >= 2 and anchor["checkpoint"]["id"] and len(anchor["mac"]) == 64
    path = tmp_path / "anchor.json"
    written = runner.invoke(args=["audit", "anchor", "--output", str(path)])
    assert written.exit_code == 0 and "锚点已写入" in written.output
    verified = runner.invoke(args=["audit", "verify", "--anchor", str(path)])
    assert verified.exit_code == 0 and "锚点一致" in verified.output, verified.output


def test_verify_with_an_anchor_finds_a_cut_tail(history, runner, tmp_path):
    append_event(history, "instance:2", "instance.note", actor="zhenjie", instance_id=2)
    history.commit()
    path = tmp_path / "anchor.json"
    assert runner.invoke(args=["audit", "anchor", "--output", str(path)]).exit_code == 0
    head = json.loads(path.read_text(encoding="utf-8"))["streams"]["instance:2"][0]
    history.execute(delete(AuditEvent).where(AuditEvent.stream == "instance:2", AuditEvent.seq == head))
    history.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0, "the newest event is past every checkpoint"
    assert "链尾被截断" in broken(runner, "--anchor", str(path))


def test_verify_refuses_an_edited_or_unreadable_anchor(history, runner, tmp_path):
    path = tmp_path / "anchor.json"
    assert runner.invoke(args=["audit", "anchor", "--output", str(path)]).exit_code == 0
    anchor = json.loads(path.read_text(encoding="utf-8"))
    anchor["streams"].pop("instance:2")
    path.write_text(json.dumps(anchor), encoding="utf-8")
    assert "签名不符" in broken(runner, "--anchor", str(path))
    path.write_text("{", encoding="utf-8")
    assert "不是有效的 JSON" in broken(runner, "--anchor", str(path))
    assert "文件不存在" in broken(runner, "--anchor", str(tmp_path / "missing.json"))


def test_no_anchor_is_taken_over_a_broken_chain(history, runner, tmp_path):
    history.execute(update(AuditEvent).where(AuditEvent.stream == "instance:1", AuditEvent.seq == 1).values(actor="x"))
    history.commit()
    result = runner.invoke(args=["audit", "anchor", "--output", str(tmp_path / "anchor.json")])
    assert result.exit_code == 1 and "不生成锚点" in result.output
    assert not (tmp_path / "anchor.json").exists()


def test_the_checkpoint_command(history, runner):
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0 and "检查点" in result.output
    assert history.scalar(select(func.count()).select_from(AuditCheckpoint)) == 2
