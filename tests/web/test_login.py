"""Login with hashed passwords and CSRF; the API's documentation pages."""

from tests.conftest import login


def test_login_shows_who_and_logout(client):
    response = login(client, "zhenjie")
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "陈镇洁" in home and "铜城镇" in home and "镇街工作人员" in home and "我的待办" in home


def test_wrong_password_is_refused_in_chinese(client):
    response = login(client, "zhenjie", "nope")
    assert response.status_code == 401 and "用户名或密码错误" in response.get_data(as_text=True)


def test_login_form_without_csrf_is_refused(client):
    response = client.post("/login", data={"username": "zhenjie", "password": "tianchang"})
    assert response.status_code == 400 and "页面已过期，请刷新后重试" in response.get_data(as_text=True)
    assert "陈镇洁" not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_pages_need_a_session_and_return_after_login(client):
    response = client.get("/?q=电鱼")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


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
