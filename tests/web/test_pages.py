"""Every page renders for the people who use it, in Chinese; a foreign task is a page saying so."""

import pytest

from tests.conftest import login as submit_login
from tests.procedures.test_call_response import FISHING


def login(client, username):
    """Sign in and insist it worked: a failed login would leave every page below a redirect to the login form."""
    response = submit_login(client, username)
    assert response.status_code == 302 and response.headers["Location"] == "/", (username, response.status_code)
    return response


@pytest.fixture
def call(procedures, api_as):
    started = api_as("zhenjie").post("/api/instances", {"process_id": "call_response", "data": FISHING})
    return started.json["business_key"]


def page(client, url, status=200):
    """The page's own content: the navigation, which names 我的待办, 督办台, 通知 on every page, is cut off."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    body = response.get_data(as_text=True)
    assert body.count("<main>") == 1, url
    return body.split("<main>")[1].split("</main>")[0]


def test_inbox_task_and_call_pages(client, call, api_as):
    login(client, "nongye")
    inbox = page(client, "/")
    task_id = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    assert '<h1>我的待办 <span class="count">1</span></h1>' in inbox and f'href="/tasks/{task_id}">签收响应' in inbox
    assert 'class="task deadline-' in inbox and "deadline-none" not in inbox
    task = page(client, f"/tasks/{task_id}")
    assert "夜间有人电鱼" in task and 'id="task-data"' in task and "办理记录" in task
    assert call in page(client, "/calls")
    record = page(client, f"/calls/{call}")
    assert "市农业农村局" in record and "市公安局" in record


def test_a_department_cannot_open_another_departments_task(client, call, api_as):
    task_id = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    login(client, "zhenzhang")
    body = page(client, f"/tasks/{task_id}", status=403)
    assert "无权访问" in body and "您无权处理此任务" in body and "Traceback" not in body


def test_start_lists_supervision_and_notifications_pages(client, procedures):
    login(client, "zhenjie")
    start = page(client, "/start/call_response")
    assert "<h1>发起呼叫</h1>" in start and "item-search" in start
    lists = page(client, "/lists?q=电鱼")
    assert "P-0001" in lists and "导出 Excel" in lists
    item = page(client, "/lists/P-0001")
    assert "版本历史" in item and "演示数据" in item
    supervision = page(client, "/supervision")
    assert "<h1>督办台</h1>" in supervision and "<th>被督办单位</th>" not in supervision and "暂无督办" in supervision
    notifications = page(client, "/notifications")
    assert "<h1>通知</h1>" in notifications and "暂无通知" in notifications
    login(client, "renda")
    assert "<h1>发起呼叫</h1>" not in page(client, "/start/call_response", status=403)


def test_claim_from_the_inbox(client, call, api_as):
    login(client, "nongye")
    task_id = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    from tests.conftest import csrf_token

    response = client.post(f"/tasks/{task_id}/claim", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert api_as("nongye").get(f"/api/tasks/{task_id}").json["claimed_by"] == "nongye"


def test_new_tasks_and_ratings_are_notified_and_marked_read(client, call, session):
    from sqlalchemy import or_, select

    from app.domain.notifications import Notification
    from tests.conftest import csrf_token

    login(client, "nongye")
    body = page(client, "/notifications")
    assert "新待办：签收响应" in body
    mine = select(Notification).where(Notification.org_code == "nongye",
                                      or_(Notification.role.is_(None), Notification.role == "dept_staff"))
    ids = [n.id for n in session.scalars(mine)]
    assert ids
    assert client.post("/notifications", data={"csrf_token": csrf_token(client), "id": ids}).status_code == 302
    assert 'class="task read"' in page(client, "/notifications")
    leaders = select(Notification.id).where(Notification.org_code == "nongye", Notification.role == "dept_leader")
    other = session.scalars(select(Notification.id).where(Notification.org_code != "nongye")).first()
    for note_id in [*session.scalars(leaders), other]:  # another's notice is not the staff member's to mark
        refused = client.post("/notifications", data={"csrf_token": csrf_token(client), "id": [note_id]})
        assert refused.status_code == 403


def test_bianban_edits_an_item_with_a_reason(client):
    import re

    login(client, "bianban")
    form = page(client, "/lists/P-0001/edit")
    assert "修改理由" in form
    edit = client.get("/lists/P-0001/edit").get_data(as_text=True)  # 编办 lands on the overview, not on "/"
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', edit).group(1)
    fields = {"csrf_token": token, "title": "查处高邮湖非法电鱼", "category": "渔政执法", "legal_basis": "渔业法",
              "lead_org": "nongye", "cooperating_orgs": "gongan", "lead_duties": "查处", "cooperating_duties": "配合",
              "response_hours": "2", "handle_days": "4"}
    refused = client.post("/lists/P-0001/edit", data=dict(fields, reason=""))
    assert "修改清单必须填写理由" in refused.get_data(as_text=True)
    done = client.post("/lists/P-0001/edit", data=dict(fields, reason="缩短时限"), follow_redirects=True)
    assert "缩短时限" in done.get_data(as_text=True)
    login(client, "nongye")
    assert client.get("/lists/P-0001/edit").status_code == 403


def test_application_progress_is_shown_to_those_involved(client, procedures, api_as):
    from tests.procedures.test_admission_and_assigned import APPLICATION

    api_as("nongye").post("/api/instances", {"process_id": "admission_approval", "data": APPLICATION})
    login(client, "nongye")
    assert "当前：部门负责人审核" in page(client, "/applications")
    login(client, "bianban")
    assert "当前：部门负责人审核" in page(client, "/applications")


def test_every_notice_leads_to_a_page_that_exists(call, client, session, runtime):
    import re
    from datetime import timedelta

    from freezegun import freeze_time
    from sqlalchemy.orm import Session

    from app.cli.sweep import tick
    from app.db import utcnow

    with freeze_time(utcnow() + timedelta(days=3)):  # past the response limit: supervision cases are opened
        assert tick(lambda: Session(session.get_bind()), runtime).fired
        for username in ("nongye", "gongan"):
            login(client, username)
            body = client.get("/notifications").get_data(as_text=True)
            links = re.findall(r'<a href="([^"]+)">查看</a>', body)
            assert "督办" in body and any(link.startswith("/supervision/DB") for link in links), username
            for link in links:
                assert client.get(link).status_code == 200, link
