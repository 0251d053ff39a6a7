"""Plain BPMN runs (issue 9, point 2): tasks without the platform's properties deploy with warnings and are worked
by the people docs/bpmn.md names, through the REST API.

The bundle (tests/bundles/portable/plain_tasks) has a Camunda 7 process (candidate groups, an assignee, a form key,
a form reference, engine hints the platform ignores), a plain diagram with lanes naming a role, an organisation and
(by its id) another role, and one without lanes, whose tasks go to the initiator, designers and admins.
"""

from pathlib import Path

import pytest

from app.workflow.deployments import read_bundle_dir

BUNDLE = Path(__file__).resolve().parents[1] / "bundles" / "portable" / "plain_tasks"
GENERIC = "没有指定表单（form），使用通用表单：办理说明、办理意见和完成确认"
DEFAULT_PEOPLE = "没有指定角色（role）或泳道，由流程发起人和设计员、管理员办理"
WARNINGS = {
    ("camunda_review.bpmn", "Process_camunda-review"):
        ["流程“占道经营整改（Camunda 7）”（Process_camunda-review）的厂商扩展 camunda:historyTimeToLive 本平台不读取，已忽略"],
    ("camunda_review.bpmn", "StartEvent_1"): ["开始事件“发起”（StartEvent_1）的厂商扩展 camunda:initiator 本平台不读取，已忽略"],
    ("camunda_review.bpmn", "Activity_review"): [
        "用户任务“初审”（Activity_review）的厂商扩展 camunda:asyncBefore、camunda:inputOutput 本平台不读取，已忽略",
        "用户任务“初审”（Activity_review）：候选组 finance 不是平台的角色，已忽略"],
    ("camunda_review.bpmn", "Activity_notice"): [
        "用户任务“告知当事人”（Activity_notice）：表单键 embedded:app:forms/notice.html 不是本次部署中的表单，已改用通用表单"],
    ("plain_lanes.bpmn", "Activity_inspect"): [f"人工任务“现场核查”（Activity_inspect）：{GENERIC}"],
    ("plain_lanes.bpmn", "Activity_handle"): [
        f"任务“部门处置”（Activity_handle）：{GENERIC}",
        "任务“部门处置”（Activity_handle）：没有指定角色（role），由泳道“市农业农村局”所指单位的人员办理；"
        "泳道名不是单位的编码或名称时，由流程发起人和设计员、管理员办理"],
    ("plain_lanes.bpmn", "Activity_close"): [f"用户任务“审核办结”（Activity_close）：{GENERIC}"],
    ("plain_no_lanes.bpmn", "Activity_post"): [f"用户任务“张贴宣传材料”（Activity_post）：{GENERIC}",
                                              f"用户任务“张贴宣传材料”（Activity_post）：{DEFAULT_PEOPLE}"],
    ("plain_no_lanes.bpmn", "Activity_archive"): [f"人工任务“归档”（Activity_archive）：{GENERIC}",
                                                 f"人工任务“归档”（Activity_archive）：{DEFAULT_PEOPLE}"],
}


@pytest.fixture
def deployed(api_as):
    files = {name: content.decode() for name, content in read_bundle_dir(BUNDLE).items()}
    answer = api_as("admin").post("/api/processes/deploy", {"files": files})
    assert answer.status_code == 201, answer.json
    return answer.json


def start(api, process_id):
    started = api.post("/api/instances", {"process_id": process_id})
    assert started.status_code == 201, started.json
    return started.json["id"]


def open_task(api, instance_id, bpmn_id):
    """The open task of the instance in the user's inbox (asserted to be there)."""
    found = [t for t in api.get("/api/tasks").json if t["instance_id"] == instance_id and t["bpmn_id"] == bpmn_id]
    assert len(found) == 1, (bpmn_id, api.get("/api/tasks").json)
    return found[0]["id"]


def complete(api, task_id, data, status=200):
    done = api.post(f"/api/tasks/{task_id}/complete", {"data": data})
    assert done.status_code == status, done.json
    return done.json


def refused(api, task_id, reads=False):
    """Someone not assigned finds the task in no inbox and may not complete it (nor read it, unless a read-all role)."""
    assert task_id not in [t["id"] for t in api.get("/api/tasks").json]
    assert api.get(f"/api/tasks/{task_id}").status_code == (200 if reads else 403)
    answer = api.post(f"/api/tasks/{task_id}/complete", {"data": {"acknowledged": True}})
    assert answer.status_code == 403 and answer.json["message"] == "您无权处理此任务"


def status(api, instance_id):
    return api.get(f"/api/instances/{instance_id}").json["status"]


def test_deploy_lists_what_it_assumed_and_what_it_ignores(deployed):
    found = {}
    for warning in deployed["warnings"]:
        assert warning["severity"] == "warning" and warning["line"], warning
        found.setdefault((warning["file"], warning["element_id"]), []).append(warning["message"])
    assert found == WARNINGS
    assert sorted(deployed["deployment"]["processes"]) == [
        "Process_camunda-review", "Process_plain-lanes", "Process_plain-no-lanes"]


def test_a_camunda_7_process_reads_its_groups_assignee_and_forms(deployed, api_as):
    town, leader = api_as("zhenjie"), api_as("zhenzhang")
    instance = start(town, "Process_camunda-review")  # camunda:candidateStarterGroups="town_staff"
    review = open_task(town, instance, "Activity_review")
    detail = town.get(f"/api/tasks/{review}").json
    assert (detail["form_id"], detail["form"]["id"], detail["instructions"]) == ("Form_review", "Form_review",
                                                                                 "核对占道位置和照片。")
    assert (detail["roles"], detail["orgs"]) == (["town_staff"], ["tongcheng"])
    refused(api_as("gongan"), review)
    complete(town, review, {"decision": "agree", "note": "属实"})

    sign = open_task(leader, instance, "Activity_sign")  # camunda:assignee="zhenzhang", camunda:formRef
    refused(town, sign)
    assert leader.get(f"/api/tasks/{sign}").json["form_id"] == "Form_review"
    complete(leader, sign, {"decision": "agree"})

    notice = open_task(town, instance, "Activity_notice")  # a form key that names no form: the generic form
    detail = town.get(f"/api/tasks/{notice}").json
    assert detail["form_id"] is None and [c["key"] for c in detail["form"]["components"]] == ["comment", "acknowledged"]
    missing = complete(town, notice, {"comment": "已电话告知"}, status=422)
    assert missing["message"] == "请求参数有误" and missing["errors"] == {"acknowledged": ["此项为必填项"]}
    assert complete(town, notice, {"comment": "已电话告知", "acknowledged": False}, status=422)["errors"] == {
        "acknowledged": ["此项为必填项"]}
    assert complete(town, notice, {"comment": "x", "acknowledged": True, "extra": 1}, status=422)["errors"] == {
        "extra": ["表单中没有此字段"]}
    complete(town, notice, {"comment": "已电话告知", "acknowledged": True})
    data = town.get(f"/api/instances/{instance}").json
    assert data["status"] == "completed"
    assert (data["data"]["decision"], data["data"]["comment"], data["data"]["acknowledged"]) == ("agree", "已电话告知", True)


def test_lanes_name_a_role_an_organisation_or_by_their_id_another_role(deployed, api_as):
    town = api_as("zhenjie")
    instance = start(town, "Process_plain-lanes")
    inspect = open_task(town, instance, "Activity_inspect")  # a manual task in the lane 镇街工作人员
    refused(api_as("wangge"), inspect)
    complete(town, inspect, {"comment": "火点已灭", "acknowledged": True})

    department = api_as("nongye")
    handle = open_task(department, instance, "Activity_handle")  # a plain task in the lane 市农业农村局
    detail = department.get(f"/api/tasks/{handle}").json
    assert detail["instructions"] == "依法处置，并把处置情况写入意见。" and detail["form"]["id"] == "generic"
    assert (detail["roles"], detail["orgs"]) == ([], ["nongye"])
    for other in ("zhenjie", "gongan"):
        refused(api_as(other), handle)
    assert open_task(api_as("nongyezhang"), instance, "Activity_handle") == handle, "anyone of the organisation"
    complete(department, handle, {"comment": "已立案", "acknowledged": True})

    leader = api_as("zhenzhang")
    close = open_task(leader, instance, "Activity_close")  # the lane's id is the role town_leader
    refused(town, close)
    complete(leader, close, {"acknowledged": True})
    assert status(town, instance) == "completed"


def test_a_task_that_names_nobody_goes_to_the_initiator_designers_and_admins(deployed, api_as):
    grid = api_as("wangge")
    instance = start(grid, "Process_plain-no-lanes")
    post = open_task(grid, instance, "Activity_post")
    detail = grid.get(f"/api/tasks/{post}").json
    assert (detail["roles"], detail["orgs"]) == (["admin", "designer"], [])
    assert detail["instructions"] == "在村务公开栏张贴**秸秆禁烧**通告，并拍照留存。"
    refused(api_as("zhenjie"), post)  # the initiator's colleague of the same town is not the initiator
    assert open_task(api_as("admin"), instance, "Activity_post") == post
    complete(grid, post, {"acknowledged": True})

    designer = api_as("admin")
    archive = open_task(designer, instance, "Activity_archive")
    refused(api_as("bianban"), archive, reads=True)  # 编办 reads every instance but is not a designer: it may not work on it
    complete(designer, archive, {"acknowledged": True})
    assert status(grid, instance) == "completed"


def test_the_generic_form_starts_empty_on_each_task_and_shows_only_its_own_draft(deployed, api_as):
    town = api_as("zhenjie")
    instance = start(town, "Process_plain-lanes")
    complete(town, open_task(town, instance, "Activity_inspect"), {"comment": "火点已灭", "acknowledged": True})
    department = api_as("nongye")
    handle = open_task(department, instance, "Activity_handle")  # the generic form again: the last answers stay there
    assert department.get(f"/api/tasks/{handle}").json["data"] == {}
    assert department.put(f"/api/tasks/{handle}/draft", {"data": {"comment": "处置中"}}).status_code == 200
    assert department.get(f"/api/tasks/{handle}").json["data"] == {"comment": "处置中"}


def test_nobody_may_be_named_as_the_system_and_a_process_started_by_it_has_no_initiator(
        deployed, api_as, session, runtime):
    from app.definitions.operations import startable_process
    from app.domain.actors import SYSTEM, Actor
    from app.workflow.execution import advance, begin_run, save
    from app.workflow.instances import create_instance_row
    from app.workflow.models import HumanTask, TaskCandidate

    admin = api_as("admin")
    for name in ("system", "demo"):
        body = {"username": name, "display_name": "系统", "password": "a-long-password", "org": "tongcheng",
                "roles": ["town_staff"]}
        answer = admin.post("/api/users", body)
        assert answer.status_code == 422 and answer.json["errors"] == {
            "username": [f"用户名 {name} 是平台保留的名称，不能使用"]}, answer.json
    # As a message from a timer's step starts a process (app/workflow/messages._start_by_message): by the system.
    instance = create_instance_row(session, startable_process(session, "Process_plain-no-lanes"), SYSTEM, "tongcheng")
    step = begin_run(session, runtime, instance, Actor.process(), {})
    advance(step)
    save(step)
    session.commit()
    task = session.query(HumanTask).filter_by(instance_id=instance.id).one()
    candidates = session.query(TaskCandidate).filter_by(task_id=task.id).all()
    assert sorted((c.role, c.org_code, c.username) for c in candidates) == [("admin", "*", None), ("designer", "*", None)]


ASSIGNED_ELSEWHERE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_elsewhere" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_assigned-elsewhere" name="转农业农村局办理" isExecutable="true"
    camunda:candidateStarterGroups="town_staff">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Activity_handle" name="办理" camunda:assignee="nongye">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="Event_end"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Activity_handle" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_handle" targetRef="Event_end" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_an_assignee_of_another_organisation_sees_the_instance_of_their_task(api_as):
    deployed = api_as("admin").post("/api/processes/deploy", {"files": {"elsewhere.bpmn": ASSIGNED_ELSEWHERE}})
    assert deployed.status_code == 201, deployed.json
    town, assignee = api_as("zhenjie"), api_as("nongye")  # 铜城 starts it; 刘农 of 市农业农村局 is its assignee
    instance = start(town, "Process_assigned-elsewhere")
    task = open_task(assignee, instance, "Activity_handle")
    assert assignee.get(f"/api/instances/{instance}").status_code == 200
    assert instance in [row["id"] for row in assignee.get("/api/instances").json]
    colleague = api_as("nongyezhang")  # of the same organisation, but neither a candidate nor named by organisation
    assert colleague.get(f"/api/instances/{instance}").status_code == 403
    assert instance not in [row["id"] for row in colleague.get("/api/instances").json]
    complete(assignee, task, {"acknowledged": True})
    assert status(town, instance) == "completed"


def test_a_task_may_name_several_users_but_each_once(deployed, api_as, session):
    from sqlalchemy.exc import IntegrityError

    from app.workflow.models import TaskCandidate

    grid = api_as("wangge")
    instance = start(grid, "Process_plain-no-lanes")
    post = open_task(grid, instance, "Activity_post")  # the initiator wangge, designers and admins
    session.add(TaskCandidate(task_id=post, role="*", org_code="*", username="zhenjie"))  # and an assignee, say
    session.commit()
    assert open_task(api_as("zhenjie"), instance, "Activity_post") == post
    assert open_task(grid, instance, "Activity_post") == post
    session.add(TaskCandidate(task_id=post, role="*", org_code="*", username="zhenjie"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
