"""Login with hashed passwords and CSRF; the API's documentation pages."""

from urllib.parse import quote, unquote

from tests.conftest import PASSWORD, csrf_token, login


def test_login_shows_who_and_logout(client):
    response = login(client, "zhenjie")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    body = home.get_data(as_text=True)
    assert home.status_code == 200 and '<span data-testid="who">陈镇洁</span>' in body
    assert "铜城镇 · 镇街工作人员" in body and "<h1>我的待办" in body.split("<main>")[1]
    out = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    after = client.get("/")
    assert after.status_code == 302 and "/login?next=" in after.headers["Location"]
    assert "陈镇洁" not in client.get("/login").get_data(as_text=True)


def test_wrong_password_is_refused_in_chinese(client):
    response = login(client, "zhenjie", "nope")
    assert response.status_code == 401 and "用户名或密码错误" in response.get_data(as_text=True)


def test_login_form_without_csrf_is_refused(client):
    response = client.post("/login", data={"username": "zhenjie", "password": PASSWORD})
    assert response.status_code == 400 and "页面已过期，请刷新后重试" in response.get_data(as_text=True)
    assert "陈镇洁" not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_pages_need_a_session_and_return_after_login(client):
    import re

    response = client.get("/?q=电鱼")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    login_url = response.headers["Location"]
    form = client.get(login_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    signed_in = client.post(login_url, data={"username": "zhenjie", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302
    assert unquote(signed_in.headers["Location"]) == "/?q=电鱼", "back to the page that asked for the login"
    assert '<span data-testid="who">陈镇洁</span>' in client.get("/?q=电鱼").get_data(as_text=True)


def test_login_never_returns_to_another_site(client):
    import re

    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        url = f"/login?next={quote(target, safe='')}"
        form = client.get(url).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        signed_in = client.post(url, data={"username": "zhenjie", "password": PASSWORD, "csrf_token": token})
        assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/", target
        assert client.post("/logout", data={"csrf_token": csrf_token(client)}).status_code == 302


def test_session_writes_to_the_api_need_the_csrf_header(client, deploy):
    from tests.conftest import csrf_token

    deploy("constructs")
    login(client, "zhenjie")
    body = {"process_id": "main_flow", "data": {"subject": "会话"}}
    refused = client.post("/api/instances", json=body)
    assert refused.status_code == 400 and refused.json["message"] == "页面已过期，请刷新后重试"
    accepted = client.post("/api/instances", json=body, headers={"X-CSRFToken": csrf_token(client)})
    assert accepted.status_code == 201


def test_openapi_and_docs(client):
    spec = client.get("/api/openapi.json").json
    assert spec["info"]["title"] == "天长协同治理 API"
    assert "/api/tasks/{task_id}/complete" in spec["paths"]
    docs = client.get("/api/docs").get_data(as_text=True)
    assert "/api/instances" in docs and "待办任务" in docs


def test_errors_are_json_in_chinese(client):
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json == {"code": "not_found", "message": "页面或资源不存在",
                                                           "errors": {}}
    assert client.get("/api/tasks").json["message"] == "请先登录"


def test_failed_logins_are_throttled_per_username_with_a_chinese_retry_time(app, client, session):
    from sqlalchemy import select

    from app.domain.audit import AuditEvent

    for attempt in range(4):
        assert login(client, "zhenjie", f"wrong{attempt}").status_code == 401
    locked = login(client, "zhenjie", "wrong-again")
    body = locked.get_data(as_text=True)
    assert locked.status_code == 429 and "登录失败次数过多，请在 15 分钟后" in body
    refused = login(client, "zhenjie")  # even the right password waits until the lock ends
    assert refused.status_code == 429 and "陈镇洁" not in client.get("/", follow_redirects=True).get_data(as_text=True)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.stream == "user:zhenjie")).all()
    assert actions.count("login.failed") == 5 and "login.throttled" in actions and "login" not in actions


def test_the_lock_ends_and_a_success_forgets_the_failures(app, client):
    from datetime import timedelta

    from freezegun import freeze_time

    from app.db import utcnow

    for attempt in range(5):
        assert login(client, "nongye", f"wrong{attempt}").status_code == (401 if attempt < 4 else 429)
    assert login(client, "nongye").status_code == 429
    with freeze_time(utcnow() + timedelta(minutes=16)):
        assert login(client, "nongye").status_code == 302
        assert client.post("/logout", data={"csrf_token": csrf_token(client)}).status_code == 302
        for attempt in range(4):
            assert login(client, "nongye", f"again{attempt}").status_code == 401
        assert login(client, "nongye").status_code == 302, "four new failures are under the limit"


def test_one_address_guessing_many_usernames_is_throttled(app, client):
    for name in ["zhenjie", "nongye", "gongan", "nosuchuser"]:
        assert login(client, name, "wrong").status_code == 401
    assert login(client, "another", "wrong").status_code == 429, "the fifth failure from one address locks it"
    assert login(client, "bianban").status_code == 429, "the address is locked, whichever username it tries"
    elsewhere = app.test_client()
    assert login(elsewhere, "bianban", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_unknown_usernames_take_the_same_path_as_known_ones(app, client, session):
    from sqlalchemy import select

    from app.domain.audit import AuditEvent
    from app.domain.logins import LoginThrottle

    unknown, known = login(client, "nosuchuser", "wrong"), login(app.test_client(), "zhenjie", "wrong")
    assert unknown.status_code == known.status_code == 401
    assert unknown.get_data(as_text=True).count("用户名或密码错误") == known.get_data(as_text=True).count("用户名或密码错误")
    rows = {r.key: r.failures for r in session.scalars(select(LoginThrottle))}
    assert rows["user:nosuchuser"] == rows["user:zhenjie"] == 1
    failed = session.scalars(select(AuditEvent.stream).where(AuditEvent.action == "login.failed")).all()
    assert sorted(failed) == ["user:nosuchuser", "user:zhenjie"]
