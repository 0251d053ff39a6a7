"""Human tasks over HTTP: the inbox of exactly the right users, claim, delegate, draft, validation, 409."""

import threading

import pytest
from sqlalchemy import select

from app.domain.audit import AuditEvent
from app.workflow.models import HumanTask


@pytest.fixture
def call(deploy, api_as):
    """A started main_flow instance (by 铜城镇's clerk) and its first task id."""
    deploy("constructs")
    response = api_as("zhenjie").post("/api/instances", {"process_id": "main_flow",
                                                          "data": {"subject": "高邮湖电鱼", "dept_org": "nongye"}})
    assert response.status_code == 201, response.json
    return response.json["id"]


def first_task(api, instance_id):
    items = api.get("/api/tasks").json
    return next(t for t in items if t["instance_id"] == instance_id)


def test_inbox_shows_the_task_to_exactly_the_matching_users(call, api_as):
    assert first_task(api_as("zhenjie"), call)["title"] == "填写：高邮湖电鱼"
    for other in ("zhenzhang", "wangge", "nongye", "gongan", "ducha", "admin"):
        assert api_as(other).get("/api/tasks").json == [], other


def test_claim_unclaim_delegate_and_draft(call, api_as, session):
    from app.domain.people import create_user

    create_user(session, "admin", "zhenjie2", "二号", "password1", "tongcheng", ["town_staff"], "pbkdf2:sha256:1000")
    session.commit()
    me, colleague = api_as("zhenjie"), api_as("zhenjie2")
    task = first_task(me, call)
    assert me.post(f"/api/tasks/{task['id']}/claim").json["claimed_by"] == "zhenjie"
    assert colleague.get("/api/tasks?scope=group").json == []
    assert colleague.post(f"/api/tasks/{task['id']}/claim").status_code == 409
    assert me.put(f"/api/tasks/{task['id']}/draft", {"data": {"amount": 12}}).status_code == 200
    assert me.get(f"/api/tasks/{task['id']}").json["data"]["amount"] == 12
    assert me.put(f"/api/tasks/{task['id']}/draft", {"data": {"hack": 1}}).status_code == 422
    assert me.post(f"/api/tasks/{task['id']}/delegate", {"username": "nongye"}).status_code == 422
    delegated = me.post(f"/api/tasks/{task['id']}/delegate", {"username": "zhenjie2"})
    assert delegated.json["claimed_by"] == "zhenjie2"
    assert [t["id"] for t in colleague.get("/api/tasks?scope=mine").json] == [task["id"]]
    assert colleague.post(f"/api/tasks/{task['id']}/unclaim").json["claimed_by"] is None
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == call)
                              .order_by(AuditEvent.seq)).all()
    assert actions == ["instance.start", "task.claim", "task.delegate", "task.unclaim"]


def test_an_admin_releases_someone_elses_claim(call, api_as, session):
    """access.release_refusal: the holder or an admin hands a task back; another candidate gets 409, 人大 403."""
    me, admin = api_as("zhenjie"), api_as("admin")
    task = first_task(me, call)
    assert me.post(f"/api/tasks/{task['id']}/claim").json["claimed_by"] == "zhenjie"
    assert api_as("renda").post(f"/api/tasks/{task['id']}/unclaim").status_code == 403
    released = admin.post(f"/api/tasks/{task['id']}/unclaim")
    assert released.status_code == 200 and released.json["claimed_by"] is None, released.json
    assert admin.post(f"/api/tasks/{task['id']}/unclaim").status_code == 200, "nothing held: nothing to do"
    assert me.post(f"/api/tasks/{task['id']}/unclaim").status_code == 403, "no longer theirs"
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == call)
                              .order_by(AuditEvent.seq)).all()
    assert actions == ["instance.start", "task.claim", "task.unclaim"]
    assert session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "task.unclaim")) == "admin"


def test_completion_is_validated_against_the_form_in_chinese(call, api_as, session):
    me = api_as("zhenjie")
    task = first_task(me, call)
    before = session.scalar(select(HumanTask.status).where(HumanTask.id == task["id"]))
    bad = me.post(f"/api/tasks/{task['id']}/complete", {"data": {
        "amount": "很多", "urgency": "right-now", "contact": "abc", "typename": "x", "__class__": 1, "extra": 1}})
    assert bad.status_code == 422
    body = bad.json
    assert body["code"] == "validation_failed" and body["message"] == "请求参数有误"
    errors = body["errors"]
    assert errors["amount"] == ["类型不正确，应为数字"]
    assert errors["urgency"] == ["不是允许的选项"]
    assert errors["contact"] == ["格式不正确"]
    assert errors["typename"][0] == "此字段名为系统保留" and errors["__class__"][0] == "此字段名为系统保留"
    assert errors["extra"] == ["表单中没有此字段"]
    missing = me.post(f"/api/tasks/{task['id']}/complete", {"data": {}})
    assert missing.json["errors"] == {"amount": ["此项为必填项"]}
    too_big = me.post(f"/api/tasks/{task['id']}/complete", {"data": {"amount": 100001}})
    assert too_big.json["errors"] == {"amount": ["不能大于 100000"]}
    session.expire_all()
    assert session.scalar(select(HumanTask.status).where(HumanTask.id == task["id"])) == before == "open"
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == call)).all()
    assert events == ["instance.start"], "a rejected completion changes nothing"
    ok = me.post(f"/api/tasks/{task['id']}/complete", {"data": {"amount": 10, "reviewers": [], "urgency": "urgent"}})
    assert ok.status_code == 200 and ok.json["status"] == "completed"
    again = me.post(f"/api/tasks/{task['id']}/complete", {"data": {"amount": 10}})
    assert again.status_code == 409 and "已被 陈镇洁 完成" in again.json["message"]


def test_two_users_completing_the_same_task_at_once(call, app, api_as, session):
    from app.domain.people import create_user

    create_user(session, "admin", "zhenjie2", "二号", "password1", "tongcheng", ["town_staff"], "pbkdf2:sha256:1000")
    session.commit()
    clients = [api_as("zhenjie"), api_as("zhenjie2")]
    task = first_task(clients[0], call)
    barrier, results = threading.Barrier(2), []

    def attempt(api):
        barrier.wait()
        results.append(api.post(f"/api/tasks/{task['id']}/complete", {"data": {"amount": 1, "reviewers": []}}))

    threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409], [r.json for r in results]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json["code"] == "conflict" and loser.json["message"]
    session.expire_all()
    completions = session.scalars(select(AuditEvent).where(
        AuditEvent.instance_id == call, AuditEvent.action == "task.complete")).all()
    assert len(completions) == 1


def test_an_unknown_task_and_a_foreign_task(call, api_as):
    assert api_as("zhenjie").get("/api/tasks/99999").status_code == 404
    task = first_task(api_as("zhenjie"), call)
    foreign = api_as("nongye").get(f"/api/tasks/{task['id']}")
    assert foreign.status_code == 403 and foreign.json["message"] == "您无权处理此任务"
    assert api_as("renda").get(f"/api/tasks/{task['id']}").status_code == 200, "congress reads everything"
    assert api_as("renda").post(f"/api/tasks/{task['id']}/complete", {"data": {"amount": 1}}).status_code == 403


def test_a_completion_names_the_callers_next_task_of_the_same_instance(deploy, api_as):
    import json

    from tests.workflow.test_hot_path import FORM, sequence_bpmn

    steps = [("a", "town_staff"), ("b", "town_staff"), ("c", "dept_staff")]
    deploy(files={"sequence.bpmn": sequence_bpmn(steps), "note_form.json": json.dumps(FORM).encode()})
    me = api_as("zhenjie")
    instance_id = me.post("/api/instances", {"process_id": "sequence", "data": {}}).json["id"]
    first = first_task(me, instance_id)
    done = me.post(f"/api/tasks/{first['id']}/complete", {"data": {"note": "一"}})
    following = first_task(me, instance_id)
    assert done.status_code == 200 and following["id"] != first["id"]
    assert done.json["next_task"] == {"id": following["id"], "title": "步骤 b"}
    last = me.post(f"/api/tasks/{following['id']}/complete", {"data": {"note": "二"}})
    assert last.status_code == 200 and last.json["next_task"] is None, "step c belongs to a department's staff"
