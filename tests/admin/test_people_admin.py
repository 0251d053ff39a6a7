"""Users through the API: create, edit, deactivate and reactivate, reset with a forced change, tokens, audit, 403s."""

from sqlalchemy import select

from app.domain.audit import AuditEvent
from tests.conftest import login

NEW = {"username": "xinzhuang1", "display_name": "张新", "password": "password1", "org": "tongcheng_longgang",
       "roles": ["grid"]}


def patch(api, url, body):
    return api.client.patch(url, json=body, headers=api.headers)


def user_events(session, username):
    return [(e.action, e.actor, e.payload) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.stream.in_(["users", f"user:{username}"])).order_by(AuditEvent.id))
        if e.payload.get("username") == username and e.action != "user.sessions_ended"]


def test_an_admin_creates_edits_deactivates_and_reactivates_a_user(api_as, session):
    admin = api_as("admin")
    created = admin.post("/api/users", NEW)
    assert created.status_code == 201, created.json
    assert created.json["must_change_password"] is True, "a password the admin typed is temporary"
    edited = patch(admin, "/api/users/xinzhuang1", {"display_name": "张新庄", "org": "tongcheng",
                                                     "roles": ["town_staff", "grid"]})
    assert edited.status_code == 200, edited.json
    assert (edited.json["display_name"], edited.json["org"], edited.json["roles"]) == (
        "张新庄", "tongcheng", ["grid", "town_staff"])
    assert admin.post("/api/users/xinzhuang1/deactivate").json["active"] is False
    assert admin.post("/api/users/xinzhuang1/reactivate").json["active"] is True
    events = user_events(session, "xinzhuang1")
    assert [a for a, _, _ in events] == ["user.create", "user.update", "user.deactivate", "user.reactivate"]
    assert {actor for _, actor, _ in events} == {"admin"}
    _, _, update = events[1]
    assert update["before"]["org"] == "tongcheng_longgang" and update["after"]["org"] == "tongcheng"
    assert update["before"]["roles"] == ["grid"] and update["after"]["roles"] == ["grid", "town_staff"]
    assert "password1" not in str(events) and "pbkdf2" not in str(events), "no password, not even its hash"


def test_the_list_filters_by_organisation_role_text_and_status_and_pages(api_as):
    admin = api_as("admin")
    everyone = admin.get("/api/users?page_size=5")
    assert len(everyone.json) == 5 and '"total": 12' in everyone.headers["X-Pagination"]
    assert [u["username"] for u in admin.get("/api/users?org=nongye").json] == ["nongye", "nongyezhang"]
    assert [u["username"] for u in admin.get("/api/users?role=grid").json] == ["wangge"]
    assert [u["username"] for u in admin.get("/api/users?q=镇").json] == ["zhenjie", "zhenzhang"]
    admin.post("/api/users/gongan/deactivate")
    assert [u["username"] for u in admin.get("/api/users?active=false").json] == ["gongan"]
    assert [u["username"] for u in api_as("nongye").get("/api/users").json] == ["nongye", "nongyezhang"]


def test_an_admin_keeps_their_own_account_and_admin_role(api_as):
    admin = api_as("admin")
    assert admin.post("/api/users/admin/deactivate").json["message"] == "不能停用自己的账户"
    refused = patch(admin, "/api/users/admin", {"roles": ["designer"]})
    assert refused.json["errors"]["roles"] == ["不能取消自己的系统管理员角色"]
    assert admin.post("/api/users/admin/reset-password").status_code == 409


def test_a_reset_ends_the_sessions_and_forces_a_new_password_first(api_as, client):
    assert login(client, "zhenjie").status_code == 302
    reset = api_as("admin").post("/api/users/zhenjie/reset-password")
    temporary = reset.json["temporary_password"]
    assert len(temporary) == 10
    assert client.get("/").status_code == 302, "the old session ended"
    assert login(client, "zhenjie", temporary).status_code == 302
    for page in ("/", "/calls", "/profile", "/admin/users"):
        answer = client.get(page)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/profile/password"), page
    api = client.get("/api/tasks")
    assert api.status_code == 403
    assert api.json["message"] == "管理员已重置您的密码，请先在“我的账户”中设置新密码"
    assert client.get("/api/users/me").json["must_change_password"] is True
    page = client.get("/profile/password").get_data(as_text=True)
    assert "管理员为您设置了临时密码" in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    same = client.post("/profile/password", data={"csrf_token": token, "old_password": temporary,
                                                  "new_password": temporary, "confirm_password": temporary})
    assert same.status_code == 422 and "新密码不能与原密码相同" in same.get_data(as_text=True)
    changed = client.post("/profile/password", data={"csrf_token": token, "old_password": temporary,
                                                     "new_password": "mynewpass1", "confirm_password": "mynewpass1"})
    assert changed.status_code == 302 and changed.headers["Location"].endswith("/profile")
    assert client.get("/").status_code == 200, "still signed in, now free to work"
    assert client.get("/api/tasks").status_code == 200


def test_an_api_token_of_a_user_whose_password_was_reset_waits_for_the_change(api_as):
    worker = api_as("zhenjie")
    api_as("admin").post("/api/users/zhenjie/reset-password", {"password": "temporary1"})
    assert worker.get("/api/tasks").status_code == 403
    assert worker.post("/api/users/me/password", {"old_password": "temporary1",
                                                  "new_password": "newpassword9"}).status_code == 204
    assert worker.get("/api/tasks").status_code == 200


def test_the_admin_sees_and_revokes_anyones_tokens_and_each_user_only_their_own(api_as, session):
    me = api_as("gongan")
    issued = me.post("/api/users/me/tokens", {"name": "报表脚本"}).json
    admin = api_as("admin")
    listed = admin.get("/api/users/gongan/tokens").json
    assert {"test", "报表脚本"} <= {t["name"] for t in listed}
    assert "token" not in listed[0] and "token_hash" not in listed[0]
    assert api_as("nongye").get("/api/users/gongan/tokens").status_code == 403
    assert api_as("nongye").delete(f"/api/users/me/tokens/{issued['id']}").status_code == 404, "not theirs"
    assert admin.delete(f"/api/users/gongan/tokens/{issued['id']}").status_code == 204
    assert issued["token"] and me.client.get("/api/users/me", headers={
        "Authorization": f"Bearer {issued['token']}"}).status_code == 401
    actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.stream == "user:gongan"))]
    assert actions.count("token.revoke") == 1


def test_people_administration_is_the_admins_and_says_so_in_chinese(api_as):
    for username in ("bianban", "zhenjie", "ducha", "lingdao"):
        api = api_as(username)
        for answer in (api.post("/api/users", NEW), patch(api, "/api/users/wangge", {"display_name": "x"}),
                       api.post("/api/users/wangge/reset-password"), api.post("/api/users/wangge/deactivate"),
                       api.get("/api/users/import/template")):
            assert answer.status_code == 403, (username, answer.json)
            assert answer.json["message"] == "您无权执行此操作"
    assert api_as("zhenjie").get("/api/users/nongye").status_code == 403, "another organisation's person"
    assert api_as("ducha").get("/api/users/nongye").json["org_name"] == "市农业农村局"
