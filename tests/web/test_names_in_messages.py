"""Messages name people as people know them, and statuses in Chinese: never a login or a code."""

from tests.conftest import csrf_token
from tests.web.test_pages import login


def main_flow_task(deploy, api_as):
    deploy("constructs")
    started = api_as("zhenjie").post("/api/instances", {"process_id": "main_flow", "data": {"subject": "高邮湖电鱼"}})
    assert started.status_code == 201, started.json
    return started.json["id"], next(t["id"] for t in api_as("zhenjie").get("/api/tasks").json
                                    if t["instance_id"] == started.json["id"])


def colleague(session):
    from app.domain.people import create_user

    create_user(session, "admin", "zhenjie2", "镇街二号", "password1", "tongcheng", ["town_staff"], "pbkdf2:sha256:1000")
    session.commit()


def test_completing_a_task_of_a_suspended_instance_names_the_status_in_chinese(deploy, api_as):
    instance, task = main_flow_task(deploy, api_as)
    assert api_as("admin").post(f"/api/instances/{instance}/suspend", {"reason": "核对"}).status_code == 200
    refused = api_as("zhenjie").post(f"/api/tasks/{task}/complete", {"data": {"amount": 10}})
    assert refused.status_code == 409 and refused.json["message"] == "流程实例当前状态为“已挂起”，不能执行此操作"


def test_who_holds_or_did_a_task_is_named_not_logged_in_as(deploy, api_as, session):
    colleague(session)
    _, task = main_flow_task(deploy, api_as)
    me, other = api_as("zhenjie"), api_as("zhenjie2")
    assert me.post(f"/api/tasks/{task}/claim").status_code == 200
    taken = other.post(f"/api/tasks/{task}/complete", {"data": {"amount": 10}})
    assert taken.status_code == 409 and taken.json["message"] == "该任务已被 陈镇洁 认领"
    assert me.post(f"/api/tasks/{task}/complete", {"data": {"amount": 10, "reviewers": [], "urgency": "urgent"}}
                   ).status_code == 200
    done = other.post(f"/api/tasks/{task}/complete", {"data": {"amount": 10}})
    assert done.status_code == 409 and "已被 陈镇洁 完成" in done.json["message"] and "zhenjie" not in done.json["message"]


def test_delegation_names_the_colleague(client, deploy, api_as, session):
    colleague(session)
    _, task = main_flow_task(deploy, api_as)
    bad = api_as("zhenjie").post(f"/api/tasks/{task}/delegate", {"username": "nongye"})
    assert bad.status_code == 422 and bad.json["message"].startswith("不能转交给 刘农：")
    assert bad.json["errors"]["username"][0].startswith("不能转交给 刘农：") and "nongye" not in bad.json["message"]
    login(client, "zhenjie")
    done = client.post(f"/tasks/{task}/delegate", data={"username": "zhenjie2", "csrf_token": csrf_token(client)},
                       follow_redirects=True)
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and "已转交给 镇街二号" in body and "已转交给 zhenjie2" not in body
