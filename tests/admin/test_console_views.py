"""What the console shows of an instance with parallel branches, a multi-instance task and a call activity: each
element's tasks, the called process as its own diagram linked both ways, and a diagram without drawing."""

from freezegun import freeze_time

from tests.conftest import login
from tests.workflow.test_constructs import MONDAY_9AM_SHANGHAI, complete, open_tasks


def _at_the_call_activity(session, runtime, deploy, user, api_as):
    deploy("constructs")
    iid = api_as("zhenjie").post("/api/instances", {"process_id": "main_flow", "data": {
        "subject": "电鱼", "dept_org": "nongye"}}).json["id"]
    (fill,) = open_tasks(session, iid)
    complete(session, runtime, user, fill, {"amount": 5000, "reviewers": ["nongye", "gongan"]})
    for task in open_tasks(session, iid):
        complete(session, runtime, user, task, {"note_a": "甲"} if task.bpmn_id == "branch_a" else {"note_b": "乙"})
    for task in open_tasks(session, iid):
        complete(session, runtime, user, task, {"opinion": "agree", "comment": task.orgs[0]})
    return iid


def test_a_call_activity_opens_its_child_and_the_child_leads_back(session, runtime, deploy, user, api_as, client):
    with freeze_time(MONDAY_9AM_SHANGHAI):
        iid = _at_the_call_activity(session, runtime, deploy, user, api_as)
        top = api_as("admin").get(f"/api/instances/{iid}/elements").json
    elements = {e["id"]: e for e in top["elements"]}
    assert elements["call_sub"]["state"] == "active" and elements["call_sub"]["kind"] == "CallActivity"
    assert [t["state"] for t in elements["review"]["tasks"]].count("completed") >= 2, "each reviewer's task"
    assert elements["branch_a"]["state"] == elements["branch_b"]["state"] == "completed"
    assert "sub_confirm" not in elements, "the called process is drawn on its own diagram"
    (child,) = top["children"]
    assert child["process_id"] == "sub_flow" and child["element_id"] == "call_sub" and child["called"]
    assert elements["call_sub"]["tasks"][0]["child"] == child["id"]

    inner = api_as("admin").get(f"/api/instances/{iid}/elements?workflow={child['id']}").json
    assert inner["process_id"] == "sub_flow"
    assert {e["id"]: e["state"] for e in inner["elements"]}["sub_confirm"] == "active"

    login(client, "admin")
    page = client.get(f"/admin/instances/{iid}?workflow={child['id']}").get_data(as_text=True)
    assert "这是调用活动启动的子流程“子流程”" in page and f'/admin/instances/{iid}#el-call_sub' in page
    top_page = client.get(f"/admin/instances/{iid}").get_data(as_text=True)
    assert f"/admin/instances/{iid}?workflow={child['id']}" in top_page and "打开子流程“子流程”" in top_page
