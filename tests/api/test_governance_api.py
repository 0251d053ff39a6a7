"""The procedures over HTTP: a call from a town, the department's response, the call record, urges, lists."""

from datetime import datetime, timedelta, timezone

from freezegun import freeze_time

from tests.api.pagination import total
from tests.procedures.test_call_response import FISHING

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def task_of(api, bpmn_id):
    return next(t for t in api.get("/api/tasks").json if t["bpmn_id"] == bpmn_id)


def test_a_call_over_http_with_its_record_urges_and_ratings(procedures, api_as):
    town, nongye, gongan = api_as("zhenjie"), api_as("nongye"), api_as("gongan")
    with freeze_time(MONDAY) as clock:
        started = town.post("/api/instances", {"process_id": "call_response", "data": FISHING})
        assert started.status_code == 201, started.json
        number = started.json["business_key"]
        record = town.get(f"/api/calls/{number}").json
        assert record["status"] == "responding" and record["item_code"] == "P-0001"
        assert {p["org_code"]: p["role"] for p in record["parties"]} == {"nongye": "lead", "gongan": "cooperate"}
        bad = nongye.post(f"/api/tasks/{task_of(nongye, 'respond')['id']}/complete", {"data": {"decision": "maybe"}})
        assert bad.status_code == 422 and bad.json["errors"] == {"decision": ["不是允许的选项"]}
        assert nongye.post(f"/api/tasks/{task_of(nongye, 'respond')['id']}/complete",
                           {"data": {"decision": "accept"}}).status_code == 200
        clock.tick(timedelta(hours=3))
        assert town.post(f"/api/calls/{number}/urge", {"org": "nongye"}).status_code == 409
        urged = town.post(f"/api/calls/{number}/urge", {"org": "gongan", "note": "请尽快响应"})
        assert urged.status_code == 200 and urged.json["urge_count"] == 1
        assert gongan.post(f"/api/calls/{number}/urge", {"org": "nongye"}).status_code == 403
        record = town.get(f"/api/calls/{number}").json
        assert record["urges"][0]["org"] == "gongan"
        assert api_as("wangge").get(f"/api/calls/{number}").status_code == 403
        assert api_as("renda").get(f"/api/calls/{number}").status_code == 200
    assert [c["number"] for c in gongan.get("/api/calls").json] == [number]


def test_lists_over_http(api_as):
    anyone = api_as("wangge")
    page = anyone.get("/api/lists?kind=cooperation&search=电鱼")
    assert total(page) == 1 and page.json[0]["current"]["lead_org"] == "nongye"
    assert total(anyone.get("/api/lists?org=gongan")) >= 5
    assert anyone.post("/api/lists/P-0001/revise", {"reason": "x", "changes": {"handle_days": 9}}).status_code == 403
    editor = api_as("bianban")
    missing_reason = editor.post("/api/lists/P-0001/revise", {"reason": "", "changes": {"handle_days": 9}})
    assert missing_reason.status_code == 422
    bad = editor.post("/api/lists/P-0001/revise", {"reason": "调整", "changes": {"lead_org": "nowhere"}})
    assert bad.status_code == 422 and bad.json["errors"]["lead_org"] == ["单位代码 nowhere 不存在"]
    assert editor.post("/api/lists/P-0001/revise", {"reason": "调整时限", "changes": {"handle_days": 9}}).status_code == 201
    versions = anyone.get("/api/lists/P-0001/versions").json
    assert [(v["number"], v["handle_days"], v["change_reason"]) for v in versions][:2] == [(2, 9, "调整时限"), (1, 3, "演示数据")]
    export = anyone.get("/api/lists/export?kind=power")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    assert anyone.get("/api/lists/NOPE").json["message"] == "清单事项 NOPE 不存在"


def test_supervision_and_evaluations_are_scoped(procedures, api_as):
    assert api_as("ducha").get("/api/supervision").status_code == 200
    assert api_as("nongye").get("/api/evaluations").json == []
