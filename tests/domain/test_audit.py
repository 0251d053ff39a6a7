"""The record: SHA-256 chains per stream and checkpoints; `flask audit verify` names the first broken link."""

import pytest
from sqlalchemy import delete, select, text, update

from app.domain.audit import AuditEvent, append_event, verify_chains, write_checkpoint


@pytest.fixture
def history(session, deploy, api_as):
    deploy("constructs")
    api = api_as("zhenjie")
    for i in range(2):
        iid = api.post("/api/instances", {"process_id": "main_flow", "data": {"subject": f"s{i}"}}).json["id"]
        task = next(t for t in api.get("/api/tasks").json["items"] if t["instance_id"] == iid)
        api.post(f"/api/tasks/{task['id']}/claim")
    write_checkpoint(session)
    session.commit()
    return session


def test_untouched_data_passes(history, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "审计链完整" in result.output


def broken(runner):
    result = runner.invoke(args=["audit", "verify"])
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
