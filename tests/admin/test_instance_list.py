"""The console's instance list (/admin/instances, GET /api/instances, /counts, /batch): each filter, the counts per
status, paging newest first, who reads and who operates, and a batch whose instances each succeed or fail alone."""

import re
from datetime import datetime, timedelta, timezone

import pytest

from app.db import utcnow
from app.workflow.instance_list import InstanceFilter, instance_list
from app.workflow.models import HumanTask, ProcessInstance, TaskCandidate
from tests.api.pagination import pagination, total
from tests.conftest import bundle_files, login
from tests.helpers import bundle, definitions, process, script_task
from tests.web.test_pages import page

SHANGHAI = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
NOW = utcnow()


def add_instance(session, deployment, status="running", org="tongcheng", key=None, started=None, tasks=(),
                 pid="main_flow", name="构件流程", by="zhenjie", error=None):
    """An instance row as the engine leaves one (the list reads rows, not engine state); tasks: (status, due, orgs)."""
    instance = ProcessInstance(process_id=pid, process_name=name, deployment_id=deployment.id, status=status,
                               business_key=key, state=b"", serializer_version="test", started_by=by, org_code=org,
                               started_at=started or NOW, updated_at=started or NOW, error=error,
                               has_open_task=any(task_status == "open" for task_status, _, _ in tasks))
    session.add(instance)
    session.flush()
    for number, (task_status, due, orgs) in enumerate(tasks):
        task = HumanTask(instance_id=instance.id, task_uuid=f"{instance.id}-{number}", process_id=pid,
                         bpmn_id=f"step{number}", name=f"环节{number}", title=f"环节{number}", status=task_status,
                         due_at=due)
        task.candidates = [TaskCandidate(role="town_staff", org_code=o) for o in orgs]
        session.add(task)
    session.flush()
    return instance.id


@pytest.fixture
def versions(deploy):
    """The constructs bundle in two versions (deployments 1 and 2)."""
    first = deploy("constructs")
    files = bundle_files("constructs")
    files["main.bpmn"] = files["main.bpmn"].replace("填写：{{ subject }}".encode(), "新版填写：{{ subject }}".encode())
    second = deploy(files=files)
    deploy(files=probe_files())
    return first, second


@pytest.fixture
def world(session, versions):
    """Instances of every status, organisation, age and key the filters tell apart; {name: id}."""
    v1, v2 = versions
    late, later = NOW - timedelta(days=1), NOW + timedelta(days=3)
    ids = {
        "running_v1": add_instance(session, v1, key="HJ20261201001", tasks=[("open", later, ["tongcheng"])],
                                   started=datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)),  # 12-01 01:00 local
        "overdue_nongye": add_instance(session, v2, key="HJ20261201002", tasks=[
            ("completed", None, ["tongcheng"]), ("open", late, ["nongye"])],
            started=datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)),  # 11-30 23:00 local
        "waiting": add_instance(session, v2, key="HJ2026X", tasks=[("completed", None, ["nongye"])]),
        "suspended": add_instance(session, v2, status="suspended", org="qinlan", by="wangge",
                                  tasks=[("open", None, ["qinlan"])]),
        "error": add_instance(session, v2, status="error", org="qinlan",
                              error={"task": "计算", "bpmn_id": "divide", "line": 1, "message": "除数为零"}),
        "completed": add_instance(session, v1, status="completed", key="ZB-1", pid="probe", name="除法"),
        "terminated": add_instance(session, v1, status="terminated", org="qinlan"),
    }
    session.commit()
    return ids


def found(session, user, **filters):
    rows, total_found, counts = instance_list(session, user("admin"), InstanceFilter(**filters), SHANGHAI, per_page=50)
    assert total_found == len(rows)
    return {row["id"] for row in rows}, counts


def names(world, *keys):
    return {world[k] for k in keys}


def test_each_filter_finds_what_it_says(session, user, world, versions):
    assert found(session, user, process_id="probe")[0] == names(world, "completed")
    assert found(session, user, process_id="main_flow", version=1)[0] == names(world, "running_v1", "terminated")
    assert found(session, user, version=2)[0] == names(world, "overdue_nongye", "waiting", "suspended", "error")
    assert found(session, user, org="nongye")[0] == names(world, "overdue_nongye", "waiting"), "a candidate's org"
    assert found(session, user, org="qinlan")[0] == names(world, "suspended", "error", "terminated"), "the starter's"
    assert found(session, user, overdue=True)[0] == names(world, "overdue_nongye")
    day = NOW.astimezone(SHANGHAI).date()
    assert found(session, user, started_from=datetime(2026, 12, 1).date(),
                 started_to=datetime(2026, 12, 1).date())[0] == names(world, "running_v1"), "local dates"
    assert found(session, user, started_to=datetime(2026, 11, 30).date())[0] == names(world, "overdue_nongye")
    assert world["waiting"] in found(session, user, started_from=day)[0]


def test_business_key_and_text_search(session, user, world):
    assert found(session, user, key="HJ20261201002")[0] == names(world, "overdue_nongye"), "exact"
    assert found(session, user, key="HJ202612")[0] == names(world, "running_v1", "overdue_nongye"), "prefix"
    assert found(session, user, key="HJ%")[0] == set(), "a wildcard is a character, not a pattern"
    assert found(session, user, key="HJ2026_")[0] == set()
    assert found(session, user, q="除")[0] == names(world, "completed"), "part of a (deployed) process's name"
    assert found(session, user, q="王")[0] == names(world, "suspended"), "part of the starter's name"
    assert found(session, user, q="HJ2026X")[0] == names(world, "waiting"), "a business key's beginning"


def test_waiting_is_a_running_instance_without_an_open_task(session, user, world):
    assert found(session, user, status="waiting")[0] == names(world, "waiting")
    assert found(session, user, status="running")[0] == names(world, "running_v1", "overdue_nongye")
    rows, _, _ = instance_list(session, user("admin"), InstanceFilter(status="waiting"), SHANGHAI)
    assert rows[0]["status"] == "running" and rows[0]["shown_status"] == "waiting"


def test_counts_per_status_leave_the_status_filter_out(session, user, world, api_as):
    _, counts = found(session, user)
    assert counts == {"running": 2, "waiting": 1, "suspended": 1, "error": 1, "completed": 1, "terminated": 1}
    _, by_org = found(session, user, org="qinlan", status="error")
    assert by_org == {"running": 0, "waiting": 0, "suspended": 1, "error": 1, "completed": 0, "terminated": 1}
    answer = api_as("ducha").get("/api/instances/counts?org=qinlan&status=error").json
    assert answer == {"counts": by_org, "total": 3}


def test_the_api_pages_newest_first_with_the_filters(world, api_as):
    reader = api_as("renda")
    first = reader.get("/api/instances?page_size=3")
    assert [i["id"] for i in first.json] == sorted(world.values(), reverse=True)[:3]
    assert pagination(first)["total"] == 7 and pagination(first)["total_pages"] == 3
    third = reader.get("/api/instances?page_size=3&page=3")
    assert [i["id"] for i in third.json] == [min(world.values())]
    waiting = reader.get("/api/instances?status=waiting").json
    assert [(i["shown_status"], i["shown_status_label"]) for i in waiting] == [("waiting", "等待中")]
    assert total(reader.get("/api/instances?overdue=true&org=nongye&started_to=2026-11-30")) == 1
    assert reader.get("/api/instances?started_from=2026-13-01").status_code == 422
    assert reader.get("/api/instances/counts?started_to=9999-12-31").status_code == 422, "no overflow"
    assert reader.get("/api/instances?status=bogus").status_code == 422


def test_others_see_only_their_instances_through_the_api_and_no_console(client, world, api_as):
    assert total(api_as("gongan").get("/api/instances")) == 0
    assert {i["id"] for i in api_as("nongye").get("/api/instances").json} == {world["overdue_nongye"], world["waiting"]}
    assert api_as("nongye").get("/api/instances/counts").json["total"] == 2
    login(client, "zhenjie")
    assert client.get("/admin/instances").status_code == 403


def test_readers_see_the_list_without_batch_controls_and_admins_operate(client, world):
    login(client, "ducha")
    body = page(client, "/admin/instances?status=error")
    assert "除数为零" in body and 'data-testid="batch-bar"' not in body and "pick-one" not in body
    assert re.search(r'data-testid="tab-error"[^>]*>出错 <span class="n">1</span>', body)
    client.post("/logout", data={"csrf_token": re.search(r'name="csrf-token" content="([^"]+)"',
                                                          client.get("/inbox").get_data(as_text=True)).group(1)})
    login(client, "admin")
    body = page(client, "/admin/instances?org=nongye")
    assert 'data-testid="batch-bar"' in body and body.count('class="pick-one"') == 2
    assert "市农业农村局" in body and "等待中" in body and "超期" in body
    assert f'href="/admin/instances/{world["waiting"]}"' in body


def test_the_page_speaks_chinese_and_keeps_its_filters(client, world):
    login(client, "admin")
    body = page(client, "/admin/instances?process=main_flow&version=2&from=2026-11-01&page=1")
    text = re.sub(r"<[^>]+>", " ", body)
    for code in ("running", "waiting", "suspended", "error", "completed", "terminated", "tongcheng", "main_flow"):
        assert not re.search(rf"\b{code}\b", text), code
    assert '<option value="2" selected>第 2 版</option>' in body
    assert "共 4 个实例" in body
    bad = page(client, "/admin/instances?from=2026-99-01&to=9999-12-31")
    assert bad.count("日期格式应为 年-月-日") == 2


def probe_files():
    return bundle(definitions(process(pid="probe", name="除法", middle=script_task("divide", "ratio = 10 / count"))),
                  name="probe.bpmn")


def test_a_batch_runs_each_instance_alone_and_says_how_each_went(deploy, api_as, session):
    deploy("constructs")
    deploy(files=probe_files())
    town = api_as("zhenjie")
    running = town.post("/api/instances", {"process_id": "main_flow", "data": {"subject": "甲"}}).json["id"]
    failed = town.post("/api/instances", {"process_id": "probe", "data": {}}).json["id"]
    ended = town.post("/api/instances", {"process_id": "main_flow", "data": {"subject": "乙"}}).json["id"]
    admin = api_as("admin")
    assert admin.post(f"/api/instances/{ended}/terminate", {"reason": "重复"}).status_code == 200
    results = admin.post("/api/instances/batch", {"ids": [running, ended, failed, 999999], "action": "suspend",
                                                   "reason": "批量检查"}).json
    by_id = {r["id"]: r for r in results}
    assert [r["id"] for r in results] == [running, ended, failed, 999999]
    assert by_id[running]["ok"] and by_id[running]["status"] == "suspended"
    assert by_id[running]["message"] == "已挂起，当前状态：已挂起"
    assert not by_id[ended]["ok"] and by_id[ended]["message"] == "流程实例已“已终止”，不能再操作"
    assert by_id[failed]["ok"], "an instance in error may be suspended"
    assert not by_id[999999]["ok"] and re.search(r"[\u4e00-\u9fff]", by_id[999999]["message"])
    assert admin.get(f"/api/instances/{running}").json["status"] == "suspended", "committed by the edge"
    history = [e["action"] for e in admin.get(f"/api/instances/{running}").json["history"]]
    assert history[-1] == "instance.suspend"
    retried = admin.post("/api/instances/batch", {"ids": [running, failed], "action": "resume", "reason": "继续"}).json
    assert [r["ok"] for r in retried] == [True, False]
    assert retried[1]["message"] == "流程实例挂起前已出错，请修正数据后“重试”，而不是恢复"


def test_a_batch_needs_an_operator_a_reason_and_a_known_action(deploy, api_as):
    deploy("constructs")
    iid = api_as("zhenjie").post("/api/instances", {"process_id": "main_flow", "data": {"subject": "甲"}}).json["id"]
    body = {"ids": [iid], "action": "suspend", "reason": "  "}
    refused = api_as("admin").post("/api/instances/batch", body)
    assert refused.status_code == 422 and refused.json["message"] == "请填写操作原因"
    assert api_as("admin").post("/api/instances/batch", {**body, "reason": "x", "action": "delete"}).status_code == 422
    assert api_as("admin").post("/api/instances/batch", {**body, "reason": "x", "ids": []}).status_code == 422
    assert api_as("ducha").post("/api/instances/batch", {**body, "reason": "x"}).status_code == 403
    assert api_as("renda").post("/api/instances/batch", {**body, "reason": "x"}).status_code == 403
    assert api_as("admin").get(f"/api/instances/{iid}").json["status"] == "running"


TIMER = ('<bpmn:intermediateCatchEvent id="wait" name="等一小时"><bpmn:incoming>f1</bpmn:incoming>'
         '<bpmn:outgoing>f2</bpmn:outgoing><bpmn:timerEventDefinition id="td"><bpmn:timeDuration '
         'xsi:type="bpmn:tFormalExpression">"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>'
         '</bpmn:intermediateCatchEvent>')


def test_every_save_keeps_whether_an_instance_waits(deploy, api_as, session):
    deploy("constructs")
    deploy(files=bundle(definitions(process(pid="pause", name="等待", middle=TIMER)), name="pause.bpmn"))
    town = api_as("zhenjie")
    working = town.post("/api/instances", {"process_id": "main_flow", "data": {"subject": "甲"}}).json["id"]
    pausing = town.post("/api/instances", {"process_id": "pause", "data": {}}).json["id"]
    shown = {i["id"]: i["shown_status"] for i in api_as("admin").get("/api/instances").json}
    assert shown == {working: "running", pausing: "waiting"}
    assert api_as("admin").post("/api/instances/batch", {"ids": [working], "action": "terminate",
                                                         "reason": "结束"}).json[0]["ok"]
    session.expire_all()
    assert session.get(ProcessInstance, working).has_open_task is False, "its task was cancelled"
    assert session.get(ProcessInstance, pausing).has_open_task is False
