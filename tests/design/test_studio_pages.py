"""The studio's pages as their users open them: designers see everything, staff see nothing of it, a designer is
warned of another's draft and sees a returned comment, a reviewer reads the request."""

import pytest

from tests.conftest import login
from tests.design.test_studio_api import CALL_DEADLINES, dmn_text, review_task, save, urgent_hours


@pytest.fixture
def config_overrides():
    return {"DEPLOY_APPROVAL": True}


def page(client, username, url):
    login(client, username)
    return client.get(url)


def test_the_home_lists_processes_forms_tables_and_is_for_designers(procedures, app):
    answer = page(app.test_client(), "sheji", "/design")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    for shown in ("呼叫—响应", "部署审批", "call_form", "呼叫时限", "新建流程", "上传流程图"):
        assert shown in text
    assert page(app.test_client(), "zhenjie", "/design").status_code == 403
    assert "流程设计" not in page(app.test_client(), "zhenjie", "/").get_data(as_text=True)


def test_another_designers_draft_is_announced_and_a_return_shows_its_comment(procedures, app, api_as, session):
    save(api_as("admin"), CALL_DEADLINES, urgent_hours(dmn_text(session), 1))
    text = page(app.test_client(), "sheji", "/design/decisions/call_deadlines").get_data(as_text=True)
    assert "系统管理员 也在编辑" in text
    designer = api_as("sheji")
    save(designer, CALL_DEADLINES, urgent_hours(dmn_text(session), 2))
    asked = designer.post("/api/design/requests", {"reason": "试行", "files": [CALL_DEADLINES]}).json
    task = review_task(session, asked["instance_id"])
    reviewer = app.test_client()
    request_page = page(reviewer, "bianban", f"/design/requests/{asked['id']}").get_data(as_text=True)
    assert "试行" in request_page and "去审批" in request_page and "通过" in request_page
    api_as("bianban").post(f"/api/tasks/{task.id}/complete", {"data": {"decision": "return", "comment": "请附文号"}})
    home = page(app.test_client(), "sheji", "/design").get_data(as_text=True)
    assert "已退回" in home and "请附文号" in home
    assert page(app.test_client(), "zhenjie", f"/design/requests/{asked['id']}").status_code == 403


def test_the_editor_and_the_versions_page_open(procedures, app):
    client = app.test_client()
    editor = page(client, "sheji", "/design/processes/call_response")
    assert editor.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in editor.headers["Content-Security-Policy"]
    assert "script-src 'self';" in editor.headers["Content-Security-Policy"]
    assert client.get("/design/processes/call_response/versions").status_code == 200
    assert client.get("/design/processes/nowhere").status_code == 404
