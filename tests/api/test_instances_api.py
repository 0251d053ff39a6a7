"""Instances over HTTP: start with a start form, list and filter, show, suspend, resume, terminate, retry."""

from tests.api.pagination import pagination, total
from tests.helpers import bundle, definitions, process, script_task


def test_start_validates_the_start_form(deploy, api_as):
    deploy("constructs")
    bad = api_as("zhenjie").post("/api/instances", {"process_id": "main_flow", "data": {"subject": ""}})
    assert bad.status_code == 422 and bad.json["errors"] == {"subject": ["此项为必填项"]}
    unknown = api_as("zhenjie").post("/api/instances", {"process_id": "nope"})
    assert unknown.status_code == 404 and unknown.json["message"] == "流程“nope”未部署"


def test_list_filter_and_show(deploy, api_as):
    deploy("constructs")
    town = api_as("zhenjie")
    ids = [town.post("/api/instances", {"process_id": "main_flow", "data": {"subject": f"事项{i}"},
                                         "business_key": f"HJ-{i}"}).json["id"] for i in range(3)]
    first = town.get("/api/instances?process_id=main_flow&page_size=2")
    assert [i["id"] for i in first.json] == ids[:0:-1]
    assert pagination(first) == {"total": 3, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 1, "next_page": 2}
    second = town.get("/api/instances?process_id=main_flow&page_size=2&page=2")
    assert [i["id"] for i in second.json] == ids[:1] and pagination(second)["previous_page"] == 1
    assert town.get("/api/instances?business_key=HJ-1").json[0]["id"] == ids[1]
    assert total(town.get("/api/instances?status=completed")) == 0
    assert town.get("/api/instances?status=bogus").status_code == 422
    detail = town.get(f"/api/instances/{ids[0]}").json
    assert detail["status"] == "running" and detail["process_version"] == 1 and detail["status_label"] == "运行中"
    assert not {"version", "state", "audit_hash"} & set(detail), "the row's lock version and state stay inside"
    assert [t["bpmn_id"] for t in detail["tasks"]] == ["fill"]
    assert detail["data"]["subject"] == "事项0" and detail["data"]["prefilled"] == "事项0（预填）"
    assert [e["action"] for e in detail["history"]] == ["instance.start"]
    assert api_as("gongan").get(f"/api/instances/{ids[0]}").status_code == 403
    assert total(api_as("gongan").get("/api/instances")) == 0
    assert total(api_as("renda").get("/api/instances")) == 3


def test_suspend_resume_terminate(deploy, api_as):
    deploy("constructs")
    iid = api_as("zhenjie").post("/api/instances", {"process_id": "main_flow", "data": {"subject": "x"}}).json["id"]
    admin = api_as("admin")
    why = {"reason": "核对数据"}
    assert api_as("zhenjie").post(f"/api/instances/{iid}/suspend", why).status_code == 403
    unexplained = admin.post(f"/api/instances/{iid}/suspend", {"reason": "  "})
    assert unexplained.status_code == 422 and unexplained.json["message"] == "请填写操作原因"
    assert admin.post(f"/api/instances/{iid}/suspend").status_code == 422, "a reason is required"
    assert admin.post(f"/api/instances/{iid}/suspend", why).json["status"] == "suspended"
    assert api_as("zhenjie").get("/api/tasks").json == []
    again = admin.post(f"/api/instances/{iid}/suspend", why)
    assert again.status_code == 409 and "只有运行中或出错的实例可以挂起" in again.json["message"]
    assert admin.post(f"/api/instances/{iid}/resume", why).json["status"] == "running"
    assert len(api_as("zhenjie").get("/api/tasks").json) == 1
    ended = admin.post(f"/api/instances/{iid}/terminate", {"reason": "重复呼叫"}).json
    assert ended["status"] == "terminated" and ended["ended_at"]
    assert api_as("zhenjie").get("/api/tasks").json == []
    history = [e["action"] for e in admin.get(f"/api/instances/{iid}").json["history"]]
    assert history == ["instance.start", "instance.suspend", "instance.resume", "instance.terminate"]


def test_an_error_is_shown_and_retry_runs_again(deploy, api_as, session):
    from app.domain.calendars import set_holiday  # noqa: F401 - the fix below is a data change

    middle = script_task("divide", "ratio = 10 / count")
    deploy(files=bundle(definitions(process(pid="probe", middle=middle)), name="probe.bpmn"))
    iid = api_as("zhenjie").post("/api/instances", {"process_id": "probe", "data": {}}).json["id"]
    shown = api_as("admin").get(f"/api/instances/{iid}").json
    assert shown["status"] == "error"
    assert shown["error"]["bpmn_id"] == "divide" and shown["error"]["line"] == 1
    assert "count" in shown["error"]["message"]
    assert total(api_as("admin").get("/api/instances?status=error")) == 1
    retried = api_as("admin").post(f"/api/instances/{iid}/retry", {"reason": "再试一次"})
    assert retried.status_code == 200 and retried.json["status"] == "error"
    assert api_as("admin").post(f"/api/instances/{iid}/resume", {"reason": "再试一次"}).status_code == 409
    actions = [e["action"] for e in api_as("admin").get(f"/api/instances/{iid}").json["history"]]
    assert actions == ["instance.start", "instance.error", "instance.retry", "instance.error"]


def test_running_instances_keep_their_version(deploy, api_as, session):
    from tests.conftest import bundle_files

    deploy("constructs")
    old = api_as("zhenjie").post("/api/instances", {"process_id": "main_flow", "data": {"subject": "旧"}}).json
    files = bundle_files("constructs")
    files["main.bpmn"] = files["main.bpmn"].replace("填写：{{ subject }}".encode(), "新版填写：{{ subject }}".encode())
    assert deploy(files=files).number == 2
    new = api_as("zhenjie").post("/api/instances", {"process_id": "main_flow", "data": {"subject": "新"}}).json
    assert (old["process_version"], new["process_version"]) == (1, 2)
    titles = sorted(t["title"] for t in api_as("zhenjie").get("/api/tasks").json)
    assert titles == ["填写：旧", "新版填写：新"]
    task = next(t for t in api_as("zhenjie").get("/api/tasks").json if t["instance_id"] == old["id"])
    done = api_as("zhenjie").post(f"/api/tasks/{task['id']}/complete", {"data": {"amount": 1, "reviewers": []}})
    assert done.status_code == 200
    assert api_as("zhenjie").get(f"/api/instances/{old['id']}").json["process_version"] == 1
