"""The studio through its API: drafts with an owner and a base, validation of the draft bundle, deploy requests
reviewed by 编办 through the deployment_approval procedure, versions and rollback."""

import pytest
from sqlalchemy import select

from app.definitions.models import Deployment
from app.workflow.models import HumanTask, ProcessInstance

CALL_DEADLINES = "call_deadlines.dmn"


@pytest.fixture
def config_overrides():
    return {"DEPLOY_APPROVAL": True}


def deadlines(api):
    draft = api.get(f"/api/design/drafts/{CALL_DEADLINES}")
    assert draft.status_code == 404
    xml = api.get("/api/processes/call_response/xml").get_data(as_text=True)
    assert "call_response" in xml
    return xml


def dmn_text(session):
    from app.definitions.operations import file_content, latest_deployment

    latest = latest_deployment(session)
    return file_content(session, latest.id, CALL_DEADLINES).decode()


def urgent_hours(text, hours):
    """call_deadlines.dmn with the urgent response limit changed (the first output cell of the urgent rule)."""
    marker = '"urgent"'
    start = text.index(marker)
    cell = text.index("<text>", text.index("<outputEntry", start)) + len("<text>")
    end = text.index("</text>", cell)
    return text[:cell] + str(hours) + text[end:]


def save(api, name, content, base=1, revision=None):
    return api.put(f"/api/design/drafts/{name}", {"content": content, "base_version": base, "revision": revision})


def review_task(session, instance_id):
    session.expire_all()
    return session.scalar(select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open"))


def test_a_draft_is_the_designers_own_and_staff_see_nothing_of_it(procedures, api_as, session):
    designer = api_as("sheji")
    text = urgent_hours(dmn_text(session), 2)
    saved = save(designer, CALL_DEADLINES, text)
    assert saved.status_code == 200, saved.json
    assert saved.json["revision"] == 1 and saved.json["base_version"] == 1 and saved.json["owner"] == "sheji"
    assert designer.get(f"/api/design/drafts/{CALL_DEADLINES}").json["content"] == text
    assert [d["file_name"] for d in designer.get("/api/design/drafts").json] == [CALL_DEADLINES]
    assert api_as("admin").get(f"/api/design/drafts/{CALL_DEADLINES}").status_code == 404  # another designer's
    assert api_as("zhenjie").get("/api/design/drafts").status_code == 403
    assert session.scalar(select(Deployment.number).order_by(Deployment.number.desc()).limit(1)) == 1


def test_a_save_names_the_revision_it_replaces(procedures, api_as, session):
    designer = api_as("sheji")
    text = dmn_text(session)
    assert save(designer, CALL_DEADLINES, text).json["revision"] == 1
    assert save(designer, CALL_DEADLINES, text + " ", revision=1).json["revision"] == 2
    stale = save(designer, CALL_DEADLINES, text + "  ", revision=1)
    assert stale.status_code == 409
    assert "第 2 版" in stale.json["message"] and "刷新" in stale.json["message"]


def test_saving_over_a_newer_published_version_is_refused(procedures, api_as, session, runtime, user):
    from app.workflow.deployments import deploy_files

    designer = api_as("sheji")
    text = dmn_text(session)
    assert save(designer, CALL_DEADLINES, text).status_code == 200
    deploy_files(session, runtime, user("admin"), {CALL_DEADLINES: urgent_hours(text, 3).encode()}, overlay=True)
    session.commit()
    refused = save(designer, CALL_DEADLINES, urgent_hours(text, 2), revision=1)
    assert refused.status_code == 409
    assert "第 2 版" in refused.json["message"] and "基于第 1 版" in refused.json["message"]
    assert designer.get(f"/api/design/drafts/{CALL_DEADLINES}").json["content"] == text  # nothing half-written


def test_validation_of_the_draft_bundle_names_the_element(procedures, api_as):
    designer = api_as("sheji")
    xml = designer.get("/api/processes/town_opinion/xml").get_data(as_text=True)
    broken = xml.replace('<bpmn:sequenceFlow id="flow_start_give_opinion" sourceRef="start" targetRef="give_opinion" />',
                         '<bpmn:sequenceFlow id="flow_start_give_opinion" sourceRef="start" targetRef="nowhere" />')
    assert broken != xml
    answer = designer.post("/api/design/validate", {"files": {"town_opinion.bpmn": broken}})
    assert answer.status_code == 200
    assert answer.json["valid"] is False
    assert any(p["severity"] == "error" and p["file"] == "town_opinion.bpmn" for p in answer.json["problems"])
    assert designer.post("/api/design/validate", {"files": {}}).json["valid"] is True


def test_a_deploy_request_goes_to_bianban_and_publishes_on_approval(procedures, api_as, session):
    designer = api_as("sheji")
    assert save(designer, CALL_DEADLINES, urgent_hours(dmn_text(session), 2)).status_code == 200
    refused = designer.post("/api/design/requests", {"reason": ""})
    assert refused.status_code == 422
    asked = designer.post("/api/design/requests", {"reason": "紧急呼叫响应时限缩短为 2 小时"})
    assert asked.status_code == 201, asked.json
    request_id, instance_id = asked.json["id"], asked.json["instance_id"]
    assert asked.json["status"] == "pending" and instance_id
    detail = designer.get(f"/api/design/requests/{request_id}").json
    assert any("2" in line for line in detail["diff"]["lines"]), detail["diff"]["lines"]
    assert detail["scenarios"] and all(r["passed"] for r in detail["scenarios"])
    assert session.scalar(select(Deployment.number).order_by(Deployment.number.desc()).limit(1)) == 1
    assert save(designer, CALL_DEADLINES, "x", revision=1).status_code == 409  # submitted: read-only

    task = review_task(session, instance_id)
    assert task is not None and task.bpmn_id == "review"
    assert api_as("sheji").post(f"/api/tasks/{task.id}/complete", {"data": {"decision": "approve"}}).status_code == 403
    done = api_as("bianban").post(f"/api/tasks/{task.id}/complete", {"data": {"decision": "approve", "comment": "同意"}})
    assert done.status_code == 200, done.json
    session.expire_all()
    approval = session.get(ProcessInstance, instance_id)
    assert approval.status == "completed", approval.error["message"]
    latest = session.scalar(select(Deployment).order_by(Deployment.number.desc()).limit(1))
    assert latest.number == 2 and latest.approved_by == "bianban" and latest.deployed_by == "sheji"
    assert latest.note == "紧急呼叫响应时限缩短为 2 小时"
    published = designer.get(f"/api/design/requests/{request_id}").json
    assert published["status"] == "published" and published["deployment_number"] == 2
    assert designer.get(f"/api/design/drafts/{CALL_DEADLINES}").status_code == 404
    assert session.get(ProcessInstance, instance_id).status == "completed"


def test_a_returned_request_leaves_the_comment_on_the_draft(procedures, api_as, session):
    designer = api_as("sheji")
    save(designer, CALL_DEADLINES, urgent_hours(dmn_text(session), 2))
    asked = designer.post("/api/design/requests", {"reason": "试行"}).json
    task = review_task(session, asked["instance_id"])
    api_as("bianban").post(f"/api/tasks/{task.id}/complete", {"data": {"decision": "return", "comment": "请附县委办通知文号"}})
    draft = designer.get(f"/api/design/drafts/{CALL_DEADLINES}").json
    assert draft["status"] == "returned" and draft["comment"] == "请附县委办通知文号"
    assert designer.get(f"/api/design/requests/{asked['id']}").json["status"] == "returned"
    assert save(designer, CALL_DEADLINES, urgent_hours(dmn_text(session), 1), revision=1).status_code == 200


def test_errors_refuse_a_request_and_nothing_is_asked(procedures, api_as, session):
    designer = api_as("sheji")
    xml = designer.get("/api/processes/town_opinion/xml").get_data(as_text=True)
    save(designer, "town_opinion.bpmn", xml.replace('targetRef="give_opinion"', 'targetRef="nowhere"', 1))
    refused = designer.post("/api/design/requests", {"reason": "测试"})
    assert refused.status_code == 400
    assert refused.json["errors"]["problems"]
    assert designer.get("/api/design/requests").json == []


def test_direct_publish_is_for_an_admin_with_approval_off(procedures, api_as, session):
    designer = api_as("admin")
    save(designer, CALL_DEADLINES, urgent_hours(dmn_text(session), 2))
    refused = designer.post("/api/design/requests", {"reason": "直接", "direct": True})
    assert refused.status_code == 403 and "审批" in refused.json["message"]
    assert api_as("admin").post("/api/processes/deploy", {"files": {}}).status_code == 403


def test_versions_and_rollback(procedures, api_as, session):
    designer = api_as("sheji")
    save(designer, CALL_DEADLINES, urgent_hours(dmn_text(session), 2))
    asked = designer.post("/api/design/requests", {"reason": "缩短"}).json
    api_as("bianban").post(f"/api/tasks/{review_task(session, asked['instance_id']).id}/complete",
                           {"data": {"decision": "approve", "comment": ""}})
    versions = designer.get("/api/design/processes/call_response/versions").json["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["approved_by"] == "bianban" and versions[0]["note"] == "缩短"
    diff = designer.get("/api/design/processes/call_response/diff?from=1&to=2").json
    assert diff["diff"]["lines"] and diff["old_xml"] and diff["new_xml"]
    back = designer.post("/api/design/processes/call_response/rollback", {"version": 1, "reason": "新时限有误"})
    assert back.status_code == 201, back.json
    assert back.json["kind"] == "rollback" and back.json["rollback_to"] == 1
    api_as("bianban").post(f"/api/tasks/{review_task(session, back.json['instance_id']).id}/complete",
                           {"data": {"decision": "approve", "comment": ""}})
    session.expire_all()
    latest = session.scalar(select(Deployment).order_by(Deployment.number.desc()).limit(1))
    assert latest.number == 3
    first = session.scalar(select(Deployment).where(Deployment.number == 1))
    old = {f.name: f.sha256 for f in first.files}
    assert {f.name: f.sha256 for f in latest.files}[CALL_DEADLINES] == old[CALL_DEADLINES]
