"""The findings of the outside security review, each as the attack that worked before and must fail now."""

import threading

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app.domain.audit import AuditEvent
from app.workflow.models import HumanTask
from tests.api.test_attachments import JPEG, upload
from tests.conftest import csrf_token, login

FISHING = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
           "extra_departments": []}


@pytest.fixture
def fishing(procedures, api_as):
    """A real call started by the grid worker over the API, with a photo; returns (instance id, attachment id)."""
    grid = api_as("wangge")
    photo = upload(grid, JPEG).json["id"]
    started = grid.post("/api/instances", {"process_id": "call_response", "data": {**FISHING, "photos": [photo]}})
    assert started.status_code == 201, started.json
    return started.json["id"], photo


# 1. Default secret --------------------------------------------------------------------------------------------------

def forged_cookie(secret, user_id):
    interface = SecureCookieSessionInterface()
    signer = URLSafeTimedSerializer(secret, salt=interface.salt, serializer=interface.serializer,
                                    signer_kwargs={"key_derivation": "hmac", "digest_method": interface.digest_method})
    return signer.dumps({"_user_id": str(user_id), "_fresh": True})


def test_no_built_in_secret_signs_sessions(app, client, tmp_path):
    from app import create_app
    from app.config import Config, ConfigError

    assert Config().SECRET_KEY == "" and Config().AUDIT_KEY == ""
    with pytest.raises(ConfigError):
        create_app(Config(DATABASE_URL="sqlite://"))
    for old in ("dev-only-change-me", ""):
        client.set_cookie("session", forged_cookie(old or "x", 12))
        assert client.get("/api/users/me").status_code == 401
    admin_id = 12
    client.set_cookie("session", forged_cookie(app.config["SECRET_KEY"], f"{admin_id}:0"))
    assert client.get("/api/users/me").status_code == 200, "the real key still signs real sessions"


def test_development_creates_a_private_key_file_and_reuses_it(tmp_path):
    from app.config import Config, ConfigError

    env = {"TIANCHANG_SECRET_KEY_FILE": str(tmp_path / "secret_key"), "TIANCHANG_AUDIT_KEY_FILE": str(tmp_path / "ak")}
    first = Config.from_env(env)
    assert len(first.SECRET_KEY) == 64 and first.SECRET_KEY != first.AUDIT_KEY
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert Config.from_env(env).SECRET_KEY == first.SECRET_KEY
    production = {**env, "TIANCHANG_ENV": "production", "TIANCHANG_SECRET_KEY_FILE": str(tmp_path / "none")}
    with pytest.raises(ConfigError):
        Config.from_env(production)
    assert not (tmp_path / "none").exists()


# 3. Forged tasks ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("process_id", ["department_response", "reject_forward_coordinate", "town_opinion",
                                        "supervision_case"])
def test_called_and_message_started_processes_cannot_be_started_by_anyone(procedures, api_as, client, process_id):
    for username in ("wangge", "zhenjie", "nongye", "bianban", "admin"):
        forged = api_as(username).post("/api/instances", {"process_id": process_id, "data": {"call_number": "X"}})
        assert forged.status_code == 403 and forged.json["message"] == "您的角色不能发起此流程", username
    login(client, "wangge")
    assert client.get(f"/start/{process_id}").status_code == 403


def test_start_roles_decide_who_starts(procedures, api_as):
    assert api_as("nongye").post("/api/instances", {"process_id": "call_response", "data": FISHING}).status_code == 403
    assert api_as("wangge").post("/api/instances", {"process_id": "call_response", "data": FISHING}).status_code == 201


# 4. Attachments -----------------------------------------------------------------------------------------------------

def test_attachments_are_read_through_what_they_belong_to(fishing, api_as, session):
    from app.domain.people import create_user

    create_user(session, "admin", "qinlan1", "秦栏镇办事员", "password1", "qinlan", ["town_staff"], "pbkdf2:sha256:1000")
    create_user(session, "admin", "shuili1", "水利局办事员", "password1", "shuili", ["dept_staff"], "pbkdf2:sha256:1000")
    session.commit()
    _, photo = fishing
    for allowed in ("wangge", "nongye", "gongan", "ducha", "renda", "bianban", "admin"):
        assert api_as(allowed).get(f"/api/attachments/{photo}").status_code == 200, allowed
    for stranger in ("qinlan1", "shuili1"):
        refused = api_as(stranger).get(f"/api/attachments/{photo}")
        assert refused.status_code == 403 and refused.json["message"] == "您无权执行此操作", stranger
    assert api_as("wangge").get("/api/attachments/2147483648").status_code == 404, "beyond any id: not found"


def test_an_unbound_file_is_only_the_uploaders(procedures, api_as, session):
    from app.domain.people import create_user

    create_user(session, "admin", "stranger", "外镇", "password1", "nongye", ["dept_staff"], "pbkdf2:sha256:1000")
    session.commit()
    grid = api_as("wangge")
    private = upload(grid, JPEG).json["id"]
    assert grid.get(f"/api/attachments/{private}").status_code == 200
    for other in ("zhenjie", "nongye", "stranger", "admin"):
        assert api_as(other).get(f"/api/attachments/{private}").status_code == 403, other


def test_nobody_can_pull_anothers_file_into_their_own_call(procedures, api_as, session):
    theirs = upload(api_as("zhenjie"), JPEG).json["id"]
    stolen = api_as("wangge").post("/api/instances", {"process_id": "call_response",
                                                      "data": {**FISHING, "photos": [theirs]}})
    assert stolen.status_code == 422 and "photos" in stolen.json["errors"]
    assert session.scalar(select(HumanTask.id)) is None, "nothing was started"
    assert api_as("wangge").get(f"/api/attachments/{theirs}").status_code == 403


# 5. CSRF bypass -----------------------------------------------------------------------------------------------------

def test_a_garbage_bearer_header_next_to_a_cookie_does_not_skip_csrf(client, procedures):
    login(client, "admin")
    body = {"username": "intruder", "display_name": "入侵者", "password": "password1", "org": "bianban",
            "roles": ["admin"]}
    for header in ("Bearer garbage", "Bearer ", "Basic YWRtaW46eA==", "bearer"):
        refused = client.post("/api/users", json=body, headers={"Authorization": header})
        assert refused.status_code == 401, header
    assert client.post("/api/users", json=body).status_code == 400, "a cookie write without the token"
    assert client.post("/api/users", json=body, headers={"X-CSRFToken": csrf_token(client)}).status_code == 201


def test_a_valid_token_ignores_the_cookie(client, api_as):
    login(client, "admin")
    token = api_as("renda").headers
    assert client.get("/api/users/me", headers=token).json["username"] == "renda"


# 6. Claims race -----------------------------------------------------------------------------------------------------

def test_two_concurrent_claims_one_wins_the_other_gets_409(deploy, api_as, session):
    from app.domain.people import create_user

    deploy("constructs")
    create_user(session, "admin", "zhenjie2", "二号", "password1", "tongcheng", ["town_staff"], "pbkdf2:sha256:1000")
    session.commit()
    clients = [api_as("zhenjie"), api_as("zhenjie2")]
    for round_number in range(12):
        iid = clients[0].post("/api/instances", {"process_id": "main_flow", "data": {"subject": f"抢{round_number}"}}
                              ).json["id"]
        task_id = session.scalar(select(HumanTask.id).where(HumanTask.instance_id == iid))
        barrier, results = threading.Barrier(2), []

        def attempt(api, task_id=task_id, barrier=barrier, results=results):
            barrier.wait()
            results.append(api.post(f"/api/tasks/{task_id}/claim"))

        threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(r.status_code for r in results) == [200, 409], [r.json for r in results]
        winner = next(r for r in results if r.status_code == 200).json["claimed_by"]
        session.expire_all()
        assert session.get(HumanTask, task_id).claimed_by == winner
        claims = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == iid,
                                                          AuditEvent.action == "task.claim")).all()
        assert [e.actor for e in claims] == [winner]


# 7. Sessions and headers --------------------------------------------------------------------------------------------

def test_logout_ends_the_session_everywhere(app, client):
    login(client, "zhenjie")
    stolen = client.get_cookie("session").value
    other_device = app.test_client()
    login(other_device, "zhenjie")
    assert client.post("/logout", data={"csrf_token": csrf_token(client)}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/api/users/me").status_code == 401
    assert other_device.get("/api/users/me").status_code == 401


def test_password_change_and_deactivation_end_sessions(app, client, api_as, session):
    login(client, "zhenjie")
    token = csrf_token(client)
    wrong = client.post("/api/users/me/password", json={"old_password": "nope", "new_password": "newpassword1"},
                        headers={"X-CSRFToken": token})
    assert wrong.status_code == 422 and wrong.json["errors"]["old_password"] == ["原密码不正确"]
    changed = client.post("/api/users/me/password", json={"old_password": "tianchang", "new_password": "newpassword1"},
                          headers={"X-CSRFToken": token})
    assert changed.status_code == 204
    assert client.get("/api/users/me").status_code == 401
    assert login(client, "zhenjie", "newpassword1").status_code == 302
    worker = api_as("nongye")
    assert api_as("admin").post("/api/users/zhenjie/deactivate").status_code == 200
    assert client.get("/api/users/me").status_code == 401
    assert login(client, "zhenjie", "newpassword1").status_code == 401
    assert worker.post("/api/users/zhenjie/deactivate").status_code == 403


def test_cookies_and_security_headers(client):
    response = login(client, "zhenjie")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    for response in (client.get("/"), client.get("/api/users/me"), client.get("/login"), client.get("/api/nothing")):
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


# 12. Tokens, notices, 401 before 422 ---------------------------------------------------------------------------------

def test_tokens_are_listed_expire_and_are_revoked(api_as, client):
    from datetime import timedelta

    from app.db import utcnow

    me = api_as("nongye")
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    created = me.post("/api/users/me/tokens", {"name": "脚本", "expires_at": soon})
    assert created.status_code == 201 and created.json["token"]
    listed = me.get("/api/users/me/tokens").json
    assert {t["name"] for t in listed} == {"test", "脚本"} and all("token" not in t for t in listed)
    assert all(t["last_used_at"] for t in listed if t["name"] == "test")
    scripted = {"Authorization": f"Bearer {created.json['token']}"}
    assert client.get("/api/users/me", headers=scripted).status_code == 200
    assert me.client.delete(f"/api/users/me/tokens/{created.json['id']}", headers=me.headers).status_code == 204
    assert client.get("/api/users/me", headers=scripted).status_code == 401
    past = me.post("/api/users/me/tokens", {"name": "旧", "expires_at": (utcnow() - timedelta(hours=1)).isoformat()})
    assert past.status_code == 422


def test_an_expired_token_no_longer_authenticates(api_as, client, session):
    from datetime import timedelta

    from freezegun import freeze_time

    from app.db import utcnow

    created = api_as("nongye").post("/api/users/me/tokens", {"name": "一天",
                                                            "expires_at": (utcnow() + timedelta(days=1)).isoformat()})
    header = {"Authorization": f"Bearer {created.json['token']}"}
    assert client.get("/api/users/me", headers=header).status_code == 200
    with freeze_time(utcnow() + timedelta(days=2)):
        assert client.get("/api/users/me", headers=header).status_code == 401


def test_admins_list_and_revoke_anothers_tokens(api_as):
    api_as("gongan")
    admin = api_as("admin")
    tokens = admin.get("/api/users/gongan/tokens").json
    assert tokens and api_as("nongye").get("/api/users/gongan/tokens").status_code == 403
    assert admin.client.delete(f"/api/users/gongan/tokens/{tokens[0]['id']}", headers=admin.headers).status_code == 204


def test_unauthenticated_writes_answer_401_before_validating(client):
    for url in ("/api/instances", "/api/users", "/api/lists/P-0001/revise", "/api/tasks/1/complete"):
        response = client.post(url, json={"nonsense": True})
        assert response.status_code == 401 and response.json["message"] == "请先登录", url


def test_congress_cannot_mark_another_organisations_notice(fishing, client, session):
    from app.domain.notifications import Notification

    note = session.scalars(select(Notification).where(Notification.org_code == "nongye")).first()
    login(client, "renda")
    response = client.post("/notifications", data={"csrf_token": csrf_token(client), "id": [note.id]})
    assert response.status_code == 403


# 11. Forms ----------------------------------------------------------------------------------------------------------

def test_an_unrelated_deploy_hides_no_form(procedures, deploy, api_as):
    api = api_as("nongye")
    assert api.get("/api/forms/call_form").status_code == 200
    deploy("constructs")
    form = api.get("/api/forms/call_form")
    assert form.status_code == 200 and form.json["id"] == "call_form"
    assert api.get("/api/forms/call_form?version=2").status_code == 404
    assert api.get("/api/forms/call_form?version=1").status_code == 200
    started = api_as("wangge").post("/api/instances", {"process_id": "call_response", "data": FISHING})
    assert started.status_code == 201, "the instance's own deployment still resolves its forms"


def test_a_party_sees_its_own_tasks_not_anothers_data(fishing, api_as):
    from tests.api.test_tasks_api import first_task

    instance_id, _ = fishing
    police, farming = api_as("gongan"), api_as("nongye")
    task = first_task(police, instance_id)
    assert police.put(f"/api/tasks/{task['id']}/draft", {"data": {"decision": "reject", "reason": "草稿理由"}}
                      ).status_code == 200
    seen = farming.get(f"/api/instances/{instance_id}").json
    assert seen["data"] == {} and all(t["id"] != task["id"] for t in seen["tasks"])
    assert all(set(e["payload"]) <= {"task"} for e in seen["history"])
    assert farming.get(f"/api/tasks/{task['id']}").status_code == 403
    whole = api_as("wangge").get(f"/api/instances/{instance_id}").json
    assert whole["data"]["location"] == FISHING["location"] and len(whole["tasks"]) == 2
    assert "草稿理由" not in str(api_as("ducha").get(f"/api/tasks/{task['id']}").json), "a draft is its writers' own"


def test_an_outsider_learns_nothing_of_a_finished_task(deploy, api_as, session):
    deploy("constructs")
    town = api_as("zhenjie")
    iid = town.post("/api/instances", {"process_id": "main_flow", "data": {"subject": "已办"}}).json["id"]
    task_id = session.scalar(select(HumanTask.id).where(HumanTask.instance_id == iid))
    assert town.post(f"/api/tasks/{task_id}/complete", {"data": {"amount": 1, "reviewers": []}}).status_code == 200
    for action in ("claim", "complete"):
        refused = api_as("gongan").post(f"/api/tasks/{task_id}/{action}", {"data": {}})
        assert refused.status_code == 403 and "zhenjie" not in refused.json["message"], action
    assert town.post(f"/api/tasks/{task_id}/claim").status_code == 409, "its own candidate hears it is done"


def test_refused_fields_are_explained_in_chinese(api_as):
    refused = api_as("admin").post("/api/users", {"username": 5, "roles": "x", "nonsense": 1})
    assert refused.status_code == 422
    fields = refused.json["errors"]["json"]
    assert fields["display_name"] == ["必填"] and fields["roles"] == ["应为列表"] and fields["username"] == ["应为文本"]
    assert fields["nonsense"] == ["不认识的字段"]
    assert api_as("admin").get("/api/tasks?page=abc").json["errors"]["query"]["page"] == ["应为整数"]
