"""呼叫—响应 through the real diagrams: accept, reject paths, deadlines, extension, urge, redo."""

from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.domain.calls import get_call
from app.domain.evaluations import Evaluation
from app.workflow.instances import get_instance
from tests.procedures.helpers import Driver

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Tianchang
FISHING = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
           "extra_departments": [], "photos": []}


@pytest.fixture
def drive(session, runtime, user, procedures):
    return Driver(session, runtime, user)


def test_accept_handle_confirm_and_rate(drive, session):
    with freeze_time(MONDAY):
        instance = drive.start("zhenjie", "call_response", FISHING)
        call = get_call(session, instance.business_key)
        assert sorted(p.org_code for p in call.parties) == ["gongan", "nongye"]
        responses = drive.open("respond")
        assert sorted(t.orgs[0] for t in responses) == ["gongan", "nongye"]
        assert all(t.kpi == "respond" and t.due_at == MONDAY + timedelta(hours=2) for t in responses)
        for org in ("nongye", "gongan"):
            drive.complete("respond", {"decision": "accept"}, org=org)
        for org in ("nongye", "gongan"):
            drive.complete("handle", {"action": "done", "result": f"{org} 已处置"}, org=org)
        drive.complete("confirm", {"grade": "满意", "comment": "处置及时"})
        for org in ("nongye", "gongan"):
            drive.complete("rate_call", {"accuracy": 5, "cooperation": 4}, org=org)
    session.expire_all()
    assert get_instance(session, instance.id).status == "completed"
    call = get_call(session, instance.business_key)
    assert call.status == "closed" and {p.status for p in call.parties} == {"handled"}
    grades = session.scalars(select(Evaluation).where(Evaluation.call_id == call.id)).all()
    assert sorted((e.kind, e.ratee_org, e.grade) for e in grades if e.kind == "satisfaction") == [
        ("satisfaction", "gongan", "满意"), ("satisfaction", "nongye", "满意")]
    assert sorted((e.rater_org, e.ratee_org, e.accuracy) for e in grades if e.kind == "call_quality") == [
        ("gongan", "tongcheng", 5), ("nongye", "tongcheng", 5)]
